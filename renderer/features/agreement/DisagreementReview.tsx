/**
 * The disagreements of one code, and the side-by-side review of the one chosen: the passage
 * in context once per coder, that coder's codings of the code marked in its colour, and the
 * team's decision (accept a coder, all of them, or neither, with a memo) written into the
 * consensus coder as one undoable change. Keyboard first: arrows move through the list,
 * 1–9 / B / N decide, as the buttons show.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { disagreementExtent, type Disagreement } from '../../../shared/analysis/agreement.ts';
import type { Guid } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { consensusMemoTitle, loadPassage, resolveDisagreement, type AgreementData } from '../../data/agreement.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { consensusState, passagePieces } from './agreement-view.ts';

const CONTEXT = 300;
/** Marks the disputed span in a column whose coder did not code it. */
const DISPUTED = '';

interface Props {
  studyId: Guid;
  /** The code's name path, for headings. */
  codeName: string;
  /** The code's own name, as the consensus memo's title carries it. */
  currentCodeName: string;
  disagreements: readonly Disagreement[];
  data: AgreementData;
  core: StudyCore;
  coderIds: readonly Guid[];
  onClose: () => void;
  /** True once after the researcher chose the code (not when the unit or coders changed). */
  takeFocus: () => boolean;
}

const isTextField = (target: EventTarget | null) => target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

const keyOf = (d: Disagreement) => `${d.documentId}|${d.start}|${d.end}`;

export function DisagreementReview({ studyId, codeName, currentCodeName, disagreements, data, core, coderIds, onClose, takeFocus }: Props) {
  // The selection follows the disagreement itself, so a list that changes after a resolution
  // (the consensus coder compared too) keeps the right one; its place is the fallback.
  const [selected, setSelected] = useState<{ key: string | null; index: number }>({ key: null, index: 0 });
  const listId = useId();
  const headingId = useId();
  const found = selected.key === null ? -1 : disagreements.findIndex((d) => keyOf(d) === selected.key);
  const index = found >= 0 ? found : Math.max(0, Math.min(selected.index, disagreements.length - 1));
  const current = disagreements[index];
  const coderName = (id: Guid) => core.coders.find((c) => c.id === id)?.name ?? 'Unknown coder';
  const documentTitle = (id: Guid) => data.documents.find((d) => d.id === id)?.title ?? 'Unknown document';
  const listRef = useRef<HTMLUListElement>(null);

  // Opened by choosing a code: the list takes the focus, so the keys work at once.
  useEffect(() => {
    if (!takeFocus()) return;
    listRef.current?.focus();
    listRef.current?.closest('section')?.scrollIntoView({ block: 'nearest' });
  }, [takeFocus]);

  const move = (to: number) => {
    const next = Math.max(0, Math.min(disagreements.length - 1, to));
    setSelected({ key: disagreements[next] ? keyOf(disagreements[next]) : null, index: next });
    listRef.current?.querySelector(`#${CSS.escape(`${listId}-${next}`)}`)?.scrollIntoView({ block: 'nearest' });
  };

  // Keys anywhere in the review but a text field: arrows (and Home/End in the list) move, 1–9 / B / N decide.
  const decideRef = useRef<((key: string) => boolean) | null>(null);
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTextField(event.target)) return;
    const inList = event.target === listRef.current;
    const keys: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, ...(inList ? { Home: 0, End: disagreements.length - 1 } : {}) };
    if (event.key in keys) {
      event.preventDefault();
      move(keys[event.key]!);
    } else if (decideRef.current?.(event.key)) {
      event.preventDefault();
    }
  };

  const consensus = { coderId: data.consensusCoderId, codings: data.codings, memos: data.consensusMemos };

  return (
    <section className="disagreement-review panel" aria-labelledby={headingId}>
      <header className="review-head">
        <h2 id={headingId}>Disagreements on “{codeName}”</h2>
        <button type="button" className="quiet" onClick={onClose}>
          Close
        </button>
      </header>
      {disagreements.length === 0 || !current ? (
        <p>The compared coders agree everywhere on this code: nothing to review.</p>
      ) : (
        <div className="review-layout" onKeyDown={onKey}>
          <div className="review-list">
            <p className="hint" id={`${listId}-hint`}>
              {disagreements.length} {disagreements.length === 1 ? 'passage' : 'passages'}; ↑ ↓ to move.
            </p>
            <ul
              ref={listRef}
              role="listbox"
              tabIndex={0}
              aria-label={`Disagreements on ${codeName}`}
              aria-describedby={`${listId}-hint`}
              aria-activedescendant={`${listId}-${index}`}
            >
              {disagreements.map((d, i) => {
                const state = consensusState(d, consensus, consensusMemoTitle(currentCodeName, d));
                return (
                  <li key={keyOf(d)} id={`${listId}-${i}`} role="option" aria-selected={i === index} onClick={() => move(i)}>
                    <span className="item-title">{documentTitle(d.documentId)}</span>
                    <span className="item-meta">
                      {d.start}–{d.end} · {coderIds.filter((id) => (d.byCoder[id] ?? []).length > 0).map(coderName).join(', ') || 'nobody'} coded it
                    </span>
                    {state && <span className="item-state">{state}</span>}
                  </li>
                );
              })}
            </ul>
          </div>
          <Review
            key={keyOf(current)}
            studyId={studyId}
            disagreement={current}
            data={data}
            core={core}
            coderIds={coderIds}
            title={`${documentTitle(current.documentId)}, characters ${current.start}–${current.end}`}
            state={consensusState(current, consensus, consensusMemoTitle(currentCodeName, current))}
            onResolved={() => move(index + 1)}
            decideRef={decideRef}
          />
        </div>
      )}
    </section>
  );
}

