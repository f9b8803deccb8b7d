/**
 * The undo history of each open study, shared by every screen: screens perform changes
 * through `perform`, and Edit → Undo / Redo (menus, Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z, Ctrl+Y)
 * replay them, whatever screen made them.
 */
import { createContext, useCallback, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useNotices } from '../components/Notices.tsx';
import { ChangeRefused, History, type Change } from '../data/history.ts';
import { db } from '../data/instance.ts';

interface HistoryApi {
  historyOf(studyId: string): History;
  /** Drops a study's history (after it was deleted or replaced: its changes no longer apply). */
  forget(studyId: string): void;
}

const HistoryContext = createContext<HistoryApi | null>(null);

export function HistoryProvider({ children }: { children: ReactNode }) {
  const api = useMemo<HistoryApi>(() => {
    const histories = new Map<string, History>();
    return {
      historyOf(studyId) {
        let history = histories.get(studyId);
        if (!history) histories.set(studyId, (history = new History(db)));
        return history;
      },
      forget(studyId) {
        histories.get(studyId)?.clear();
        histories.delete(studyId);
      },
    };
  }, []);
  return <HistoryContext.Provider value={api}>{children}</HistoryContext.Provider>;
}

export interface StudyHistory {
  /** Runs a change and records it; a refusal is shown to the researcher and returns null. */
  perform<T extends { change: Change }>(work: () => Promise<T>): Promise<T | null>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  nextUndo: string | null;
  nextRedo: string | null;
}

export function useForgetHistory(): (studyId: string) => void {
  const api = useContext(HistoryContext);
  if (!api) throw new Error('useForgetHistory outside HistoryProvider');
  return api.forget;
}

export function useStudyHistory(studyId: string | null): StudyHistory {
  const api = useContext(HistoryContext);
  if (!api) throw new Error('useStudyHistory outside HistoryProvider');
  const { notify } = useNotices();
  const history = studyId ? api.historyOf(studyId) : null;
  const subscribe = useCallback((listener: () => void) => history?.subscribe(listener) ?? (() => undefined), [history]);
  const nextUndo = useSyncExternalStore(subscribe, () => history?.nextUndo ?? null);
  const nextRedo = useSyncExternalStore(subscribe, () => history?.nextRedo ?? null);

  return useMemo<StudyHistory>(
    () => ({
      async perform(work) {
        try {
          if (!history) return await work();
          return await history.perform(work);
        } catch (error) {
          if (error instanceof ChangeRefused) notify('info', error.message);
          else notify('error', 'The change could not be saved; nothing was changed.', (error as Error).message);
          return null;
        }
      },
      async undo() {
        try {
          const label = await history?.undo();
          notify('info', label ? `Undone: ${label}` : 'Nothing to undo');
        } catch (error) {
          notify('error', 'Undo failed; nothing was changed.', (error as Error).message);
        }
      },
      async redo() {
        try {
          const label = await history?.redo();
          notify('info', label ? `Redone: ${label}` : 'Nothing to redo');
        } catch (error) {
          notify('error', 'Redo failed; nothing was changed.', (error as Error).message);
        }
      },
      nextUndo,
      nextRedo,
    }),
    [history, nextRedo, nextUndo, notify],
  );
}
