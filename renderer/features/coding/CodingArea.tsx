import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type MouseEvent } from 'react';
import { snapToWords, stepByWord, trimSpan, type Span } from '../../../shared/coding/operations.ts';
import { CODE_KIND_LABELS, type Code } from '../../../shared/model/types.ts';
import { textBlocks } from '../../../shared/text/blocks.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { navigate, routeHash } from '../../app/route.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { applyCode, recodeCoding, removeCoding, resizeCoding } from '../../data/coding.ts';
import { addCoder } from '../../data/coders.ts';
import { createCode } from '../../data/codes.ts';
import { Dialog } from '../../components/Dialog.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { codingsOf } from '../../data/layout.ts';
import { byName, getSetting, putSetting, setActiveCoder } from '../../data/studies.ts';
import { assignmentOf, getTeam, visibleTo, type TeamSetting } from '../../data/team.ts';
import { CodePalette } from './CodePalette.tsx';
import { DocumentDetailsEditor } from './DocumentDetailsEditor.tsx';
import { MemoEditor } from './MemoEditor.tsx';
import { RecordTieDialog } from './RecordTieDialog.tsx';
import { BlindBanner, ConfirmCoderSwitch, MyAssignment } from './TeamStatus.tsx';
import { selectionOffsets, selectOffsets, type OffsetSpan } from './selection.ts';
import { Transcript, type Highlight } from './Transcript.tsx';

export function CodingArea({ core, documentId, focusCodingId }: { core: StudyCore; documentId: string | null; focusCodingId: string | null }) {
  const studyId = core.study.id;
  const documents = useLiveQuery(() => db.documents.where('studyId').equals(studyId).toArray().then((docs) => docs.sort((a, b) => byName(a.title, b.title))), [studyId]);
  const chosenId = documentId ?? documents?.[0]?.id ?? null;
  const [addingCoder, setAddingCoder] = useState(false);
  const coderConfirmed = useLiveQuery(() => getSetting<boolean>(db, `coderConfirmed:${studyId}`).then((v) => v ?? false), [studyId]);
  const team = useLiveQuery(() => getTeam(db, studyId), [studyId]);
  /** A coder chosen while the team codes blind, waiting for the confirmation. */
  const [switchingTo, setSwitchingTo] = useState<string | null>(null);
  const activeCoderId = activeCoderOf(core);

  if (documents === undefined || team === undefined) return <p aria-busy="true">Loading…</p>;
  if (documents.length === 0 || !chosenId) {
    return (
      <EmptyState title="Nothing to code yet" action={<a href={routeHash({ screen: 'study', studyId, area: 'documents', item: null })}>Go to Documents</a>}>
        <p>The coding view shows a transcript with its speakers and codings. Add transcripts to the study first.</p>
      </EmptyState>
    );
  }
  return (
    <div className="coding-layout">
      <header className="area-header coding-header">
        <h1>Coding</h1>
        <label className="inline-field">
          <span>Transcript</span>
          <select aria-label="Transcript" value={chosenId} onChange={(e) => navigate({ screen: 'study', studyId, area: 'coding', item: e.target.value })}>
            {documents.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Coding as</span>
          <select
            aria-label="Coding as"
            value={activeCoderId ?? ''}
            onChange={(e) => {
              const chosen = e.target.value;
              if (chosen === ADD_CODER) setAddingCoder(true);
              // In blind mode, another coder's codings are hidden for a reason: ask first.
              else if (team.blind && chosen !== activeCoderId) setSwitchingTo(chosen);
              else void setActiveCoder(db, studyId, chosen);
            }}
          >
            {core.coders.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            <option value={ADD_CODER}>Add a coder…</option>
          </select>
        </label>
        {addingCoder && <AddCoderDialog studyId={studyId} onClose={() => setAddingCoder(false)} />}
        {switchingTo && (
          <ConfirmCoderSwitch core={core} from={activeCoderId} to={switchingTo} onConfirm={() => void setActiveCoder(db, studyId, switchingTo)} onClose={() => setSwitchingTo(null)} />
        )}
      </header>
      {team.blind && <BlindBanner core={core} coderId={activeCoderId} />}
      {coderConfirmed === false && (
        <div className="coder-banner" role="region" aria-label="Who is coding">
          <span>
            Every coding records who made it. You are coding as <strong>{core.coders.find((c) => c.id === core.study.activeCoderId)?.name ?? 'nobody yet'}</strong>.
          </span>
          <button type="button" onClick={() => void putSetting(db, `coderConfirmed:${studyId}`, true)}>
            That is me
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => {
              void putSetting(db, `coderConfirmed:${studyId}`, true);
              setAddingCoder(true);
            }}
          >
            Add my name…
          </button>
        </div>
      )}
      <CodingWorkspace key={chosenId} core={core} documentId={chosenId} focusCodingId={focusCodingId} team={team} />
    </div>
  );
}

const ADD_CODER = '__add__';

/** The study's active coder, or its first coder when that one is gone (e.g. its addition was undone). */
function activeCoderOf(core: StudyCore): string | null {
  return core.coders.some((c) => c.id === core.study.activeCoderId) ? core.study.activeCoderId : (core.coders[0]?.id ?? null);
}

function AddCoderDialog({ studyId, onClose }: { studyId: string; onClose: () => void }) {
  const [name, setName] = useState('');
  const history = useStudyHistory(studyId);
  return (
    <Dialog
      title="Add a coder"
      onClose={onClose}
      onSubmit={async () => {
        const added = await history.perform(() => addCoder(db, studyId, name));
        if (added) {
          await setActiveCoder(db, studyId, added.coder.id);
          onClose();
        }
      }}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Add and code as them
          </button>
        </>
      }
    >
      <label className="field">
        <span>Coder’s name</span>
        <input autoFocus value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <p className="hint">Every coding records who made it. Team members each code as themselves.</p>
    </Dialog>
  );
}

