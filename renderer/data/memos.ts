/** Memo changes (on a study, case, document, segment or code), undoable like every change. */
import { newGuid } from '../../shared/model/ids.ts';
import type { Guid, Memo, MemoTargetType } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { commitChange, emptyPatch } from './history.ts';

export async function findMemo(db: CartographyDb, targetType: MemoTargetType, targetId: Guid): Promise<Memo | undefined> {
  return db.memos.where('[targetType+targetId]').equals([targetType, targetId]).first();
}

/**
 * Sets the memo of a target: creates it, edits it, or (with empty text) removes it.
 * One memo per target is what the coding view edits in place; others stay untouched.
 */
export async function saveMemo(db: CartographyDb, studyId: Guid, targetType: MemoTargetType, targetId: Guid, text: string, coderId: Guid | null, label: string) {
  const change = await commitChange(db, studyId, label, async () => {
    const patch = emptyPatch();
    const existing = await findMemo(db, targetType, targetId);
    const now = new Date().toISOString();
    if (text.trim() === '') {
      if (existing) patch.remove.memos = [existing.id];
      // A segment kept only for this memo goes with it (a segment needs codings, a memo or tie evidence).
      if (existing && targetType === 'segment') {
        const segment = await db.segments.get(targetId);
        const otherMemos = await db.memos.where('[targetType+targetId]').equals(['segment', targetId]).count();
        let evidence = false;
        await db.ties.where('studyId').equals(studyId).each((t) => {
          evidence ||= t.evidenceSegmentIds.includes(targetId);
        });
        if (segment && segment.codings.length === 0 && otherMemos <= 1 && !evidence) patch.remove.segments = [targetId];
      }
    } else if (!existing) {
      const memo: Memo = { id: newGuid(), studyId, createdAt: now, modifiedAt: now, createdBy: coderId, targetType, targetId, title: '', text };
      patch.put.memos = [memo];
    } else if (existing.text !== text) {
      const edited: Memo = { ...existing, text, modifiedAt: now };
      patch.put.memos = [edited];
    }
    return patch;
  });
  return { change };
}
