import { describe, expect, it } from 'vitest';
import { applyCodes, changeCode, moveCoding, removeCodings, snapToWords, stepByWord, trimSpan, type DocumentCodings, type OperationContext } from './operations.ts';

const text = 'P01: We share weights with trusted partners. Then others fine-tune them.';
const at = (phrase: string) => ({ start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length });

function context(keep: string[] = []): OperationContext {
  let n = 0;
  return { newId: () => `id${++n}`, now: '2026-02-01T00:00:00.000Z', keepSegmentIds: new Set(keep) };
}
const empty: DocumentCodings = { studyId: 's', documentId: 'd', text, segments: [], codings: [] };

function coded(): DocumentCodings {
  const r = applyCodes(empty, [{ ...at('share weights'), codeId: 'weights', coderId: 'ana' }], context());
  if (!r.ok) throw new Error(r.reason);
  return r.state;
}

describe('applyCodes', () => {
  it('creates a segment with the cached text and a coding by the coder', () => {
    const state = coded();
    expect(state.segments).toEqual([
      { id: 'id1', studyId: 's', createdAt: '2026-02-01T00:00:00.000Z', modifiedAt: '2026-02-01T00:00:00.000Z', createdBy: 'ana', documentId: 'd', ...at('share weights'), text: 'share weights' },
    ]);
    expect(state.codings.map((c) => [c.id, c.segmentId, c.codeId, c.coderId, c.documentId])).toEqual([['id2', 'id1', 'weights', 'ana', 'd']]);
  });

  it('shares the segment of an identical span, allows overlaps, and skips a repeat', () => {
    const r = applyCodes(
      coded(),
      [
        { ...at('share weights'), codeId: 'trust', coderId: 'ana' },
        { ...at('weights with trusted'), codeId: 'trust', coderId: 'ana' },
        { ...at('share weights'), codeId: 'weights', coderId: 'ana' },
        { ...at('share weights'), codeId: 'weights', coderId: 'bo' },
      ],
      context(),
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.state.segments.map((s) => s.text)).toEqual(['share weights', 'weights with trusted']);
    expect(r.state.codings.map((c) => [c.segmentId === 'id1', c.codeId, c.coderId])).toEqual([
      [true, 'weights', 'ana'],
      [true, 'trust', 'ana'],
      [false, 'trust', 'ana'],
      [true, 'weights', 'bo'],
    ]);
    expect(r.codingIds).toHaveLength(3);
  });

  it('refuses spans outside the text or of white space only, and an exact repeat', () => {
    expect(applyCodes(empty, [{ start: 5, end: 999, codeId: 'x', coderId: 'ana' }], context())).toEqual({ ok: false, reason: `The selection 5–999 does not lie inside the transcript (0–${text.length}).` });
    expect(applyCodes(empty, [{ start: 4, end: 5, codeId: 'x', coderId: 'ana' }], context())).toMatchObject({ ok: false, reason: 'The selection holds only white space; select some words to code.' });
    expect(applyCodes(coded(), [{ ...at('share weights'), codeId: 'weights', coderId: 'ana' }], context())).toEqual({ ok: false, reason: 'That text already carries this code from you.' });
  });
});

describe('removeCodings', () => {
  it('removes the coding and its segment when nothing else needs it', () => {
    const r = removeCodings(coded(), ['id2'], context());
    expect(r).toMatchObject({ ok: true, state: { segments: [], codings: [] } });
  });
  it('keeps a segment that a memo or tie points at', () => {
    const r = removeCodings(coded(), ['id2'], context(['id1']));
    expect(r.ok && r.state.segments.map((s) => s.id)).toEqual(['id1']);
  });
});

describe('changeCode', () => {
  it('changes the code and refuses a code the coder already applied there', () => {
    const r = changeCode(coded(), 'id2', 'trust', context());
    expect(r.ok && r.state.codings[0]!.codeId).toBe('trust');
    const both = applyCodes(coded(), [{ ...at('share weights'), codeId: 'trust', coderId: 'ana' }], context());
    if (!both.ok) throw new Error(both.reason);
    expect(changeCode(both.state, 'id2', 'trust', context())).toEqual({ ok: false, reason: 'You have already applied that code to this text.' });
  });
});

describe('moveCoding', () => {
  it('moves a segment in place when the coding is alone on it', () => {
    const r = moveCoding(coded(), 'id2', at('share weights with trusted partners'), context());
    if (!r.ok) throw new Error(r.reason);
    expect(r.state.segments.map((s) => [s.id, s.text])).toEqual([['id1', 'share weights with trusted partners']]);
  });

  it('gives the coding a segment of its own when it shares one, leaving the others in place', () => {
    const shared = applyCodes(coded(), [{ ...at('share weights'), codeId: 'trust', coderId: 'bo' }], context());
    if (!shared.ok) throw new Error(shared.reason);
    let n = 100;
    const r = moveCoding(shared.state, 'id2', at('weights'), { ...context(), newId: () => `new${++n}` });
    if (!r.ok) throw new Error(r.reason);
    expect(r.state.segments.map((s) => [s.id, s.text])).toEqual([['id1', 'share weights'], ['new101', 'weights']]);
    const bosCoding = shared.state.codings[1]!.id;
    expect(r.state.codings.map((c) => [c.id, c.segmentId])).toEqual([['id2', 'new101'], [bosCoding, 'id1']]);
  });
});

describe('selection helpers', () => {
  it('trims white space and snaps to whole words', () => {
    const sloppy = { start: text.indexOf('hare we'), end: text.indexOf('ith trusted') + 2 };
    expect(text.slice(sloppy.start, sloppy.end)).toBe('hare weights wit');
    const snapped = snapToWords(text, sloppy);
    expect(text.slice(snapped.start, snapped.end)).toBe('share weights with');
    const padded = trimSpan(text, { start: text.indexOf(' We'), end: text.indexOf('We') + 3 });
    expect(text.slice(padded.start, padded.end)).toBe('We');
    const hyphenated = snapToWords(text, at('fine-tu'));
    expect(text.slice(hyphenated.start, hyphenated.end)).toBe('fine-tune');
  });
});

describe('stepByWord', () => {
  it('steps to the end of the next word, or the start of the previous one', () => {
    const s = text.indexOf('share');
    expect(text.slice(s, stepByWord(text, s, 1))).toBe('share');
    expect(text.slice(s, stepByWord(text, s + 5, 1))).toBe('share weights');
    expect(text.slice(stepByWord(text, s, -1), s)).toBe('We ');
    expect(stepByWord(text, 0, -1)).toBe(0);
    expect(stepByWord(text, text.length, 1)).toBe(text.length);
  });
});
