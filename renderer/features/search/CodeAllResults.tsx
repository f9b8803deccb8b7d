import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { useStudyHistory } from '../../app/history-context.tsx';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { applyCodeAcross } from '../../data/coding.ts';
import { createCode } from '../../data/codes.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { getSetting, putSetting } from '../../data/studies.ts';
import type { SearchClient } from '../../search/client.ts';
import type { SearchQueryOptions } from '../../search/protocol.ts';
import { codeAllPlan, plural, type CodeAllPlan } from '../../search/results.ts';
import { CodePalette } from '../coding/CodePalette.tsx';

interface Props {
  core: StudyCore;
  client: SearchClient;
  /** The query and filters of the results shown. */
  query: string;
  options: SearchQueryOptions;
  documentHits: number;
}

/** "Code all results": pick a code, confirm the count, then code every transcript hit as one undoable change. */
export function CodeAllResults({ core, client, query, options, documentHits }: Props) {
  const studyId = core.study.id;
  const coderId = core.study.activeCoderId;
  const history = useStudyHistory(studyId);
  const { notify } = useNotices();
  const [picking, setPicking] = useState(false);
  const [plan, setPlan] = useState<{ plan: CodeAllPlan; codeId: string; codeName: string } | null>(null);
  const recentSetting = useLiveQuery(() => getSetting<string[]>(db, `recentCodes:${studyId}`), [studyId]);
  const pinnedSetting = useLiveQuery(() => getSetting<string[]>(db, `pinnedCodes:${studyId}`), [studyId]);
  const recent = useMemo(() => recentSetting ?? [], [recentSetting]);
  const pinned = useMemo(() => (pinnedSetting ?? []).filter((id) => core.codes.some((c) => c.id === id)).slice(0, 9), [pinnedSetting, core.codes]);

  const prepare = async (codeId: string, codeName: string) => {
    setPicking(false);
    if (!coderId) return;
    try {
      // Every hit, not only those shown, with the same query and filters.
      const { result } = await client.search(studyId, query, options);
      setPlan({ plan: codeAllPlan(result, codeId, coderId), codeId, codeName });
    } catch (error) {
      notify('error', 'The results could not be collected; nothing was coded.', (error as Error).message);
    }
  };

  const confirm = async (chosen: { plan: CodeAllPlan; codeId: string; codeName: string }) => {
    const { plan: p, codeName } = chosen;
    const label = `Code ${plural(p.results, 'search result')} for ${query} with “${codeName}”`;
    const done = await history.perform(() => applyCodeAcross(db, studyId, p.byDocument, label));
    if (done) {
      notify('info', `Coded ${plural(done.codingIds.length, 'result')} with “${codeName}”${done.codingIds.length < p.results ? ` (${p.results - done.codingIds.length} already had it)` : ''}.`);
      await putSetting(db, `recentCodes:${studyId}`, [chosen.codeId, ...recent.filter((id) => id !== chosen.codeId)].slice(0, 20));
    }
  };

  return (
    <>
      <button
        type="button"
        className="code-all"
        disabled={!coderId}
        title={coderId ? undefined : 'Choose who is coding in the Coding view first.'}
        onClick={() => setPicking(true)}
      >
        Code all {plural(documentHits, 'result')}…
      </button>
      {picking && (
        <CodePalette
          title="Code all results with"
          codes={core.codes}
          stages={core.stages}
          recent={recent}
          pinned={pinned}
          onChoose={(id) => void prepare(id, core.codes.find((c) => c.id === id)?.name ?? 'code')}
          onCreate={(name) =>
            void history.perform(() => createCode(db, studyId, name, coderId)).then((created) => {
              if (created) void prepare(created.code.id, created.code.name);
              else setPicking(false);
            })
          }
          onTogglePin={(id) => void putSetting(db, `pinnedCodes:${studyId}`, pinned.includes(id) ? pinned.filter((p) => p !== id) : [...pinned, id].slice(0, 9))}
          onClose={() => setPicking(false)}
        />
      )}
      {plan && (
        <ConfirmDialog title="Code all results" confirmLabel={`Code ${plural(plan.plan.results, 'result')}`} onConfirm={() => confirm(plan)} onClose={() => setPlan(null)}>
          <p>
            Code {plural(plan.plan.results, 'result')} in {plural(plan.plan.documents, 'transcript')} with “{plan.codeName}”?
          </p>
          {plan.plan.skippedMemoHits > 0 && <p className="hint">{plural(plan.plan.skippedMemoHits, 'hit')} in memos will not be coded.</p>}
          <p className="hint">This is one change: Undo (Ctrl+Z) takes it back whole.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
