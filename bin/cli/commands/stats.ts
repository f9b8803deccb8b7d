/**
 * `cartography stats FILE`: what a file holds, in REFI-QDA's terms, as JSON with exactly
 * these keys in this order:
 *
 * - a .qdpx: its project file counted as written (the project reader's counts, after the
 *   whole file has been read and checked): codes, sources, cases, variables, selections (every
 *   PlainTextSelection and other selection), codings, users, notes, links (every Link);
 * - a study file: the same counts of the .qdpx `convert` would write from it, so converting
 *   never changes the numbers. In Cartography's words: codes; sources = documents; cases;
 *   variables = case attributes; selections = segments (coded segments, and the few kept only
 *   for a memo); codings; users = coders; notes = memos (a position override's justification
 *   too); links = ties between two actors that stand for cases of the study, plus one link
 *   per memo about a case or a position (a .qdpx has no other place for them). Ties with an
 *   actor that is not a case have no place in a .qdpx and are not counted;
 * - a codebook (.qdc, codebook CSV): its codes; everything else is 0.
 */
import { countQde, type QdpxCounts } from '../../../shared/refi/qde-import.ts';
import { studyToQde } from '../../../shared/refi/qde-export.ts';
import type { StudyRecords } from '../../../shared/model/types.ts';
import { expectPositionals, parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { readInput, type Input } from '../input.ts';
import { ORIGIN } from '../version.ts';

export const STATS_KEYS = ['codes', 'sources', 'cases', 'variables', 'selections', 'codings', 'users', 'notes', 'links'] as const;
export type Stats = Record<(typeof STATS_KEYS)[number], number>;

/** The listed keys of a project's counts, in order (a project's sets are not among them). */
const pick = (counts: Omit<QdpxCounts, 'sets'>): Stats => Object.fromEntries(STATS_KEYS.map((key) => [key, counts[key]])) as Stats;

/** A study's counts: those of the project file its .qdpx export writes. */
export function studyStats(records: StudyRecords): Stats {
  return pick(countQde(studyToQde(records, { origin: ORIGIN, positions: 'code-points' }).xml, 'project.qde'));
}

export function inputStats(input: Input): Stats {
  if (input.projectCounts) return pick(input.projectCounts);
  if (input.codebookOnly) return { codes: input.records.codes.length, sources: 0, cases: 0, variables: 0, selections: 0, codings: 0, users: 0, notes: 0, links: 0 };
  return studyStats(input.records);
}

export async function statsCommand(args: readonly string[], io: CliIo): Promise<void> {
  const { positionals } = parseCommandArgs('stats', args, {});
  const [path] = expectPositionals('stats', positionals, ['FILE']);
  const input = await readInput(path!, io);
  io.stdout(`${JSON.stringify(inputStats(input), null, 2)}\n`);
}
