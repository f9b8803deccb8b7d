import type { MouseEvent } from 'react';
import type { Code, Guid } from '../../../shared/model/types.ts';
import type { SearchHit } from '../../../shared/search/index.ts';
import { navigate, routeHash } from '../../app/route.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { codingAround, plural, sourceRoute, type GroupedResult, type HitGroup, type SourceMeta } from '../../search/results.ts';
import type { SearchMeta } from '../../search/useSearchIndex.ts';

interface Names {
  caseName: ReadonlyMap<Guid, string>;
  documentTitle: (id: Guid) => string | undefined;
  participantLabel: (id: Guid) => string | undefined;
  code: (id: Guid) => Code | undefined;
}

function memoHeading(meta: SourceMeta, names: Names): string {
  const about = (() => {
    switch (meta.target?.type) {
      case 'document':
        return `transcript “${names.documentTitle(meta.target.id) ?? '?'}”`;
      case 'segment':
        return meta.documentId ? `a coding in “${names.documentTitle(meta.documentId) ?? '?'}”` : 'a coding';
      case 'case':
        return `case ${names.caseName.get(meta.target.id) ?? '?'}`;
      case 'code':
        return `code “${names.code(meta.target.id)?.name ?? '?'}”`;
      default:
        return 'the study';
    }
  })();
  return `Memo on ${about}${meta.title ? `: ${meta.title}` : ''}`;
}

/** Opens a hit's transcript, at the coding around the hit when there is one (plain clicks only: a new tab gets the link). */
async function openHit(event: MouseEvent<HTMLAnchorElement>, studyId: Guid, meta: SourceMeta, hit: SearchHit) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || !meta.documentId || meta.kind !== 'document') return;
  event.preventDefault();
  const segments = await db.segments.where('documentId').equals(meta.documentId).toArray();
  navigate(sourceRoute(studyId, meta, codingAround(segments, hit)));
}

function Group({ studyId, group, names }: { studyId: Guid; group: HitGroup; names: Names }) {
  const meta = group.meta;
  if (!meta) return null;
  const heading = meta.kind === 'document' ? meta.title : memoHeading(meta, names);
  const caseLabel = meta.caseId ? names.caseName.get(meta.caseId) : null;
  const people = meta.participantIds.map(names.participantLabel).filter(Boolean).join(', ');
  const href = routeHash(sourceRoute(studyId, meta));
  return (
    <li className={`hit-group ${meta.kind}`}>
      <div className="hit-group-head">
        <h3 className="hit-source">{heading}</h3>
        <span className="hit-meta">
          {meta.kind === 'memo' && <span className="kind-tag">Memo</span>}
          {caseLabel && <span>{caseLabel}</span>}
          {people && <span>{people}</span>}
          <span className="count">{plural(group.count, 'hit')}</span>
        </span>
      </div>
      <ol className="hits" aria-label={`Hits in ${heading}`}>
        {group.hits.map((hit) => (
          <li key={hit.start} className="hit">
            <p className="hit-snippet">
              {hit.snippet?.before}
              <mark className="search-hit">{hit.snippet?.match}</mark>
              {hit.snippet?.after}
            </p>
            <a className="jump" href={href} onClick={(e) => void openHit(e, studyId, meta, hit)}>
              {meta.kind === 'document' ? 'Open in transcript' : 'Open'}
            </a>
          </li>
        ))}
        {group.hits.length < group.count && <li className="hit more">{plural(group.count - group.hits.length, 'more hit')} not shown</li>}
      </ol>
    </li>
  );
}

/** Hits grouped by transcript or memo, with snippets and a link to open each one. */
export function SearchResults({ studyId, grouped, meta, caseName, core }: { studyId: Guid; grouped: GroupedResult; meta: SearchMeta; caseName: ReadonlyMap<Guid, string>; core: StudyCore }) {
  const participants = new Map(meta.participants.map((p) => [p.id, `${p.pseudonym}${p.role ? ` (${p.role})` : ''}`]));
  const codes = new Map(core.codes.map((c) => [c.id, c]));
  const names: Names = {
    caseName,
    documentTitle: (id) => meta.byId.get(id)?.title,
    participantLabel: (id) => participants.get(id),
    code: (id) => codes.get(id),
  };
  return (
    <ol className="hit-groups" aria-label="Search results">
      {grouped.groups.map((group) => (
        <Group key={group.sourceId} studyId={studyId} group={group} names={names} />
      ))}
    </ol>
  );
}
