import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.ts';

describe('parseQuery', () => {
  it('reads bare words, folded, all required', () => {
    expect(parseQuery('Licence  Volunteers')).toEqual({
      input: 'Licence  Volunteers',
      terms: [
        { kind: 'word', tokens: [{ term: 'licence', prefix: false }], exclude: false, text: 'Licence' },
        { kind: 'word', tokens: [{ term: 'volunteers', prefix: false }], exclude: false, text: 'Volunteers' },
      ],
      notices: [],
    });
  });

  it('reads quoted phrases, with straight or typographic quotes', () => {
    const { terms } = parseQuery('"open data" “Model Card”');
    expect(terms.map((t) => [t.kind, t.tokens.map((k) => k.term)])).toEqual([
      ['phrase', ['open', 'data']],
      ['phrase', ['model', 'card']],
    ]);
  });

  it('makes a phrase of one word that tokenises to several', () => {
    expect(parseQuery('fine-tune').terms[0]).toEqual({
      kind: 'phrase',
      tokens: [
        { term: 'fine', prefix: false },
        { term: 'tune', prefix: false },
      ],
      exclude: false,
      text: 'fine-tune',
    });
  });

  it('reads prefixes, alone or as a word of a phrase', () => {
    expect(parseQuery('licen* "open licen*"').terms.map((t) => [t.kind, t.tokens])).toEqual([
      ['prefix', [{ term: 'licen', prefix: true }]],
      [
        'phrase',
        [
          { term: 'open', prefix: false },
          { term: 'licen', prefix: true },
        ],
      ],
    ]);
  });

  it('reads exclusions of words and phrases, but not a hyphen inside a word or alone', () => {
    const { terms, notices } = parseQuery('model -licence -"model card" co-design -');
    expect(terms.map((t) => [t.text, t.exclude])).toEqual([
      ['model', false],
      ['licence', true],
      ['model card', true],
      ['co-design', false],
    ]);
    expect(notices).toEqual([{ kind: 'ignored-term', text: '-', message: '"-" has no letters or digits to search for.' }]);
  });

  it('runs an unclosed quote to the end of the query and says so', () => {
    const parsed = parseQuery('volunteers "open data sharing');
    expect(parsed.terms.map((t) => [t.kind, t.text])).toEqual([
      ['word', 'volunteers'],
      ['phrase', 'open data sharing'],
    ]);
    expect(parsed.notices).toEqual([
      {
        kind: 'unbalanced-quote',
        at: 11,
        message: 'The quote at position 12 is not closed: searching for the phrase "open data sharing" to the end of the query.',
      },
    ]);
  });

  it('reports a query that only excludes', () => {
    expect(parseQuery('-licence').notices).toEqual([{ kind: 'only-exclusions', message: 'The query only excludes: add a word or phrase to search for.' }]);
  });

  it('ignores terms without letters or digits, and an empty query has no terms and no notices', () => {
    expect(parseQuery('* ?! ""').terms).toEqual([]);
    expect(parseQuery('* ?!').notices.map((n) => n.kind)).toEqual(['ignored-term', 'ignored-term']);
    expect(parseQuery('   ')).toEqual({ input: '   ', terms: [], notices: [] });
  });
});
