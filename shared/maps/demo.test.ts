import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../codebook/xml.ts';
import { readStudyFile } from '../study-file/read.ts';
import { buildDeck, type StageCodesSlide, type SummarySlide } from './deck.ts';
import { lifecycleLayout, lifecycleMapToSvg } from './lifecycle-layout.ts';
import { networkLayout, networkToSvg } from './network-layout.ts';
import { computePositions } from './positions.ts';

const demoText = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
let n = 0;
const records = readStudyFile(demoText, 'demo-study.cartography.json', { now: '2026-01-01T00:00:00.000Z', newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });

describe('the demo study', () => {
  const map = computePositions(records);

  it('shows the headline: from cathedral before release to bazaar after it', () => {
    const medians = map.summaries.map((s) => s.median);
    expect(map.stages.map((s) => s.name)).toEqual(['Pre-training', 'Post-training', 'Post-release']);
    expect(medians.every((m) => m !== null)).toBe(true);
    expect(medians[0]!).toBeLessThan(medians[2]!);
    const summary = buildDeck(records).visible.find((s) => s.kind === 'summary') as SummarySlide;
    expect(summary.body.overall?.direction).toBe('towards-bazaar');
  });

  it('draws its maps and builds its deck with pseudonyms only', () => {
    const caseName = new Map(records.cases.map((c) => [c.id, c.name]));
    const lifecycle = lifecycleLayout(map);
    const svg = lifecycleMapToSvg(lifecycle, { title: records.study.name, labelOf: (id) => caseName.get(id) ?? '', theme: 'light' });
    expect(parseXml(svg).name).toBe('svg');
    const network = networkLayout(records);
    expect(network.ignoredTieIds).toEqual([]);
    expect(parseXml(networkToSvg(network, { title: records.study.name, theme: 'contrast' })).name).toBe('svg');
    const deck = buildDeck(records);
    expect(deck.problems).toEqual([]);
    const pseudonyms = new Set(records.participants.map((p) => p.pseudonym));
    for (const slide of deck.visible.filter((s): s is StageCodesSlide => s.kind === 'stage-codes'))
      for (const h of [...slide.body.challenges, ...slide.body.onRamps]) for (const p of h.quote!.pseudonyms) expect(pseudonyms.has(p)).toBe(true);
  });
});
