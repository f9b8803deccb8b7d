/**
 * A REFI-QDA project (.qdpx package, or a bare project.qde) as the records of a new study.
 * Pure: bytes in, records out. The reverse of qde-export.ts, and lenient where real tools
 * differ: any one *.qde at the package root (ATLAS.ti names it after the project), a
 * sources folder in any letter case (NVivo for Windows writes `Sources/`), elements and
 * attributes matched on local names, GUIDs in any case or in braces (stored lower case, so
 * references still resolve), text inline (PlainTextContent), in a text file (UTF-8, or UTF-16
 * with a BOM; CRLF line ends) or only in a .docx.
 *
 * What becomes what (GUIDs are kept, so a later import can merge by GUID):
 * - Users → coders. Codes (nested) → codes with their parent; Cartography's fields come back
 *   from the Description (decodeDescription), other tools' descriptions become the definition.
 * - Sets → lifecycle stages when they are Cartography's (sets of codes only, from a Cartography
 *   project or named as a stage in a code's description); a code's stage is the stage set it
 *   is a member of. Other sets are reported and left out.
 * - Variables → case attributes; Cases → cases with their values; a case's SourceRef (or
 *   MemberSource) → the document's case.
 * - TextSources → documents; PlainTextSelections → segments (one per span: selections of the
 *   same span share a segment), their Codings → codings; a selection's Description (ATLAS.ti's
 *   quotation comment) → a memo on the segment; a Coding directly in a source → a coding of
 *   the whole text.
 * - Notes → memos on what refers to them (NoteRef in the Project, a source, a selection, a
 *   code), or on the case a Link from the note points at; the "Position override: v in Stage"
 *   links Cartography writes become position overrides again. Links between two cases → ties
 *   between actors that stand for those cases. Other links are reported and left out.
 *
 * Problems that make the file unreadable or the data wrong are fatal and all reported together
 * with where they are (entry, line and column, element and GUID): nothing is returned then.
 * Everything else that was skipped or decided is said in `notes`.
 */
import { QDC_NAMESPACE } from '../codebook/qdc.ts';
import { childElements, parseXml, XmlError, type XmlElement } from '../codebook/xml.ts';
import { buildStudy } from './qde-import-build.ts';
import { child, descendants, quoted, REEXPORT, RefiImportError, SELECTION_TYPES, within, type QdpxCounts, type QdpxImport, type QdpxReadOptions, type SourceFiles } from './qde-import-common.ts';
import { QDE_NAMESPACE } from './qde-export.ts';
import { decodeSourceText } from './qde-import-text.ts';
import { openZip, ZipReadError, type ZipArchive, type ZipLimits } from './zip-read.ts';

export { RefiImportError, readGuid, derivedGuid, type QdpxCounts, type QdpxImport, type QdpxReadOptions, type RefiProblem } from './qde-import-common.ts';

/** Decodes the XML bytes (UTF-8, or UTF-16 with a BOM). */
function xmlText(xml: string | Uint8Array, entry: string, fileName: string): string {
  if (typeof xml === 'string') return xml;
  const decoded = decodeSourceText(xml, `The project file ${quoted(entry)} in ${quoted(fileName)}`);
  if ('problem' in decoded) throw new RefiImportError(fileName, [{ where: entry, message: decoded.problem }]);
  return decoded.text;
}

/** Parses the project XML and checks it is a REFI-QDA project; returns the Project element and notes. */
function parseProject(text: string, entry: string, fileName: string): { project: XmlElement; notes: string[] } {
  let root: XmlElement;
  try {
    root = parseXml(text, { refuseEntityDeclarations: true });
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    const where = `${entry}, line ${error.line}, column ${error.column}`;
    if (error.kind === 'entity-declaration') {
      throw new RefiImportError(fileName, [
        {
          where,
          message: `${quoted(fileName)} declares XML entities in a DOCTYPE (${where}). REFI-QDA projects never need them, and they can make a reader fetch files from this computer or blow a few bytes up into gigabytes, so Cartography refuses the file. ${REEXPORT}`,
        },
      ]);
    }
    throw new RefiImportError(fileName, [{ where, message: `${quoted(fileName)} is not well-formed XML: ${error.reason} (${where}). The file is damaged or was not written by a QDA program. ${REEXPORT}` }]);
  }
  const prefix = root.name.includes(':') ? root.name.slice(0, root.name.indexOf(':')) : null;
  const namespace = root.attributes[prefix === null ? 'xmlns' : `xmlns:${prefix}`];
  const where = `${entry}, line ${root.line}, column ${root.column}`;
  if (root.local === 'CodeBook' || namespace === QDC_NAMESPACE || namespace?.startsWith('urn:QDA-XML:codebook:')) {
    throw new RefiImportError(fileName, [{ where, message: `${quoted(fileName)} is a REFI-QDA codebook, not a project: use Import codebook (in the Codebook area) to read its codes.` }]);
  }
  if (root.local !== 'Project') {
    throw new RefiImportError(fileName, [{ where, message: `${quoted(fileName)} is not a REFI-QDA project: its root element is <${root.name}>, where a project has <Project> (namespace ${QDE_NAMESPACE}). Check that you picked the right file.` }]);
  }
  const notes: string[] = [];
  if (namespace === undefined) notes.push(`The project declares no namespace: it was read as a REFI-QDA project (${QDE_NAMESPACE}).`);
  else if (namespace !== QDE_NAMESPACE) {
    if (!namespace.startsWith('urn:QDA-XML:project:')) {
      throw new RefiImportError(fileName, [
        { where, message: `${quoted(fileName)} is not a REFI-QDA project: its <Project> element is in the namespace ${quoted(namespace)}, where a project uses ${QDE_NAMESPACE}. Check that you picked the right file.` },
      ]);
    }
    notes.push(`The project uses the namespace ${quoted(namespace)}: it was read as ${QDE_NAMESPACE}.`);
  }
  return { project: root, notes };
}

