import { useId, useState, type ReactNode } from 'react';
import { Dialog } from './Dialog.tsx';

interface FormDialogProps {
  title: string;
  /** The primary button's words ("Add case", "Rename"). */
  submitLabel: string;
  children: ReactNode;
  /** The id of the problem line, for the field it describes (`aria-describedby`); one of its own when left out. */
  problemId?: string;
  /** Why the form cannot be sent, or null. Checked on submit; the reason stays shown in the dialog, which stays open. */
  check: () => string | null;
  /** Sends the form once `check` passed; true closes the dialog (false: the change was refused, and said so elsewhere). */
  onSubmit: () => Promise<boolean>;
  onClose: () => void;
}

/**
 * A dialog that edits a few fields and writes them in one step: Cancel, a primary submit
 * button, and one problem line under the fields that the screen reader announces when a
 * submit is refused. The dialog checks before writing, so the researcher reads the problem
 * beside the fields; the data layer checks again inside the change.
 */
export function FormDialog({ title, submitLabel, children, problemId, check, onSubmit, onClose }: FormDialogProps) {
  const [problem, setProblem] = useState('');
  const ownId = useId();
  const submit = async () => {
    const wrong = check();
    if (wrong) return setProblem(wrong);
    if (await onSubmit()) onClose();
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {submitLabel}
          </button>
        </>
      }
    >
      {children}
      <p className="field-problem" id={problemId ?? ownId} role="alert">
        {problem}
      </p>
    </Dialog>
  );
}
