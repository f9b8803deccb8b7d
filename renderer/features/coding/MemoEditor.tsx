import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useRef, useState } from 'react';
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

/**
 * A memo edited in place; saved (undoably) when the field loses focus, on Ctrl/Cmd+Enter, and
 * when the editor goes away or turns to another target with a draft still unsaved (a shortcut
 * can switch screens without the field ever losing focus).
 */
export function MemoEditor({ studyId, coderId, targetType, targetId, label }: MemoEditorProps) {
  const memo = useLiveQuery(() => findMemo(db, targetType, targetId), [targetType, targetId]);
  const [draft, setDraft] = useState<string | null>(null);
  const history = useStudyHistory(studyId);
  const id = useId();
  const stored = memo?.text ?? '';
  useEffect(() => setDraft(null), [targetId]);

  const write = (text: string, target: { targetType: MemoTargetType; targetId: string }) =>
    history.perform(() => saveMemo(db, studyId, target.targetType, target.targetId, text, coderId, text.trim() === '' ? `Delete memo on ${label.toLowerCase()}` : `Edit memo on ${label.toLowerCase()}`));

  // The draft not yet handed to a save, and how to save it, for the clean-up below.
  const unsaved = useRef<(() => void) | null>(null);
  const saving = useRef<string | null>(null);
  useEffect(() => {
    unsaved.current = draft !== null && draft !== stored && draft !== saving.current ? () => void write(draft, { targetType, targetId }) : null;
  });
  useEffect(
    () => () => {
      unsaved.current?.();
      unsaved.current = null;
    },
    [targetType, targetId],
  );

  const save = async () => {
    if (draft === null || draft === stored) return;
    const text = draft;
    unsaved.current = null;
    saving.current = text;
    await write(text, { targetType, targetId });
    saving.current = null;
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
