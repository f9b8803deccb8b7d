import { describe, expect, it } from 'vitest';
import { SearchEngine, snapshotTransferables, type SearchResult, type SearchSource } from './index.ts';

const doc = (id: string, text: string): SearchSource => ({ id, kind: 'document', text });
const memo = (id: string, text: string): SearchSource => ({ id, kind: 'memo', text });

function engineWith(...sources: SearchSource[]): SearchEngine {
  const engine = new SearchEngine();
  for (const s of sources) engine.addSource(s);
  return engine;
}

/** What each hit covers in its source's text, per source. */
function matched(engine: SearchEngine, result: SearchResult): Record<string, string[]> {
  return Object.fromEntries(result.sources.map((s) => [s.sourceId, s.hits.map((h) => engine.text(h.sourceId)!.slice(h.start, h.end))]));
}

describe('SearchEngine: matching', () => {
  it('finds a word whatever its case and diacritics, with offsets into the original text', () => {
    const text = 'We met at the Café.\nThe CAFE was closed; cafés elsewhere too.';
    const engine = engineWith(doc('d1', text));
    const result = engine.search('cafe');
    expect(result.sources[0]!.hits).toEqual([
      { sourceId: 'd1', kind: 'document', start: 14, end: 18 },
      { sourceId: 'd1', kind: 'document', start: 24, end: 28 },
    ]);
    expect(text.slice(14, 18)).toBe('Café');
    expect(matched(engine, engine.search('CAFÉ'))).toEqual({ d1: ['Café', 'CAFE'] });
  });

  it('finds a decomposed accent (e + combining acute) with its mark inside the hit', () => {
    const engine = engineWith(doc('d1', 'a cafe\u0301 there'));
    expect(engine.search('café').sources[0]!.hits.map((h) => [h.start, h.end])).toEqual([[2, 7]]);
  });

  it('finds folded letters: ß, æ, ø, ł', () => {
    const engine = engineWith(doc('d1', 'Die Straße nach Ærøskøbing und Łódź.'));
    expect(matched(engine, engine.search('strasse'))).toEqual({ d1: ['Straße'] });
    expect(matched(engine, engine.search('aeroskobing lodz'))).toEqual({ d1: ['Ærøskøbing', 'Łódź'] });
  });

  it('requires every bare word in the same source and returns the occurrences of all of them', () => {
    const engine = engineWith(doc('d1', 'licence first, then volunteers, then licence again'), doc('d2', 'licence only'));
    expect(matched(engine, engine.search('volunteers licence'))).toEqual({ d1: ['licence', 'volunteers', 'licence'] });
  });

  it('matches a phrase across line breaks and punctuation, from its first word to its last', () => {
    const text = 'We shared the open\n\ndata. Open — data, again; open, data!\nBut open the data no.';
    const engine = engineWith(doc('d1', text));
    const result = engine.search('"open data"');
    expect(matched(engine, result)).toEqual({ d1: ['open\n\ndata', 'Open — data', 'open, data'] });
    expect(result.sources[0]!.hits[0]).toEqual({ sourceId: 'd1', kind: 'document', start: 14, end: 24 });
  });

  it('finds fine-tune as "fine-tune", as the phrase "fine tune" and as fine, but not fine-tuned as fine-tune', () => {
    const text = 'We fine-tune. A fine tune. They fine-tuned it.';
    const engine = engineWith(doc('d1', text));
    expect(matched(engine, engine.search('fine-tune'))).toEqual({ d1: ['fine-tune', 'fine tune'] });
    expect(matched(engine, engine.search('"fine tune"'))).toEqual({ d1: ['fine-tune', 'fine tune'] });
    expect(matched(engine, engine.search('fine'))).toEqual({ d1: ['fine', 'fine', 'fine'] });
    expect(matched(engine, engine.search('fine-tun*'))).toEqual({ d1: ['fine-tune', 'fine tune', 'fine-tuned'] });
  });

  it('finds prefixes, and a prefix inside a phrase', () => {
    const engine = engineWith(doc('d1', 'The licence and the licensing, a licensee, an open licence, the lice.'));
    expect(matched(engine, engine.search('licen*'))).toEqual({ d1: ['licence', 'licensing', 'licensee', 'licence'] });
    expect(matched(engine, engine.search('"open lic*"'))).toEqual({ d1: ['open licence'] });
    expect(engine.search('licens*').total).toBe(2);
  });

  it('excludes sources that contain an excluded word or phrase', () => {
    const engine = engineWith(doc('d1', 'open data with a licence'), doc('d2', 'open data, no strings'), doc('d3', 'open source model card'));
    expect(Object.keys(matched(engine, engine.search('open -licence')))).toEqual(['d2', 'd3']);
    expect(Object.keys(matched(engine, engine.search('open -"model card"')))).toEqual(['d1', 'd2']);
  });

  it('returns nothing, with a notice, for a query that only excludes', () => {
    const result = engineWith(doc('d1', 'open')).search('-licence');
    expect(result.sources).toEqual([]);
    expect(result.query.notices.map((n) => n.kind)).toEqual(['only-exclusions']);
  });

  it('searches an unclosed quote as a phrase to the end, and reports it', () => {
    const engine = engineWith(doc('d1', 'open data sharing; data open'));
    const result = engine.search('"open data');
    expect(matched(engine, result)).toEqual({ d1: ['open data'] });
    expect(result.query.notices.map((n) => n.kind)).toEqual(['unbalanced-quote']);
  });

  it('keeps UTF-16 offsets right after emoji and astral characters', () => {
    const text = '👍🏽 great 🙂 — then 𝒜 the café';
    const engine = engineWith(doc('d1', text));
    const [hit] = engine.search('cafe').sources[0]!.hits;
    expect(hit).toMatchObject({ start: 28, end: 32 });
    expect(text.slice(hit!.start, hit!.end)).toBe('café');
  });

  it('finds Thai and Chinese words in text without spaces', () => {
    const engine = engineWith(doc('th', 'ภาษาไทยเป็นภาษาที่สวยงาม'), memo('zh', '我们的数据集很大，数据很多'));
    expect(matched(engine, engine.search('ภาษา'))).toEqual({ th: ['ภาษา', 'ภาษา'] });
    expect(engine.search('ไทย').sources[0]!.hits).toEqual([{ sourceId: 'th', kind: 'document', start: 4, end: 7 }]);
    expect(matched(engine, engine.search('数据'))).toEqual({ zh: ['数据', '数据'] });
  });

  it('joins overlapping occurrences into one hit', () => {
    const engine = engineWith(doc('d1', 'open data and the the the end'));
    expect(matched(engine, engine.search('"open data" data'))).toEqual({ d1: ['open data'] });
    expect(matched(engine, engine.search('"the the"'))).toEqual({ d1: ['the the the'] });
    expect(matched(engine, engine.search('open open*'))).toEqual({ d1: ['open'] });
  });
});

