/** React hooks over the database: live queries that re-render when records change. */
import { useLiveQuery } from 'dexie-react-hooks';
import type { AttributeDef, Case, Code, Coder, Guid, Stage, Study } from '../../shared/model/types.ts';
import { db } from './instance.ts';
import { byName, countStudyCodings, listStudies, type StudySummary } from './studies.ts';

export function useStudies(): StudySummary[] | undefined {
  return useLiveQuery(() => listStudies(db), []);
}

/** Studies by name, without their counts: for pickers, which must not recount every study after each change. */
export function useStudyNames(): Pick<Study, 'id' | 'name'>[] | undefined {
  return useLiveQuery(async () => (await db.studies.toArray()).map(({ id, name }) => ({ id, name })).sort((a, b) => byName(a.name, b.name)), []);
}

/** The small, often-used records of a study (no texts, segments or codings). */
export interface StudyCore {
  study: Study;
  coders: Coder[];
  stages: Stage[];
  attributes: AttributeDef[];
  cases: Case[];
  codes: Code[];
}

/** undefined while loading, null when the study does not exist. */
export function useStudyCore(studyId: Guid): StudyCore | null | undefined {
  return useLiveQuery(async () => {
    const study = await db.studies.get(studyId);
    if (!study) return null;
    const [coders, stages, attributes, cases, codes] = await Promise.all([
      db.coders.where('studyId').equals(studyId).toArray(),
      db.stages.where('studyId').equals(studyId).sortBy('order'),
      db.attributes.where('studyId').equals(studyId).sortBy('order'),
      db.cases.where('studyId').equals(studyId).toArray().then((cases) => cases.sort((a, b) => byName(a.name, b.name))),
      db.codes.where('studyId').equals(studyId).sortBy('order'),
    ]);
    return { study, coders, stages, attributes, cases, codes };
  }, [studyId]);
}

export interface StudyCounts {
  participants: number;
  documents: number;
  codings: number;
  memos: number;
  actors: number;
  ties: number;
}

export function useStudyCounts(studyId: Guid): StudyCounts | undefined {
  return useLiveQuery(async () => {
    const count = (table: 'participants' | 'documents' | 'memos' | 'actors' | 'ties') => db.table(table).where('studyId').equals(studyId).count();
    const [participants, documents, codings, memos, actors, ties] = await Promise.all([
      count('participants'),
      count('documents'),
      countStudyCodings(db, studyId),
      count('memos'),
      count('actors'),
      count('ties'),
    ]);
    return { participants, documents, codings, memos, actors, ties };
  }, [studyId]);
}
