/**
 * A codebook as a REFI-QDA codebook exchange file (.qdc, namespace urn:QDA-XML:codebook:1.0),
 * which NVivo, MAXQDA, ATLAS.ti, QualCoder and Taguette read and write.
 *
 * Export: codes nested by parent (siblings by order), guid = the code's id, isCodable="true",
 * color #rrggbb, and Cartography's fields (definitions, typical and atypical examples with
 * their links to coded segments, stage, kind, mode, status) in the <Description> through
 * encodeDescription, so other tools show them as plain text. A code's history is not
 * written: imported codes come with an empty history, and the caller adds an entry saying
 * where they came from. Segment links come back as written; in another study they dangle,
 * which views show (the caller may also clear links to segments the study does not have).
 *
 * Import is lenient, as files from real tools demand: elements and attributes are matched on
 * local names (any prefix, any codebook namespace version); GUIDs may be upper case or in
 * braces; colours may be #rgb, #AARRGGBB or rgb(…); Taguette's flat `parent\child` names
 * become a hierarchy (unless the file comes from Cartography, whose names are written as
 * they are); isCodable="false" codes (categories in other tools) become ordinary codes, with
 * a warning. Problems refuse the whole file: no code is returned with any problem.
 */
import { codeColor } from '../model/colors.ts';
import { isGuid, normaliseGuid } from '../model/ids.ts';
import type { Code, Guid, IsoDate, Stage } from '../model/types.ts';
import { decodeDescription, encodeDescription } from './description.ts';
import { attribute, childElements, parseXml, textContent, XmlError, type XmlElement } from './xml.ts';
import { escapeXml } from '../formats/xml-escape.ts';

export const QDC_NAMESPACE = 'urn:QDA-XML:codebook:1.0';

export interface QdcExportOptions {
  /** Written as the CodeBook's origin, e.g. "Cartography 1.0". */
  origin: string;
}

export interface QdcImportOptions {
  newId: () => Guid;
  now: IsoDate;
  studyId: Guid;
  /** Recorded as the codes' creator. */
  coderId: Guid | null;
}

export interface QdcProblem {
  message: string;
  hint: string;
}

export interface QdcImportResult {
  /** In document order (each parent before its children), order = position; empty with problems. */
  codes: Code[];
  problems: QdcProblem[];
  warnings: string[];
}


/** The codebook as a .qdc document (XML 1.0, UTF-8, LF line ends, two-space indent). */
export function codebookToQdc(stages: readonly Stage[], codes: readonly Code[], options: QdcExportOptions): string {
  const stageNames = new Map(stages.map((s) => [s.id, s.name]));
  const ids = new Set(codes.map((c) => c.id));
  const children = new Map<Guid | null, Code[]>();
  const sorted = codes.map((code, index) => ({ code, index })).sort((a, b) => a.code.order - b.code.order || a.index - b.index);
  for (const { code } of sorted) {
    const parent = code.parentId !== null && ids.has(code.parentId) && code.parentId !== code.id ? code.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), code]);
  }
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<CodeBook xmlns="${QDC_NAMESPACE}" origin="${escapeXml(options.origin, true)}">`, '  <Codes>'];
  const written = new Set<Guid>();
  const write = (code: Code, depth: number): void => {
    if (written.has(code.id)) return; // a cycle in the parents: each code once
    written.add(code.id);
    const pad = '  '.repeat(depth);
    const color = /^#[0-9a-fA-F]{6}$/.test(code.color) ? ` color="${code.color}"` : '';
    const open = `${pad}<Code guid="${escapeXml(code.id, true)}" name="${escapeXml(code.name, true)}" isCodable="true"${color}>`;
    const description = encodeDescription({
      shortDefinition: code.shortDefinition,
      definition: code.definition,
      useWhen: code.useWhen,
      doNotUseWhen: code.doNotUseWhen,
      examples: code.examples,
      kind: code.kind,
      mode: code.mode,
      status: code.status,
      stage: code.stageId === null ? null : (stageNames.get(code.stageId) ?? null),
    });
    lines.push(open, `${pad}  <Description>${escapeXml(description, false)}</Description>`);
    for (const child of children.get(code.id) ?? []) write(child, depth + 1);
    lines.push(`${pad}</Code>`);
  };
  for (const code of children.get(null) ?? []) write(code, 2);
  // codes caught in a cycle of parents are still written, at the top level
  for (const { code } of sorted) write(code, 2);
  lines.push('  </Codes>', '</CodeBook>', '');
  return lines.join('\n');
}

const quoted = (s: string) => `“${s}”`;
const hex2 = (n: number) => Math.max(0, Math.min(255, Math.round(n))).toString(16).padStart(2, '0');

/** A colour in a form tools write, as #rrggbb; null when it cannot be read. */
export function readColor(raw: string): string | null {
  const value = raw.trim();
  let m = /^#?([0-9a-f]{6})$/i.exec(value);
  if (m) return `#${m[1]!.toLowerCase()}`;
  m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value);
  if (m) return `#${m[1]}${m[1]}${m[2]}${m[2]}${m[3]}${m[3]}`.toLowerCase();
  // ARGB, as .NET tools write it: the alpha channel is dropped
  m = /^#([0-9a-f]{2})([0-9a-f]{6})$/i.exec(value);
  if (m) return `#${m[2]!.toLowerCase()}`;
  m = /^rgba?\(\s*(\d{1,3}(?:\.\d+)?)\s*[,\s]\s*(\d{1,3}(?:\.\d+)?)\s*[,\s]\s*(\d{1,3}(?:\.\d+)?)\s*(?:[,/]\s*[\d.]+%?\s*)?\)$/i.exec(value);
  if (m) {
    const channels = [m[1], m[2], m[3]].map(Number);
    if (channels.every((c) => c <= 255)) return `#${channels.map(hex2).join('')}`;
  }
  return null;
}

