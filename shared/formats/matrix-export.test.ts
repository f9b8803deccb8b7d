import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Matrix, MatrixColumn } from '../analysis/matrix-types.ts';
import {
  HEAT_HIGH,
  formatMatrixValue,
  guardFormula,
  heatColor,
  matrixToCsv,
  matrixToSvg,
  matrixToTsv,
  plainNumber,
  textColorOn,
  xmlText,
} from './matrix-export.ts';

const column = (key: string, namePath: string[], extra: Partial<MatrixColumn> = {}): MatrixColumn => ({
  key,
  label: namePath[namePath.length - 1] ?? key,
  namePath,
  level: 'code',
  stageId: null,
  kind: null,
  codeIds: [key],
  color: null,
  ...extra,
});

/** Three cases × three codes, counted by hand. */
const sample = (): Matrix => ({
  rowHeader: 'case',
  metric: 'segments',
  rows: [
    { key: 'a', label: 'Alpha', size: 1 },
    { key: 'b', label: 'Beta, "the second"', size: 1 },
    { key: 'c', label: 'Gamma\nline two', size: 1 },
  ],
  columns: [
    column('k1', ['Barriers', 'Onboarding'], { color: '#b5472a' }),
    column('k2', ['Barriers', 'Tooling, CI']),
    column('k3', ['Mentoring']),
  ],
  cells: [
    [3, 0, 12],
    [1, 1250, 0],
    [0, 2, 7],
  ],
  rowTotals: [15, 1251, 9],
  columnTotals: [4, 1252, 19],
  grandTotal: 1275,
  max: 1250,
  unit: '',
  settings: ['Metric: Coded segments', 'Rows: cases', 'Filters: coder Ana & Bo <lead>'],
});

const share = (): Matrix => ({
  ...sample(),
  metric: 'share',
  unit: '%',
  cells: [
    [20, 0, 80],
    [1 / 3, 200 / 3, 100 / 3],
    [0, 0.1 + 0.2, 99.7],
  ],
  max: 99.7,
});

