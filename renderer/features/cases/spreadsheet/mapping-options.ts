/**
 * The mapping select of the import preview, as plain data: which targets a column of a
 * case or participant sheet can have, how each is written as the select's value, and how a
 * choice turns back into a ColumnMapping. Kept apart from the dialog so the rules read in one place.
 */
import { SHEET_FIELDS, type ColumnMapping, type SheetColumn, type SheetKind } from '../../../../shared/cases/spreadsheet-import.ts';
import type { AttributeType } from '../../../../shared/model/types.ts';

export type MappingTarget = ColumnMapping['target'];

/**
 * The fields a column other than the key column can fill, with their labels: the planner's list
 * without the key field (the case name or pseudonym), which names the row and is not remapped here.
 */
export function fieldOptions(kind: SheetKind): readonly { field: string; label: string }[] {
  const key = kind === 'cases' ? 'name' : 'pseudonym';
  return SHEET_FIELDS[kind].filter((f) => f.field !== key);
}

export const TYPE_LABELS: Record<AttributeType, string> = { text: 'Text', number: 'Number', boolean: 'Yes / no', date: 'Date', category: 'Category' };

/** Only cases have attributes; participant sheets map to participant fields. */
export const hasAttributes = (kind: SheetKind) => kind === 'cases';

/** The select's value for a target. */
export function targetValue(target: MappingTarget): string {
  switch (target.kind) {
    case 'skip':
      return 'skip';
    case 'new':
      return 'new';
    case 'existing':
      return `existing:${target.attributeId}`;
    case 'field':
      return `field:${target.field}`;
  }
}

/**
 * The target a select value stands for. Choosing "new attribute" starts from the column:
 * its header as the name, its detected type and categories, all of which the researcher can change.
 */
export function targetOf(value: string, column: SheetColumn): MappingTarget {
  if (value === 'new') return { kind: 'new', name: column.header.trim(), type: column.detected.type, values: [...column.detected.categories] };
  if (value.startsWith('existing:')) return { kind: 'existing', attributeId: value.slice('existing:'.length) };
  if (value.startsWith('field:')) return { kind: 'field', field: value.slice('field:'.length) };
  return { kind: 'skip' };
}

/** Category values as typed in the preview: one per line or comma-separated, trimmed, blanks and repeats dropped. */
export function parseCategoryValues(text: string): string[] {
  const seen = new Set<string>();
  const values: string[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const value = raw.trim();
    if (value === '' || seen.has(value)) continue;
    seen.add(value);
    values.push(value);
  }
  return values;
}

/** Replaces one column's mapping, keeping the others. */
export const withMapping = (mappings: readonly ColumnMapping[], column: number, target: MappingTarget): ColumnMapping[] =>
  mappings.some((m) => m.column === column) ? mappings.map((m) => (m.column === column ? { column, target } : m)) : [...mappings, { column, target }];
