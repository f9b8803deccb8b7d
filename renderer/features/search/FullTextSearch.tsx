import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useMemo, useState } from 'react';
import type { SearchResult } from '../../../shared/search/index.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import type { IndexStatus } from '../../search/client.ts';
import type { SearchQueryOptions } from '../../search/protocol.ts';
import { CROSS_STAGE, codeWithDescendants, codedSpans, codesOfStage, filterSources, groupResult, plural } from '../../search/results.ts';
import { useSearchIndex } from '../../search/useSearchIndex.ts';
import { useBlindView, visibleSegment } from './blind.ts';
import { CodeAllResults } from './CodeAllResults.tsx';
import { SearchResults } from './SearchResults.tsx';
import { ChoiceSelect } from '../../components/ChoiceSelect.tsx';
import { CodeOptionGroups } from '../../components/CodeOptionGroups.tsx';

/** Hits shown (with snippets); counts stay exact and "code all" fetches every hit. */
export const SHOWN_HITS = 300;
const SNIPPET_CONTEXT = 70;
const DEBOUNCE_MS = 100;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function statusText(status: IndexStatus, studyId: string): string {
  if (status.state === 'idle' || status.studyId !== studyId) return 'Preparing the search index…';
  if (status.state === 'failed') return `The search index could not be built: ${status.message}`;
  if (status.state === 'ready') return `Index ready: ${plural(status.sources, 'transcript or memo', 'transcripts and memos')}.`;
  const what = [status.documents > 0 ? plural(status.documents, 'transcript') : '', status.memos > 0 ? plural(status.memos, 'memo') : ''].filter(Boolean).join(' and ');
  return status.total === 0 ? 'Indexing…' : `Indexing ${what}… (${Math.round((100 * status.done) / status.total)} %)`;
}

interface Answer {
  query: string;
  options: SearchQueryOptions;
  result: SearchResult;
  workerMs: number;
}

