import { beforeAll, describe, expect, it } from 'vitest';
import { generateLargeStudy } from '../../fixtures/large-study/generate.ts';
import { SearchEngine, type SearchSource } from './index.ts';

/** Occurrences of a word, prefix or phrase of plain ASCII words, counted by a regular expression. */
function naiveCount(text: string, words: string[], prefix = false): number {
  const body = words.join('[^\\p{L}\\p{N}]+');
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${body}${prefix ? '[\\p{L}\\p{N}]*' : '(?![\\p{L}\\p{N}])'}`, 'giu');
  return text.match(re)?.length ?? 0;
}

describe('search over the large study (200 transcripts, 400 memos)', () => {
  let sources: SearchSource[];
  let engine: SearchEngine;

  beforeAll(() => {
    const records = generateLargeStudy();
    sources = [
      ...records.texts.map((t): SearchSource => ({ id: t.id, kind: 'document', text: t.text })),
      ...records.memos.map((m): SearchSource => ({ id: m.id, kind: 'memo', text: m.text })),
    ];
    const started = performance.now();
    engine = new SearchEngine();
    for (const s of sources) engine.addSource(s);
    const { tokens, terms, textChars, indexBytes } = engine.stats();
    console.log(
      `search index: ${sources.length} sources, ${tokens} tokens, ${terms} terms, ${textChars} characters, built in ${Math.round(performance.now() - started)} ms, index ~${Math.round(indexBytes / 1e6)} MB besides the texts`,
    );
  }, 60_000);

  it('finds a word inserted at a known offset exactly once, there', () => {
    const target = sources[57]!;
    const at = target.text.indexOf('\n\n', 30_000) + 2;
    engine.addSource({ ...target, text: `${target.text.slice(0, at)}Quokka ${target.text.slice(at)}` });
    const result = engine.search('quokka');
    expect(result.total).toBe(1);
    expect(result.sources[0]!.hits).toEqual([{ sourceId: target.id, kind: 'document', start: at, end: at + 6 }]);
    engine.addSource(target);
    expect(engine.search('quokka').total).toBe(0);
  });

  it('counts what a regular expression counts, for words, phrases, prefixes and AND', () => {
    const expected = (terms: { words: string[]; prefix?: boolean }[]) => {
      let total = 0;
      for (const s of sources) {
        const counts = terms.map((t) => naiveCount(s.text, t.words, t.prefix));
        if (counts.every((c) => c > 0)) total += counts.reduce((a, b) => a + b, 0);
      }
      return total;
    };
    expect(engine.search('licence').total).toBe(expected([{ words: ['licence'] }]));
    expect(engine.search('"training run"').total).toBe(expected([{ words: ['training', 'run'] }]));
    expect(engine.search('"the whole national"').total).toBe(expected([{ words: ['the', 'whole', 'national'] }]));
    expect(engine.search('benchmark*').total).toBe(expected([{ words: ['benchmark'], prefix: true }]));
    expect(engine.search('hugging volunteers').total).toBe(expected([{ words: ['hugging'] }, { words: ['volunteers'] }]));
    expect(engine.search('licence').total).toBeGreaterThan(1000);
  });

  it('returns the same counts with a limit as without', () => {
    for (const q of ['the', 't*', 'compute grant', '"on hugging face"']) {
      const all = engine.search(q);
      const capped = engine.search(q, { limit: 100 });
      expect([capped.total, capped.sources.map((s) => s.count)]).toEqual([all.total, all.sources.map((s) => s.count)]);
      expect(capped.sources.flatMap((s) => s.hits)).toEqual(all.sources.flatMap((s) => s.hits).slice(0, 100));
    }
  });

  it('answers a set of queries (timings printed, not asserted)', () => {
    const queries = [
      'licence', 'the', 'volunteers', 'dataset', 'fine-tun*', '"fine tuned"', '"training run"', '"the community"', 'co*', 'a*',
      't*', 'licen*', '"open licen*"', 'compute grant', '"on hugging face"', 'zebra', 'Frankly', '"the whole national"', 'model -licence',
      '"could you tell me"',
    ];
    const medians: number[] = [];
    for (const q of queries) {
      const times: number[] = [];
      for (let k = 0; k < 7; k += 1) {
        const started = performance.now();
        engine.search(q, { limit: 500, context: 60 });
        times.push(performance.now() - started);
      }
      medians.push(times.sort((a, b) => a - b)[3]!);
    }
    medians.sort((a, b) => a - b);
    console.log(`search query (limit 500, snippets): median ${medians[10]!.toFixed(2)} ms, slowest ${medians[medians.length - 1]!.toFixed(2)} ms over ${queries.length} queries`);
    expect(medians).toHaveLength(queries.length);
  });
});
