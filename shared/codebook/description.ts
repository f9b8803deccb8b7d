/**
 * Cartography's codebook fields inside a REFI-QDA `<Description>`, so they round-trip
 * through Cartography and still read well in other tools (NVivo, MAXQDA, ATLAS.ti show the
 * description as plain text):
 *
 *     Companies keep their training recipes to themselves.      ← short definition
 *
 *     Definition:
 *     Organisations keep pre-training methods …
 *
 *     Use when:
 *     …
 *
 *     Do not use when:
 *     …
 *
 *     Typical examples:
 *     - “We can compare notes on hardware, but …” [segment:3f2b8c1e-5d4a-4b6c-9e21-0a7f3c9d8e10]
 *
 *     Atypical examples:
 *     - “We publish the recipe, just not the data mixture.”
 *
 *     Cartography: stage=Pre-training; kind=challenge; mode=cathedral; status=active
 *
 * A section heading is a whole line; a line of field text that would read as a heading (or
 * as the final Cartography line, or starts with a backslash) is written with a leading
 * backslash, which decoding removes. An example is one list line (`- `, backslashes and line
 * breaks written \\ and \n); one taken from a coded segment ends in ` [segment:<GUID>]`,
 * and one without a link whose text ends in `[segment:…]` gets ` [segment:none]` after it
 * (the same convention as the CSV export). Examples come back typical first. The `Examples:`
 * heading of earlier versions is read as typical examples. A description written by another
 * tool decodes to its whole text as the definition.
 *
 * A code's history is not carried: other tools have nowhere to show it, so it is not one of
 * the described fields. A .qdc import gives codes an empty history, and the code that
 * imports them adds its own entry.
 */
import { isGuid, normaliseGuid } from '../model/ids.ts';
import { CODE_KINDS, CODE_STATUSES, COLLABORATION_MODES, type Code, type CodeExample, type CodeKind, type CodeStatus, type CollaborationMode, type Guid } from '../model/types.ts';

export type DescribedFields = Pick<Code, 'shortDefinition' | 'definition' | 'useWhen' | 'doNotUseWhen' | 'examples' | 'kind' | 'mode' | 'status'> & {
  /** The stage's name; null = cross-stage. */
  stage: string | null;
};

const SECTIONS = [
  ['definition', 'Definition:'],
  ['useWhen', 'Use when:'],
  ['doNotUseWhen', 'Do not use when:'],
  ['typical', 'Typical examples:'],
  ['atypical', 'Atypical examples:'],
] as const;
/** The examples heading of descriptions written before examples were typical or atypical. */
const OLD_EXAMPLES = 'Examples:';
const MARKER = 'Cartography: ';
const HEADINGS = new Set<string>([...SECTIONS.map(([, heading]) => heading), OLD_EXAMPLES]);

/** A link from an example to a coded segment, at the end of the example's line. */
const SEGMENT_LINK = / \[segment:([^[\]]*)\]$/;
const NO_SEGMENT = 'none';

/** An example's line with its segment link, or ` [segment:none]` when text without a link ends like one. */
export function writeSegmentLink(line: string, segmentId: Guid | null): string {
  if (segmentId !== null) return `${line} [segment:${segmentId}]`;
  return SEGMENT_LINK.test(line) ? `${line} [segment:${NO_SEGMENT}]` : line;
}

/**
 * Splits the segment link off an example's line. A link whose value is neither a GUID nor
 * `none` is left in the text and returned as `invalid` (CSV reports it; descriptions keep it).
 */
export function readSegmentLink(line: string): { text: string; segmentId: Guid | null; invalid?: string } {
  const match = SEGMENT_LINK.exec(line);
  if (!match) return { text: line, segmentId: null };
  const value = match[1]!;
  if (value === NO_SEGMENT) return { text: line.slice(0, match.index), segmentId: null };
  if (isGuid(value)) return { text: line.slice(0, match.index), segmentId: normaliseGuid(value) };
  return { text: line, segmentId: null, invalid: match[0].slice(1) };
}

const escapeExample = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const unescapeExample = (text: string) => text.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));

