import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useState } from 'react';
import type { MemoTargetType } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { db } from '../../data/instance.ts';
import { findMemo, saveMemo } from '../../data/memos.ts';

interface MemoEditorProps {
  studyId: string;
  coderId: string | null;
  targetType: MemoTargetType;
  targetId: string;
  label: string;
}

/** A memo edited in place; saved (undoably) when the field loses focus or on Ctrl/Cmd+Enter. */
export function MemoEditor({ studyId, coderId, targetType, targetId, label }: MemoEditorProps) {
  const memo = useLiveQuery(() => findMemo(db, targetType, targetId), [targetType, targetId]);
  const [draft, setDraft] = useState<string | null>(null);
  const history = useStudyHistory(studyId);
  const id = useId();
  const stored = memo?.text ?? '';
  useEffect(() => setDraft(null), [targetId]);

  const save = async () => {
    if (draft === null || draft === stored) return;
    const text = draft;
    await history.perform(() => saveMemo(db, studyId, targetType, targetId, text, coderId, text.trim() === '' ? `Delete memo on ${label.toLowerCase()}` : `Edit memo on ${label.toLowerCase()}`));
    setDraft(null);
  };

  return (
    <div className="memo-editor">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        value={draft ?? stored}
        placeholder="Write a memo…"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void save();
          }
        }}
      />
    </div>
  );
}