describe('SearchEngine: sources change', () => {
  it('follows additions, replacements and removals', () => {
    const engine = engineWith(doc('d1', 'alpha beta'), memo('m1', 'gamma'));
    expect(engine.search('alpha').total).toBe(1);
    engine.addSource(doc('d1', 'beta only now'));
    expect(engine.search('alpha').total).toBe(0);
    expect(matched(engine, engine.search('beta'))).toEqual({ d1: ['beta'] });
    engine.addSource(memo('m2', 'alpha in a memo'));
    expect(engine.search('alpha').sources.map((s) => [s.sourceId, s.kind])).toEqual([['m2', 'memo']]);
    expect(engine.removeSource('m2')).toBe(true);
    expect(engine.removeSource('m2')).toBe(false);
    expect(engine.search('alpha').total).toBe(0);
    expect(engine.size).toBe(2);
  });

  it('orders results by source, in the order sources were first added (a replacement keeps its place), then by position', () => {
    const engine = engineWith(doc('b', 'x one'), doc('a', 'x two x'), memo('c', 'x three'));
    engine.addSource(doc('b', 'x x replaced'));
    const result = engine.search('x');
    expect(result.sources.map((s) => [s.sourceId, s.hits.map((h) => h.start)])).toEqual([
      ['b', [0, 2]],
      ['a', [0, 6]],
      ['c', [0]],
    ]);
  });
});

describe('SearchEngine: options', () => {
  const engine = engineWith(doc('d1', 'x a x'), doc('d2', 'x b x'), memo('m1', 'x c x'));

  it('caps the hits returned but counts them all', () => {
    const result = engine.search('x', { limit: 3 });
    expect(result.sources.map((s) => [s.sourceId, s.count, s.hits.length])).toEqual([
      ['d1', 2, 2],
      ['d2', 2, 1],
      ['m1', 2, 0],
    ]);
    expect(result.total).toBe(6);
    expect(result.truncated).toBe(true);
    expect(engine.search('x', { limit: 6 }).truncated).toBe(false);
  });

  it('keeps only the sources a filter or a list of ids accepts', () => {
    expect(engine.search('x', { filter: (_id, kind) => kind === 'memo' }).sources.map((s) => s.sourceId)).toEqual(['m1']);
    expect(engine.search('x', { sourceIds: ['d2', 'gone'] }).sources.map((s) => s.sourceId)).toEqual(['d2']);
  });

  it('searches only inside the given spans, before requiring every word', () => {
    const e = engineWith(doc('d1', 'open data here, open source there'), doc('d2', 'open data'));
    const within = { d1: [{ start: 0, end: 14 }] };
    expect(matched(e, e.search('open', { within }))).toEqual({ d1: ['open'] });
    expect(e.search('open source', { within }).total).toBe(0);
    expect(e.search('open -source', { within }).total).toBe(1);
  });

  it('attaches snippets when asked', () => {
    const e = engineWith(doc('d1', 'We talked about the open licence at length.'));
    expect(e.search('licence', { context: 11 }).sources[0]!.hits[0]!.snippet).toEqual({ before: '…the open ', match: 'licence', after: ' at length.' });
  });
});

describe('SearchEngine: snapshots', () => {
  it('survives structured cloning and answers the same', () => {
    const engine = engineWith(doc('d1', 'open data, open licence'), memo('m1', 'the licence memo'));
    const copy = SearchEngine.fromSnapshot(structuredClone(engine.snapshot()));
    expect(copy!.search('licen* open').sources).toEqual(engine.search('licen* open').sources);
    expect(copy!.text('m1')).toBe('the licence memo');
  });

  it('refuses a snapshot made by another tokenizer version', () => {
    const snapshot = { ...engineWith(doc('d1', 'x')).snapshot(), tokenizerVersion: -1 };
    expect(SearchEngine.fromSnapshot(snapshot)).toBeNull();
  });

  it('lists the buffers to transfer', () => {
    const snapshot = engineWith(doc('d1', 'x'), doc('d2', 'y')).snapshot();
    expect(snapshotTransferables(snapshot)).toHaveLength(8);
  });
});
