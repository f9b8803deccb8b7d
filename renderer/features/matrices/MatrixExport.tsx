import { useRef, useState } from 'react';
import type { Matrix } from '../../../shared/analysis/matrix-types.ts';
import { matrixToCsv, matrixToSvg, matrixToTsv } from '../../../shared/formats/matrix-export.ts';
import { useNotices } from '../../components/Notices.tsx';
import { platform } from '../../platform/platform.ts';
import { svgToPng } from './image-export.ts';
import { matricesToXlsx, type MatrixSheet } from './xlsx.ts';
import { fileStem as safeStem } from '../../../shared/text/file-stem.ts';

const FORMATS = {
  csv: { label: 'CSV', extension: 'csv', filter: 'Spreadsheet (CSV)' },
  xlsx: { label: 'Excel (.xlsx)', extension: 'xlsx', filter: 'Excel workbook' },
  svg: { label: 'SVG image', extension: 'svg', filter: 'SVG image' },
  png: { label: 'PNG image', extension: 'png', filter: 'PNG image' },
} as const;
type Format = keyof typeof FORMATS;
type Action = Format | 'copy';

export interface MatrixExportProps {
  matrix: Matrix;
  /** The file name without extension ("cases-by-codes"); cleaned of characters file systems refuse. */
  fileStem: string;
  /** The image's title line and the first sheet's name. */
  title: string;
  /** More matrices to write into the same workbook, a sheet each (the Excel export only). */
  extraSheets?: MatrixSheet[];
  /** Adds a Total column and row to CSV and copied text. */
  totals?: boolean;
  /** Names stages for the image's grouped header band. */
  stageName?: (stageId: string) => string | undefined;
}


const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * Puts text on the clipboard: the Clipboard API where the page may use it, else the older
 * way, a selected off-screen textarea and the copy command (the desktop shell grants pages no
 * clipboard permission, and the copy command runs in the click that asked for it).
 */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall through to the copy command
  }
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.tabIndex = -1;
  Object.assign(area.style, { position: 'fixed', top: '0', left: '-10000px', width: '1px', height: '1px', opacity: '0' });
  document.body.append(area);
  try {
    area.select();
    area.setSelectionRange(0, text.length);
    if (!document.execCommand('copy')) throw new Error('The browser refused to copy to the clipboard.');
  } finally {
    area.remove();
    active?.focus();
  }
}

/** The matrix out of Cartography: a spreadsheet (CSV, Excel), an image (SVG, PNG), or text to paste. */
export function MatrixExport({ matrix, fileStem, title, extraSheets = [], totals = false, stageName }: MatrixExportProps) {
  const { notify } = useNotices();
  const [busy, setBusy] = useState<Action | null>(null);
  const running = useRef(false);

  const bytesFor = async (format: Format): Promise<Uint8Array> => {
    switch (format) {
      case 'csv':
        return new TextEncoder().encode(matrixToCsv(matrix, { totals }));
      case 'xlsx':
        return matricesToXlsx([{ name: title, matrix }, ...extraSheets]);
      case 'svg':
        return new TextEncoder().encode(matrixToSvg(matrix, { title, legend: true, ...(stageName ? { stageName } : {}) }));
      case 'png':
        return svgToPng(matrixToSvg(matrix, { title, legend: true, ...(stageName ? { stageName } : {}) }));
    }
  };

  const run = async (action: Action) => {
    if (running.current) return;
    running.current = true;
    setBusy(action);
    try {
      if (action === 'copy') {
        try {
          await copyText(matrixToTsv(matrix, { totals }));
          notify('info', `Copied ${plural(matrix.rows.length, 'row', 'rows')} × ${plural(matrix.columns.length, 'column', 'columns')}`, 'Tab-separated: paste it into a spreadsheet.');
        } catch (error) {
          notify('error', 'The matrix could not be copied', `${(error as Error).message} Nothing was put on the clipboard.`);
        }
        return;
      }
      const { label, extension, filter } = FORMATS[action];
      try {
        const bytes = await bytesFor(action);
        const result = await platform.saveFile({
          title: 'Export matrix',
          suggestedName: `${safeStem(fileStem, 'matrix')}.${extension}`,
          filters: [{ name: filter, extensions: [extension] }],
          bytes,
        });
        if (result.saved) notify('info', `Exported the matrix as ${label}`, result.path ?? 'Saved to your downloads.');
      } catch (error) {
        notify('error', `The matrix could not be exported as ${label}`, `${(error as Error).message} Nothing was saved.`);
      }
    } finally {
      running.current = false;
      setBusy(null);
    }
  };

  const actions: { action: Action; label: string }[] = [
    ...(Object.keys(FORMATS) as Format[]).map((format) => ({ action: format, label: FORMATS[format].label })),
    { action: 'copy', label: 'Copy' },
  ];
  return (
    <div className="toolbar" role="group" aria-label="Export the matrix" aria-busy={busy !== null}>
      <span className="hint">Export:</span>
      {actions.map(({ action, label }) => (
        <button
          key={action}
          type="button"
          aria-disabled={busy !== null}
          title={action === 'copy' ? 'Copy as tab-separated text, to paste into a spreadsheet' : undefined}
          onClick={() => void run(action)}
        >
          {busy === action ? `${label}…` : label}
        </button>
      ))}
    </div>
  );
}
