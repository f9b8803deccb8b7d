/**
 * Why a file was refused or a change not written, as the import, merge and restore dialogs show it: a title,
 * then the first problems (each names its place in the file) and how many more there are.
 */
import type { ReactNode } from 'react';

export interface Failure {
  title: string;
  problems: string[];
}

const SHOWN = 8;

export function FailureAlert({ failure, children }: { failure: Failure; children?: ReactNode }) {
  return (
    <div className="field-problem" role="alert">
      <p>
        <strong>{failure.title}</strong>
      </p>
      <ul>
        {failure.problems.slice(0, SHOWN).map((p, i) => (
          <li key={i}>{p}</li>
        ))}
        {failure.problems.length > SHOWN && <li>… and {failure.problems.length - SHOWN} more</li>}
      </ul>
      {children}
    </div>
  );
}
