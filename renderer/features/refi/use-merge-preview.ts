/**
 * The preview of a merge and the researcher's choices: planned once against the database,
 * then planned again in memory at every choice (no read, so the counts follow at once). A
 * combination of choices the study could not hold (the plan's integrity check refuses it)
 * keeps the previous plan and says why. `merge` writes the preview as one undoable change.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MergeChoices } from '../../../shared/refi/merge.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { previewMerge, replanMerge, writeMerge, type MergePreview } from '../../data/merge.ts';
import { db } from '../../data/instance.ts';

export function useMergePreview(studyId: string | null, source: MergePreview['source'] | null) {
  const history = useStudyHistory(studyId);
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [choiceProblem, setChoiceProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!studyId || !source) return;
    setPreview(null);
    setProblem(null);
    try {
      setPreview(await previewMerge(db, studyId, source));
    } catch (error) {
      setProblem((error as Error).message);
    }
  }, [studyId, source]);

  useEffect(() => {
    void load();
  }, [load]);

  const choose = useCallback(
    (choices: MergeChoices) => {
      if (!preview) return;
      try {
        setPreview(replanMerge(preview, choices));
        setChoiceProblem(null);
      } catch (error) {
        setChoiceProblem(`That choice was not applied: ${(error as Error).message}`);
      }
    },
    [preview],
  );

  /** True when the plan puts nothing: the file adds nothing and every conflict keeps ours. */
  const nothing = useMemo(() => preview !== null && Object.values(preview.plan.put).every((rows) => rows.length === 0), [preview]);

  /**
   * Writes the preview as one undoable change; resolves to null once written, else to why
   * nothing was (the study changed since the preview, or GUIDs of another study).
   */
  const merge = useCallback(
    async (label: string): Promise<string | null> => {
      if (!preview) return 'The merge could not be written; nothing was changed.';
      let refusal: string | null = null;
      const done = await history.perform(async () => {
        try {
          return { change: await writeMerge(db, preview, label) };
        } catch (error) {
          refusal = (error as Error).message;
          throw error;
        }
      });
      return done ? null : (refusal ?? 'The merge could not be written; nothing was changed.');
    },
    [history, preview],
  );

  return { preview, problem, choiceProblem, choose, nothing, merge, reload: load };
}
