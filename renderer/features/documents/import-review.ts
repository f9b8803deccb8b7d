/**
 * The review step's starting point for each parsed transcript: case and participants
 * suggested from the CSV's own columns, then from the document's title and file name;
 * and the speaker the parser marked as interviewer.
 */
import { nameTokens, suggestAssignment } from '../../../shared/import/assign.ts';
import type { ParsedTranscript } from '../../../shared/import/types.ts';
import type { Case, Guid, Participant } from '../../../shared/model/types.ts';

export const sameName = (a: string, b: string) => nameTokens(a).join(' ') === nameTokens(b).join(' ');

export function suggestFor(fileName: string, parsed: ParsedTranscript, cases: readonly Case[], participants: readonly Participant[]): { caseId: Guid | null; participantIds: Guid[] } {
  const fromColumns = {
    caseId: parsed.caseName === null ? null : (cases.find((c) => sameName(c.name, parsed.caseName!))?.id ?? null),
    participantIds: parsed.participantNames.flatMap((n) => participants.filter((p) => sameName(p.pseudonym, n)).map((p) => p.id)),
  };
  const fromTitle = suggestAssignment(parsed.title, cases, participants);
  const fromFile = suggestAssignment(fileName, cases, participants);
  const participantIds = [fromColumns, fromTitle, fromFile].find((s) => s.participantIds.length > 0)?.participantIds ?? [];
  const caseId = fromColumns.caseId ?? fromTitle.caseId ?? fromFile.caseId ?? participants.find((p) => participantIds.includes(p.id) && p.caseId !== null)?.caseId ?? null;
  return { caseId, participantIds: [...new Set(participantIds)] };
}

/** The first speaker whose turns the parser marked as the interviewer's, or null. */
export function markedInterviewer(parsed: ParsedTranscript): string | null {
  return parsed.turns.find((t) => t.isInterviewer && t.speaker !== null)?.speaker ?? null;
}
