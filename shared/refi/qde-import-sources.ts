/**
 * The sources of a REFI-QDA import: each TextSource's text (a text file of the package, inline
 * PlainTextContent, or a .docx), how positions count (decided from all sources together),
 * and its selections as segments (one per span) with their codings and comments.
 * See qde-import.ts and qde-import-text.ts.
 */
import { attribute, childElements, type XmlElement } from '../codebook/xml.ts';
import { parseDocx } from '../import/docx.ts';
import type { Code, Coding, Document, DocumentText, Guid, Memo, Segment } from '../model/types.ts';
import { countWords } from '../text/normalise.ts';
import { detectTurns } from '../text/turns.ts';
import { POSITIONS_PI } from './qde-export.ts';
import { child, childText, derivedGuid, plural, quoted, readDateTime, REEXPORT, Tally, type ImportContext, type SourceFiles } from './qde-import-common.ts';
import { decidePositions, decodeSourceText, PositionText, type PositionDecision, type PositionUnit } from './qde-import-text.ts';

interface RawSelection {
  el: XmlElement;
  id: Guid;
  start: number;
  end: number;
}

interface RawSource {
  el: XmlElement;
  id: Guid;
  title: string;
  text: PositionText;
  encoding: string;
  format: string;
  selections: RawSelection[];
}

const SOURCE_KINDS: Record<string, string> = { PDFSource: 'PDF', PictureSource: 'picture', AudioSource: 'audio', VideoSource: 'video' };
const UNIT_WORDS: Record<PositionUnit, string> = { 'code-points': 'code points', utf16: 'UTF-16 code units' };
const DECLARED_POSITIONS = new RegExp(`<\\?${POSITIONS_PI}\\s+positions="(utf16|code-points)"\\s*\\?>`);

/**
 * Finds a path of the project in the package: `internal://x` is sources/x; relative paths are
 * tried as they are and under sources/; letter case and percent-encoding may differ.
 */
