/**
 * Presenting: the visible slides one at a time, full screen (the Fullscreen API on the
 * presenter; where that is refused — the desktop shell denies it, and so may a headless
 * browser — the presenter still covers the whole window). Keys are those presentation
 * clickers send: → ↓ Page Down Space Enter for the next slide, ← ↑ Page Up Backspace for the
 * previous one, Home and End, Escape to leave, N for the speaker notes beside the slide.
 *
 * The speaker notes can also follow on a second screen: the notes screen (#/presenter-notes,
 * NotesScreen.tsx) hears the presenter over a BroadcastChannel (presenter-channel.ts) and
 * drives it back. The desktop shell opens that screen in a window of its own when presenting
 * starts and closes it on leaving; in a browser, open it in another tab.
 */
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Slide as DeckSlide } from '../../../../shared/maps/deck.ts';
import type { MapTheme } from '../../../../shared/maps/svg.ts';
import { platform } from '../../../platform/platform.ts';
import { NEXT_KEYS, openPresenterChannel, parseToPresenter, PREVIOUS_KEYS, type NotesCommand, type ToNotes } from './presenter-channel.ts';
import { Slide, themeStyle } from './Slide.tsx';

export interface PresenterProps {
  slides: readonly DeckSlide[];
  startIndex: number;
  theme: MapTheme;
  mapUrls: ReadonlyMap<string, string>;
  footer: string;
  onClose: () => void;
}