/** What the parsed project holds, counted as written. */
function countProject(project: XmlElement): QdpxCounts {
  const count = (section: string, local: string) => within(project, section, local).length;
  const codebook = child(project, 'CodeBook');
  const sources = child(project, 'Sources');
  let selections = 0;
  let codings = 0;
  for (const el of sources ? descendants(sources) : []) {
    if (SELECTION_TYPES.has(el.local)) selections += 1;
    else if (el.local === 'Coding') codings += 1;
  }
  return {
    codes: codebook ? [...descendants(codebook)].filter((el) => el.local === 'Code').length : 0,
    sources: sources ? childElements(sources).length : 0,
    cases: count('Cases', 'Case'),
    variables: count('Variables', 'Variable'),
    selections,
    codings,
    users: count('Users', 'User'),
    notes: count('Notes', 'Note'),
    links: count('Links', 'Link'),
    sets: count('Sets', 'Set'),
  };
}

/** The counts of a project file, without building records (for `cartography stats`). Throws RefiImportError. */
export function countQde(xml: string | Uint8Array, fileName: string): QdpxCounts {
  const { project } = parseProject(xmlText(xml, fileName, fileName), fileName, fileName);
  return countProject(project);
}

/** The counts of a .qdpx package: unpacks only its project file. Throws RefiImportError. */
export function countQdpx(bytes: Uint8Array, fileName: string, limits: Partial<ZipLimits> = {}): QdpxCounts {
  const zip = openPackage(bytes, fileName, limits);
  const entry = projectEntry(zip, fileName);
  return countQde(guarded(fileName, () => zip.read(entry)), `${fileName}: ${entry}`);
}

function guarded<T>(fileName: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ZipReadError) throw new RefiImportError(fileName, [{ where: error.entry ?? fileName, message: error.message }]);
    throw error;
  }
}

function openPackage(bytes: Uint8Array, fileName: string, limits: Partial<ZipLimits>): ZipArchive {
  return guarded(fileName, () => openZip(bytes, fileName, limits));
}

/** The one *.qde at the root of the package. */
function projectEntry(zip: ZipArchive, fileName: string): string {
  const found = zip.entries.map((e) => e.name).filter((name) => !name.includes('/') && /\.qde$/i.test(name));
  if (found.length === 0) {
    throw new RefiImportError(fileName, [
      { where: fileName, message: `${quoted(fileName)} is a ZIP package but not a REFI-QDA project: it has no project file (*.qde) at its root. Check that you picked a .qdpx exported by a QDA program.` },
    ]);
  }
  if (found.length > 1) {
    throw new RefiImportError(fileName, [
      { where: fileName, message: `${quoted(fileName)} holds ${found.length} project files at its root (${found.map(quoted).join(', ')}), and a REFI-QDA package holds exactly one, so it is not clear which to import. ${REEXPORT}` },
    ]);
  }
  return found[0]!;
}

/** The package's entries, unpacked only when asked for (media files are never read). */
function lazyEntries(zip: ZipArchive, fileName: string, skip: string): SourceFiles {
  const names = new Set(zip.entries.map((e) => e.name).filter((n) => n !== skip));
  const cache = new Map<string, Uint8Array>();
  return {
    keys: () => names.values(),
    has: (name) => names.has(name),
    get: (name) => {
      if (!names.has(name)) return undefined;
      let bytes = cache.get(name);
      if (!bytes) cache.set(name, (bytes = guarded(fileName, () => zip.read(name))));
      return bytes;
    },
  };
}

/** Reads a .qdpx package into the records of a new study; throws RefiImportError. */
export async function readQdpx(bytes: Uint8Array, fileName: string, options: QdpxReadOptions): Promise<QdpxImport> {
  const zip = openPackage(bytes, fileName, options.limits ?? {});
  const entry = projectEntry(zip, fileName);
  const xml = guarded(fileName, () => zip.read(entry));
  return readProject(xml, fileName, entry, lazyEntries(zip, fileName, entry), options);
}

/**
 * Reads a project file into the records of a new study; `sources` are the package's other
 * entries by path (empty for a bare .qde, whose sources must then be inline). Throws RefiImportError.
 */
export async function readQde(xml: string | Uint8Array, fileName: string, sources: ReadonlyMap<string, Uint8Array>, options: QdpxReadOptions): Promise<QdpxImport> {
  return readProject(xml, fileName, fileName, sources, options);
}

async function readProject(xml: string | Uint8Array, fileName: string, entry: string, files: SourceFiles, options: QdpxReadOptions): Promise<QdpxImport> {
  const text = xmlText(xml, entry, fileName);
  const { project, notes: namespaceNotes } = parseProject(text, entry, fileName);
  return buildStudy({ project, xmlText: text, fileName, entry, files, options, notes: namespaceNotes, counts: countProject(project) });
}

