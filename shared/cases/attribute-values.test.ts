import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeDef, AttributeType } from '../model/types.ts';
import { checkAttributeValue, detectType, formatAttributeValue, parseAttributeValue } from './attribute-values.ts';

const def = (type: AttributeType, values: string[] = []): Pick<AttributeDef, 'name' | 'type' | 'values'> => ({ name: 'Licence', type, values });

describe('detectType', () => {
  it('reads whole numbers and says how many', () => {
    const cells = ['420', '150', '60', '120', '12', '1500', '3000', '300', '90', '50', '40', '20', '80', '250'];
    expect(detectType(cells)).toEqual({ type: 'number', categories: [], reason: '14 of 14 values are whole numbers.' });
  });

  it('reads decimals, negatives and exponents as numbers, ignoring empty cells', () => {
    expect(detectType(['12.5', '-3', '', '  ', '1e3', '+4', '.5'])).toEqual({ type: 'number', categories: [], reason: '5 of 5 values are numbers.' });
  });

  it('refuses to guess what a comma in a number means', () => {
    const detected = detectType(['1,234', '56', '7']);
    expect(detected.type).toBe('text');
    expect(detected.reason).toBe('“1,234” could be a number with a thousands separator or with a decimal comma, so the column is read as text. Write numbers without separators and with a point for decimals (1234, 12.5) to import them as numbers.');
    expect(detectType(['12,5', '3,25']).type).toBe('text');
  });

  it('reads yes/no and true/false in any letter case as yes/no', () => {
    expect(detectType(['Yes', 'no', 'YES', 'y'])).toEqual({ type: 'boolean', categories: [], reason: '4 of 4 values are yes/no answers (yes, no, y).' });
    expect(detectType(['TRUE', 'false'])).toMatchObject({ type: 'boolean' });
  });

  it('reads a column of only 0 and 1 as yes/no, and says to choose Number for counts', () => {
    expect(detectType(['0', '1', '1', ''])).toEqual({ type: 'boolean', categories: [], reason: '3 of 3 values are 0 or 1, read as no/yes; choose Number if they are counts.' });
    expect(detectType(['0', '1', '2']).type).toBe('number');
    // Mixing word and digit answers is not one way of writing yes/no.
    expect(detectType(['yes', '1', 'no', '0', 'yes', '1', 'no', '0']).type).toBe('category');
  });

  it('reads yyyy-mm-dd dates, and not impossible days', () => {
    expect(detectType(['2024-02-01', '2023-12-21'])).toEqual({ type: 'date', categories: [], reason: '2 of 2 values are dates written yyyy-mm-dd.' });
    expect(detectType(['2024-02-30', '2023-12-21']).type).toBe('text');
  });

  it('reads slashed dates when one of them shows the order, and says which', () => {
    expect(detectType(['25/03/2024', '03/04/2024'])).toEqual({ type: 'date', categories: [], dateOrder: 'dmy', reason: '2 of 2 values are dates; they are written day/month/year, as “25/03/2024” shows.' });
    expect(detectType(['03/25/2024', '03/04/2024'])).toMatchObject({ type: 'date', dateOrder: 'mdy' });
  });

  it('keeps slashed dates as text when every one reads both ways, or the column mixes the orders', () => {
    expect(detectType(['03/04/2024', '01/02/2023'])).toEqual({
      type: 'text',
      categories: [],
      reason: 'The dates can be read day first or month first (“03/04/2024” is 3 April 2024 or 4 March 2024), so the column is read as text. Write them yyyy-mm-dd to import them as dates.',
    });
    expect(detectType(['25/03/2024', '03/25/2024']).type).toBe('text');
  });

  it('reads few repeated values as a category, in the order they first appear', () => {
    const cells = ['Apache-2.0', 'OpenRAIL', 'Apache-2.0', 'Custom', 'OpenRAIL', 'Apache-2.0'];
    expect(detectType(cells)).toEqual({ type: 'category', categories: ['Apache-2.0', 'OpenRAIL', 'Custom'], reason: '3 distinct values in 6 filled cells (each used 2 times on average): a category.' });
  });

  it('reads values that are mostly different, or long, as text', () => {
    expect(detectType(['a', 'b', 'c', 'a'])).toEqual({ type: 'text', categories: [], reason: '3 distinct values in 4 filled cells: free text.' });
    const sentence = 'A community of volunteers that trains models for their own language';
    expect(detectType([sentence, sentence, sentence]).type).toBe('text');
    expect(detectType(Array.from({ length: 13 }, (_, i) => [`v${i}`, `v${i}`]).flat()).type).toBe('text');
    expect(detectType(['12', 'about 40', '7']).reason).toBe('1 value of 3 is not a number (such as “about 40”): text.');
  });

  it('says when a column has no values at all', () => {
    expect(detectType(['', ' '])).toEqual({ type: 'text', categories: [], reason: 'The column has no values, so nothing shows its type: text is assumed.' });
  });
});