const needsEscape = (line: string) => HEADINGS.has(line) || line.startsWith(MARKER) || line.startsWith('\\') || line.startsWith('- ');
const escapeText = (text: string) => text.split('\n').map((line) => (needsEscape(line) ? `\\${line}` : line)).join('\n');
const unescapeLine = (line: string) => (line.startsWith('\\') ? line.slice(1) : line);
// stage names may hold ";" or "=": they are written with those (and backslashes) escaped
const escapeValue = (value: string) => value.replace(/[\\;=\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

export function encodeDescription(fields: DescribedFields): string {
  const parts: string[] = [];
  if (fields.shortDefinition) parts.push(escapeText(fields.shortDefinition));
  for (const [key, heading] of SECTIONS) {
    if (key === 'typical' || key === 'atypical') {
      const examples = fields.examples.filter((e) => e.typical === (key === 'typical'));
      if (examples.length > 0) parts.push(`${heading}\n${examples.map((e) => `- ${writeSegmentLink(escapeExample(e.text), e.segmentId)}`).join('\n')}`);
    } else if (fields[key]) {
      parts.push(`${heading}\n${escapeText(fields[key])}`);
    }
  }
  const meta = [`stage=${fields.stage === null ? '' : escapeValue(fields.stage)}`, `kind=${fields.kind}`, `mode=${fields.mode}`, `status=${fields.status}`];
  parts.push(`${MARKER}${meta.join('; ')}`);
  return parts.join('\n\n');
}

function splitMeta(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let key = '';
  let value = '';
  let inValue = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[(i += 1)]!;
      const literal = next === 'n' ? '\n' : next;
      if (inValue) value += literal;
      else key += literal;
    } else if (c === '=' && !inValue) {
      inValue = true;
    } else if (c === ';') {
      out[key.trim()] = value;
      key = '';
      value = '';
      inValue = false;
    } else if (inValue) {
      value += c;
    } else {
      key += c;
    }
  }
  if (key.trim() !== '') out[key.trim()] = inValue ? value.trim() : '';
  for (const k of Object.keys(out)) out[k] = out[k]!.replace(/^ /, '');
  return out;
}

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(value ?? '') ? (value as T) : fallback);

/** Reads a description back; text from other tools becomes the definition, with defaults elsewhere. */
export function decodeDescription(description: string): DescribedFields {
  const text = description.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const markerAt = lines.findIndex((line) => line.startsWith(MARKER));
  if (markerAt === -1) {
    return { shortDefinition: '', definition: text.trim(), useWhen: '', doNotUseWhen: '', examples: [], stage: null, kind: 'other', mode: 'neutral', status: 'active' };
  }
  const meta = splitMeta(lines[markerAt]!.slice(MARKER.length));
  const body = lines.slice(0, markerAt);
  const sections: Record<string, string[]> = { short: [] };
  let current = 'short';
  for (const line of body) {
    const heading = line === OLD_EXAMPLES ? 'typical' : SECTIONS.find(([, h]) => h === line)?.[0];
    if (heading) {
      current = heading;
      sections[current] ??= [];
    } else {
      (sections[current] ??= []).push(line);
    }
  }
  // Sections are separated by one blank line, which belongs to no field.
  const field = (name: string) => {
    const content = [...(sections[name] ?? [])];
    if (content.at(-1) === '') content.pop();
    return content.map(unescapeLine).join('\n');
  };
  const examples = (name: 'typical' | 'atypical'): CodeExample[] =>
    (sections[name] ?? [])
      .filter((line) => line.startsWith('- '))
      .map((line) => {
        const { text, segmentId } = readSegmentLink(line.slice(2));
        return { text: unescapeExample(text), typical: name === 'typical', segmentId };
      });
  return {
    shortDefinition: field('short'),
    definition: field('definition'),
    useWhen: field('useWhen'),
    doNotUseWhen: field('doNotUseWhen'),
    examples: [...examples('typical'), ...examples('atypical')],
    stage: meta['stage'] ? meta['stage'] : null,
    kind: oneOf<CodeKind>(meta['kind'], CODE_KINDS, 'other'),
    mode: oneOf<CollaborationMode>(meta['mode'], COLLABORATION_MODES, 'neutral'),
    status: oneOf<CodeStatus>(meta['status'], CODE_STATUSES, 'active'),
  };
}