/** Speaker notes: paragraphs at blank lines; lines starting "- " become a list. */
export function Notes({ text }: { text: string }) {
  const blocks = text.split(/\n\s*\n/).filter((b) => b.trim() !== '');
  if (blocks.length === 0) return <p>No notes for this slide.</p>;
  return (
    <>
      {blocks.map((block, i) => {
        const lines = block.split('\n');
        const items = lines.filter((l) => l.startsWith('- '));
        const rest = lines.filter((l) => !l.startsWith('- '));
        return (
          <div key={i} className="notes-block">
            {rest.length > 0 && <p>{rest.join(' ')}</p>}
            {items.length > 0 && (
              <ul>
                {items.map((l, j) => (
                  <li key={j}>{l.slice(2)}</li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </>
  );
}

export function Presenter({ slides, startIndex, theme, mapUrls, footer, onClose }: PresenterProps) {
  const [index, setIndex] = useState(() => Math.max(0, Math.min(slides.length - 1, startIndex)));
  // The side panel starts closed everywhere; with a notes window open (desktop) it stays so unless N asks.
  const [notesOpen, setNotesOpen] = useState(false);
  const [notesWindow, setNotesWindow] = useState(false);
  const [startedAt] = useState(() => Date.now());
  const rootRef = useRef<HTMLDivElement>(null);
  const wentFullscreen = useRef(false);
  const channel = useRef<BroadcastChannel | null>(null);
  const count = slides.length;
  const current = Math.min(index, count - 1);
  const slide = slides[current];
  const nextTitle = slides[current + 1]?.title ?? null;

  const leave = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    onClose();
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target instanceof HTMLElement ? event.target : null;
    // A focused button of the presenter keeps Enter and Space for itself.
    if ((event.key === 'Enter' || event.key === ' ') && target?.closest('button')) return;
    let handled = true;
    if (NEXT_KEYS.has(event.key)) setIndex((i) => Math.min(count - 1, i + 1));
    else if (PREVIOUS_KEYS.has(event.key)) setIndex((i) => Math.max(0, i - 1));
    else if (event.key === 'Home') setIndex(0);
    else if (event.key === 'End') setIndex(count - 1);
    else if (event.key === 'Escape') leave();
    else if (event.key === 'n' || event.key === 'N') setNotesOpen((open) => !open);
    else if (event.key === 'Tab') {
      // Keep the keyboard inside the presenter (it is a modal dialog).
      const focusable = [...(rootRef.current?.querySelectorAll<HTMLElement>('button') ?? [])];
      if (focusable.length === 0) return;
      const at = focusable.indexOf(document.activeElement as HTMLElement);
      const next = event.shiftKey ? (at <= 0 ? focusable.length - 1 : at - 1) : at === focusable.length - 1 ? 0 : at + 1;
      focusable[next]!.focus();
    } else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };
  const onKeyEvent = useEffectEvent(onKey);
  const onFullscreenLeft = useEffectEvent(() => onClose());

  const stateMessage = (): ToNotes | null =>
    slide ? { type: 'state', index: current, count, title: slide.title, notes: slide.notes, nextTitle, startedAt } : null;
  const send = (message: ToNotes | null) => {
    if (message) channel.current?.postMessage(message);
  };
  const onNotesCommand = useEffectEvent((command: NotesCommand) => {
    if (command === 'hello') send(stateMessage());
    else if (command === 'next') setIndex((i) => Math.min(count - 1, i + 1));
    else if (command === 'previous') setIndex((i) => Math.max(0, i - 1));
    else if (command === 'first') setIndex(0);
    else if (command === 'last') setIndex(count - 1);
    else leave();
  });

  // The notes screen(s): told the state on every change, heard for their keys and buttons, told when it ends.
  useEffect(() => {
    const opened = openPresenterChannel();
    if (!opened) return;
    channel.current = opened;
    opened.onmessage = (event: MessageEvent) => {
      const message = parseToPresenter(event.data);
      if (message) onNotesCommand(message.type);
    };
    const ended = () => opened.postMessage({ type: 'ended' } satisfies ToNotes);
    // Closing or reloading the presenter's page ends the presentation too.
    window.addEventListener('pagehide', ended);
    return () => {
      window.removeEventListener('pagehide', ended);
      ended();
      opened.close();
      if (channel.current === opened) channel.current = null;
    };
  }, []);
  const announce = useEffectEvent(() => send(stateMessage()));
  const title = slide?.title;
  const notes = slide?.notes;
  useEffect(() => announce(), [current, count, title, notes, nextTitle]);

  // The desktop opens the notes in a window of their own (one at most), and closes it on leaving.
  useEffect(() => {
    if (platform.kind !== 'desktop') return;
    let live = true;
    platform.openPresenterNotes().then(
      (opened) => {
        if (live) setNotesWindow(opened);
      },
      () => undefined,
    );
    return () => {
      live = false;
      void platform.closePresenterNotes().catch(() => undefined);
    };
  }, []);

  // Every slide hidden or gone meanwhile (the deck follows the study live): nothing left to present.
  useEffect(() => {
    if (count === 0) onFullscreenLeft();
  }, [count]);

  // Keys from anywhere while presenting (capture: before the app's own shortcuts).
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyEvent(event);
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, []);

  // Full screen when the browser allows it; leaving full screen (Escape, F11, the browser's own
  // controls) leaves the presentation.
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    root.focus();
    const onChange = () => {
      if (document.fullscreenElement === root) wentFullscreen.current = true;
      else if (wentFullscreen.current) onFullscreenLeft();
    };
    document.addEventListener('fullscreenchange', onChange);
    if (typeof root.requestFullscreen === 'function') void root.requestFullscreen({ navigationUI: 'hide' }).catch(() => undefined);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      if (document.fullscreenElement === root) void document.exitFullscreen().catch(() => undefined);
    };
  }, []);

  if (!slide) return null;
  return createPortal(
    <div
      ref={rootRef}
      className={`presenter presenter-theme-${theme}${notesOpen ? ' with-notes' : ''}`}
      style={themeStyle(theme)}
      role="dialog"
      aria-modal="true"
      aria-label="Presentation"
      tabIndex={-1}
    >
      <div className="presenter-stage">
        <Slide slide={slide} theme={theme} mapUrl={mapUrls.get(slide.id)} footer={footer} index={current + 1} count={count} />
      </div>
      {notesOpen && (
        <aside className="presenter-notes" aria-label="Speaker notes">
          <h2>Speaker notes</h2>
          <Notes text={slide.notes} />
        </aside>
      )}
      <div className="presenter-bar" role="toolbar" aria-label="Presentation controls">
        <button type="button" aria-keyshortcuts="ArrowLeft PageUp" aria-disabled={current === 0} onClick={() => setIndex((i) => Math.max(0, i - 1))}>
          ← Previous
        </button>
        <span className="presenter-counter" aria-hidden="true">{`${current + 1} / ${count}`}</span>
        <button type="button" aria-keyshortcuts="ArrowRight PageDown Space" aria-disabled={current === count - 1} onClick={() => setIndex((i) => Math.min(count - 1, i + 1))}>
          Next →
        </button>
        <span className="visually-hidden" aria-live="polite">{`Slide ${current + 1} of ${count}: ${slide.title}`}</span>
        <span className="presenter-hint">→ Space next · ← previous · N notes{notesWindow ? ' (also in the notes window)' : ''} · Esc leave</span>
        <button type="button" aria-pressed={notesOpen} aria-keyshortcuts="N" onClick={() => setNotesOpen((open) => !open)}>
          Notes
        </button>
        <button type="button" aria-keyshortcuts="Escape" onClick={leave}>
          Leave
        </button>
      </div>
    </div>,
    document.body,
  );
}
