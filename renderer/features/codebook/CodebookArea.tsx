/**
 * The codebook editor: the tree (stage → kind → code) on the left, the chosen code's
 * definition on the right, dialogs for new codes, merge, split, delete and stages. Every
 * change goes through the study's history, so Edit → Undo takes it back.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { addCode } from '../../../shared/codebook/add-code.ts';
import { codeCounts } from '../../../shared/codebook/counts.ts';
import { addStage, deleteCode, deleteStage, mergeCodes, moveCode, moveStage, renameStage, splitCode, updateCode } from '../../../shared/codebook/operations.ts';
import type { Code, CodeKind, Guid } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { navigate } from '../../app/route.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { commitCodebook, type CodebookOperation } from '../../data/codebook.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { loadStudySegments } from '../../data/studies.ts';
import { CodebookExport } from './CodebookExport.tsx';
import { DeleteDialog, MergeDialog, NewCodeDialog, SplitDialog, StagesDialog, type StageActions } from './CodebookDialogs.tsx';
import { CodeEditor, type CodeFields, type CodeTally } from './CodeEditor.tsx';
import { CodeTree } from './CodeTree.tsx';
import './codebook.css';

type Open =
  | { dialog: 'new'; stageId: Guid | null; kind: CodeKind; parentId: Guid | null }
  | { dialog: 'merge' | 'split' | 'delete'; codeId: Guid }
  | { dialog: 'stages' }
  | null;

const quoted = (s: string) => `“${s}”`;

export function CodebookArea({ core, codeId }: { core: StudyCore; codeId: string | null }) {
  const { codes, stages, study, coders } = core;
  const history = useStudyHistory(study.id);
  const [open, setOpen] = useState<Open>(null);
  const coderId = coders.some((c) => c.id === study.activeCoderId) ? study.activeCoderId : (coders[0]?.id ?? null);

  // Live counts per code: own codings, and with sub-codes (distinct segments, documents, cases, participants).
  // The codings are read again only when segments or documents change; editing a code recounts from memory.
  const raw = useLiveQuery(async () => {
    const [segments, documents] = await Promise.all([loadStudySegments(db, study.id), db.documents.where('studyId').equals(study.id).toArray()]);
    const codings = segments.flatMap((s) => s.codings.map((c) => ({ codeId: c.codeId, segmentId: s.id, documentId: s.documentId })));
    return { codings, documents: documents.map((d) => ({ id: d.id, caseId: d.caseId, participantIds: d.participantIds })) };
  }, [study.id]);
  const hierarchy = codes.map((c) => `${c.id}>${c.parentId ?? ''}`).join();
  const counts = useMemo(
    () => (raw ? { own: codeCounts(raw.codings, raw.documents), total: codeCounts(raw.codings, raw.documents, { codes, includeDescendants: true }) } : undefined),
    // recount when the codings or the hierarchy change, not when a definition is edited
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [raw, hierarchy],
  );
  const codingCounts = useMemo(() => (counts ? new Map([...counts.own].map(([id, t]) => [id, t.codings])) : undefined), [counts]);
  const segmentCounts = useMemo(() => (counts ? new Map([...counts.own].map(([id, t]) => [id, t.segments])) : undefined), [counts]);

  const select = (id: Guid | null) => navigate({ screen: 'study', studyId: study.id, area: 'codebook', item: id });
  const run = async (operation: CodebookOperation, options: { codeIds?: Guid[]; label?: string } = {}) => {
    const result = await history.perform(() => commitCodebook(db, study.id, coderId, operation, options));
    return result;
  };

  const selected = codes.find((c) => c.id === codeId) ?? null;
  const update = async (code: Code, fields: CodeFields) => (await run((state, ctx) => updateCode(state, code.id, fields, ctx))) !== null;
  const stageActions: StageActions = {
    add: async (name) => (await run((state, ctx) => addStage(state, name, ctx))) !== null,
    rename: async (stageId, name) => (await run((state, ctx) => renameStage(state, stageId, name, ctx))) !== null,
    move: async (stageId, index) => (await run((state, ctx) => moveStage(state, stageId, index, ctx))) !== null,
    remove: async (stageId) => (await run((state, ctx) => deleteStage(state, stageId, ctx))) !== null,
  };
  const dialogCode = open && 'codeId' in open ? codes.find((c) => c.id === open.codeId) : undefined;
  const firstPlace = { stageId: selected?.stageId ?? stages[0]?.id ?? null, kind: selected?.kind ?? ('challenge' as CodeKind), parentId: null };

  return (
    <div className="codebook-layout">
      <header className="area-header">
        <h1>Codebook</h1>
        <p className="lead">
          {codes.length} {codes.length === 1 ? 'code' : 'codes'} in {stages.length} lifecycle {stages.length === 1 ? 'stage' : 'stages'}. Numbers are coded segments per code.
        </p>
        <div className="codebook-actions">
          <div className="toolbar">
            <button type="button" className="primary" onClick={() => setOpen({ dialog: 'new', ...firstPlace })}>
              New code…
            </button>
            <button type="button" onClick={() => setOpen({ dialog: 'stages' })}>
              Stages…
            </button>
          </div>
          <CodebookExport core={core} counts={codingCounts} />
        </div>
      </header>
      {codes.length === 0 ? (
        <EmptyState title="The codebook is empty">
          <p>
            Codes are organised by lifecycle stage ({stages.map((s) => s.name).join(', ') || 'no stages yet'}) and by kind: collaboration challenges and on-ramps. Add a code with
            “New code…”, import a codebook (.qdc or CSV), or start a new study from the open LLM collaboration template.
          </p>
        </EmptyState>
      ) : (
        <div className="codebook-columns">
          <div className="code-tree-panel">
            <p className="hint keys" id="codebook-keys">
              Arrows move · F2 renames · Alt+arrows move a code · Insert adds · Delete deletes · drag codes to re-parent or reorder
            </p>
            <CodeTree
              stages={stages}
              codes={codes}
              selectedId={selected?.id ?? null}
              counts={segmentCounts}
              onSelect={(id) => select(id)}
              onRename={(id, name) => void run((state, ctx) => updateCode(state, id, { name }, ctx))}
              onMove={(id, target) => void run((state, ctx) => moveCode(state, id, target, ctx))}
              onDelete={(id) => setOpen({ dialog: 'delete', codeId: id })}
              onAdd={(place) => setOpen({ dialog: 'new', ...place })}
            />
          </div>
          <section className="code-detail" aria-label="Code definition">
            {selected ? (
              <CodeEditor
                key={selected.id}
                studyId={study.id}
                code={selected}
                codes={codes}
                stages={stages}
                coders={coders}
                own={counts?.own.get(selected.id) ?? (counts ? EMPTY_TALLY : undefined)}
                total={counts?.total.get(selected.id) ?? (counts ? EMPTY_TALLY : undefined)}
                onUpdate={(fields) => update(selected, fields)}
                onMerge={() => setOpen({ dialog: 'merge', codeId: selected.id })}
                onSplit={() => setOpen({ dialog: 'split', codeId: selected.id })}
                onDelete={() => setOpen({ dialog: 'delete', codeId: selected.id })}
              />
            ) : (
              <p className="hint">Choose a code on the left to read and edit its definition, criteria and examples.</p>
            )}
          </section>
        </div>
      )}
      {open?.dialog === 'new' && (
        <NewCodeDialog
          stages={stages}
          codes={codes}
          initial={open}
          onClose={() => setOpen(null)}
          onCreate={async (place) => {
            const result = await run((state, ctx) => addCode(state, place, ctx));
            if (result?.created[0]) select(result.created[0]);
            return result !== null;
          }}
        />
      )}
      {open?.dialog === 'merge' && dialogCode && (
        <MergeDialog
          studyId={study.id}
          code={dialogCode}
          codes={codes}
          stages={stages}
          onClose={() => setOpen(null)}
          onMerge={async (targetId) => {
            const result = await run((state, ctx) => mergeCodes(state, [dialogCode.id], targetId, ctx), { codeIds: [dialogCode.id, targetId] });
            if (result) select(targetId);
            return result !== null;
          }}
        />
      )}
      {open?.dialog === 'split' && dialogCode && (
        <SplitDialog
          studyId={study.id}
          code={dialogCode}
          onClose={() => setOpen(null)}
          onSplit={async (segmentIds, name) => {
            const result = await run((state, ctx) => splitCode(state, dialogCode.id, segmentIds, { name }, ctx), { codeIds: [dialogCode.id] });
            if (result?.created[0]) select(result.created[0]);
            return result !== null;
          }}
        />
      )}
      {open?.dialog === 'delete' && dialogCode && (
        <DeleteDialog
          studyId={study.id}
          code={dialogCode}
          codes={codes}
          stages={stages}
          onClose={() => setOpen(null)}
          onDelete={async (choice) => {
            const ids = choice.codings === 'move' ? [dialogCode.id, choice.targetId] : [dialogCode.id];
            const result = await run((state, ctx) => deleteCode(state, dialogCode.id, choice, ctx), { codeIds: ids, label: `Delete code ${quoted(dialogCode.name)}` });
            if (result) select(choice.codings === 'move' ? choice.targetId : (dialogCode.parentId ?? null));
            return result !== null;
          }}
        />
      )}
      {open?.dialog === 'stages' && <StagesDialog stages={stages} codes={codes} actions={stageActions} onClose={() => setOpen(null)} />}
    </div>
  );
}

const EMPTY_TALLY: CodeTally = { codings: 0, segments: 0, documents: 0, cases: 0, participants: 0 };
