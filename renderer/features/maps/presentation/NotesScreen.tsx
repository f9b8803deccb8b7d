/**
 * The speaker notes screen (#/presenter-notes): the notes of the current slide in large
 * type, the slide's title and place ("3 / 9"), the next slide's title and the time since
 * the presentation started, with Previous and Next. It shows what the presenter sends over
 * the presenter channel (presenter-channel.ts) and sends back the keys and buttons pressed
 * here — the presenter's keys: → ↓ Page Down Space Enter next, ← ↑ Page Up Backspace
 * previous, Home, End, Escape to leave (↑ ↓ scroll the notes while they have focus). The desktop opens it in a window of its own; in a
 * browser, open it in another tab or window of the same address.
 */
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { platform } from '../../../platform/platform.ts';
import { Notes } from './Presenter.tsx';
import { formatElapsed, NEXT_KEYS, openPresenterChannel, parseToNotes, PREVIOUS_KEYS, type NotesCommand, type PresenterState, type ToPresenter } from './presenter-channel.ts';
import './presentation.css';

type Status = { kind: 'waiting' } | { kind: 'unavailable' } | { kind: 'presenting'; state: PresenterState } | { kind: 'ended'; last: PresenterState | null };

const TITLE = 'Speaker notes — Cartography';

export function NotesScreen() {
  const [status, setStatus] = useState<Status>({ kind: 'waiting' });
  const [now, setNow] = useState(() => Date.now());
  const channel = useRef<BroadcastChannel | null>(null);
  const state = status.kind === 'presenting' ? status.state : null;

  useEffect(() => {
    const previous = document.title;
    document.title = TITLE;
    return () => {
      document.title = previous;
    };
  }, []);

  // Listen first, then say hello: a presenter already running answers with its state.
  useEffect(() => {
    const opened = openPresenterChannel();
    if (!opened) {
      setStatus({ kind: 'unavailable' });
      return;
    }
    channel.current = opened;
    opened.onmessage = (event: MessageEvent) => {
      const message = parseToNotes(event.data);
      if (message === null) return;
      if (message.type === 'state') setStatus({ kind: 'presenting', state: message });
      else setStatus((was) => ({ kind: 'ended', last: was.kind === 'presenting' ? was.state : was.kind === 'ended' ? was.last : null }));
    };
    opened.postMessage({ type: 'hello' } satisfies ToPresenter);
    return () => {
      opened.close();
      if (channel.current === opened) channel.current = null;
    };
  }, []);

  // The elapsed-time clock ticks while the presentation runs.
  const running = state !== null;
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);

  const send = (type: NotesCommand) => channel.current?.postMessage({ type } satisfies ToPresenter);

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (!running || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target instanceof HTMLElement ? event.target : null;
    // A focused button keeps Enter and Space for itself; the focused notes keep ↑ ↓ to scroll.
    if ((event.key === 'Enter' || event.key === ' ') && target?.closest('button')) return;
    if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && target?.closest('.notes-screen-notes')) return;
    let command: NotesCommand | null = null;
    if (NEXT_KEYS.has(event.key)) command = 'next';
    else if (PREVIOUS_KEYS.has(event.key)) command = 'previous';
    else if (event.key === 'Home') command = 'first';
    else if (event.key === 'End') command = 'last';
    else if (event.key === 'Escape') command = 'leave';
    if (command === null) return;
    event.preventDefault();
    send(command);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  return (
    <main id="main" className="notes-screen" aria-labelledby="notes-screen-heading">
      <h1 id="notes-screen-heading" className="visually-hidden">
        Speaker notes
      </h1>
      {state ? (
        <>
          <div className="notes-screen-bar">
            <p className="notes-screen-counter">
              <span className="visually-hidden">Slide </span>
              {`${state.index + 1} / ${state.count}`}
            </p>
            <p className="notes-screen-clock">
              <span className="notes-screen-clock-label">Elapsed </span>
              <span role="timer">{formatElapsed(now - state.startedAt)}</span>
            </p>
          </div>
          <h2 className="notes-screen-title">{state.title}</h2>
          {/* Focusable so long notes scroll from the keyboard (↑ ↓ while it has focus). */}
          <section className="notes-screen-notes" aria-label="Notes for this slide" tabIndex={0}>
            <Notes text={state.notes} />
          </section>
          <p className="notes-screen-next">
            {state.nextTitle === null ? (
              'Last slide'
            ) : (
              <>
                <span className="notes-screen-next-label">Next: </span>
                <span className="notes-screen-next-title">{state.nextTitle}</span>
              </>
            )}
          </p>
          <div className="notes-screen-controls" role="toolbar" aria-label="Presentation controls">
            <button type="button" aria-keyshortcuts="ArrowLeft PageUp" aria-disabled={state.index === 0} onClick={() => send('previous')}>
              ← Previous
            </button>
            <button type="button" aria-keyshortcuts="ArrowRight PageDown Space" aria-disabled={state.index === state.count - 1} onClick={() => send('next')}>
              Next →
            </button>
            <span className="notes-screen-hint">→ Space next · ← previous · Esc ends the presentation</span>
          </div>
        </>
      ) : (
        <div className="notes-screen-message">
          {status.kind === 'waiting' && (
            <>
              <h2>Waiting for the presentation</h2>
              <p>Start it in Maps → Presentation (Start presentation) in the other window or tab; the notes of each slide will follow here.</p>
            </>
          )}
          {status.kind === 'ended' && (
            <>
              <h2>The presentation has ended</h2>
              <p>
                {status.last ? `It ended at slide ${status.last.index + 1} of ${status.last.count}. ` : ''}Start it again and the notes will follow here, or close
                this {platform.kind === 'desktop' ? 'window' : 'tab'}.
              </p>
            </>
          )}
          {status.kind === 'unavailable' && (
            <>
              <h2>Speaker notes cannot follow the presentation here</h2>
              <p>This browser does not let two pages of Cartography talk to each other. Press N while presenting to show the notes beside the slide.</p>
            </>
          )}
        </div>
      )}
      <p className="visually-hidden" role="status">
        {state ? `Slide ${state.index + 1} of ${state.count}: ${state.title}` : status.kind === 'ended' ? 'The presentation has ended.' : ''}
      </p>
    </main>
  );
}
