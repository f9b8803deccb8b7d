import { useLiveQuery } from 'dexie-react-hooks';
import { CODE_KINDS, CODE_KIND_LABELS, type Code } from '../../../shared/model/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { loadStudySegments } from '../../data/studies.ts';
import { routeHash } from '../../app/route.ts';
import { CodebookExport } from './CodebookExport.tsx';

const MODE_LABEL = { cathedral: 'Cathedral', bazaar: 'Bazaar', neutral: 'Neutral' } as const;

export function CodebookArea({ core, codeId }: { core: StudyCore; codeId: string | null }) {
  const { codes, stages, study } = core;
  const counts = useLiveQuery(async () => {
    const byCode = new Map<string, number>();
    for (const segment of await loadStudySegments(db, study.id)) {
      for (const c of segment.codings) byCode.set(c.codeId, (byCode.get(c.codeId) ?? 0) + 1);
    }
    return byCode;
  }, [study.id]);

  if (codes.length === 0) {
    return (
      <EmptyState title="The codebook is empty">
        <p>
          Codes are organised by lifecycle stage ({stages.map((s) => s.name).join(', ')}) and by kind: collaboration challenges and on-ramps. Import a
          study file with a codebook, or explore the demo study’s codebook.
        </p>
      </EmptyState>
    );
  }
  const selected = codes.find((c) => c.id === codeId) ?? null;
  const groups = [...stages.map((s) => ({ id: s.id as string | null, name: s.name })), { id: null, name: 'Cross-stage' }];
  const href = (code: Code) => routeHash({ screen: 'study', studyId: study.id, area: 'codebook', item: code.id });

  return (
    <div className="codebook-layout">
      <header className="area-header">
        <h1>Codebook</h1>
        <p className="lead">
          {codes.length} codes by lifecycle stage and kind. Numbers are codings per code. Choose a code to read its definition.
        </p>
        <CodebookExport core={core} counts={counts} />
      </header>
      <div className="codebook-columns">
        <nav aria-label="Codes by stage and kind" className="code-tree">
          {groups.map((g) => {
            const inStage = codes.filter((c) => c.stageId === g.id);
            if (inStage.length === 0) return null;
            return (
              <section key={g.id ?? 'cross'} aria-label={g.name}>
                <h2>{g.name}</h2>
                {CODE_KINDS.map((kind) => {
                  const ofKind = inStage.filter((c) => c.kind === kind);
                  if (ofKind.length === 0) return null;
                  return (
                    <div key={kind} className="kind-group">
                      <h3>{CODE_KIND_LABELS[kind]}s</h3>
                      <ul>
                        {ofKind.map((c) => (
                          <li key={c.id}>
                            <a href={href(c)} aria-current={c.id === codeId ? 'true' : undefined}>
                              <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
                              <span className="code-name">{c.name}</span>
                              <span className="count" aria-label={`${counts?.get(c.id) ?? 0} codings`}>
                                {counts?.get(c.id) ?? 0}
                              </span>
                            </a>
                          </li>
                        ))}
                      </ul>
                    </div>
                  );
                })}
              </section>
            );
          })}
        </nav>
        <section className="code-detail" aria-label="Code definition">
          {selected ? (
            <CodeDetail code={selected} stageName={stages.find((s) => s.id === selected.stageId)?.name ?? 'Cross-stage'} codings={counts?.get(selected.id) ?? 0} />
          ) : (
            <p className="hint">Choose a code on the left to see its definition, when to use it, and examples.</p>
          )}
        </section>
      </div>
    </div>
  );
}

function CodeDetail({ code, stageName, codings }: { code: Code; stageName: string; codings: number }) {
  const field = (label: string, value: string) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    ) : null;
  return (
    <article>
      <h2>
        <span className="swatch" style={{ background: code.color }} aria-hidden="true" /> {code.name}
      </h2>
      <p className="tags">
        <span className="tag">{stageName}</span>
        <span className="tag">{CODE_KIND_LABELS[code.kind]}</span>
        <span className="tag">{MODE_LABEL[code.mode]}</span>
        <span className="tag">{code.status}</span>
        <span className="tag">{codings} codings</span>
      </p>
      <dl className="definition">
        {field('In short', code.shortDefinition)}
        {field('Definition', code.definition)}
        {field('Use when', code.useWhen)}
        {field('Do not use when', code.doNotUseWhen)}
      </dl>
      {code.examples.length > 0 && (
        <>
          <h3>Examples</h3>
          <ul className="examples">
            {code.examples.map((e, i) => (
              <li key={i}>
                <q>{e}</q>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
