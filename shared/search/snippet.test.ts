import { describe, expect, it } from 'vitest';
import { snippet } from './snippet.ts';

describe('snippet', () => {
  const text = 'one two three four five six seven eight nine ten';
  const at = (word: string) => ({ start: text.indexOf(word), end: text.indexOf(word) + word.length });

  it('cuts the context at whitespace, never inside a word, with ellipses where text was left out', () => {
    expect(snippet(text, at('five'), 8)).toEqual({ before: '…four ', match: 'five', after: ' six…' });
  });

  it('adds no ellipsis at the start or end of the text', () => {
    expect(snippet(text, at('one'), 8)).toEqual({ before: '', match: 'one', after: ' two…' });
    expect(snippet(text, at('ten'), 11)).toEqual({ before: '…eight nine ', match: 'ten', after: '' });
    expect(snippet(text, at('five'), 100)).toEqual({ before: 'one two three four ', match: 'five', after: ' six seven eight nine ten' });
  });

  it('shows line breaks and runs of whitespace as one space', () => {
    const t = 'Interviewer: Why?\n\nP001: Because   of the\nlicence.';
    const start = t.indexOf('of the');
    expect(snippet(t, { start, end: start + 'of the\nlicence'.length }, 20)).toEqual({ before: '…P001: Because ', match: 'of the licence', after: '.' });
  });

  it('cuts a text without spaces where the window ends, but not inside a surrogate pair', () => {
    const t = `${'🙂'.repeat(10)}word${'🙂'.repeat(10)}`;
    expect(snippet(t, { start: 20, end: 24 }, 3)).toEqual({ before: '…🙂', match: 'word', after: '🙂…' });
  });
});