type PaletteMode = { kind: 'apply'; span: OffsetSpan } | { kind: 'recode'; codingId: string } | null;

function CodingWorkspace({ core, documentId, focusCodingId, team }: { core: StudyCore; documentId: string; focusCodingId: string | null; team: TeamSetting }) {
  const studyId = core.study.id;
  const coderId = activeCoderOf(core);
  const blind = team.blind;
  const history = useStudyHistory(studyId);
  const { notify } = useNotices();
  const transcriptRef = useRef<HTMLDivElement>(null);
  const [selection, setSelection] = useState<OffsetSpan | null>(null);
  const [selectedCodingId, setSelectedCodingId] = useState<string | null>(focusCodingId);
  const [palette, setPalette] = useState<PaletteMode>(null);
  const [tieDraft, setTieDraft] = useState<{ span: Span; stageId: string | null } | null>(null);
  const [snap, setSnap] = useState(true);
  const [status, setStatus] = useState('');

  // Three live queries, so a coding (which writes segments and the document's counts)
  // never re-reads the transcript's text.
  const docRecord = useLiveQuery(() => db.documents.get(documentId).then((d) => d ?? null), [documentId]);
  const textRecord = useLiveQuery(() => db.texts.get(documentId).then((t) => t ?? null), [documentId]);
  const storedSegments = useLiveQuery(() => db.segments.where('documentId').equals(documentId).toArray(), [documentId]);
  const data = useMemo(
    () => (docRecord === undefined || textRecord === undefined || storedSegments === undefined ? undefined : { document: docRecord, text: textRecord?.text ?? '', segments: storedSegments }),
    [docRecord, textRecord, storedSegments],
  );
  /**
   * Highlights shown the moment a code is applied, by request, until the database has the
   * coding (then the real highlight takes over) or refuses it.
   */
  const [pendings, setPendings] = useState<Map<number, { highlight: Highlight; codingId: string | null }>>(() => new Map());
  const nextRequest = useRef(0);
  const recentSetting = useLiveQuery(() => getSetting<string[]>(db, `recentCodes:${studyId}`), [studyId]);
  const recent = useMemo(() => recentSetting ?? [], [recentSetting]);
  const pinnedSetting = useLiveQuery(() => getSetting<string[]>(db, `pinnedCodes:${studyId}`), [studyId]);
  const codeById = useMemo(() => new Map(core.codes.map((c) => [c.id, c])), [core.codes]);
  const pinned = (pinnedSetting ?? []).filter((id) => codeById.has(id)).slice(0, 9);
  const stageName = useMemo(() => new Map(core.stages.map((s) => [s.id, s.name])), [core.stages]);
  const coderName = useMemo(() => new Map(core.coders.map((c) => [c.id, c.name])), [core.coders]);

  const memoTexts = useLiveQuery(async () => {
    const ids = data?.segments.map((s) => s.id) ?? [];
    const memos = ids.length === 0 ? [] : await db.memos.where('[targetType+targetId]').anyOf(ids.map((id) => ['segment', id])).toArray();
    return new Map(memos.map((m) => [m.targetId, m.text]));
  }, [data]);

  const allCodings = useMemo(() => (data ? data.segments.flatMap(codingsOf) : []), [data]);
  // Blind coding: the coder's own codings are all there is to see, select, count or change.
  const codings = useMemo(() => allCodings.filter(visibleTo(blind, coderId)), [allCodings, blind, coderId]);
  // A saved coding has reached the live query: its pending highlight gives way.
  useEffect(() => {
    const present = new Set(allCodings.map((c) => c.id));
    setPendings((all) => {
      const arrived = [...all].filter(([, p]) => p.codingId !== null && present.has(p.codingId));
      if (arrived.length === 0) return all;
      const next = new Map(all);
      for (const [request] of arrived) next.delete(request);
      return next;
    });
  }, [allCodings]);
  const pendingHighlights = useMemo(() => [...pendings.values()].map((p) => p.highlight), [pendings]);
  const segmentById = useMemo(() => new Map((data?.segments ?? []).map((s) => [s.id, s])), [data]);
  const highlights = useMemo<Highlight[]>(
    () =>
      codings
        .flatMap((c) => {
          const code = codeById.get(c.codeId);
          const segment = segmentById.get(c.segmentId);
          if (!code || !segment) return [];
          const memo = memoTexts?.get(segment.id);
          const title = [`${code.name}`, `${code.stageId ? stageName.get(code.stageId) : 'Cross-stage'} · ${CODE_KIND_LABELS[code.kind]}`, `Coder: ${coderName.get(c.coderId) ?? 'unknown'}`, memo ? `Memo: ${memo}` : ''].filter(Boolean).join('\n');
          return [{ codingId: c.id, start: segment.start, end: segment.end, color: code.color, label: code.name, title }];
        })
        .sort((a, b) => a.start - b.start || b.end - a.end),
    [codings, codeById, segmentById, memoTexts, stageName, coderName],
  );
  // Turns change only on import; the document record changes with every coding (its counts).
  const turns = data?.document?.turns;
  const turnsKey = turns ? `${turns.length}:${turns[0]?.start}:${turns.at(-1)?.end}` : '';
  const transcriptText = data?.text ?? '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on turnsKey: same turns, same blocks
  const blocks = useMemo(() => (turns ? textBlocks(transcriptText, turns) : []), [transcriptText, turnsKey]);
  // The focus is a coding, or a segment without codings (a tie's evidence, from the maps).
  const focusSegment = useMemo(() => (focusCodingId ? data?.segments.find((s) => s.id === focusCodingId || s.codings.some((c) => c.id === focusCodingId && visibleTo(blind, coderId)(c))) : undefined), [data, focusCodingId, blind, coderId]);
  const focusOffset = focusSegment?.start ?? null;
  const focusIsSegment = focusSegment?.id === focusCodingId;
  const focusEnd = focusSegment?.end ?? null;

  // Arriving from search or retrieval: bring the chosen coding into view once it is rendered
  // (a segment: select its text, so it can be coded or recorded as a tie at once).
  useEffect(() => {
    if (!focusCodingId || focusOffset === null) return;
    const handle = requestAnimationFrame(() => {
      const root = transcriptRef.current;
      if (!root) return;
      if (focusIsSegment && focusEnd !== null && selectOffsets(root, { start: focusOffset, end: focusEnd })) {
        window.getSelection()?.getRangeAt(0).startContainer.parentElement?.scrollIntoView({ block: 'center' });
      } else root.querySelector(`[data-codings~="${focusCodingId}"]`)?.scrollIntoView({ block: 'center' });
    });
    return () => cancelAnimationFrame(handle);
  }, [focusCodingId, focusOffset, focusEnd, focusIsSegment]);

  // Track the text selection inside the transcript.
  useEffect(() => {
    const onChange = () => {
      const root = transcriptRef.current;
      if (root) setSelection(selectionOffsets(root));
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, []);

  const remember = useCallback(
    async (codeId: string) => {
      const next = [codeId, ...recent.filter((id) => id !== codeId)].slice(0, 20);
      await putSetting(db, `recentCodes:${studyId}`, next);
    },
    [recent, studyId],
  );

  const applyTo = useCallback(
    async (span: OffsetSpan, codeId: string) => {
      if (!data || !coderId) return;
      const target = snap ? snapToWords(data.text, span) : trimSpan(data.text, span);
      const code = codeById.get(codeId);
      window.getSelection()?.removeAllRanges();
      const request = (nextRequest.current += 1);
      const highlight = { codingId: `pending-${request}`, start: target.start, end: target.end, color: code?.color ?? '#888888', label: code?.name ?? '', title: `${code?.name ?? ''} (saving…)` };
      setPendings((all) => new Map(all).set(request, { highlight, codingId: null }));
      const result = await history.perform(() => applyCode(db, studyId, documentId, [{ ...target, codeId, coderId }], `Apply “${code?.name ?? 'code'}”`));
      setPendings((all) => {
        const next = new Map(all);
        if (result?.codingIds[0]) next.set(request, { highlight, codingId: result.codingIds[0] });
        else next.delete(request);
        return next;
      });
      if (result) {
        window.getSelection()?.removeAllRanges();
        setSelection(null);
        setSelectedCodingId(result.codingIds[0] ?? null);
        setStatus(`Coded “${data.text.slice(target.start, Math.min(target.end, target.start + 60))}” with ${code?.name}.`);
        await remember(codeId);
        transcriptRef.current?.focus({ preventScroll: true });
      }
    },
    [codeById, coderId, data, documentId, history, remember, snap, studyId],
  );

  const selectedCoding = codings.find((c) => c.id === selectedCodingId) ?? null;
  const selectedSegment = selectedCoding ? segmentById.get(selectedCoding.segmentId) : undefined;

  const resize = useCallback(
    async (span: Span) => {
      if (!selectedCoding) return;
      await history.perform(() => resizeCoding(db, studyId, documentId, selectedCoding.id, span, `Adjust “${codeById.get(selectedCoding.codeId)?.name}”`));
    },
    [codeById, documentId, history, selectedCoding, studyId],
  );

  const remove = useCallback(async () => {
    if (!selectedCoding) return;
    const removed = await history.perform(() => removeCoding(db, studyId, documentId, [selectedCoding.id], `Remove “${codeById.get(selectedCoding.codeId)?.name}”`));
    if (removed) {
      setSelectedCodingId(null);
      setStatus('Coding removed.');
    }
  }, [codeById, documentId, history, selectedCoding, studyId]);

  /** Opens the tie dialog for a selection (snapped like a coding) or, without one, the selected coding's passage. */
  const recordTieFrom = (span: OffsetSpan | null) => {
    if (!data) return;
    const stageId = selectedCoding ? (codeById.get(selectedCoding.codeId)?.stageId ?? null) : null;
    if (span) {
      const target = snap ? snapToWords(data.text, span) : trimSpan(data.text, span);
      if (target.start < target.end) return setTieDraft({ span: target, stageId: null });
    }
    if (selectedSegment) return setTieDraft({ span: { start: selectedSegment.start, end: selectedSegment.end }, stageId });
    notify('info', 'Select the passage that shows the tie first', 'Drag over the words, or hold Shift and use the arrow keys; then press Ctrl+Shift+L.');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const mod = event.ctrlKey || event.metaKey;
    // The live selection: selectionchange reaches React state a frame later than a fast keypress.
    const span = transcriptRef.current ? selectionOffsets(transcriptRef.current) : selection;
    // Ctrl+Shift+L ("link"): Ctrl+Shift+T belongs to the browser (reopen a closed tab).
    if (mod && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'l') {
      event.preventDefault();
      recordTieFrom(span);
      return;
    }
    if (mod && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      if (span) setPalette({ kind: 'apply', span });
      else if (selectedCoding) setPalette({ kind: 'recode', codingId: selectedCoding.id });
      else notify('info', 'Select some text first', 'Drag over the words, or hold Shift and use the arrow keys; then press Ctrl+K.');
      return;
    }
    if (!mod && !event.altKey && /^[1-9]$/.test(event.key)) {
      event.preventDefault();
      const codeId = pinned[Number(event.key) - 1];
      if (!span) notify('info', 'Select some text first, then press a number to apply a pinned code.');
      else if (!codeId) notify('info', `No code is pinned to ${event.key}`, 'Pin codes in the palette (Ctrl+K, then Ctrl+P on a code).');
      else void applyTo(span, codeId);
      return;
    }
    if ((event.key === 'Delete' || event.key === 'Backspace') && !mod) {
      event.preventDefault();
      if (selectedCoding) void remove();
      return;
    }
    if (event.key === 'Escape') {
      setSelectedCodingId(null);
      window.getSelection()?.removeAllRanges();
      return;
    }
    if (selectedSegment && data && ['[', ']', '{', '}'].includes(event.key)) {
      event.preventDefault();
      const { start, end } = selectedSegment;
      const next =
        event.key === '[' ? { start: stepByWord(data.text, start, -1), end } : event.key === ']' ? { start: stepByWord(data.text, start, 1), end } : event.key === '{' ? { start, end: stepByWord(data.text, end, -1) } : { start, end: stepByWord(data.text, end, 1) };
      if (next.start < next.end) void resize(next);
      return;
    }
    // Everything else that would type or delete is refused: the transcript is read-only.
    if (event.key.length === 1 && !mod) event.preventDefault();
    if (mod && ['x', 'v'].includes(event.key.toLowerCase())) event.preventDefault();
  };

  const onClickText = (event: MouseEvent<HTMLDivElement>) => {
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return;
    const mark = (event.target as HTMLElement).closest<HTMLElement>('mark[data-codings]');
    if (!mark) {
      setSelectedCodingId(null);
      return;
    }
    const ids = mark.dataset['codings']!.split(' ');
    // innermost (shortest) first; a second click on the same place cycles through the others
    const ordered = ids.flatMap((id) => highlights.filter((h) => h.codingId === id)).sort((a, b) => a.end - a.start - (b.end - b.start));
    if (ordered.length === 0) return; // only a highlight still being saved
    const at = ordered.findIndex((h) => h.codingId === selectedCodingId);
    setSelectedCodingId(ordered[(at + 1) % ordered.length]!.codingId);
  };

  const choose = async (codeId: string) => {
    const mode = palette;
    setPalette(null);
    if (mode?.kind === 'apply') await applyTo(mode.span, codeId);
    else if (mode?.kind === 'recode') {
      const coding = codings.find((c) => c.id === mode.codingId);
      if (coding) await history.perform(() => recodeCoding(db, studyId, documentId, coding.id, codeId, `Change code to “${codeById.get(codeId)?.name}”`));
      await remember(codeId);
    }
  };

  const create = async (name: string) => {
    const created = await history.perform(() => createCode(db, studyId, name, coderId));
    if (created) await choose(created.code.id);
  };

  const togglePin = async (codeId: string) => {
    const current = pinned;
    const next = current.includes(codeId) ? current.filter((id) => id !== codeId) : [...current, codeId].slice(0, 9);
    await putSetting(db, `pinnedCodes:${studyId}`, next);
  };

  const selectCoding = (codingId: string) => {
    setSelectedCodingId(codingId);
    transcriptRef.current?.querySelector(`[data-codings~="${codingId}"]`)?.scrollIntoView({ block: 'center' });
  };

  if (!data) return <p aria-busy="true">Loading transcript…</p>;
  if (!data.document) return <p>This transcript no longer exists.</p>;
  const caseId = data.document.caseId;
  const selectedCode = selectedCoding ? codeById.get(selectedCoding.codeId) : undefined;

  return (
    <div className="coding-columns">
      <div className="transcript-column">
        <div className="pinned-bar" role="group" aria-label="Pinned codes">
          {pinned.length === 0 ? (
            <span className="hint">Pin codes to the number keys from the palette (Ctrl+K, then Ctrl+P).</span>
          ) : (
            pinned.map((id, i) => (
              <span key={id} className="code-chip" style={{ '--code-color': codeById.get(id)!.color } as CSSProperties}>
                <kbd>{i + 1}</kbd> {codeById.get(id)!.name}
              </span>
            ))
          )}
          <label className="snap-toggle">
            <input type="checkbox" checked={snap} onChange={(e) => setSnap(e.target.checked)} /> Snap to whole words
          </label>
        </div>
        <Transcript
          ref={transcriptRef}
          title={data.document.title}
          text={data.text}
          blocks={blocks}
          highlights={highlights}
          selectedCodingId={selectedCodingId}
          pending={pendingHighlights}
          revealOffset={focusOffset}
          onKeyDown={onKeyDown}
          onClickText={onClickText}
        />
      </div>
      <aside className="codings-panel" aria-label="Coding tools" tabIndex={0}>
        <p className="visually-hidden" role="status" aria-live="polite">
          {status}
        </p>
        <section aria-labelledby="selection-heading" className="panel-section">
          <h2 id="selection-heading">{selectedCoding ? 'Selected coding' : 'Selection'}</h2>
          {selectedCoding && selectedCode && selectedSegment ? (
            <div className="selected-coding">
              <span className="code-chip" style={{ '--code-color': selectedCode.color } as CSSProperties}>
                {selectedCode.name}
              </span>
              <q>{selectedSegment.text.length > 200 ? `${selectedSegment.text.slice(0, 200)}…` : selectedSegment.text}</q>
              <span className="cell-note">
                {selectedCode.stageId ? stageName.get(selectedCode.stageId) : 'Cross-stage'} · {CODE_KIND_LABELS[selectedCode.kind]} · {coderName.get(selectedCoding.coderId)}
              </span>
              <div className="toolbar">
                <button type="button" onClick={() => setPalette({ kind: 'recode', codingId: selectedCoding.id })}>
                  Change code…
                </button>
                <button type="button" disabled={!selection} onClick={() => selection && void resize(trimSpan(data.text, selection))} title="Select new text first">
                  Fit to selection
                </button>
                <button type="button" className="danger-quiet" onClick={() => void remove()}>
                  Remove
                </button>
                <button type="button" onClick={() => recordTieFrom(null)} aria-keyshortcuts="Control+Shift+L">
                  Record a tie…
                </button>
              </div>
              <p className="hint">In the transcript: [ and ] move the start by a word, {'{'} and {'}'} move the end; Delete removes it.</p>
              <MemoEditor studyId={studyId} coderId={coderId} targetType="segment" targetId={selectedSegment.id} label="Memo on this segment" />
            </div>
          ) : selection ? (
            <div>
              <q>{data.text.slice(selection.start, Math.min(selection.end, selection.start + 200))}</q>
              <div className="toolbar">
                <button type="button" className="primary" onMouseDown={(e) => e.preventDefault()} onClick={() => setPalette({ kind: 'apply', span: selection })}>
                  Apply code… <kbd>Ctrl+K</kbd>
                </button>
                <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => recordTieFrom(selection)} aria-keyshortcuts="Control+Shift+L">
                  Record a collaboration tie… <kbd>Ctrl+Shift+L</kbd>
                </button>
              </div>
            </div>
          ) : (
            <p className="hint">Select text in the transcript (mouse, or Shift+arrow keys), then press Ctrl+K or a pinned number. Click a highlight to select its coding.</p>
          )}
        </section>
        <MyAssignment core={core} documentId={documentId} coderId={coderId} status={coderId ? (assignmentOf(team, documentId, coderId)?.status ?? null) : null} />
        <DocumentDetailsEditor key={`${data.document.id}:${data.document.modifiedAt}`} core={core} document={data.document} />
        <section aria-labelledby="memos-heading" className="panel-section">
          <h2 id="memos-heading">Memos</h2>
          <MemoEditor studyId={studyId} coderId={coderId} targetType="document" targetId={documentId} label="Memo on this transcript" />
          {caseId && <MemoEditor studyId={studyId} coderId={coderId} targetType="case" targetId={caseId} label={`Memo on the case ${core.cases.find((c) => c.id === caseId)?.name ?? ''}`} />}
        </section>
        <section aria-labelledby="codings-heading" className="panel-section">
          <h2 id="codings-heading">
            Codings <span className="count">({highlights.length})</span>
          </h2>
          <ol className="coding-list">
            {highlights.map((h) => {
              const coding = codings.find((c) => c.id === h.codingId)!;
              const segment = segmentById.get(coding.segmentId)!;
              return (
                <li key={h.codingId}>
                  <button type="button" className={`coding-item${h.codingId === selectedCodingId ? ' selected' : ''}`} aria-pressed={h.codingId === selectedCodingId} onClick={() => selectCoding(h.codingId)}>
                    <span className="code-chip" style={{ '--code-color': h.color } as CSSProperties}>
                      {h.label}
                    </span>
                    <q>{segment.text.length > 140 ? `${segment.text.slice(0, 140)}…` : segment.text}</q>
                    <span className="cell-note">{coderName.get(coding.coderId) ?? 'unknown coder'}</span>
                  </button>
                </li>
              );
            })}
          </ol>
        </section>
      </aside>
      {tieDraft && (
        <RecordTieDialog
          core={core}
          documentId={documentId}
          span={tieDraft.span}
          quote={data.text.slice(tieDraft.span.start, tieDraft.span.end)}
          coderId={coderId}
          stageId={tieDraft.stageId}
          onClose={() => setTieDraft(null)}
          onRecorded={(result) => setStatus(`Recorded evidence for a collaboration tie (${result.outcome === 'created' ? 'new tie' : 'added to an existing tie'}).`)}
        />
      )}
      {palette && (
        <CodePalette
          title={palette.kind === 'apply' ? 'Apply a code' : 'Change the code'}
          codes={core.codes as Code[]}
          stages={core.stages}
          recent={recent}
          pinned={pinned}
          onChoose={(id) => void choose(id)}
          onCreate={(name) => void create(name)}
          onTogglePin={(id) => void togglePin(id)}
          onClose={() => setPalette(null)}
        />
      )}
    </div>
  );
}