interface RawCode {
  code: Code;
  children: RawCode[];
}

interface Node {
  code: Code;
  children: Node[];
}

const CONTROL_BYTES = /[\u0000-\u0008\u000E-\u001A\u001C-\u001F]/; // eslint-disable-line no-control-regex

/** Reads a .qdc document; with any problem no code is returned. */
export function codebookFromQdc(text: string, stages: readonly Stage[], options: QdcImportOptions): QdcImportResult {
  const refuse = (message: string, hint: string): QdcImportResult => ({ codes: [], problems: [{ message, hint }], warnings: [] });
  if (text.length === 0) return refuse('The file is empty (0 bytes).', 'Choose a codebook file (.qdc) exported from a qualitative-analysis program.');
  const binary = text.includes('\u0000') ? 'zero bytes' : CONTROL_BYTES.test(text) ? 'control characters' : text.includes('\uFFFD') ? 'bytes that are not UTF-8' : null;
  if (binary !== null) {
    return refuse(
      `The file does not look like text: it contains binary data (${binary}).`,
      'A .qdc codebook is an XML text file. Choose the codebook export (.qdc), not a project (.qdpx) or another file.',
    );
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') return refuse('The file contains only blank space: there is no codebook in it.', 'Choose a codebook file (.qdc) exported from a qualitative-analysis program.');

  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    return refuse(`The file is not well-formed XML: ${error.reason} at line ${error.line}, column ${error.column}.`, 'The file may be damaged or cut short. Export the codebook again, or fix the XML at that place.');
  }
  const codebook = root.local === 'CodeBook' ? root : childElements(root, 'CodeBook')[0];
  if (!codebook) return refuse(`The file has no <CodeBook> element: its root element is <${root.name}>.`, 'Choose a REFI-QDA codebook file (.qdc); its root element is <CodeBook>.');
  const codesElement = childElements(codebook, 'Codes')[0];
  if (!codesElement) return refuse('The <CodeBook> element has no <Codes> element.', 'Choose a REFI-QDA codebook file (.qdc) that holds codes.');

  const warnings: string[] = [];
  const namespace = Object.entries(root.attributes).find(([name]) => name === 'xmlns' || (name.startsWith('xmlns:') && root.name.startsWith(`${name.slice(6)}:`)))?.[1];
  if (namespace !== undefined && namespace !== QDC_NAMESPACE && namespace !== 'urn:QDA-XML:project:1.0') {
    warnings.push(/^urn:QDA-XML:(codebook|project)\b/i.test(namespace) ? `The file uses the namespace ${quoted(namespace)}: it was read as ${QDC_NAMESPACE}.` : `The file uses the namespace ${quoted(namespace)}, not ${QDC_NAMESPACE}: it was read as a REFI-QDA codebook.`);
  }
  const origin = attribute(codebook, 'origin') ?? '';
  const splitPaths = !/^Cartography\b/.test(origin);


  const problems: QdcProblem[] = [];
  const stagesByName = new Map(stages.map((s) => [s.name, s.id]));
  const stagesByFold = new Map(stages.map((s) => [s.name.trim().toLowerCase(), s.id]));
  const seen = new Map<Guid, string>();
  let defaultColors = 0;
  let withoutColor = 0;
  const base = { studyId: options.studyId, createdAt: options.now, modifiedAt: options.now, createdBy: options.coderId };

  const makeCode = (el: XmlElement): Code => {
    let name = (attribute(el, 'name') ?? '').replace(/\s+/g, ' ').trim();
    if (name === '') {
      name = 'Untitled code';
      warnings.push(`The code at line ${el.line} has no name: it was named ${quoted(name)}.`);
    }
    const rawGuid = (attribute(el, 'guid') ?? '').trim();
    const bare = rawGuid.replace(/^\{(.*)\}$/, '$1');
    let id: Guid;
    if (isGuid(bare)) {
      id = normaliseGuid(bare);
      const other = seen.get(id);
      if (other !== undefined) {
        problems.push({ message: `Two codes have the GUID ${id}: ${quoted(other)} and ${quoted(name)} (line ${el.line}).`, hint: 'Each code needs its own GUID. Export the codebook again from the original program, or give one of them a new GUID.' });
      }
      seen.set(id, name);
    } else {
      id = options.newId();
      warnings.push(rawGuid === '' ? `The code ${quoted(name)} has no GUID: it was given a new one.` : `The code ${quoted(name)} has the GUID ${quoted(rawGuid)}, which is not a GUID: it was given a new one.`);
    }
    const rawColor = attribute(el, 'color');
    let color = rawColor === undefined ? null : readColor(rawColor);
    if (rawColor !== undefined && color !== null && color !== rawColor.trim().toLowerCase()) warnings.push(`The colour ${quoted(rawColor)} of ${quoted(name)} was read as ${color}.`);
    if (color === null) {
      color = codeColor(defaultColors++);
      if (rawColor === undefined) withoutColor += 1;
      else warnings.push(`The colour ${quoted(rawColor)} of ${quoted(name)} cannot be read: the code was given ${color}.`);
    }
    const descriptionElement = childElements(el, 'Description')[0];
    const fields = decodeDescription(descriptionElement ? textContent(descriptionElement) : '');
    let stageId: Guid | null = null;
    if (fields.stage !== null) {
      stageId = stagesByName.get(fields.stage) ?? stagesByFold.get(fields.stage.trim().toLowerCase()) ?? null;
      if (stageId === null) warnings.push(`The stage ${quoted(fields.stage)} of ${quoted(name)} is not a stage of this study: the code was imported as cross-stage.`);
    }
    if (attribute(el, 'isCodable')?.trim() === 'false' || attribute(el, 'isCodable')?.trim() === '0') {
      warnings.push(`${quoted(name)} is a category (not codable) in the file: it was imported as a code you can apply, with its codes under it.`);
    }
    return {
      ...base,
      id,
      parentId: null,
      name,
      color,
      stageId,
      kind: fields.kind,
      mode: fields.mode,
      order: 0,
      shortDefinition: fields.shortDefinition,
      definition: fields.definition,
      useWhen: fields.useWhen,
      doNotUseWhen: fields.doNotUseWhen,
      examples: fields.examples,
      status: fields.status,
      history: [],
    };
  };

  // codes are made in document order, so default colours and warnings follow it
  const collect = (element: XmlElement): RawCode[] =>
    childElements(element, 'Code').map((child) => {
      const code = makeCode(child);
      return { code, children: collect(child) };
    });
  const rawTree = collect(codesElement);

  const intermediate = (name: string, child: string): Node => {
    const color = codeColor(defaultColors++);
    warnings.push(`The code ${quoted(name)} was created to hold ${quoted(child)}.`);
    return {
      code: { ...base, id: options.newId(), parentId: null, name, color, stageId: null, kind: 'other', mode: 'neutral', order: 0, shortDefinition: '', definition: '', useWhen: '', doNotUseWhen: '', examples: [], status: 'active', history: [] },
      children: [],
    };
  };

  /** Builds one level: flat `a\b` names are placed under the code named `a` at this level. */
  const buildLevel = (raws: RawCode[]): Node[] => {
    const level: Node[] = [];
    const plain = new Map<string, Node>();
    const nodes = raws.map((raw) => ({ raw, node: { code: raw.code, children: [] } as Node }));
    for (const { node } of nodes) if (!splitPaths || !node.code.name.includes('\\')) if (!plain.has(node.code.name)) plain.set(node.code.name, node);
    for (const { raw, node } of nodes) {
      node.children.push(...buildLevel(raw.children));
      const parts = node.code.name.split('\\').map((p) => p.trim()).filter((p) => p !== '');
      if (!splitPaths || parts.length < 2) {
        level.push(node);
        continue;
      }
      const full = node.code.name;
      node.code.name = parts.at(-1)!;
      let siblings = level;
      let lookup: Map<string, Node> = plain;
      let holder: Node | null = null;
      for (const part of parts.slice(0, -1)) {
        let next = lookup.get(part);
        if (!next) {
          next = intermediate(part, full);
          lookup.set(part, next);
        }
        if (!siblings.includes(next) && !(holder === null && nodes.some((n) => n.node === next))) siblings.push(next);
        holder = next;
        siblings = next.children;
        lookup = new Map(next.children.map((c) => [c.code.name, c]));
      }
      holder!.children.push(node);
    }
    return level;
  };
  const tree = buildLevel(rawTree);

  if (withoutColor > 0) warnings.push(withoutColor === 1 ? 'One code has no colour: it was given a default colour.' : `${withoutColor} codes have no colour: they were given default colours.`);
  if (rawTree.length === 0) warnings.push('The codebook has no codes.');
  if (problems.length > 0) return { codes: [], problems, warnings };

  const codes: Code[] = [];
  const flatten = (nodes: Node[], parentId: Guid | null) => {
    for (const node of nodes) {
      node.code.parentId = parentId;
      node.code.order = codes.length;
      codes.push(node.code);
      flatten(node.children, node.code.id);
    }
  };
  flatten(tree, null);
  return { codes, problems: [], warnings };
}
