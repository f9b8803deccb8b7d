import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childElements, parseXml, textContent, XmlError, type XmlElement } from '../codebook/xml.ts';
import { lifecycleLayout, lifecycleMapToSvg } from './lifecycle-layout.ts';
import { networkLayout, networkToSvg, typeLabel } from './network-layout.ts';
import { EVIDENCE_RULE, POSITION_FORMULA } from './positions.ts';

/** xmllint checks well-formedness independently of our own XML reader, when it is installed. */
const xmllint = (() => {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!xmllint) console.warn('xmllint is not installed: the SVG exports are checked with the built-in XML reader only.');

function lint(svg: string): void {
  execFileSync('xmllint', ['--noout', '-'], { input: svg, stdio: ['pipe', 'ignore', 'pipe'] });
}

function expectWellFormed(svg: string): XmlElement {
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
  expect(root.attributes.version).toBe('1.1');
  expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
  if (xmllint) lint(svg);
  return root;
}

const position = (caseId: string, stageId: string, p: number | null, n: number, overridden = false) => ({
  caseId,
  stageId,
  position: p,
  n,
  override: overridden ? { value: p ?? 0, justification: 'why', memoId: null } : null,
});

const stages = [
  { id: 'rel', name: 'Post-release', order: 2 },
  { id: 'pre', name: 'Pre-training', order: 0 },
  { id: 'post', name: 'Post-training', order: 1 },
];

describe('the checks themselves', () => {
  it('refuse malformed XML', () => {
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow(XmlError);
  });
  it.skipIf(!xmllint)('xmllint refuses malformed XML (skipped when xmllint is not installed)', () => {
    expect(() => lint('<svg><g></svg>')).toThrow();
  });
});

describe('lifecycleMapToSvg', () => {
  const labels: Record<string, string> = { a: 'Alpha <&> "quoted" \u0001', b: 'Beta', c: 'Gamma' };
  const layout = lifecycleLayout({
    stages,
    cases: [
      { id: 'a', name: labels.a! },
      { id: 'b', name: 'Beta' },
      { id: 'c', name: 'Gamma' },
    ],
    positions: [
      position('a', 'pre', -1, 4),
      position('a', 'post', 0, 2),
      position('a', 'rel', 1, 16),
      position('b', 'post', 0.5, 1, true),
      position('b', 'rel', 0.5, 0, true),
      position('c', 'pre', 0.25, 8),
      position('c', 'rel', -0.5, 4),
    ],
  });

  it('is well-formed SVG 1.1 with the title, stage names, axis labels, legend, notes and the formula', () => {
    for (const theme of ['light', 'contrast'] as const) {
      const svg = lifecycleMapToSvg(layout, { title: 'Map & "study"', labelOf: (id) => labels[id] ?? id, theme, notes: ['Filters: coder <Ana>'] });
      const root = expectWellFormed(svg);
      expect(textContent(childElements(root, 'title')[0]!)).toBe('Map & "study"');
      const text = textContent(root);
      expect(text).toContain('Alpha <&> "quoted" \ufffd');
      expect(text).toContain('↑ Bazaar');
      expect(text).toContain('↓ Cathedral');
      expect(text).toContain(POSITION_FORMULA);
      expect(text.replace(/\s+/g, ' ')).toContain(EVIDENCE_RULE.slice(0, 60));
      expect(text).toContain('Filters: coder <Ana>');
      for (const stage of ['Pre-training', 'Post-training', 'Post-release']) expect(text).toContain(stage);
      // Under each column: its median and count (rel: −0.5, 0.5, 1).
      expect(text).toContain('median 0.50 · 3 cases');
      expect(svg).toContain(theme === 'light' ? 'fill="#ffffff"' : 'fill="#000000"');
      // The formula is the last text of the image.
      const texts = svg.match(/<text [^>]*>[^<]*<\/text>/g)!;
      expect(texts.slice(-8).join(' ')).toContain('position = (bazaar − cathedral) ÷ (bazaar + cathedral)');
    }
  });

  it('uses the given colours, falls back for bad ones, dashes overrides and passed-over stages, and repeats itself exactly', () => {
    const svg = lifecycleMapToSvg(layout, { title: 'T', labelOf: (id) => id, theme: 'light', colorOf: (id) => (id === 'a' ? '#123ABC' : 'red') });
    expect(svg).toContain('fill="#123abc"');
    expect(svg).not.toContain('"red"');
    expect((svg.match(/<circle [^>]*stroke-dasharray/g) ?? []).length).toBe(2);
    expect((svg.match(/<line [^>]*stroke-dasharray="6 4"/g) ?? []).length).toBe(1);
    expect(lifecycleMapToSvg(layout, { title: 'T', labelOf: (id) => id, theme: 'light' })).toBe(lifecycleMapToSvg(layout, { title: 'T', labelOf: (id) => id, theme: 'light' }));
  });

  it('focuses one stage', () => {
    const svg = lifecycleMapToSvg(layout, { title: 'T', labelOf: (id) => id, theme: 'light', focusStageId: 'post' });
    expectWellFormed(svg);
    expect(svg).toContain('font-weight="bold" text-anchor="middle" fill="#1f2328">Post-training<');
    expect(svg).toContain('opacity="0.45"');
  });

  it('draws an empty map', () => {
    const empty = lifecycleLayout({ stages: [], cases: [], positions: [] });
    expect(empty.nodes).toEqual([]);
    expectWellFormed(lifecycleMapToSvg(empty, { title: 'Empty', labelOf: (id) => id, theme: 'contrast' }));
  });
});

describe('networkToSvg', () => {
  const tie = (id: string, fromId: string, toId: string, stageId: string, evidence: string[], type = 'dataset-sharing') => ({ id, fromId, toId, type, stageId, evidenceSegmentIds: evidence });
  const layout = networkLayout({
    stages,
    actors: [
      { id: 'hub', name: 'Hub', type: 'organisation' },
      { id: 'lab', name: 'Lab <&>', type: 'organisation' },
      { id: 'data', name: 'Corpus', type: 'dataset' },
      { id: 'fork', name: 'Fork A', type: 'derivative' },
      { id: 'lonely', name: 'Lonely', type: 'project' },
      { id: 'odd', name: 'Odd', type: 'own-type' },
    ],
    ties: [
      tie('t1', 'lab', 'hub', 'pre', ['e1', 'e2', 'e2']),
      tie('t2', 'data', 'lab', 'pre', ['e3']),
      tie('t3', 'hub', 'fork', 'post', ['e4']),
      tie('t4', 'odd', 'hub', 'rel', []),
    ],
  });

  it('is well-formed SVG 1.1 with lanes, actors, tie tooltips and the legend', () => {
    for (const theme of ['light', 'contrast'] as const) {
      const svg = networkToSvg(layout, { title: 'Network of <study>', theme, notes: ['Cases: Alpha & Beta'] });
      const text = textContent(expectWellFormed(svg));
      for (const s of ['Network of <study>', 'Pre-training', 'No ties', 'Lab <&>', 'Fork A', 'Organisation', 'Dataset', 'Own type', 'Cases: Alpha & Beta']) expect(text).toContain(s);
      expect(text).toContain('Lab <&> → Hub: Dataset sharing (Pre-training); 2 evidence segments');
      expect(text).toContain('Line width = 1 + 1.5 × √(evidence segments) px, at most 8 px');
      expect(svg).toContain(theme === 'light' ? 'fill="#ffffff"' : 'fill="#000000"');
    }
    expect(typeLabel('compute-provider')).toBe('Compute provider');
  });

  it('draws an empty network', () => {
    expectWellFormed(networkToSvg(networkLayout({ stages: [], actors: [], ties: [] }), { title: 'Empty', theme: 'light' }));
  });
});
