import { describe, expect, it } from 'vitest';
import {
  formatElapsed,
  MAX_NOTES_LENGTH,
  MAX_SLIDES,
  MAX_TITLE_LENGTH,
  NEXT_KEYS,
  openPresenterChannel,
  parseToNotes,
  parseToPresenter,
  PRESENTER_CHANNEL,
  PREVIOUS_KEYS,
  type PresenterState,
} from './presenter-channel.ts';

const state: PresenterState = { type: 'state', index: 2, count: 9, title: 'Onboarding: challenges and on-ramps', notes: 'Top challenges…\n\n- one', nextTitle: 'Maintenance: cathedral or bazaar?', startedAt: 1_700_000_000_000 };

describe('parseToNotes', () => {
  it('accepts a well-formed state and the end of the presentation', () => {
    expect(parseToNotes(state)).toEqual(state);
    expect(parseToNotes({ ...state, index: 8, nextTitle: null })).toEqual({ ...state, index: 8, nextTitle: null });
    expect(parseToNotes({ ...state, index: 0, count: 1, nextTitle: null, notes: '', title: '' })).not.toBeNull();
    expect(parseToNotes({ type: 'ended' })).toEqual({ type: 'ended' });
  });

  it('returns a fresh object with only the known fields', () => {
    const parsed = parseToNotes(state);
    expect(parsed).not.toBe(state);
    expect(Object.keys(parsed!)).toEqual(['type', 'index', 'count', 'title', 'notes', 'nextTitle', 'startedAt']);
  });

  it.each([
    ['null', null],
    ['a string', 'state'],
    ['a number', 3],
    ['an array', [state]],
    ['no type', { ...state, type: undefined }],
    ['an unknown type', { ...state, type: 'goto' }],
    ['a command meant for the presenter', { type: 'next' }],
    ['an extra field', { ...state, html: '<img onerror=alert(1)>' }],
    ['an extra field on ended', { type: 'ended', index: 1 }],
    ['a missing field', (({ startedAt: _, ...rest }) => rest)(state)],
    ['an index past the end', { ...state, index: 9 }],
    ['a negative index', { ...state, index: -1 }],
    ['a fractional index', { ...state, index: 1.5 }],
    ['an index as text', { ...state, index: '2' }],
    ['no slides', { ...state, index: 0, count: 0 }],
    ['too many slides', { ...state, count: MAX_SLIDES + 1 }],
    ['NaN count', { ...state, count: Number.NaN }],
    ['a title that is not text', { ...state, title: 42 }],
    ['a title too long', { ...state, title: 'x'.repeat(MAX_TITLE_LENGTH + 1) }],
    ['notes that are not text', { ...state, notes: ['a'] }],
    ['notes too long', { ...state, notes: 'x'.repeat(MAX_NOTES_LENGTH + 1) }],
    ['a next title that is not text', { ...state, nextTitle: 7 }],
    ['a next title missing before the last slide', { ...state, nextTitle: null }],
    ['a next title on the last slide', { ...state, index: 8 }],
    ['an infinite start', { ...state, startedAt: Number.POSITIVE_INFINITY }],
    ['a negative start', { ...state, startedAt: -1 }],
    ['a start as text', { ...state, startedAt: '2025-01-01' }],
    ['an object with another prototype', Object.assign(Object.create({ inherited: true }) as object, state)],
  ])('ignores %s', (_label, data) => {
    expect(parseToNotes(data)).toBeNull();
  });
});

describe('parseToPresenter', () => {
  it.each(['hello', 'next', 'previous', 'first', 'last', 'leave'])('accepts %s', (type) => {
    expect(parseToPresenter({ type })).toEqual({ type });
  });

  it.each([null, undefined, 'next', ['next'], {}, { type: 'NEXT' }, { type: 'state' }, { type: 'ended' }, { type: 'goto', index: 3 }, { type: 'next', index: 3 }, { type: 7 }])(
    'ignores %j',
    (data) => {
      expect(parseToPresenter(data)).toBeNull();
    },
  );
});

describe('the channel', () => {
  it('connects two ends of the same name (as two windows or tabs of the app would)', async () => {
    const presenter = openPresenterChannel();
    const notes = openPresenterChannel();
    expect(presenter).not.toBeNull();
    try {
      expect(presenter!.name).toBe(PRESENTER_CHANNEL);
      const received = new Promise<unknown>((resolve) => {
        notes!.onmessage = (event: MessageEvent) => resolve(event.data);
      });
      presenter!.postMessage(state);
      expect(parseToNotes(await received)).toEqual(state);
    } finally {
      presenter?.close();
      notes?.close();
    }
  });
});

describe('keys', () => {
  it('are those clickers send, none in both sets', () => {
    expect([...NEXT_KEYS]).toEqual(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter']);
    expect([...PREVIOUS_KEYS]).toEqual(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace']);
    expect([...NEXT_KEYS].filter((key) => PREVIOUS_KEYS.has(key))).toEqual([]);
  });
});

describe('formatElapsed', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [7_000, '0:07'],
    [754_000, '12:34'],
    [3_600_000, '1:00:00'],
    [3_723_000, '1:02:03'],
    [-5_000, '0:00'],
  ])('%i ms is %s', (ms, shown) => {
    expect(formatElapsed(ms)).toBe(shown);
  });
});
