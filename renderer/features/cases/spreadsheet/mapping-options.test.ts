import { describe, expect, it } from 'vitest';
import type { SheetColumn } from '../../../../shared/cases/spreadsheet-import.ts';
import { fieldOptions, parseCategoryValues, targetOf, targetValue, withMapping } from './mapping-options.ts';
import { numericCell } from './sheet-xlsx.ts';

const column: SheetColumn = { index: 2, header: ' Licence family ', samples: ['MIT', 'Custom'], detected: { type: 'category', categories: ['MIT', 'Custom'], reason: '2 distinct values' } };

describe('the mapping select of the import preview', () => {
  it('writes every target as a value and reads it back', () => {
    for (const target of [{ kind: 'skip' }, { kind: 'existing', attributeId: 'a1' }, { kind: 'field', field: 'openness.weights' }] as const) {
      expect(targetOf(targetValue(target), column)).toEqual(target);
    }
  });

  it('starts a new attribute from the column: its trimmed header, detected type and categories', () => {
    expect(targetOf('new', column)).toEqual({ kind: 'new', name: 'Licence family', type: 'category', values: ['MIT', 'Custom'] });
  });

  it('offers the fields of the record except the key that names the row', () => {
    expect(fieldOptions('participants').map((f) => f.field)).toEqual(['role', 'organisation', 'case', 'interviewDate']);
    expect(fieldOptions('cases').map((f) => f.field)).not.toContain('name');
    expect(fieldOptions('cases').map((f) => f.field)).toContain('description');
  });

  it('reads category values typed with commas or one per line, without blanks or repeats', () => {
    expect(parseCategoryValues('MIT, Custom,\n Apache 2.0 ,,MIT\n')).toEqual(['MIT', 'Custom', 'Apache 2.0']);
    expect(parseCategoryValues(' , \n')).toEqual([]);
  });

  it('replaces one column’s mapping and keeps the others', () => {
    const mappings = [
      { column: 0, target: { kind: 'field', field: 'name' } },
      { column: 1, target: { kind: 'skip' } },
    ] as const;
    expect(withMapping(mappings, 1, { kind: 'field', field: 'description' })).toEqual([mappings[0], { column: 1, target: { kind: 'field', field: 'description' } }]);
    expect(withMapping(mappings, 2, { kind: 'skip' })).toEqual([...mappings, { column: 2, target: { kind: 'skip' } }]);
  });
});

describe('numeric cells of the Excel export', () => {
  it('are numbers when the text is one, empty when blank, and the text otherwise', () => {
    expect(numericCell('1500')).toBe(1500);
    expect(numericCell('-2.5')).toBe(-2.5);
    expect(numericCell(' ')).toBeNull();
    expect(numericCell('about 250')).toBe('about 250');
  });
});