describe('parseAttributeValue', () => {
  it('reads an empty cell as no value, whatever the type', () => {
    for (const type of ['text', 'number', 'boolean', 'date', 'category'] as const) expect(parseAttributeValue(def(type, ['A']), '  ')).toEqual({ ok: true, value: null });
  });

  it('reads text trimmed', () => {
    expect(parseAttributeValue(def('text'), '  Apache 2.0 ')).toEqual({ ok: true, value: 'Apache 2.0' });
  });

  it('reads numbers with a point, and explains why a comma is refused', () => {
    expect(parseAttributeValue(def('number'), '-12.5')).toEqual({ ok: true, value: -12.5 });
    expect(parseAttributeValue(def('number'), '1,234')).toEqual({ ok: false, message: '“1,234” is not a number Cartography can read for “Licence”: the comma could separate thousands or decimals. Write it without separators and with a point for decimals (for example 1234 or 12.5).' });
    expect(parseAttributeValue(def('number'), 'many')).toEqual({ ok: false, message: '“many” is not a number, and “Licence” holds numbers. Write a number (for example 1234, 12.5 or -3) or leave the cell empty.' });
    expect(parseAttributeValue(def('number'), '1e999').ok).toBe(false);
  });

  it('reads yes/no answers', () => {
    expect(['Yes', 'true', 'Y', '1'].map((t) => parseAttributeValue(def('boolean'), t))).toEqual(Array(4).fill({ ok: true, value: true }));
    expect(['NO', 'false', 'n', '0'].map((t) => parseAttributeValue(def('boolean'), t))).toEqual(Array(4).fill({ ok: true, value: false }));
    expect(parseAttributeValue(def('boolean'), 'maybe')).toEqual({ ok: false, message: '“maybe” is not yes or no, and “Licence” is a yes/no attribute. Write yes or no (true/false and 1/0 are read too) or leave the cell empty.' });
  });

  it('reads dates as yyyy-mm-dd, and slashed dates only when their order is known', () => {
    expect(parseAttributeValue(def('date'), '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseAttributeValue(def('date'), '2023-02-29')).toEqual({ ok: false, message: '“2023-02-29” names no real day (check the month and the day), and “Licence” holds dates. Correct the date or leave the cell empty.' });
    expect(parseAttributeValue(def('date'), '25/3/2024')).toEqual({ ok: true, value: '2024-03-25' });
    expect(parseAttributeValue(def('date'), '03/04/2024')).toEqual({ ok: false, message: '“03/04/2024” can be read day first or month first (3 April 2024 or 4 March 2024). Write it yyyy-mm-dd for “Licence”.' });
    expect(parseAttributeValue(def('date'), '03/04/2024', { dateOrder: 'mdy' })).toEqual({ ok: true, value: '2024-03-04' });
    expect(parseAttributeValue(def('date'), '03/25/2024', { dateOrder: 'dmy' })).toEqual({ ok: false, message: '“03/25/2024” names no real day when read day/month/year, as the rest of the column is. Write the date yyyy-mm-dd for “Licence”.' });
    expect(parseAttributeValue(def('date'), 'March 2024')).toEqual({ ok: false, message: '“March 2024” is not a date, and “Licence” holds dates. Write it yyyy-mm-dd (for example 2025-03-14) or leave the cell empty.' });
  });

  it('reads a category value ignoring letter case, giving back the value as the list spells it', () => {
    const licence = def('category', ['Permissive', 'Restrictive']);
    expect(parseAttributeValue(licence, 'permissive ')).toEqual({ ok: true, value: 'Permissive' });
    expect(parseAttributeValue(licence, 'Gated')).toEqual({ ok: false, message: '“Gated” is not one of the values of the category “Licence” (its values are “Permissive”, “Restrictive”). Correct the cell, or add the value to the attribute\'s list first.' });
  });
});

describe('formatAttributeValue and checkAttributeValue', () => {
  it('writes values as cells', () => {
    expect(formatAttributeValue(def('number'), 1500)).toBe('1500');
    expect(formatAttributeValue(def('number'), 0.1)).toBe('0.1');
    expect(formatAttributeValue(def('boolean'), true)).toBe('yes');
    expect(formatAttributeValue(def('boolean'), false)).toBe('no');
    expect(formatAttributeValue(def('date'), '2024-02-01')).toBe('2024-02-01');
    expect(formatAttributeValue(def('text'), null)).toBe('');
  });

  it('reads back every value it writes, and what it reads fits the attribute (property)', () => {
    const cases: fc.Arbitrary<[Pick<AttributeDef, 'name' | 'type' | 'values'>, string | number | boolean]>[] = [
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => [def('number'), Object.is(n, -0) ? 0 : n]),
      fc.boolean().map((b) => [def('boolean'), b]),
      fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => [def('date'), d.toISOString().slice(0, 10)]),
      fc.string({ minLength: 1 }).filter((s) => s.trim() === s && s !== '').map((s) => [def('text'), s]),
      fc.string({ minLength: 1 }).filter((s) => s.trim() === s && s !== '').map((s) => [def('category', ['Other', s]), s]),
    ];
    fc.assert(
      fc.property(fc.oneof(...cases), ([attribute, value]) => {
        const back = parseAttributeValue(attribute, formatAttributeValue(attribute, value));
        expect(back).toEqual({ ok: true, value });
        expect(checkAttributeValue(attribute, value)).toBeNull();
      }),
    );
  });

  it('checks stored values as the study file does', () => {
    expect(checkAttributeValue(def('number'), '12')).toBe('must be a number for attribute "Licence", not "12"');
    expect(checkAttributeValue(def('category', ['A']), 'B')).toBe('must be one of "A" for attribute "Licence", not "B"');
    expect(checkAttributeValue(def('date'), null)).toBeNull();
  });
});