/** Full-text search over the study's transcripts and memos, run by the search worker. */
export function FullTextSearch({ core }: { core: StudyCore }) {
  const studyId = core.study.id;
  const { client, status, generation, meta } = useSearchIndex(studyId);
  const [query, setQuery] = useState('');
  const [caseId, setCaseId] = useState('');
  const [participantId, setParticipantId] = useState('');
  const [within, setWithin] = useState(''); // '' | 'code:<id>' | 'stage:<id>'
  const [kind, setKind] = useState<'' | 'document' | 'memo'>('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const debounced = useDebounced(query.trim(), DEBOUNCE_MS);
  const inputId = useId();

  const sourceIds = useMemo(
    () => (meta ? filterSources(meta.sources, { caseId: caseId || null, participantId: participantId || null, kind: kind || null }) : undefined),
    [meta, caseId, participantId, kind],
  );
  const withinCodeIds = useMemo(() => {
    if (within.startsWith('code:')) return codeWithDescendants(core.codes, within.slice(5));
    if (within.startsWith('stage:')) return codesOfStage(core.codes, within.slice(6));
    return null;
  }, [within, core.codes]);
  const blindView = useBlindView(core);
  // null: no code filter; undefined: spans still loading (or whether the team codes blind).
  const withinSpans = useLiveQuery(async () => {
    if (!withinCodeIds) return null;
    if (!blindView) return undefined;
    const segments = withinCodeIds.length === 0 ? [] : await db.segments.where('codeIds').anyOf(withinCodeIds).distinct().toArray();
    return codedSpans(
      segments.flatMap((s) => visibleSegment(s, blindView) ?? []),
      withinCodeIds,
    );
  }, [withinCodeIds, blindView?.blind, blindView?.blind && blindView.coderId]);
  const ready = meta !== undefined && (withinCodeIds === null || withinSpans !== undefined);

  const options = useMemo<SearchQueryOptions>(
    () => ({ ...(sourceIds ? { sourceIds } : {}), ...(withinSpans ? { within: withinSpans } : {}) }),
    [sourceIds, withinSpans],
  );

  useEffect(() => {
    if (debounced === '') {
      setAnswer(null);
      setFailure(null);
      return;
    }
    if (!ready) return;
    let current = true;
    client
      .search(studyId, debounced, { ...options, limit: SHOWN_HITS, context: SNIPPET_CONTEXT })
      .then(({ result, workerMs }) => {
        if (!current) return;
        setAnswer({ query: debounced, options, result, workerMs });
        setFailure(null);
      })
      .catch((error: Error) => {
        if (current) setFailure(error.message);
      });
    return () => {
      current = false;
    };
  }, [client, studyId, debounced, options, ready, generation]);

  const grouped = useMemo(() => (answer && meta ? groupResult(answer.result, meta.byId) : null), [answer, meta]);
  const caseName = useMemo(() => new Map(core.cases.map((c) => [c.id, c.name])), [core.cases]);
  const participants = useMemo(
    () => [...(meta?.participants ?? [])].filter((p) => !caseId || p.caseId === caseId).sort((a, b) => a.pseudonym.localeCompare(b.pseudonym, undefined, { numeric: true })),
    [meta, caseId],
  );
  const stale = answer !== null && answer.query !== query.trim();

  let summary: string;
  if (!answer || !grouped) summary = debounced === '' ? '' : 'Searching…';
  else if (grouped.total === 0) summary = 'No hits.';
  else {
    const where = [grouped.documents > 0 ? plural(grouped.documents, 'transcript') : '', grouped.memos > 0 ? plural(grouped.memos, 'memo') : ''].filter(Boolean).join(' and ');
    summary = `${plural(grouped.total, 'hit')} in ${where}${answer.result.truncated ? ` — showing the first ${SHOWN_HITS}` : ''}.`;
  }

  return (
    <section className="panel full-text-search" aria-labelledby="full-text-heading">
      <h2 id="full-text-heading">Full-text search</h2>
      <div className="search-box">
        <label htmlFor={inputId} className="visually-hidden">
          Search transcripts and memos
        </label>
        <input
          id={inputId}
          type="search"
          className="search-input"
          placeholder='Words, "a phrase", prefix*, -exclude'
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="search-index-status" role="status" aria-live="polite">
          {statusText(status, studyId)}
        </span>
      </div>
      <div className="filters" role="group" aria-label="Search filters">
        <ChoiceSelect
          label="Case"
          value={caseId}
          emptyLabel="Any case"
          choices={core.cases.map((c) => ({ value: c.id, label: c.name }))}
          onChange={(value) => {
            setCaseId(value);
            setParticipantId('');
          }}
        />
        <ChoiceSelect
          label="Participant"
          value={participantId}
          emptyLabel="Any participant"
          choices={participants.map((p) => ({ value: p.id, label: `${p.pseudonym}${p.role ? ` (${p.role})` : ''}` }))}
          onChange={setParticipantId}
        />
        <label className="inline-field">
          <span>Within coding of</span>
          <select aria-label="Within coding of" value={within} onChange={(e) => setWithin(e.target.value)}>
            <option value="">Any text, coded or not</option>
            <optgroup label="Lifecycle stages (any of their codes)">
              {core.stages.map((s) => (
                <option key={s.id} value={`stage:${s.id}`}>
                  {s.name}: any code
                </option>
              ))}
              <option value={`stage:${CROSS_STAGE}`}>Cross-stage: any code</option>
            </optgroup>
            <CodeOptionGroups stages={core.stages} codes={core.codes} valueFor={(c) => `code:${c.id}`} />
          </select>
        </label>
        <label className="inline-field">
          <span>Search in</span>
          <select aria-label="Search in" value={kind} onChange={(e) => setKind(e.target.value as '' | 'document' | 'memo')}>
            <option value="">Transcripts and memos</option>
            <option value="document">Transcripts only</option>
            <option value="memo">Memos only</option>
          </select>
        </label>
      </div>
      {within && (
        <p className="hint">
          Only text coded with {within.startsWith('code:') ? 'this code (or a code below it)' : 'a code of this stage'} is searched, so memos are left out.
          {blindView?.blind && ` Blind coding is on: only ${blindView.coderName}’s codings count.`}
        </p>
      )}
      {answer && answer.result.query.notices.length > 0 && (
        <ul className="query-notices" aria-label="About this query">
          {answer.result.query.notices.map((n, i) => (
            <li key={i}>{n.message}</li>
          ))}
        </ul>
      )}
      {failure && (
        <p className="query-notices" role="alert">
          The search failed: {failure}
        </p>
      )}
      <div className="search-summary">
        <p className="search-count" aria-live="polite" aria-busy={stale || undefined}>
          {summary}
        </p>
        {answer && grouped && grouped.documentHits > 0 && <CodeAllResults core={core} client={client} query={answer.query} options={answer.options} documentHits={grouped.documentHits} />}
      </div>
      {answer && grouped && grouped.total > 0 && meta && <SearchResults studyId={studyId} grouped={grouped} meta={meta} caseName={caseName} core={core} />}
    </section>
  );
}
