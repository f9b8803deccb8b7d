/**
 * The columns of a sheet in the import preview: header, sample values, the detected type and
 * why, and what the column is imported as (skipped, an existing attribute, a new attribute whose
 * name, type and category values can be changed, or a field of the record). The key column
 * (case name or pseudonym) matches rows to records and is not mapped.
 */
import { useState } from 'react';
import type { ColumnMapping, ReadSheet, SheetColumn } from '../../../../shared/cases/spreadsheet-import.ts';
import { ATTRIBUTE_TYPES, type AttributeDef, type AttributeType } from '../../../../shared/model/types.ts';
import { fieldOptions, hasAttributes, parseCategoryValues, targetOf, targetValue, TYPE_LABELS, withMapping, type MappingTarget } from './mapping-options.ts';

interface Props {
  sheet: ReadSheet;
  attributes: readonly AttributeDef[];
  mappings: readonly ColumnMapping[];
  onChange: (mappings: ColumnMapping[]) => void;
}

const SKIP: MappingTarget = { kind: 'skip' };

export function ColumnMappings({ sheet, attributes, mappings, onChange }: Props) {
  const targetOfColumn = (column: number) => mappings.find((m) => m.column === column)?.target ?? SKIP;
  const set = (column: number, target: MappingTarget) => onChange(withMapping(mappings, column, target));
  return (
    <section aria-labelledby="sheet-import-columns">
      <h3 id="sheet-import-columns">Columns ({sheet.columns.length})</h3>
      <div className="table-scroll sheet-import-table" tabIndex={0} role="region" aria-label="Columns of the file">
        <table className="data-table sheet-columns" aria-labelledby="sheet-import-columns">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Sample values</th>
              <th scope="col">Detected type</th>
              <th scope="col">Import as</th>
            </tr>
          </thead>
          <tbody>
            {sheet.columns.map((column) => (
              <tr key={column.index} data-column={column.header}>
                <th scope="row">{column.header}</th>
                <td className="sheet-samples">{column.samples.length === 0 ? <span className="missing">all empty</span> : column.samples.join(', ')}</td>
                <td>
                  <span className="sheet-detected">{TYPE_LABELS[column.detected.type]}</span>
                  {column.detected.type === 'category' && column.detected.categories.length > 0 && <span className="cell-note">Values: {column.detected.categories.join(', ')}</span>}
                  <span className="cell-note">{column.detected.reason}</span>
                </td>
                <td>
                  {column.index === sheet.keyColumn ? (
                    <span className="sheet-key">{sheet.kind === 'cases' ? 'Case name: matches rows to cases' : 'Pseudonym: matches rows to participants'}</span>
                  ) : (
                    <TargetEditor column={column} kind={sheet.kind} attributes={attributes} target={targetOfColumn(column.index)} onChange={(target) => set(column.index, target)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TargetEditor({ column, kind, attributes, target, onChange }: { column: SheetColumn; kind: ReadSheet['kind']; attributes: readonly AttributeDef[]; target: MappingTarget; onChange: (target: MappingTarget) => void }) {
  const label = `Import column “${column.header}” as`;
  return (
    <div className="sheet-target">
      <select aria-label={label} value={targetValue(target)} onChange={(e) => onChange(targetOf(e.target.value, column))}>
        <option value="skip">Skip this column</option>
        {hasAttributes(kind) && (
          <>
            {attributes.length > 0 && (
              <optgroup label="Existing attribute">
                {attributes.map((a) => (
                  <option key={a.id} value={targetValue({ kind: 'existing', attributeId: a.id })}>
                    {a.name} ({TYPE_LABELS[a.type].toLowerCase()})
                  </option>
                ))}
              </optgroup>
            )}
            <option value="new">New attribute…</option>
          </>
        )}
        <optgroup label={kind === 'cases' ? 'Field of the case' : 'Field of the participant'}>
          {fieldOptions(kind).map((f) => (
            <option key={f.field} value={targetValue({ kind: 'field', field: f.field })}>
              {f.label}
            </option>
          ))}
        </optgroup>
      </select>
      {target.kind === 'new' && <NewAttributeFields header={column.header} target={target} onChange={onChange} />}
    </div>
  );
}

type NewTarget = Extract<MappingTarget, { kind: 'new' }>;

function NewAttributeFields({ header, target, onChange }: { header: string; target: NewTarget; onChange: (target: NewTarget) => void }) {
  // The values are typed as text and read on each change; the text itself stays as typed (a trailing comma included).
  const [valuesText, setValuesText] = useState(target.values.join(', '));
  return (
    <div className="sheet-new-attribute">
      <label>
        Name <input type="text" value={target.name} aria-label={`Name of the new attribute from column “${header}”`} onChange={(e) => onChange({ ...target, name: e.target.value })} />
      </label>
      <label>
        Type{' '}
        <select value={target.type} aria-label={`Type of the new attribute from column “${header}”`} onChange={(e) => onChange({ ...target, type: e.target.value as AttributeType })}>
          {ATTRIBUTE_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      {target.type === 'category' && (
        <label className="sheet-new-values">
          Values
          <textarea
            rows={2}
            value={valuesText}
            aria-label={`Category values of the new attribute from column “${header}”, separated by commas`}
            onChange={(e) => {
              setValuesText(e.target.value);
              onChange({ ...target, values: parseCategoryValues(e.target.value) });
            }}
          />
        </label>
      )}
    </div>
  );
}
