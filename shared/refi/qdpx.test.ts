import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readStudyFile } from '../study-file/read.ts';
import { studyToQde } from './qde-export.ts';
import { studyToQdpx, studyToQdpxWithReport } from './qdpx.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const OPTIONS = { origin: 'Cartography test', positions: 'code-points' } as const;

function demo() {
  const text = readFileSync(join(import.meta.dirname, '../../fixtures/demo/demo-study.cartography.json'), 'utf8');
  return readStudyFile(text, 'demo-study.cartography.json', { now: NOW, newId: () => crypto.randomUUID() });
}

describe('studyToQdpx', () => {
  it('zips project.qde and one sources/<GUID>.txt per document, in UTF-8', () => {
    const records = demo();
    const files = unzipSync(studyToQdpx(records, OPTIONS));
    const { xml } = studyToQde(records, OPTIONS);
    expect(Object.keys(files).sort()).toEqual(['project.qde', ...records.documents.map((d) => `sources/${d.id}.txt`)].sort());
    expect(strFromU8(files['project.qde']!)).toBe(xml);
    for (const d of records.documents) expect(strFromU8(files[`sources/${d.id}.txt`]!)).toBe(records.texts.find((t) => t.id === d.id)!.text);
  });

  it('writes the same bytes twice (fixed entry times)', () => {
    const records = demo();
    expect(studyToQdpx(records, OPTIONS)).toEqual(studyToQdpx(records, OPTIONS));
    const { omitted } = studyToQdpxWithReport(records, OPTIONS);
    expect(omitted).toEqual(studyToQde(records, OPTIONS).omitted);
  });
});
