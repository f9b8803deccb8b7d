/**
 * How the presenter and the speaker notes screen (#/presenter-notes) talk: a
 * BroadcastChannel, which connects pages of the same origin — two app:// windows of the
 * desktop shell, or two tabs of the same browser. The presenter sends the state of the
 * presentation on every change and in reply to 'hello'; the notes screen sends the
 * presenter the keys and buttons pressed there. Whatever arrives is checked here (shape,
 * types, sizes, no extra fields) and anything else is ignored.
 */

export const PRESENTER_CHANNEL = 'cartography-presenter';

/** The keys presentation clickers send; the presenter and the notes screen both use them. */
export const NEXT_KEYS: ReadonlySet<string> = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter']);
export const PREVIOUS_KEYS: ReadonlySet<string> = new Set(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace']);

/** Presenter → notes: where the presentation is. `index` counts from 0. */
export interface PresenterState {
  type: 'state';
  index: number;
  count: number;
  title: string;
  notes: string;
  /** The next slide's title; null on the last slide. */
  nextTitle: string | null;
  /** When the presentation started (ms since the epoch), for the elapsed-time clock. */
  startedAt: number;
}

/** Presenter → notes: the presentation was left. */
export interface PresenterEnded {
  type: 'ended';
}

export type ToNotes = PresenterState | PresenterEnded;

/** Notes → presenter: 'hello' asks for the current state; the rest drive the presentation. */
export const NOTES_COMMANDS = ['hello', 'next', 'previous', 'first', 'last', 'leave'] as const;
export type NotesCommand = (typeof NOTES_COMMANDS)[number];
export interface ToPresenter {
  type: NotesCommand;
}

export const MAX_SLIDES = 10_000;
export const MAX_TITLE_LENGTH = 2_000;
export const MAX_NOTES_LENGTH = 200_000;

function record(data: unknown, keys: readonly string[]): Record<string, unknown> | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const proto = Object.getPrototypeOf(data) as unknown;
  if (proto !== Object.prototype && proto !== null) return null;
  const own = Object.keys(data);
  if (own.length !== keys.length || !keys.every((key) => own.includes(key))) return null;
  return data as Record<string, unknown>;
}

const text = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;
const whole = (value: unknown, min: number, max: number): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** A message for the notes screen, or null for anything else. */
export function parseToNotes(data: unknown): ToNotes | null {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  if (type === 'ended') return record(data, ['type']) ? { type: 'ended' } : null;
  if (type !== 'state') return null;
  const m = record(data, ['type', 'index', 'count', 'title', 'notes', 'nextTitle', 'startedAt']);
  if (m === null) return null;
  const { index, count, title, notes, nextTitle, startedAt } = m;
  if (!whole(count, 1, MAX_SLIDES) || !whole(index, 0, count - 1)) return null;
  if (!text(title, MAX_TITLE_LENGTH) || !text(notes, MAX_NOTES_LENGTH)) return null;
  if (nextTitle !== null && !text(nextTitle, MAX_TITLE_LENGTH)) return null;
  if ((nextTitle === null) !== (index === count - 1)) return null;
  if (typeof startedAt !== 'number' || !Number.isFinite(startedAt) || startedAt < 0) return null;
  return { type: 'state', index, count, title, notes, nextTitle, startedAt };
}

/** A message for the presenter, or null for anything else. */
export function parseToPresenter(data: unknown): ToPresenter | null {
  const m = record(data, ['type']);
  if (m === null) return null;
  const type = NOTES_COMMANDS.find((command) => command === m.type);
  return type === undefined ? null : { type };
}

/** The channel, or null where the page has none (BroadcastChannel is missing or refused). */
export function openPresenterChannel(): BroadcastChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  try {
    return new BroadcastChannel(PRESENTER_CHANNEL);
  } catch {
    return null;
  }
}

/** Elapsed time as a clock: "0:07", "12:34", "1:02:03". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

