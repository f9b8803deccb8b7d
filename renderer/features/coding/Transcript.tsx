/**
 * The transcript, rendered for long documents: one element per speaker turn or paragraph
 * (never one giant text node), the first screenful at once and the rest in idle slices,
 * with `content-visibility: auto` so off-screen blocks cost no layout. Each text piece
 * carries its offset (`data-start`), so selections map back to UTF-16 offsets.
 *
 * The container is a read-only contenteditable: it gives a real caret, so Shift+arrows
 * select text from the keyboard; every edit is refused before it happens.
 */
import { forwardRef, memo, useEffect, useImperativeHandle, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type MouseEvent } from 'react';
import { bucketRanges, formatTime, piecesOf, type TextBlock } from '../../../shared/text/blocks.ts';

export interface Highlight {
  codingId: string;
  start: number;
  end: number;
  color: string;
  label: string;
  title: string;
}

const FIRST_SLICE = 150;
const NO_HIGHLIGHTS: readonly Highlight[] = [];
const SLICE = 400;
// "[00:01:02] Name:" or "Name:" at the start of a turn: shown as the speaker's label.
const LABEL = /^(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?[^:\n]{1,40}:/;

interface BlockProps {
  block: TextBlock;
  text: string;
  highlights: Highlight[];
  selectedCodingId: string | null;
  /** Changes whenever anything this block shows changes (memo key). */
  signature: string;
}

const Block = memo(
  function Block({ block, text, highlights, selectedCodingId }: BlockProps) {
    const body = text.slice(block.start, block.end);
    const labelMatch = block.speaker ? LABEL.exec(body) : null;
    const labelEnd = labelMatch ? block.start + labelMatch[0].length : block.start;
    const cuts = labelEnd > block.start ? [...highlights, { start: block.start, end: labelEnd, codingId: '', color: '', label: '', title: '' }] : highlights;
    const pieces = piecesOf(block.start, block.end, cuts);
    const starting = highlights.filter((h) => h.start >= block.start && h.start < block.end);
    return (
      <div className={`block${block.isInterviewer ? ' interviewer' : ''}`} data-block-start={block.start}>
        <div className="margin" data-nontext contentEditable={false} aria-hidden="true">
          {highlights.map((h) => (
            <span key={h.codingId} className={`stripe${h.codingId === selectedCodingId ? ' selected' : ''}`} style={{ '--code-color': h.color } as CSSProperties} title={h.title}>
              {starting.includes(h) && (
                <span className="stripe-label" style={{ top: `${starting.indexOf(h) * 1.35}em` }}>
                  {h.label}
                </span>
              )}
            </span>
          ))}
        </div>
        <p className="turn">
          {block.time !== null && (
            <span className="turn-time" data-nontext contentEditable={false}>
              {formatTime(block.time)}
            </span>
          )}
          {pieces.map((piece) => {
            const covering = piece.covering.filter((h) => h.codingId !== '');
            const isLabel = piece.start < labelEnd;
            const content = text.slice(piece.start, piece.end);
            if (covering.length === 0) {
              return (
                <span key={piece.start} data-start={piece.start} className={isLabel ? 'speaker' : undefined}>
                  {content}
                </span>
              );
            }
            const top = covering[covering.length - 1]!;
            const selected = covering.some((h) => h.codingId === selectedCodingId);
            return (
              <mark
                key={piece.start}
                data-start={piece.start}
                data-codings={covering.map((h) => h.codingId).join(' ')}
                className={`coded${covering.length > 1 ? ' overlap' : ''}${selected ? ' selected' : ''}${isLabel ? ' speaker' : ''}`}
                style={{ '--code-color': top.color } as CSSProperties}
                title={covering.map((h) => h.title).join('\n\n')}
              >
                {content}
              </mark>
            );
          })}
        </p>
      </div>
    );
  },
  (a, b) => a.signature === b.signature && a.text === b.text,
);

interface TranscriptProps {
  title: string;
  text: string;
  blocks: TextBlock[];
  highlights: Highlight[];
  selectedCodingId: string | null;
  /** Highlights not yet saved, shown at once. */
  pending?: readonly Highlight[];
  /** Render at least up to the block holding this offset at once (to show a chosen coding). */
  revealOffset?: number | null;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
  onClickText: (event: MouseEvent<HTMLDivElement>) => void;
}

export const Transcript = forwardRef<HTMLDivElement, TranscriptProps>(function Transcript({ title, text, blocks, highlights, selectedCodingId, pending = NO_HIGHLIGHTS, revealOffset = null, onKeyDown, onClickText }, forwardedRef) {
  const ref = useRef<HTMLDivElement | null>(null);
  useImperativeHandle(forwardedRef, () => ref.current!, []);
  // React's onBeforeInput is not the DOM's beforeinput: deletions, formatting and the
  // context menu's Delete only reach a native listener. Every edit is refused; an input
  // method (IME) cannot be refused, so composing leaves the transcript instead.
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const refuse = (event: Event) => event.preventDefault();
    const leave = () => element.blur();
    element.addEventListener('beforeinput', refuse);
    element.addEventListener('compositionstart', leave);
    return () => {
      element.removeEventListener('beforeinput', refuse);
      element.removeEventListener('compositionstart', leave);
    };
  }, []);
  const [rendered, setRendered] = useState(() => {
    const at = revealOffset === null ? -1 : blocks.findIndex((b) => b.end > revealOffset);
    return Math.max(FIRST_SLICE, at + 20);
  });
  useEffect(() => {
    if (rendered >= blocks.length) return;
    const handle = setTimeout(() => setRendered((n) => n + SLICE), 16);
    return () => clearTimeout(handle);
  }, [rendered, blocks.length]);

  // Highlights per block (each highlight goes to the blocks it overlaps, found by binary
  // search), and a signature so unchanged blocks skip re-rendering.
  const shown = blocks.slice(0, rendered);
  const buckets = useMemo(() => bucketRanges(shown, pending.length > 0 ? [...highlights, ...pending] : highlights), [shown.length, blocks, highlights, pending]); // eslint-disable-line react-hooks/exhaustive-deps
  const perBlock = shown.map((block, i) => {
    const inside = buckets[i]!;
    const signature = inside.map((h) => `${h.codingId}:${h.start}:${h.end}:${h.color}:${h.label}:${h.title}`).join('|') + (inside.some((h) => h.codingId === selectedCodingId) ? `#${selectedCodingId}` : '');
    return { block, inside, signature };
  });

  return (
    <div
      ref={ref}
      className="transcript"
      role="textbox"
      aria-readonly="true"
      aria-multiline="true"
      aria-label={`Transcript: ${title}. Select text with the mouse or with Shift and the arrow keys, then press Control K or a number key to code it.`}
      contentEditable
      suppressContentEditableWarning
      spellCheck={false}
      onBeforeInput={(e) => e.preventDefault()}
      onPaste={(e) => e.preventDefault()}
      onCut={(e) => e.preventDefault()}
      onDrop={(e) => e.preventDefault()}
      onKeyDown={onKeyDown}
      onClick={onClickText}
    >
      {perBlock.map(({ block, inside, signature }) => (
        <Block key={block.start} block={block} text={text} highlights={inside} selectedCodingId={selectedCodingId} signature={signature} />
      ))}
      {rendered < blocks.length && (
        <p className="loading-more" data-nontext contentEditable={false}>
          Loading the rest of the transcript…
        </p>
      )}
    </div>
  );
});
