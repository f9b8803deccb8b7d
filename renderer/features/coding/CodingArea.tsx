import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { Code, Coder, Segment } from '../../../shared/model/types.ts';
import { CODE_KIND_LABELS } from '../../../shared/model/types.ts';
import { formatTime, piecesOf, textBlocks } from '../../../shared/text/blocks.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { byName } from '../../data/studies.ts';
import { navigate, routeHash } from '../../app/route.ts';

interface Highlight {
  start: number;
  end: number;
  code: Code;
  coder: Coder | undefined;
  segment: Segment;
}

export function CodingArea({ core, documentId }: { core: StudyCore; documentId: string | null }) {
  const studyId = core.study.id;
  const documents = useLiveQuery(() => db.documents.where('studyId').equals(studyId).toArray().then((docs) => docs.sort((a, b) => byName(a.title, b.title))), [studyId]);
  const chosenId = documentId ?? documents?.[0]?.id ?? null;

  if (documents === undefined) return <p aria-busy="true">Loading…</p>;
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
          <select value={chosenId} onChange={(e) => navigate({ screen: 'study', studyId, area: 'coding', item: e.target.value })}>
            {documents.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </label>
      </header>
      <TranscriptView core={core} documentId={chosenId} />
    </div>
  );
}

function TranscriptView({ core, documentId }: { core: StudyCore; documentId: string }) {
  const data = useLiveQuery(async () => {
    const [document, text, segments] = await Promise.all([
      db.documents.get(documentId),
      db.texts.get(documentId),
      db.segments.where('documentId').equals(documentId).toArray(),
    ]);
    return { document, text: text?.text ?? '', segments };
  }, [documentId]);

  const highlights = useMemo<Highlight[]>(() => {
    if (!data) return [];
    const codes = new Map(core.codes.map((c) => [c.id, c]));
    const coders = new Map(core.coders.map((c) => [c.id, c]));
    return data.segments
      .flatMap((segment) =>
        segment.codings.flatMap((c) => {
          const code = codes.get(c.codeId);
          return code ? [{ start: segment.start, end: segment.end, code, coder: coders.get(c.coderId), segment }] : [];
        }),
      )
      .sort((a, b) => a.start - b.start || b.end - a.end);
  }, [data, core.codes, core.coders]);

  const blocks = useMemo(() => (data?.document ? textBlocks(data.text, data.document.turns) : []), [data]);
  const stageName = new Map(core.stages.map((s) => [s.id, s.name]));

  if (!data) return <p aria-busy="true">Loading transcript…</p>;
  if (!data.document) return <p>This transcript no longer exists.</p>;
  const { text } = data;

  return (
    <div className="coding-columns">
      <article className="transcript" aria-label={`Transcript: ${data.document.title}`} tabIndex={0}>
        {blocks.map((block) => {
          const body = piecesOf(block.start, block.end, highlights);
          return (
            <p key={block.start} className={`turn${block.isInterviewer ? ' interviewer' : ''}`}>
              {block.time !== null && <span className="turn-time">{formatTime(block.time)}</span>}
              {body.map((piece) =>
                piece.covering.length === 0 ? (
                  <span key={piece.start}>{text.slice(piece.start, piece.end)}</span>
                ) : (
                  <mark
                    key={piece.start}
                    className={`coded${piece.covering.length > 1 ? ' overlap' : ''}`}
                    style={{ '--code-color': piece.covering[piece.covering.length - 1]!.code.color } as React.CSSProperties}
                    title={piece.covering.map((h) => `${h.code.name} — ${h.code.stageId ? stageName.get(h.code.stageId) : 'cross-stage'}, ${CODE_KIND_LABELS[h.code.kind]}, by ${h.coder?.name ?? 'unknown coder'}`).join('\n')}
                  >
                    {text.slice(piece.start, piece.end)}
                  </mark>
                ),
              )}
            </p>
          );
        })}
      </article>
      <aside className="codings-panel" aria-label="Codings in this transcript" tabIndex={0}>
        <h2>
          Codings <span className="count">({highlights.length})</span>
        </h2>
        <ol className="coding-list">
          {highlights.map((h) => (
            <li key={`${h.segment.id}-${h.code.id}-${h.coder?.id}`}>
              <span className="code-chip" style={{ '--code-color': h.code.color } as React.CSSProperties}>
                {h.code.name}
              </span>
              <q>{h.segment.text.length > 140 ? `${h.segment.text.slice(0, 140)}…` : h.segment.text}</q>
              <span className="cell-note">
                {h.code.stageId ? stageName.get(h.code.stageId) : 'Cross-stage'} · {CODE_KIND_LABELS[h.code.kind]} · {h.coder?.name ?? 'unknown coder'}
              </span>
            </li>
          ))}
        </ol>
      </aside>
    </div>
  );
}