export function pathResolver(files: SourceFiles): (path: string) => { entry: string } | { missing: string } | { outside: string } {
  const lowerNames = new Map<string, string>();
  for (const name of files.keys()) if (!lowerNames.has(name.toLowerCase())) lowerNames.set(name.toLowerCase(), name);
  return (path) => {
    let p = path.trim();
    if (/^internal:\/\//i.test(p)) p = `sources/${p.slice('internal://'.length)}`;
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('/') || p.startsWith('\\') || /^[a-zA-Z]:[\\/]/.test(p)) return { outside: p };
    p = p.replace(/\\/g, '/').replace(/^\.\//, '');
    let decoded = p;
    try {
      decoded = decodeURIComponent(p);
    } catch {
      // not percent-encoded
    }
    for (const candidate of [p, decoded, `sources/${p}`, `sources/${decoded}`]) {
      if (files.has(candidate)) return { entry: candidate };
      const found = lowerNames.get(candidate.toLowerCase());
      if (found !== undefined) return { entry: found };
    }
    return { missing: p };
  };
}

export interface SourcesRead {
  documents: Document[];
  texts: DocumentText[];
  segments: Segment[];
  codings: Coding[];
  /** Selections' comments and sources' descriptions. */
  memos: Memo[];
  positions: PositionDecision;
}

export async function readSources(ctx: ImportContext, codeById: ReadonlyMap<Guid, Code>, caseOfSource: ReadonlyMap<Guid, Guid>, caseIds: ReadonlySet<Guid>): Promise<SourcesRead> {
  const { project, notes, guidFor, tracked, ref, fatal, userRef, fallbackCoder, addNoteRefs, studyId, now, fileName, files, origin } = ctx;
  const resolve = pathResolver(files);
  const raws: RawSource[] = [];
  const skippedSources = new Tally();
  const sourcesEl = child(project, 'Sources');
  for (const el of sourcesEl ? childElements(sourcesEl) : []) {
    if (el.local !== 'TextSource') {
      skippedSources.add(SOURCE_KINDS[el.local] ?? el.local);
      continue;
    }
    const id = guidFor(el, 'sources');
    const title = (attribute(el, 'name') ?? '').trim() || `Source ${raws.length + 1}`;
    const problemsBefore = ctx.problemCount();
    const what = (path: string) => `The text of the source ${quoted(title)} (${path})`;
    let text: string | null = null;
    let encoding = 'utf-8';
    let format = 'txt';
    const plainPath = attribute(el, 'plainTextPath');
    const inline = childText(el, 'PlainTextContent');
    const richPath = attribute(el, 'richTextPath');
    if (plainPath !== undefined && plainPath.trim() !== '') {
      const found = resolve(plainPath);
      if ('entry' in found) {
        const decoded = decodeSourceText(files.get(found.entry)!, what(found.entry));
        if ('problem' in decoded) fatal(el, decoded.problem);
        else ({ text, encoding } = decoded);
      } else if (inline === null) {
        fatal(
          el,
          'outside' in found
            ? `The source ${quoted(title)} points at its text outside the package (${quoted(found.outside)}), which Cartography does not read. Export the project again with its sources included.`
            : `The source ${quoted(title)} has plainTextPath ${quoted(plainPath)}, but ${quoted(fileName)} holds no entry ${quoted(found.missing)}. The package is incomplete: ${REEXPORT}`,
        );
      }
    }
    if (text === null && inline !== null) {
      text = inline;
      encoding = 'inline';
      format = 'txt';
    }
    if (text === null && plainPath === undefined && richPath !== undefined && richPath.trim() !== '') {
      const found = resolve(richPath);
      if ('entry' in found) {
        const parsed = await parseDocx(found.entry, files.get(found.entry)!);
        const doc = parsed.documents[0];
        if (!doc) fatal(el, `${what(found.entry)} cannot be read: ${parsed.problems[0]?.message ?? 'the document holds no text'}`);
        else {
          text = doc.text;
          encoding = 'docx';
          format = 'docx';
          notes.push(`The source ${quoted(title)} has no plain text, only a Word document: its text was taken from ${quoted(found.entry)}, and its selections were read against that text.`);
        }
      } else fatal(el, `The source ${quoted(title)} has richTextPath ${quoted(richPath)}, but its text is not in ${quoted(fileName)}. ${REEXPORT}`);
    }
    if (text === null) {
      if (plainPath === undefined && inline === null && richPath === undefined) notes.push(`The source ${quoted(title)} has no text: imported with an empty text.`);
      text = '';
    }
    // a source whose text could not be read has no selections to check: its problem says it all
    if (ctx.problemCount() > problemsBefore) continue;
    const selections: RawSelection[] = [];
    for (const sel of childElements(el, 'PlainTextSelection')) {
      const start = Number((attribute(sel, 'startPosition') ?? '').trim());
      const end = Number((attribute(sel, 'endPosition') ?? '').trim());
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < 0) {
        fatal(sel, `The selection in ${quoted(title)} has the positions ${quoted(attribute(sel, 'startPosition') ?? '')}–${quoted(attribute(sel, 'endPosition') ?? '')}, which are not whole numbers from 0. ${REEXPORT}`);
        continue;
      }
      selections.push({ el: sel, id: guidFor(sel, 'selections'), start, end });
    }
    raws.push({ el, id, title, text: new PositionText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), encoding, format, selections });
  }
  if (skippedSources.total > 0) {
    const kinds = skippedSources.words((k) => `${k} source`, (k) => `${k} sources`);
    notes.push(`Cartography imports text sources only: ${kinds} ${skippedSources.total === 1 ? 'was' : 'were'} left out with their selections and codings.`);
  }

  const declared = (DECLARED_POSITIONS.exec(ctx.xmlText.slice(0, ctx.xmlText.search(/<[^?!]/) + 1 || 200))?.[1] ?? null) as PositionUnit | null;
  const positions = decidePositions(
    raws.map((r) => ({ text: r.text, spans: r.selections.filter((s) => s.end >= s.start) })),
    origin,
    declared,
  );
  const unit = positions.unit;

  // Selections → segments (one per span), codings, and the memos that hang on them
  const documents: Document[] = [];
  const texts: DocumentText[] = [];
  const segments: Segment[] = [];
  const codings: Coding[] = [];
  const memos: Memo[] = [];
  const segmentOfSelection = new Map<Guid, Guid>();
  let zeroLength = 0;
  let mergedSelections = 0;
  let duplicateCodings = 0;
  let widened = 0;
  let wholeSourceCodings = 0;
  let codingNotes = 0;
  let sourceVariables = 0;
  for (const raw of raws) {
    const text = raw.text.raw.replace(/\r\n?/g, '\n');
    const length = raw.text.length(unit);
    const segmentBySpan = new Map<string, Segment>();
    const codingKeys = new Set<string>();
    const addCodings = (el: XmlElement, segment: Segment) => {
      for (const codingEl of childElements(el, 'Coding')) {
        const codeRef = child(codingEl, 'CodeRef');
        const codeId = ref(codeRef);
        if (codeId === null || !codeById.has(codeId)) {
          fatal(
            codingEl,
            codeRef === undefined
              ? `A coding in ${quoted(raw.title)} names no code (it has no <CodeRef>). ${REEXPORT}`
              : `A coding in ${quoted(raw.title)} refers to the code ${attribute(codeRef, 'targetGUID') ?? ''}, which the project's codebook does not define. ${REEXPORT}`,
          );
          continue;
        }
        const coderId = userRef(attribute(codingEl, 'creatingUser')) ?? fallbackCoder();
        const key = `${segment.id}:${codeId}:${coderId}`;
        if (codingKeys.has(key)) {
          duplicateCodings += 1;
          continue;
        }
        codingKeys.add(key);
        const createdAt = readDateTime(attribute(codingEl, 'creationDateTime')) ?? now;
        codings.push({ id: guidFor(codingEl, 'codings'), studyId, createdAt, modifiedAt: createdAt, createdBy: coderId, segmentId: segment.id, codeId, coderId, documentId: raw.id });
        if (childElements(codingEl, 'NoteRef').length > 0) codingNotes += 1;
        addNoteRefs(codingEl, { type: 'segment', id: segment.id });
      }
    };
    const segmentFor = (el: XmlElement, id: Guid, start: number, end: number): Segment => {
      const key = `${start}:${end}`;
      const existing = segmentBySpan.get(key);
      if (existing) {
        mergedSelections += 1;
        return existing;
      }
      const createdAt = readDateTime(attribute(el, 'creationDateTime')) ?? now;
      const segment: Segment = {
        id,
        studyId,
        createdAt,
        modifiedAt: readDateTime(attribute(el, 'modifiedDateTime')) ?? createdAt,
        createdBy: userRef(attribute(el, 'creatingUser')),
        documentId: raw.id,
        start,
        end,
        text: text.slice(start, end),
      };
      segmentBySpan.set(key, segment);
      segments.push(segment);
      return segment;
    };

    for (const sel of raw.selections) {
      if (sel.end < sel.start) {
        fatal(sel.el, `The selection in ${quoted(raw.title)} ends (at ${sel.end}) before it starts (at ${sel.start}). ${REEXPORT}`);
        continue;
      }
      if (sel.end > length) {
        fatal(sel.el, `The selection ${sel.start}–${sel.end} in ${quoted(raw.title)} lies past the end of its text, which has ${length} ${UNIT_WORDS[unit]}. The text and the project do not belong together: ${REEXPORT}`);
        continue;
      }
      let start16 = raw.text.toUtf16(sel.start, unit);
      let end16 = raw.text.toUtf16(sel.end, unit);
      if (raw.text.splitsPair(start16)) {
        start16 -= 1;
        widened += 1;
      }
      if (raw.text.splitsPair(end16)) {
        end16 += 1;
        widened += 1;
      }
      const start = raw.text.toNormalised(start16);
      const end = raw.text.toNormalised(end16);
      if (start === end) {
        zeroLength += 1;
        continue;
      }
      const segment = segmentFor(sel.el, sel.id, start, end);
      segmentOfSelection.set(sel.id, segment.id);
      addCodings(sel.el, segment);
      addNoteRefs(sel.el, { type: 'segment', id: segment.id });
      const comment = (childText(sel.el, 'Description') ?? '').trim();
      if (comment !== '') {
        const createdAt = readDateTime(attribute(sel.el, 'creationDateTime')) ?? now;
        memos.push({
          id: derivedGuid(`selection-description:${sel.id}`),
          studyId,
          createdAt,
          modifiedAt: readDateTime(attribute(sel.el, 'modifiedDateTime')) ?? createdAt,
          createdBy: userRef(attribute(sel.el, 'creatingUser')),
          targetType: 'segment',
          targetId: segment.id,
          title: (attribute(sel.el, 'name') ?? '').trim() || 'Comment',
          text: comment,
        });
      }
    }
    // Codings of the whole source
    if (childElements(raw.el, 'Coding').length > 0 && text.length > 0) {
      wholeSourceCodings += childElements(raw.el, 'Coding').length;
      addCodings(raw.el, segmentFor(raw.el, derivedGuid(`whole-source:${raw.id}`), 0, text.length));
    }
    addNoteRefs(raw.el, { type: 'document', id: raw.id });
    sourceVariables += childElements(raw.el, 'VariableValue').length;
    const description = (childText(raw.el, 'Description') ?? '').trim();
    if (description !== '') memos.push({ id: derivedGuid(`source-description:${raw.id}`), ...tracked(), targetType: 'document', targetId: raw.id, title: 'Description', text: description });

    const createdAt = readDateTime(attribute(raw.el, 'creationDateTime')) ?? now;
    const caseId = caseOfSource.get(raw.id) ?? null;
    documents.push({
      id: raw.id,
      studyId,
      createdAt,
      modifiedAt: readDateTime(attribute(raw.el, 'modifiedDateTime')) ?? createdAt,
      createdBy: userRef(attribute(raw.el, 'creatingUser')),
      title: raw.title,
      caseId: caseId !== null && caseIds.has(caseId) ? caseId : null,
      participantIds: [],
      sourceFormat: raw.format,
      length: text.length,
      wordCount: countWords(text),
      codingCount: 0,
      coderIds: [],
      turns: detectTurns(text),
      importMeta: { fileName, importedAt: now, encoding: raw.encoding, notes: [] },
    });
    texts.push({ id: raw.id, studyId, text });
  }
  const documentIds = new Set(documents.map((d) => d.id));
  const danglingSourceRefs = [...caseOfSource.keys()].filter((id) => !documentIds.has(id)).length;
  if (danglingSourceRefs > 0) notes.push(`${plural(danglingSourceRefs, 'case refers', 'cases refer')} to sources that are not text sources of the project: those references were left out.`);
  notes.push(positions.reason);
  if (zeroLength > 0) notes.push(`${plural(zeroLength, 'selection had', 'selections had')} zero length and ${zeroLength === 1 ? 'was' : 'were'} skipped with ${zeroLength === 1 ? 'its codings' : 'their codings'}.`);
  if (mergedSelections > 0) notes.push(`${plural(mergedSelections, 'selection covers', 'selections cover')} the same text as another selection of its source: their codings were put on one segment (Cartography keeps one segment per span).`);
  if (duplicateCodings > 0) notes.push(`${plural(duplicateCodings, 'coding repeats', 'codings repeat')} a code the same coder already applied to the same text: left out.`);
  if (widened > 0) notes.push(`${plural(widened, 'selection edge fell', 'selection edges fell')} inside a character such as an emoji: moved to include the whole character.`);
  if (wholeSourceCodings > 0) notes.push(`${plural(wholeSourceCodings, 'coding applies', 'codings apply')} to a whole source: each became a coding of the whole text.`);
  if (codingNotes > 0) notes.push(`${plural(codingNotes, 'coding has', 'codings have')} notes: they were attached to the coded segment.`);
  if (sourceVariables > 0) notes.push(`${plural(sourceVariables, 'variable value belongs', 'variable values belong')} to a source rather than a case; Cartography keeps attributes on cases, so ${sourceVariables === 1 ? 'it was' : 'they were'} left out.`);

  return { documents, texts, segments, codings, memos, positions };
}
