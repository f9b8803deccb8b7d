import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type CSSProperties } from 'react';
import { CODE_KINDS, CODE_KIND_LABELS, type CodeKind } from '../../../shared/model/types.ts';
import { routeHash } from '../../app/route.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { findCodedSegments } from '../../data/retrieval.ts';
import { useBlindView, visibleSegment, type BlindView } from './blind.ts';
import { CodeOptionGroups } from '../../components/CodeOptionGroups.tsx';

import { CROSS_STAGE as CROSS } from '../../search/results.ts';

/** Retrieval: every segment behind a code, a stage or a kind, with its case, participant and context. */
export function CodedSegments({ core }: { core: StudyCore }) {
  const [codeId, setCodeId] = useState('');
  const [stageId, setStageId] = useState('');
  const [kind, setKind] = useState<CodeKind | ''>('');
  const studyId = core.study.id;

  const chosen = core.codes.filter((c) => {
    if (codeId) return c.id === codeId;
    if (!stageId && !kind) return false;
    if (stageId && (stageId === CROSS ? c.stageId !== null : c.stageId !== stageId)) return false;
    return !kind || c.kind === kind;
  });
  const chosenIds = chosen.map((c) => c.id);
  const queryKey = chosenIds.join();
  // useLiveQuery keeps the previous answer until the new one arrives: never show it under the new choice.
  const answer = useLiveQuery(async () => ({ key: queryKey, list: await findCodedSegments(db, chosenIds) }), [queryKey]);
  const blindView = useBlindView(core);
  const results = answer?.key === queryKey && blindView ? onlyVisible(answer.list, chosenIds, blindView) : undefined;
  const codeById = new Map(core.codes.map((c) => [c.id, c]));
  const caseName = new Map(core.cases.map((c) => [c.id, c.name]));
  const coderName = new Map(core.coders.map((c) => [c.id, c.name]));
  const stageName = new Map(core.stages.map((s) => [s.id, s.name]));
  const chosenSet = new Set(chosenIds);

  return (
    <section className="panel" aria-labelledby="retrieve-heading">
      <h2 id="retrieve-heading">Coded segments</h2>
      <p className="hint">
        Pick a code — or a lifecycle stage and a kind — to read every segment coded with it, with its case, participant and the words around it.
        {blindView?.blind && ` Blind coding is on: only ${blindView.coderName}’s codings are shown.`}
      </p>
      <div className="filters" role="group" aria-label="Which codings to retrieve">
        <label className="inline-field">
          <span>Code</span>
          <select aria-label="Code" value={codeId} onChange={(e) => setCodeId(e.target.value)}>
            <option value="">Any code of the stage and kind below</option>
            <CodeOptionGroups stages={core.stages} codes={core.codes} />
          </select>
        </label>
        <label className="inline-field">
          <span>Stage</span>
          <select aria-label="Stage" value={stageId} disabled={codeId !== ''} onChange={(e) => setStageId(e.target.value)}>
            <option value="">Any stage</option>
            {core.stages.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            <option value={CROSS}>Cross-stage</option>
          </select>
        </label>
        <label className="inline-field">
          <span>Kind</span>
          <select aria-label="Kind" value={kind} disabled={codeId !== ''} onChange={(e) => setKind(e.target.value as CodeKind | '')}>
            <option value="">Any kind</option>
            {CODE_KINDS.map((k) => (
              <option key={k} value={k}>
                {CODE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <span className="count" role="status">
          {chosen.length === 0 ? 'Choose a code, a stage or a kind.' : results === undefined ? 'Retrieving…' : `${results.length} segments from ${chosen.length} code${chosen.length === 1 ? '' : 's'}`}
        </span>
      </div>
      {results && results.length > 0 && (
        <ol className="retrieved" aria-label="Retrieved segments">
          {results.map(({ segment, document, participants, before, after }) => (
            <li key={segment.id} className="retrieved-item">
              <div className="retrieved-meta">
                <strong>{document.caseId ? caseName.get(document.caseId) : 'No case'}</strong>
                <span>{participants.map((p) => `${p.pseudonym}${p.role ? ` (${p.role})` : ''}`).join(', ') || 'no participant'}</span>
                <span className="cell-note inline">{document.title}</span>
              </div>
              <p className="retrieved-text">
                <span className="context">{before}</span>
                <mark className="coded" style={{ '--code-color': codeById.get(segment.codeIds.find((id) => chosenSet.has(id)) ?? '')?.color ?? '#888' } as CSSProperties}>
                  {segment.text}
                </mark>
                <span className="context">{after}</span>
              </p>
              <div className="retrieved-codes">
                {segment.codings.map((c) => {
                  const code = codeById.get(c.codeId);
                  return code ? (
                    <span key={c.id} className="code-chip" style={{ '--code-color': code.color } as CSSProperties} title={`${code.stageId ? stageName.get(code.stageId) : 'Cross-stage'} · ${CODE_KIND_LABELS[code.kind]}`}>
                      {code.name} · {coderName.get(c.coderId)}
                    </span>
                  ) : null;
                })}
                <a
                  className="jump"
                  href={routeHash({ screen: 'study', studyId, area: 'coding', item: document.id, focus: segment.codings.find((c) => chosenSet.has(c.codeId))?.id ?? null })}
                >
                  Open in transcript
                </a>
              </div>
            </li>
          ))}
        </ol>
      )}
      {results && results.length === 0 && chosen.length > 0 && <p className="hint">No segment carries {chosen.length === 1 ? 'this code' : 'these codes'} yet.</p>}
    </section>
  );
}

/** The retrieved segments the coder may see: while blind, only their codings, and only segments they coded with a chosen code. */
function onlyVisible<R extends { segment: Parameters<typeof visibleSegment>[0] }>(list: R[], chosenIds: readonly string[], view: BlindView): R[] {
  if (!view.blind) return list;
  const chosen = new Set(chosenIds);
  return list.flatMap((r) => {
    const segment = visibleSegment(r.segment, view);
    return segment && segment.codeIds.some((id) => chosen.has(id)) ? [{ ...r, segment }] : [];
  });
}