describe('matrixToCsv', () => {
  it('writes the row header, the name paths and plain numbers, with CRLF and quotes where needed', () => {
    expect(matrixToCsv(sample())).toBe(
      [
        'case,Barriers > Onboarding,"Barriers > Tooling, CI",Mentoring',
        'Alpha,3,0,12',
        '"Beta, ""the second""",1,1250,0',
        '"Gamma\nline two",0,2,7',
      ].join('\r\n'),
    );
  });

  it('adds a Total column and a Total row on request', () => {
    const lines = matrixToCsv(sample(), { totals: true }).split('\r\n');
    expect(lines[0]).toBe('case,Barriers > Onboarding,"Barriers > Tooling, CI",Mentoring,Total');
    expect(lines[1]).toBe('Alpha,3,0,12,15');
    expect(lines.at(-1)).toBe('Total,4,1252,19,1275');
  });

  it('reads back with PapaParse to the same labels and numbers', () => {
    for (const matrix of [sample(), share()]) {
      const parsed = Papa.parse<string[]>(matrixToCsv(matrix), { skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      const [header, ...rows] = parsed.data;
      expect(header).toEqual(['case', ...matrix.columns.map((c) => c.namePath.join(' > '))]);
      expect(rows.map((r) => r[0])).toEqual(matrix.rows.map((r) => r.label));
      rows.forEach((row, r) => row.slice(1).forEach((cell, c) => expect(Number(cell)).toBeCloseTo(matrix.cells[r]?.[c] ?? NaN, 6)));
    }
  });

  it('writes fractions with a dot, at most six decimals, no exponent and no unit', () => {
    const lines = matrixToCsv(share()).split('\r\n');
    expect(lines[2]).toBe('"Beta, ""the second""",0.333333,66.666667,33.333333');
    expect(lines[3]).toBe('"Gamma\nline two",0,0.3,99.7');
    expect([plainNumber(1234567.5), plainNumber(1e-9), plainNumber(-0), plainNumber(1e21), plainNumber(NaN), plainNumber(Infinity)]).toEqual([
      '1234567.5',
      '0',
      '0',
      '1000000000000000000000',
      '',
      '',
    ]);
  });

  it('keeps labels that look like formulas as text, after one apostrophe (also in the header)', () => {
    const matrix: Matrix = {
      ...sample(),
      rowHeader: '@group',
      rows: [
        { key: 'a', label: '=HYPERLINK("http://x","y")', size: 1 },
        { key: 'b', label: "'=already guarded", size: 1 },
        { key: 'c', label: '-1 + 2', size: 1 },
      ],
      columns: [column('k1', ['+plus']), column('k2', ['Plain']), column('k3', ['\tTabbed'])],
    };
    const parsed = Papa.parse<string[]>(matrixToCsv(matrix), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(["'@group", "'+plus", 'Plain', "'\tTabbed"]);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(['\'=HYPERLINK("http://x","y")', "''=already guarded", "'-1 + 2"]);
    // Numbers are never guarded, even negative ones.
    expect(guardFormula('Plain')).toBe('Plain');
    expect(matrixToCsv({ ...sample(), cells: [[-1, 0, 0], [0, 0, 0], [0, 0, 0]] }).split('\r\n')[1]).toBe('Alpha,-1,0,0');
  });
});

describe('matrixToTsv', () => {
  it('writes tab-separated lines, labels flattened to one line', () => {
    expect(matrixToTsv(sample())).toBe(
      [
        'case\tBarriers > Onboarding\tBarriers > Tooling, CI\tMentoring',
        'Alpha\t3\t0\t12',
        'Beta, "the second"\t1\t1250\t0',
        'Gamma line two\t0\t2\t7',
      ].join('\n'),
    );
  });

  it('replaces tabs inside labels, guards formulas, quotes a label that starts with a quote, and adds totals on request', () => {
    const matrix: Matrix = {
      ...sample(),
      rows: [
        { key: 'a', label: 'tab\there', size: 1 },
        { key: 'b', label: '"Quoted" start', size: 1 },
        { key: 'c', label: '=1+1', size: 1 },
      ],
    };
    expect(matrixToTsv(matrix, { totals: true }).split('\n')).toEqual([
      'case\tBarriers > Onboarding\tBarriers > Tooling, CI\tMentoring\tTotal',
      'tab here\t3\t0\t12\t15',
      '"""Quoted"" start"\t1\t1250\t0\t1251',
      "'=1+1\t0\t2\t7\t9",
      'Total\t4\t1252\t19\t1275',
    ]);
  });
});

// --- A minimal XML well-formedness check (the SVG is ours, so a small tokenizer suffices) ---

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? '');

/** Throws unless the document's tags balance, attributes are quoted and every & starts a known entity; returns the text content. */
function checkXml(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const texts: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let roots = 0;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = token.exec(body)) !== null) {
    at = token.lastIndex;
    const [, closing, name, attributes, selfClosing, text] = m;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`bare & in ${JSON.stringify(text)}`);
      if (stack.length === 0 && text.trim() !== '') throw new Error('text outside the root');
      if (text.trim() !== '') texts.push(unescape(text));
      continue;
    }
    if (attributes && /&(?!(amp|lt|gt|quot|apos);)/.test(attributes)) throw new Error(`bare & in attributes of <${name}>`);
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes nothing open`);
    } else {
      if (stack.length === 0 && ++roots > 1) throw new Error('more than one root');
      if (!selfClosing) stack.push(name!);
    }
  }
  if (at !== body.length) throw new Error(`not XML at ${JSON.stringify(body.slice(at, at + 40))}`);
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return texts;
}

const xmllint = spawnSync('xmllint', ['--version']).status === 0;

describe('matrixToSvg', () => {
  const labelled: Matrix = {
    ...sample(),
    rows: [...sample().rows.slice(0, 2), { key: 'c', label: 'Ünïcode <&> 日本語 \u0001 \ud800 end', size: 1 }],
    columns: [
      column('k1', ['Barriers', 'Onboarding'], { stageId: 's1', kind: 'challenge', color: '#b5472a' }),
      column('k2', ['Barriers', 'Tooling, CI'], { stageId: 's1', kind: 'on-ramp', color: 'red" onload="x' }),
      column('k3', ['Mentoring'], { stageId: 's2', kind: 'on-ramp' }),
    ],
  };
  const svg = matrixToSvg(labelled, { title: 'Cases × codes: "coded" segments & more', legend: true, stageName: (id) => ({ s1: 'Early stage', s2: 'Growth' })[id] });

  it('is a well-formed standalone SVG 1.1 document with a size and a viewBox', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" version="1.1" ')).toBe(true);
    const [, width, height] = /width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"/.exec(svg) ?? [];
    expect(Number(width)).toBeGreaterThan(100);
    expect(svg).toContain(`viewBox="0 0 ${width} ${height}"`);
    expect(() => checkXml(svg)).not.toThrow();
    // A colour that is not #rrggbb never reaches an attribute.
    expect(svg).not.toContain('onload');
  });

  it.runIf(xmllint)('passes xmllint', () => {
    const result = spawnSync('xmllint', ['--noout', '-'], { input: svg, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
  if (!xmllint) it.skip('passes xmllint (xmllint is not installed: only the built-in check ran)', () => undefined);

  it('shows the title, every label, every value, the band names, the scale and the settings', () => {
    const texts = checkXml(svg);
    const all = texts.join('\n');
    expect(texts).toContain('Cases × codes: "coded" segments & more');
    expect(texts).toContain('case');
    for (const row of labelled.rows.slice(0, 2)) expect(texts).toContain(row.label);
    expect(texts).toContain('Ünïcode <&> 日本語 \ufffd \ufffd end');
    for (const c of labelled.columns) expect(texts).toContain(c.label);
    for (const value of labelled.cells.flat()) expect(texts).toContain(String(value));
    for (const band of ['Early stage', 'Growth', 'Challenge', 'On-ramp']) expect(all).toContain(band);
    for (const line of labelled.settings) expect(texts).toContain(line);
    expect(texts).toContain('Coded segments');
    // The full name path is a tooltip where the label is only the last level.
    expect(texts).toContain('Barriers > Onboarding');
  });

  it('shades cells with heatColor and writes each number in black or white', () => {
    expect(svg).toContain(`fill="${HEAT_HIGH}"`);
    expect(svg).toContain(`fill="#ffffff" stroke=`);
    const cellTexts = [...svg.matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})" stroke="#c9ced6" stroke-width="0.5"\/>\n<text [^>]*fill="(#[0-9a-f]{6})">/g)];
    expect(cellTexts).toHaveLength(9);
    for (const [, background, ink] of cellTexts) expect(ink).toBe(textColorOn(background!));
  });

  it('writes units after the numbers, can leave out the legend, and uses a custom colour', () => {
    const image = matrixToSvg(share(), { title: 'Shares', legend: false, colorFor: (v, max) => (v === max ? '#ff0000' : heatColor(v, max)) });
    const texts = checkXml(image);
    expect(texts).toEqual(expect.arrayContaining(['20%', '0.3%', '66.7%', '99.7%', '0%']));
    expect(image).not.toContain('linearGradient');
    expect(image).toContain('fill="#ff0000"');
  });

  it('leaves out a stage band whose stages have no name, and takes stage names from kind columns', () => {
    const unnamed = matrixToSvg({ ...labelled, rows: sample().rows }, { title: 'T' });
    expect(unnamed).not.toContain('Early stage');
    expect(unnamed.match(/<g class="band">/g)).toHaveLength(1); // the kind band only
    const kinds: Matrix = {
      ...sample(),
      columns: [
        column('a', ['Joining', 'Challenge'], { level: 'kind', stageId: 's1', kind: 'challenge', label: 'Challenge' }),
        column('b', ['Joining', 'On-ramp'], { level: 'kind', stageId: 's1', kind: 'on-ramp', label: 'On-ramp' }),
        column('c', ['Growing', 'Challenge'], { level: 'kind', stageId: 's2', kind: 'challenge', label: 'Challenge' }),
      ],
    };
    const image = matrixToSvg(kinds, { title: 'T' });
    expect(image.match(/<g class="band">/g)).toHaveLength(1);
    expect(checkXml(image)).toEqual(expect.arrayContaining(['Joining', 'Growing']));
  });

  it('draws an empty matrix', () => {
    const empty: Matrix = { ...sample(), rows: [], columns: [], cells: [], rowTotals: [], columnTotals: [], grandTotal: 0, max: 0, settings: [] };
    expect(() => checkXml(matrixToSvg(empty, { title: 'Nothing' }))).not.toThrow();
  });

  it('escapes XML', () => {
    expect(xmlText(`a<b>&"c'\n\t`)).toBe('a&lt;b&gt;&amp;&quot;c&apos; ');
  });
});

