/**
 * The preview of a merge and the researcher's choices: planned once against the database,
 * then planned again in memory at every choice (no read, so the counts follow at once). A
 * combination of choices the study could not hold (the plan's integrity check refuses it)
 * keeps the previous plan and says why.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MergeChoices } from '../../../shared/refi/merge.ts';
import { previewMerge, replanMerge, type MergePreview } from '../../data/merge.ts';
import { db } from '../../data/instance.ts';

export function useMergePreview(studyId: string | null, source: MergePreview['source'] | null) {
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

  return { preview, problem, choiceProblem, choose, reload: load };
}
