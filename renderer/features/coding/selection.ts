/**
 * Maps between the DOM selection in the transcript and UTF-16 offsets into the document
 * text. Every element that holds transcript text carries `data-start` (the offset of its
 * first character) and exactly one text node; anything else in the transcript (timestamps,
 * labels) is marked `data-nontext` and never counts.
 */
export interface OffsetSpan {
  start: number;
  end: number;
}

function textElementOf(node: Node): HTMLElement | null {
  const element = node instanceof HTMLElement ? node : node.parentElement;
  return element?.closest<HTMLElement>('[data-start]') ?? null;
}

function pieceEnd(element: HTMLElement): number {
  return Number(element.dataset['start']) + (element.textContent?.length ?? 0);
}

function textPieces(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('[data-start]')).filter((p) => !p.closest('[data-nontext]'));
}

/**
 * The text offset of a DOM boundary point inside `root`, or null when it is outside. A point
 * inside a text piece maps directly; any other point (an element edge, a timestamp, the
 * margin) maps to the start of the first text piece after it, or to the end of the text.
 */
export function pointToOffset(root: HTMLElement, node: Node, offset: number): number | null {
  if (!root.contains(node)) return null;
  if (node.nodeType === Node.TEXT_NODE) {
    const element = textElementOf(node);
    if (element && !element.closest('[data-nontext]')) return Number(element.dataset['start']) + offset;
  }
  const point = document.createRange();
  point.setStart(node, offset);
  const pieces = textPieces(root);
  // comparePoint(piece, 0) >= 0: the piece starts at or after the point.
  const next = pieces.find((piece) => point.comparePoint(piece, 0) >= 0);
  if (next) return Number(next.dataset['start']);
  const last = pieces.at(-1);
  return last ? pieceEnd(last) : null;
}

/** The current selection as text offsets within `root`, or null (collapsed, or not in root). */
export function selectionOffsets(root: HTMLElement): OffsetSpan | null {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const start = pointToOffset(root, range.startContainer, range.startOffset);
  const end = pointToOffset(root, range.endContainer, range.endOffset);
  if (start === null || end === null || start >= end) return null;
  return { start, end };
}

/** Selects [start, end) in the transcript, when those characters are rendered. */
export function selectOffsets(root: HTMLElement, span: OffsetSpan): boolean {
  const locate = (offset: number, preferEnd: boolean) => {
    const pieces = Array.from(root.querySelectorAll<HTMLElement>('[data-start]')).filter((p) => !p.closest('[data-nontext]'));
    for (const piece of pieces) {
      const start = Number(piece.dataset['start']);
      const end = pieceEnd(piece);
      if (offset > start && offset < end) return { node: piece.firstChild!, offset: offset - start };
      if (offset === start && !preferEnd) return { node: piece.firstChild!, offset: 0 };
      if (offset === end && preferEnd) return { node: piece.firstChild!, offset: end - start };
    }
    return null;
  };
  const a = locate(span.start, false);
  const b = locate(span.end, true);
  const selection = window.getSelection();
  if (!a || !b || !selection) return false;
  const range = document.createRange();
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  selection.removeAllRanges();
  selection.addRange(range);
  return true;
}