interface ReviewProps {
  studyId: Guid;
  disagreement: Disagreement;
  data: AgreementData;
  core: StudyCore;
  coderIds: readonly Guid[];
  title: string;
  state: string | null;
  onResolved: () => void;
  /** Set to this review's accelerator handler: true when the key was a decision. */
  decideRef: RefObject<((key: string) => boolean) | null>;
}

function Review({ studyId, disagreement, data, core, coderIds, title, state, onResolved, decideRef }: ReviewProps) {
  const history = useStudyHistory(studyId);
  const { notify } = useNotices();
  const [memo, setMemo] = useState('');
  const [busy, setBusy] = useState(false);
  const memoId = useId();
  const extent = disagreementExtent(disagreement);
  const passage = useLiveQuery(() => loadPassage(db, disagreement.documentId, extent, CONTEXT), [disagreement.documentId, extent.start, extent.end]);
  const coderName = (id: Guid) => core.coders.find((c) => c.id === id)?.name ?? 'Unknown coder';
  const codeName = (id: Guid) => core.codes.find((c) => c.id === id)?.name ?? 'a removed code';
  const compared = coderIds.filter((id) => id in disagreement.byCoder);

  const resolve = async (accept: Guid[]) => {
    if (busy) return;
    setBusy(true);
    try {
      const result = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept, memo }));
      if (result) {
        notify('info', result.change.label, 'Undo takes it back.');
        onResolved();
      }
    } finally {
      setBusy(false);
    }
  };

  const decisions = [
    ...compared.slice(0, 9).map((id, i) => ({ key: String(i + 1), label: `Accept ${coderName(id)}`, accept: [id] })),
    { key: 'B', label: compared.length === 2 ? 'Accept both' : 'Accept all', accept: [...compared] },
    { key: 'N', label: 'Neither', accept: [] as Guid[] },
  ];

  useEffect(() => {
    const handler = (key: string) => {
      const decision = decisions.find((d) => d.key.toLowerCase() === key.toLowerCase());
      if (decision) void resolve(decision.accept);
      return decision !== undefined;
    };
    decideRef.current = handler;
    return () => {
      if (decideRef.current === handler) decideRef.current = null;
    };
  });

  return (
    <div className="review-detail" role="group" aria-label={`Review: ${title}`}>
      <p className="review-title">
        <strong>{title}</strong> {state && <span className="item-state">{state}</span>}
      </p>
      <div className="review-columns" style={{ gridTemplateColumns: `repeat(${Math.min(compared.length, 3)}, minmax(0, 1fr))` }}>
        {compared.map((id, i) => {
          const spans = disagreement.byCoder[id] ?? [];
          const others = [...new Set(data.codings.filter((c) => c.coderId === id && c.documentId === disagreement.documentId && c.codeId !== disagreement.codeId && c.start < extent.end && c.end > extent.start).map((c) => codeName(c.codeId)))];
          return (
            <article key={id} className={`review-column coder-${i % 6}`} aria-label={coderName(id)}>
              <h3>
                <span className="coder-key" aria-hidden="true" /> {coderName(id)}
              </h3>
              <p className="review-verdict">
                {spans.length === 0 ? 'Did not apply this code here.' : `Applied it to ${spans.map((s) => `${s.start}–${s.end}`).join(', ')}.`}
                {others.length > 0 && <> Applied here: {others.join(', ')}.</>}
              </p>
              {passage === undefined ? (
                <p aria-busy="true">Reading the transcript…</p>
              ) : passage === null ? (
                <p>The transcript is no longer in the study.</p>
              ) : (
                <blockquote className="review-passage">
                  {passage.offset > 0 && '… '}
                  {passagePieces(passage, { [id]: spans, [DISPUTED]: [disagreement] }, [id, DISPUTED]).map((piece) =>
                    piece.coderIds.includes(id) ? (
                      <mark key={piece.start} title={`${coderName(id)}: characters ${piece.start}–${piece.end}`}>
                        {piece.text}
                      </mark>
                    ) : piece.coderIds.includes(DISPUTED) ? (
                      <span key={piece.start} className="disputed" title={`In dispute, not coded by ${coderName(id)}`}>
                        {piece.text}
                      </span>
                    ) : (
                      <span key={piece.start}>{piece.text}</span>
                    ),
                  )}
                  {passage.offset + passage.text.length < passage.documentLength && ' …'}
                </blockquote>
              )}
            </article>
          );
        })}
      </div>
      <div className="review-decide">
        <label htmlFor={memoId}>Memo on the decision</label>
        <textarea id={memoId} rows={2} value={memo} placeholder="Why the team decided this (optional when a coding is kept)" onChange={(e) => setMemo(e.target.value)} />
        <div className="toolbar" role="group" aria-label="Decision">
          {decisions.map((d) => (
            <button key={d.key} type="button" className={d.accept.length === 1 ? 'primary' : undefined} aria-keyshortcuts={d.key} aria-disabled={busy} onClick={() => void resolve(d.accept)}>
              {d.label} <kbd>{d.key}</kbd>
            </button>
          ))}
        </div>
        <p className="hint">The decision goes into the consensus coder (created on first use); deciding again replaces it. Undo takes it back.</p>
      </div>
    </div>
  );
}
