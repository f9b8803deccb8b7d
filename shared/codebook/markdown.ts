/**
 * A codebook as Markdown, to read or paste into a paper: per stage (then cross-stage), per
 * kind, each code as a heading with its definitions, typical and atypical examples, mode and
 * status. Everything a researcher typed is escaped, so a name like *secret* or <script>
 * appears as written. An example taken from a coded segment says so, or says where from when
 * the caller describes the segment (the module stays pure: the caller looks segments up).
 * A code's history is left out: the export is the codebook, not its making.
 */
import { CODE_KINDS, type Code, type CodeExample, type CodeKind, type CodeStatus, type CollaborationMode, type Guid, type Stage } from '../model/types.ts';

export interface MarkdownOptions {
  /**
   * Where a linked example comes from, in a few words (e.g. "Interview 3, P2"), or null when
   * the segment is unknown (deleted since). Without it, or with null, a linked example ends
   * in "(from a coded segment)".
   */
  describeSegment?: (segmentId: Guid) => string | null;
}

const KIND_HEADINGS: Record<CodeKind, string> = { challenge: 'Challenges', 'on-ramp': 'On-ramps', other: 'Descriptive / other' };
const MODE_LABELS: Record<CollaborationMode, string> = { cathedral: 'Cathedral', bazaar: 'Bazaar', neutral: 'Neutral' };
const STATUS_LABELS: Record<CodeStatus, string> = { draft: 'Draft', active: 'Active', retired: 'Retired' };

/** Stage, kind and the top code take headings 2–4; nested codes go one deeper each, down to 6. */
const FIRST_CODE_LEVEL = 4;
const DEEPEST_LEVEL = 6;

/** Escapes one line of user text so Markdown shows it literally. */
export function escapeMarkdown(text: string): string {
  return (
    text
      // & stays readable ("R&D") unless it would start an entity such as &amp; or &#60;
      .replace(/&(?=#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi, '&amp;')
      .replace(/[\\`*_[\]()#+\-!|>~]/g, '\\$&')
      .replace(/</g, '&lt;')
      // A line starting "1." or "1)" would become a numbered list, "===" a heading underline.
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
      .replace(/^(\s*)=/, '$1\\=')
  );
}

/** User text that may hold several lines and paragraphs, as Markdown paragraphs with hard line breaks. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((line) => escapeMarkdown(line.trim()))
        .filter((line) => line !== '')
        .join('\\\n'),
    )
    .filter((p) => p !== '');
}

/** One line: line breaks in a heading or list item become spaces. */
const inline = (text: string): string => escapeMarkdown(text.replace(/\s*\n\s*/g, ' ').trim());

/** From the top code down to the code's parent (stops at a parent loop). */
function ancestorsOf(code: Code, byId: ReadonlyMap<Guid, Code>): Code[] {
  const out: Code[] = [];
  const seen = new Set([code.id]);
  for (let p = code.parentId === null ? undefined : byId.get(code.parentId); p && !seen.has(p.id); p = p.parentId === null ? undefined : byId.get(p.parentId)) {
    seen.add(p.id);
    out.unshift(p);
  }
  return out;
}

const byOrder = (a: Code, b: Code): number => a.order - b.order;

export function codebookToMarkdown(studyName: string, stages: readonly Stage[], codes: readonly Code[], counts?: ReadonlyMap<Guid, number>, options: MarkdownOptions = {}): string {
  const out: string[] = [`# Codebook: ${inline(studyName)}`];
  const stageIds = new Set(stages.map((s) => s.id));
  const byId = new Map(codes.map((c) => [c.id, c]));
  const stageOf = (c: Code): Guid | null => (c.stageId !== null && stageIds.has(c.stageId) ? c.stageId : null);
  const groupOf = (c: Code): string => `${stageOf(c)}|${c.kind}`;
  const source = (example: CodeExample): string => {
    if (example.segmentId === null) return '';
    const described = options.describeSegment?.(example.segmentId)?.trim();
    return described ? ` — ${inline(described)}` : ' (from a coded segment)';
  };

  const writeCode = (code: Code, depth: number, inGroup: readonly Code[], seen: Set<Guid>): void => {
    seen.add(code.id);
    const level = Math.min(FIRST_CODE_LEVEL + depth, DEEPEST_LEVEL);
    // A code whose parent sits in another section, or that is nested deeper than headings go, shows its ancestors.
    const showAncestors = level < FIRST_CODE_LEVEL + depth || (depth === 0 && code.parentId !== null);
    const ancestors = showAncestors ? ancestorsOf(code, byId).map((a) => inline(a.name)) : [];
    out.push(`${'#'.repeat(level)} ${[...ancestors, inline(code.name)].join(' › ')}`);

    const short = paragraphs(code.shortDefinition);
    if (short.length > 0) out.push(...short.map((p) => `*${p}*`));
    out.push(...paragraphs(code.definition));
    for (const [label, text] of [['Use when', code.useWhen], ['Do not use when', code.doNotUseWhen]] as const) {
      const [first, ...rest] = paragraphs(text);
      if (first !== undefined) out.push(`**${label}:** ${first}`, ...rest);
    }
    for (const [label, typical] of [['Typical examples', true], ['Atypical examples', false]] as const) {
      const items = code.examples.filter((e) => e.typical === typical).flatMap((e) => {
        const text = paragraphs(e.text).join('\\\n').replace(/\n/g, '\n  ');
        return text === '' ? [] : [`- ${text}${source(e)}`];
      });
      if (items.length > 0) out.push(`**${label}:**`, items.join('\n'));
    }
    const facts = [`Mode: ${MODE_LABELS[code.mode]}`, `Status: ${STATUS_LABELS[code.status]}`];
    if (counts) facts.push(`Codings: ${counts.get(code.id) ?? 0}`);
    out.push(facts.join(' · '));

    for (const child of inGroup.filter((c) => c.parentId === code.id && !seen.has(c.id))) writeCode(child, depth + 1, inGroup, seen);
  };

  const sections: { title: string; stageId: Guid | null }[] = [
    ...[...stages].sort((a, b) => a.order - b.order).map((s) => ({ title: inline(s.name), stageId: s.id as Guid | null })),
    { title: 'Cross-stage', stageId: null },
  ];
  const sorted = [...codes].sort(byOrder);
  for (const section of sections) {
    const inStage = sorted.filter((c) => stageOf(c) === section.stageId);
    if (inStage.length === 0) continue;
    out.push(`## ${section.title}`);
    for (const kind of CODE_KINDS) {
      const inGroup = inStage.filter((c) => c.kind === kind);
      if (inGroup.length === 0) continue;
      out.push(`### ${KIND_HEADINGS[kind]}`);
      const seen = new Set<Guid>();
      const isTop = (c: Code): boolean => {
        const parent = c.parentId === null ? undefined : byId.get(c.parentId);
        return !parent || groupOf(parent) !== groupOf(c);
      };
      for (const code of inGroup.filter(isTop)) writeCode(code, 0, inGroup, seen);
      // Codes in a parent loop (which integrity checks refuse) would otherwise be left out.
      for (const code of inGroup) if (!seen.has(code.id)) writeCode(code, 0, inGroup, seen);
    }
  }
  if (codes.length === 0) out.push('This codebook has no codes yet.');
  return `${out.join('\n\n')}\n`;
}
