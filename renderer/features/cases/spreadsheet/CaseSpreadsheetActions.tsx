/**
 * The spreadsheet exchange of the Cases area: import case attributes or participants from a
 * CSV file (through a preview, SheetImportDialog), and export the case or participant table as
 * CSV or Excel. Files come and go through the platform bridge only.
 */
import { useRef, useState } from 'react';
import { casesToRows, participantsToRows, rowsToCsv } from '../../../../shared/cases/spreadsheet-export.ts';
import { readSheet, SheetError, type SheetKind } from '../../../../shared/cases/spreadsheet-import.ts';
import type { Guid } from '../../../../shared/model/types.ts';
import type { OpenedFile } from '../../../../shared/platform/bridge.ts';
import { useNotices } from '../../../components/Notices.tsx';
import { loadSheetBasis } from '../../../data/case-import.ts';
import type { StudyCore } from '../../../data/hooks.ts';
import { db } from '../../../data/instance.ts';
import { platform } from '../../../platform/platform.ts';
import { SheetImportDialog, type LoadedSheet } from './SheetImportDialog.tsx';
import { rowsToXlsx } from './sheet-xlsx.ts';
import './case-spreadsheet.css';
import { fileStem } from '../../../../shared/text/file-stem.ts';

const FORMATS = {
  csv: { label: 'Export CSV', extension: 'csv', filter: 'Spreadsheet (CSV)', done: 'CSV' },
  xlsx: { label: 'Export Excel', extension: 'xlsx', filter: 'Excel workbook', done: 'Excel (.xlsx)' },
} as const;
type Format = keyof typeof FORMATS;

const NOUN: Record<SheetKind, { table: string; sheet: string; importTitle: string }> = {
  cases: { table: 'case table', sheet: 'Cases', importTitle: 'Import case attributes' },
  participants: { table: 'participant table', sheet: 'Participants', importTitle: 'Import participants' },
};


/** The name an export is offered under: the study's name, then what the table holds. */
const exportFileName = (studyName: string, kind: SheetKind, extension: string) => `${fileStem(studyName)}-${kind}.${extension}`;

/** Reads a picked file against the study as it is now; a refused file is kept with its message to show. */
async function load(picked: OpenedFile, studyId: Guid, kind: SheetKind): Promise<LoadedSheet> {
  const basis = await loadSheetBasis(db, studyId);
  const now = new Date().toISOString();
  try {
    return { state: 'read', picked, sheet: readSheet(picked.name, picked.bytes, kind), basis, now };
  } catch (error) {
    if (error instanceof SheetError) return { state: 'refused', picked, fileName: picked.name, message: error.message };
    throw error;
  }
}

/** Buttons for the Cases area's toolbar: import from a spreadsheet, export CSV, export Excel. */
export function CaseSpreadsheetActions({ core, kind }: { core: StudyCore; kind: SheetKind }) {
  const { notify } = useNotices();
  const [loaded, setLoaded] = useState<LoadedSheet | null>(null);
  const [reading, setReading] = useState(false);
  const [exporting, setExporting] = useState<Format | null>(null);
  const running = useRef(false);
  const studyId = core.study.id;
  const noun = NOUN[kind];

  const choose = async () => {
    if (reading) return; // the button stays enabled while a file is read, so it keeps the focus the dialog gives back
    setReading(true);
    try {
      const [picked] = await platform.openFiles({ title: noun.importTitle, filters: [{ name: 'Spreadsheet (CSV)', extensions: ['csv', 'txt'] }], multiple: false });
      if (picked) setLoaded(await load(picked, studyId, kind));
    } catch (error) {
      notify('error', 'The spreadsheet could not be read; nothing was changed.', (error as Error).message);
    } finally {
      setReading(false);
    }
  };

  const save = async (format: Format) => {
    if (running.current) return;
    running.current = true;
    setExporting(format);
    const { extension, filter, done } = FORMATS[format];
    try {
      const records = await loadSheetBasis(db, studyId);
      const rows = kind === 'cases' ? casesToRows(records) : participantsToRows(records);
      const header = rows[0] ?? [];
      // Number attributes become numbers in the workbook, so a spreadsheet sums and sorts them.
      const numeric = new Set(kind === 'cases' ? records.attributes.filter((a) => a.type === 'number').map((a) => header.indexOf(a.name)).filter((i) => i >= 0) : []);
      const bytes = format === 'csv' ? new TextEncoder().encode(rowsToCsv(rows)) : await rowsToXlsx(rows, noun.sheet, numeric);
      const result = await platform.saveFile({
        title: `Export the ${noun.table}`,
        suggestedName: exportFileName(core.study.name, kind, extension),
        filters: [{ name: filter, extensions: [extension] }],
        bytes,
      });
      if (result.saved) notify('info', `Exported the ${noun.table} as ${done}`, result.path ?? 'Saved to your downloads.');
    } catch (error) {
      notify('error', `The ${noun.table} could not be exported as ${done}`, `${(error as Error).message} Nothing was saved.`);
    } finally {
      running.current = false;
      setExporting(null);
    }
  };

  return (
    <div className="toolbar case-spreadsheet" role="group" aria-label={`Spreadsheet exchange of the ${noun.table}`}>
      <button type="button" onClick={() => void choose()} aria-busy={reading}>
        Import from spreadsheet…
      </button>
      {(Object.keys(FORMATS) as Format[]).map((format) => (
        <button key={format} type="button" aria-disabled={exporting !== null} onClick={() => void save(format)}>
          {exporting === format ? `${FORMATS[format].label}…` : FORMATS[format].label}
        </button>
      ))}
      {loaded && (
        <SheetImportDialog
          loaded={loaded}
          studyId={studyId}
          coderId={core.study.activeCoderId}
          title={noun.importTitle}
          onReload={async () => setLoaded(await load(loaded.picked, studyId, kind))}
          onClose={() => setLoaded(null)}
        />
      )}
    </div>
  );
}
