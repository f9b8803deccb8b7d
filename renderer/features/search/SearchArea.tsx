import type { StudyCore } from '../../data/hooks.ts';
import { CodedSegments } from './CodedSegments.tsx';
import { FullTextSearch } from './FullTextSearch.tsx';
import './search.css';

/** Search: full-text search over transcripts and memos, then retrieval of coded segments by code, stage or kind. */
export function SearchArea({ core }: { core: StudyCore }) {
  return (
    <div>
      <header className="area-header">
        <h1>Search and retrieve</h1>
        <p className="lead">Search every transcript and memo for words, “quoted phrases” and prefixes*, or read every segment behind a code.</p>
      </header>
      <FullTextSearch key={core.study.id} core={core} />
      <CodedSegments core={core} />
    </div>
  );
}
