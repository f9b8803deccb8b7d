/** The segments behind a matrix cell: readable, attributed to case and participant, each one click from its transcript. */
import { useEffect, useRef } from 'react';
import { routeHash } from '../../app/route.ts';

export interface DrillItem {
  segmentId: string;
  documentId: string;
  documentTitle: string;
  caseName: string | null;
  participantNames: string[];
  text: string;
  /** A coding on the segment, to open the transcript at it. */
  codingId?: string | null;
}

const LIMIT = 200;

export function DrillDown({ studyId, items, title, onClose }: { studyId: string; items: readonly DrillItem[]; title: string; onClose: () => void }) {
  const ref = useRef<HTMLElement>(null);
  // Bring the evidence into view; the keyboard focus stays in the matrix.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [title]);
  return (
    <section ref={ref} className="drill-down" aria-labelledby="drill-title" aria-live="polite">
      <header>
        <h2 id="drill-title">
          {title}: {items.length} {items.length === 1 ? 'segment' : 'segments'}
        </h2>
        <button type="button" className="quiet" onClick={onClose}>
          Close<span className="visually-hidden"> the segments</span>
        </button>
      </header>
      {items.length === 0 ? (
        <p className="hint">No segment lies behind this cell.</p>
      ) : (
        <ol className="drill-list">
          {items.slice(0, LIMIT).map((item) => (
            <li key={item.segmentId}>
              <p className="drill-meta">
                <strong>{item.caseName ?? 'No case'}</strong>
                {item.participantNames.length > 0 && <span>{item.participantNames.join(', ')}</span>}
                <span>{item.documentTitle}</span>
                <a href={routeHash({ screen: 'study', studyId, area: 'coding', item: item.documentId, focus: item.codingId ?? null })}>Open in transcript</a>
              </p>
              <blockquote>{item.text}</blockquote>
            </li>
          ))}
        </ol>
      )}
      {items.length > LIMIT && <p className="hint">The first {LIMIT} of {items.length} segments are shown; narrow the filters to read the rest.</p>}
    </section>
  );
}
