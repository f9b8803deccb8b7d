/**
 * The column mapping of one CSV file: which column holds the words, the speaker, the time,
 * the document, case, participant and codes, with the first rows to check the choice against.
 */
import { CSV_FIELDS, type CsvField, type CsvMapping as Mapping, type CsvPreview } from '../../../shared/import/csv.ts';

export const CSV_FIELD_LABELS: Record<CsvField, string> = {
  text: 'Text (the words spoken)',
  speaker: 'Speaker',
  time: 'Timestamp',
  document: 'Document',
  case: 'Case',
  participant: 'Participant',
  codes: 'Codes',
};

const PREVIEW_ROWS = 5;
const NONE = '';

export function CsvMapping({ fileName, preview, mapping, onChange }: { fileName: string; preview: CsvPreview; mapping: Mapping; onChange: (mapping: Mapping) => void }) {
  const fieldOf = new Map(CSV_FIELDS.filter((f) => mapping[f] !== null).map((f) => [mapping[f]!, f]));
  return (
    <fieldset className="csv-mapping">
      <legend>
        {fileName} <span className="cell-note inline">{preview.rowCount} rows, separated by “{preview.delimiter === '\t' ? 'tab' : preview.delimiter}”</span>
      </legend>
      <div className="csv-fields">
        {CSV_FIELDS.map((field) => (
          <label key={field} className="field">
            <span>{CSV_FIELD_LABELS[field]}</span>
            <select
              aria-label={`${field === 'text' ? 'Text' : CSV_FIELD_LABELS[field]} column of ${fileName}`}
              value={mapping[field] ?? NONE}
              onChange={(e) => {
                const column = e.target.value === NONE ? null : e.target.value;
                const next = { ...mapping, [field]: column };
                // a column means one thing: take it away from the field that had it
                for (const other of CSV_FIELDS) if (other !== field && column !== null && next[other] === column) next[other] = null;
                onChange(next);
              }}
            >
              <option value={NONE}>{field === 'text' ? '— choose a column —' : '— not in this file —'}</option>
              {preview.columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {mapping.text === null && (
        <p className="import-warning" role="alert">
          No column is chosen for the text, so “{fileName}” will not be imported. Choose the column that holds the words spoken.
        </p>
      )}
      <div className="table-scroll csv-preview" tabIndex={0} role="region" aria-label={`First rows of ${fileName}`}>
        <table className="data-table">
          <thead>
            <tr>
              {preview.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                  <span className="cell-note">{fieldOf.has(c) ? `→ ${CSV_FIELD_LABELS[fieldOf.get(c)!].replace(/ \(.*\)$/, '')}` : 'not imported'}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.slice(0, PREVIEW_ROWS).map((row, i) => (
              <tr key={i}>
                {preview.columns.map((c, j) => (
                  <td key={c} className={fieldOf.has(c) ? undefined : 'unmapped'}>
                    {clip(row[j] ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.rowCount > PREVIEW_ROWS && <p className="hint">First {PREVIEW_ROWS} of {preview.rowCount} rows shown.</p>}
    </fieldset>
  );
}

function clip(value: string): string {
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}
