/**
 * A study as a REFI-QDA project exchange file (.qdpx): a zip holding project.qde and the
 * sources' texts under sources/ (UTF-8). Entries are deflated and carry one fixed
 * modification time, so the same records give the same bytes.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { StudyRecords } from '../model/types.ts';
import { studyToQde, type QdeExportOptions } from './qde-export.ts';

/**
 * The entries' modification time, 2000-01-01 12:00. Zip stores local date and time fields,
 * and fflate reads them with the local getters: a date built from local components gives
 * the same fields in every time zone.
 */
const FIXED_TIME = (): Date => new Date(2000, 0, 1, 12, 0, 0);

/** The .qdpx bytes; `omitted` says what the project could not carry (see studyToQde). */
export function studyToQdpxWithReport(records: StudyRecords, options: QdeExportOptions): { bytes: Uint8Array; omitted: string[] } {
  const { xml, sources, omitted } = studyToQde(records, options);
  const mtime = FIXED_TIME();
  const files: Zippable = { 'project.qde': [strToU8(xml), { mtime }] };
  for (const source of sources) files[source.path] = [strToU8(source.text), { mtime }];
  return { bytes: zipSync(files, { level: 6 }), omitted };
}

/** The .qdpx bytes: project.qde and sources/<GUID>.txt. */
export function studyToQdpx(records: StudyRecords, options: QdeExportOptions): Uint8Array {
  return studyToQdpxWithReport(records, options).bytes;
}
