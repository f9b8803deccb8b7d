import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readStudyFile } from '../study-file/read.ts';
import { codingsToCsv, CODINGS_CSV_COLUMNS } from './codings-csv.ts';

const NOW = '2026-01-01T00:00:00.000Z';
let next = 0;
const newId = () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
const read = (file: object) => readStudyFile(JSON.stringify(file), 'sample.cartography.json', { now: NOW, newId });

/** Two documents (one without a case), a sub-code, two coders on one span, a character beyond U+FFFF and a quote that looks like a formula. */
const sample = () =>
  read({
    format: 'cartography-study',
    version: 1,
    study: { name: 'Codings' },
    coders: [
      { key: 'ana', name: 'Ana' },
      { key: 'bo', name: '=Bo' },
    ],
    cases: [{ key: 'k1', name: 'BLOOM, the model' }],
    codes: [
      { key: 'access', name: 'Access', kind: 'challenge' },
      { key: 'compute', name: 'Compute', parent: 'access', kind: 'challenge' },
      { key: 'mentor', name: 'Mentoring', kind: 'on-ramp' },
    ],
    documents: [
      { key: 'd2', title: 'Notes', text: '-- we never did. Fine.' },
      { key: 'd1', title: 'P01 interview', case: 'k1', text: 'P01: The 🚀 launch needed "GPUs".\nP01: A mentor helped.' },
    ],
    codings: [
      { document: 'd1', quote: 'A mentor helped.', code: 'mentor', coder: 'ana' },
      { document: 'd1', quote: 'The 🚀 launch needed "GPUs".', code: 'compute', coder: 'bo' },
      { document: 'd1', quote: 'The 🚀 launch needed "GPUs".', code: 'compute', coder: 'ana' },
      { document: 'd2', quote: '-- we never did.', code: 'access', coder: 'ana' },
    ],
  });

describe('codingsToCsv', () => {
  it('writes one row per coding: documents in order, then by span, code path and coder; offsets in UTF-16 units; formulas guarded', () => {
    expect(codingsToCsv(sample()).split('\r\n')).toEqual([
      'document,case,start,end,text,code path,coder',
      "Notes,,0,16,'-- we never did.,Access,Ana",
      // the rocket is two UTF-16 units: the span is 5..33, not 5..32
      'P01 interview,"BLOOM, the model",5,33,"The 🚀 launch needed ""GPUs"".",Access > Compute,\'=Bo',
      'P01 interview,"BLOOM, the model",5,33,"The 🚀 launch needed ""GPUs"".",Access > Compute,Ana',
      'P01 interview,"BLOOM, the model",39,55,A mentor helped.,Mentoring,Ana',
    ]);
  });

  it('writes only the header for a study without codings', () => {
    const records = sample();
    expect(codingsToCsv({ ...records, codings: [] })).toBe(CODINGS_CSV_COLUMNS.join(','));
  });

  it('gives back, for every coding of the demo study, the stored text at [start, end) once the guard apostrophe is taken away', () => {
    const text = readFileSync(join(import.meta.dirname, '../../fixtures/demo/demo-study.cartography.json'), 'utf8');
    const records = readStudyFile(text, 'demo-study.cartography.json', { now: NOW, newId });
    const parsed = Papa.parse<Record<string, string>>(codingsToCsv(records), { header: true, newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(records.codings.length);
    const textOf = new Map(records.documents.map((d) => [d.title, records.texts.find((t) => t.id === d.id)!.text]));
    for (const row of parsed.data) {
      const stored = textOf.get(row['document']!)!;
      const cell = row['text']!;
      const unguarded = /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
      expect(unguarded).toBe(stored.slice(Number(row['start']), Number(row['end'])));
    }
    const coders = new Set(parsed.data.map((r) => r['coder']));
    expect([...coders].sort()).toEqual(records.coders.map((c) => c.name).sort());
  });
});
