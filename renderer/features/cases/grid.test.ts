import { describe, expect, it } from 'vitest';
import { compareSortValues, matchesQuery, moveCell, nextSort, sortRows } from './grid.ts';

describe('sorting table rows', () => {
  const rows = [
    { name: 'Bielik', models: 150 },
    { name: 'OLMo', models: null },
    { name: 'Aya', models: 3000 },
    { name: 'Typhoon', models: 150 },
  ];
  it('sorts numbers by value, keeps ties in their order, and puts missing values last in both directions', () => {
    expect(sortRows(rows, (r) => r.models, false).map((r) => r.name)).toEqual(['Bielik', 'Typhoon', 'Aya', 'OLMo']);
    expect(sortRows(rows, (r) => r.models, true).map((r) => r.name)).toEqual(['Aya', 'Bielik', 'Typhoon', 'OLMo']);
  });
  it('sorts text naturally and without regard to case or accents', () => {
    const names = ['item 10', 'Item 9', 'éclair', 'Zebra'];
    expect(sortRows(names, (n) => n, false)).toEqual(['éclair', 'Item 9', 'item 10', 'Zebra']);
  });
  it('puts yes before no', () => {
    expect([false, true, null].sort(compareSortValues)).toEqual([true, false, null]);
  });
  it('clicking a header sorts ascending, then descending, and another header starts ascending', () => {
    expect(nextSort(null, 'a')).toEqual({ column: 'a', descending: false });
    expect(nextSort({ column: 'a', descending: false }, 'a')).toEqual({ column: 'a', descending: true });
    expect(nextSort({ column: 'a', descending: true }, 'b')).toEqual({ column: 'b', descending: false });
  });
});

describe('filtering table rows', () => {
  it('matches every word of the query somewhere in the row, ignoring case and accents', () => {
    const row = ['Sabiá (Maritaca AI)', 'Latin America', 'Startup'];
    expect(matchesQuery(row, 'sabia startup')).toBe(true);
    expect(matchesQuery(row, '  ')).toBe(true);
    expect(matchesQuery(row, 'sabia europe')).toBe(false);
  });
});

describe('moving the active cell', () => {
  const size = { rows: 14, columns: 9 };
  it('moves by arrows and stops at the edges', () => {
    expect(moveCell({ row: 0, column: 0 }, 'ArrowUp', size)).toEqual({ row: 0, column: 0 });
    expect(moveCell({ row: 0, column: 0 }, 'ArrowRight', size)).toEqual({ row: 0, column: 1 });
    expect(moveCell({ row: 13, column: 8 }, 'ArrowDown', size)).toEqual({ row: 13, column: 8 });
    expect(moveCell({ row: 5, column: 3 }, 'PageDown', size)).toEqual({ row: 13, column: 3 });
  });
  it('Home and End go to the row’s ends, with Ctrl to the table’s corners; other keys do not move', () => {
    expect(moveCell({ row: 5, column: 3 }, 'Home', size)).toEqual({ row: 5, column: 0 });
    expect(moveCell({ row: 5, column: 3 }, 'End', size, true)).toEqual({ row: 13, column: 8 });
    expect(moveCell({ row: 5, column: 3 }, 'a', size)).toBeNull();
  });
});