describe('shading', () => {
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  /** WCAG 2.x relative luminance and contrast, written out here independently of the module. */
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => channel(Number.parseInt(hex.slice(i, i + 2), 16)));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => {
    const [x, y] = [luminance(a), luminance(b)];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };

  it('goes from white at 0 to the hue at max, darker as values grow, clamped', () => {
    expect(heatColor(0, 10)).toBe('#ffffff');
    expect(heatColor(10, 10)).toBe(HEAT_HIGH);
    expect(heatColor(20, 10)).toBe(HEAT_HIGH);
    expect(heatColor(-1, 10)).toBe('#ffffff');
    expect(heatColor(0, 0)).toBe('#ffffff');
    expect(heatColor(NaN, 10)).toBe('#ffffff');
    let previous = Infinity;
    for (let v = 0; v <= 1000; v++) {
      const shade = heatColor(v, 1000);
      expect(shade).toMatch(/^#[0-9a-f]{6}$/);
      const l = luminance(shade);
      expect(l).toBeLessThanOrEqual(previous);
      previous = l;
    }
    expect(luminance(heatColor(1, 10))).toBeLessThan(luminance(heatColor(0, 10)));
    expect(luminance(heatColor(9, 10))).toBeLessThan(luminance(heatColor(8, 10)));
  });

  it('keeps numbers at 4.5:1 or better on every shade', () => {
    let worst = Infinity;
    for (let v = 0; v <= 1000; v++) {
      const shade = heatColor(v, 1000);
      worst = Math.min(worst, contrast(textColorOn(shade), shade));
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps 4.5:1 on any background colour (a custom colorFor)', () => {
    const hex = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);
    fc.assert(fc.property(hex, (background) => contrast(textColorOn(background), background) >= 4.5));
  });

  it('formats values as people read them', () => {
    expect(formatMatrixValue(12, { metric: 'segments', unit: '' })).toBe('12');
    expect(formatMatrixValue(100 / 3, { metric: 'share', unit: '%' })).toBe('33.3%');
    expect(formatMatrixValue(0.5, { metric: 'jaccard', unit: '' })).toBe('0.50');
  });
});
