import { describe, expect, it } from 'vitest';
import { parseXml, type XmlElement } from '../../../../shared/codebook/xml.ts';
import { buildDeck, type StageCodesSlide } from '../../../../shared/maps/deck.ts';
import { readStudyFile } from '../../../../shared/study-file/read.ts';
import { DEMO_STUDY_TEXT } from '../../../app/demo.ts';
import type { MapSource } from '../../../data/maps.ts';
import { cropToPlot, deckMapSvgs, deckSourceOf, quoteCandidates, slideLifecycleLayout, slideMapSvg, SLIDE_MAP_BOX } from './deck-source.ts';
import { CODE_COLUMN, estimateWidth, fitCodeColumns, nestSvg, slideToSvg, SLIDE_HEIGHT, SLIDE_WIDTH, textTools } from './slide-svg.ts';

let n = 0;
const records = readStudyFile(DEMO_STUDY_TEXT, 'demo-study.cartography.json', { now: '2026-01-01T00:00:00.000Z', newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
const mapSource = { ...records, ties: records.ties.map((t) => ({ ...t, evidence: [] })), overrides: [] } as unknown as MapSource;
const source = deckSourceOf(records.study.name, records.codes, mapSource);
const deck = buildDeck(source);

const texts = (el: XmlElement): string[] => el.children.flatMap((c) => (typeof c === 'string' ? [c] : texts(c)));

describe('slide images', () => {
  it('draws every slide of the demo deck as a well-formed 1280 × 720 SVG in both themes, maps nested inside', () => {
    for (const theme of ['light', 'contrast'] as const) {
      const maps = deckMapSvgs(deck, source, theme, 'slide');
      expect([...maps.keys()].sort()).toEqual(deck.slides.filter((e) => e.slide.kind === 'stage-map' || e.slide.kind === 'network').map((e) => e.slide.id).sort());
      deck.visible.forEach((slide, i) => {
        const svg = slideToSvg(slide, theme, maps, { index: i + 1, count: deck.visible.length, footer: records.study.name });
        const root = parseXml(svg);
        expect(root.name).toBe('svg');
        expect(root.attributes['width']).toBe(String(SLIDE_WIDTH));
        expect(root.attributes['height']).toBe(String(SLIDE_HEIGHT));
        expect(texts(root).join(' ')).toContain(`${i + 1} / ${deck.visible.length}`);
        if (maps.has(slide.id)) expect(root.children.some((c) => typeof c !== 'string' && c.name === 'svg')).toBe(true);
      });
    }
  });

  it('shows each stage-codes quote with its attribution, pseudonyms and case only', () => {
    const slide = deck.visible.find((s): s is StageCodesSlide => s.kind === 'stage-codes')!;
    const text = texts(parseXml(slideToSvg(slide, 'light', new Map()))).join(' ');
    for (const h of [...slide.body.challenges, ...slide.body.onRamps]) {
      expect(text).toContain(h.quote!.attribution);
      expect(text).toContain(h.quote!.text.split(' ').slice(0, 3).join(' '));
    }
  });

  it('escapes markup in titles and quotes', () => {
    const slide = { ...deck.visible[0]!, title: 'A & <B>' } as (typeof deck.visible)[number];
    expect(parseXml(slideToSvg(slide, 'light', new Map())).children.some((c) => typeof c !== 'string' && c.name === 'title' && c.children[0] === 'A & <B>')).toBe(true);
  });

  it('sizes quotes down as the text grows, and never below the smallest size', () => {
    const slide = deck.visible.find((s): s is StageCodesSlide => s.kind === 'stage-codes')!;
    const few = fitCodeColumns([slide.body.challenges.slice(0, 1), []]);
    const all = fitCodeColumns([slide.body.challenges, slide.body.onRamps]);
    expect(few.quote).toBe(CODE_COLUMN.maxQuote);
    expect(all.quote).toBeLessThanOrEqual(few.quote);
    const long = slide.body.challenges.map((h) => ({ ...h, quote: { ...h.quote!, text: 'word '.repeat(300) } }));
    expect(fitCodeColumns([long, long]).quote).toBe(CODE_COLUMN.minQuote);
  });

  it('wraps lines within their width by the measure it is given', () => {
    const tx = textTools((text, size) => text.length * size * 0.5);
    for (const line of tx.wrap('the quick brown fox jumps over the lazy dog', 100, 10)) expect(line.length * 5).toBeLessThanOrEqual(100);
    expect(tx.fit('abcdefghijklmnopqrstuvwxyz', 50, 10)).toBe('abcdefghi…');
    expect(estimateWidth('abc', 10, true)).toBeGreaterThan(estimateWidth('abc', 10, false));
  });
});

describe('maps on slides', () => {
  it('cuts the lifecycle map to its plot for the slide and keeps the legend for files', () => {
    const slide = deck.visible.find((s) => s.kind === 'stage-map')!;
    const layout = slideLifecycleLayout(deck);
    const onSlide = parseXml(slideMapSvg(slide, deck, source, 'light', 'slide', layout)!);
    const file = parseXml(slideMapSvg(slide, deck, source, 'light', 'file', layout)!);
    expect(onSlide.attributes['viewBox']).toBe(`0 36 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`);
    expect(Number(file.attributes['height'])).toBeGreaterThan(Number(onSlide.attributes['height']));
    // The chosen layout reads at least as large in the slide's box as the default one.
    const scale = (w: number, h: number) => Math.min(SLIDE_MAP_BOX.width / w, SLIDE_MAP_BOX.height / h);
    expect(scale(layout.width, layout.height)).toBeGreaterThanOrEqual(scale(1525, 458) - 0.01);
  });

  it('leaves an SVG it cannot cut as it is, and nests one into a box with its own viewBox', () => {
    expect(cropToPlot('<svg width="1" height="1"></svg>', { width: 5, height: 5 })).toBe('<svg width="1" height="1"></svg>');
    const nested = nestSvg('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><rect width="1" height="1"/></svg>', 10, 20, 300, 150);
    expect(nested).toBe('<svg x="10" y="20" width="300" height="150" viewBox="0 0 200 100" preserveAspectRatio="xMidYMid meet"><rect width="1" height="1"/></svg>');
  });
});

describe('quote candidates', () => {
  it('lists every segment coded with a code once, in reading order, attributed by pseudonym and case', () => {
    const slide = deck.visible.find((s): s is StageCodesSlide => s.kind === 'stage-codes')!;
    const code = slide.body.challenges[0]!;
    const candidates = quoteCandidates(source, code.codeId);
    const expected = new Set(records.codings.filter((c) => c.codeId === code.codeId).map((c) => c.segmentId));
    expect(candidates.map((c) => c.segmentId).sort()).toEqual([...expected].sort());
    const titles = candidates.map((c) => c.documentTitle);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    const pseudonyms = new Set(records.participants.map((p) => p.pseudonym));
    for (const c of candidates) expect(pseudonyms.has(c.attribution.split(' · ')[0]!)).toBe(true);
    expect(candidates.map((c) => c.segmentId)).toContain(code.quote!.segmentId);
  });
});
