/**
 * The team's arrangement as the Coding view shows it: a banner while the team codes blind,
 * the coder's own assignment for the open transcript, and the confirmation asked before
 * switching to another coder in blind mode (which shows that coder's work).
 */
import { useState } from 'react';
import { routeHash } from '../../app/route.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { useNotices } from '../../components/Notices.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { ASSIGNMENT_STATUS_LABELS, setAssignmentStatus, shortId, type AssignmentStatus } from '../../data/team.ts';

export function BlindBanner({ core, coderId }: { core: StudyCore; coderId: string | null }) {
  const coder = core.coders.find((c) => c.id === coderId);
  return (
    <div className="coder-banner blind-banner" role="region" aria-label="Blind coding">
      <span>
        <strong>Blind coding is on.</strong> You see only the codings of{' '}
        {coder ? (
          <>
            <strong>{coder.name}</strong> <code title={coder.id}>{shortId(coder.id)}</code>
          </>
        ) : (
          'nobody yet'
        )}
        ; the other coders’ codings are hidden here and in search until the team turns blind coding off to compare.
      </span>
      <a href={routeHash({ screen: 'study', studyId: core.study.id, area: 'documents', item: null })}>Team settings in Documents</a>
    </div>
  );
}

/** The active coder's assignment for this transcript, and the buttons that move it on. */
export function MyAssignment({ core, documentId, coderId, status }: { core: StudyCore; documentId: string; coderId: string | null; status: AssignmentStatus | null }) {
  const { notify } = useNotices();
  const [said, setSaid] = useState('');
  const coder = core.coders.find((c) => c.id === coderId);
  if (!coder) return null;
  const set = async (next: AssignmentStatus) => {
    try {
      await setAssignmentStatus(db, core.study.id, documentId, coder.id, next);
      setSaid(next === 'done' ? `Marked done for ${coder.name}.` : `Marked ${ASSIGNMENT_STATUS_LABELS[next].toLowerCase()} for ${coder.name}.`);
    } catch (error) {
      notify('error', 'The assignment was not changed', (error as Error).message);
    }
  };
  return (
    <section aria-labelledby="assignment-heading" className="panel-section">
      <h2 id="assignment-heading">Your assignment</h2>
      <p>
        {status === null ? (
          <>This transcript is not assigned to {coder.name}.</>
        ) : (
          <>
            {coder.name}: <strong data-assignment-status={status}>{ASSIGNMENT_STATUS_LABELS[status]}</strong>
          </>
        )}
      </p>
      <div className="toolbar">
        {status !== 'done' && (
          <button type="button" className={status === null ? undefined : 'primary'} onClick={() => void set('done')}>
            Mark this transcript done
          </button>
        )}
        {status !== 'in-progress' && (
          <button type="button" onClick={() => void set('in-progress')}>
            {status === 'done' ? 'Reopen (in progress)' : 'Mark in progress'}
          </button>
        )}
      </div>
      <p className="hint" role="status">
        {said || 'Saved at once for the team; not part of undo.'}
      </p>
    </section>
  );
}

/** Asks before showing another coder's codings while the team codes blind. */
export function ConfirmCoderSwitch({ core, from, to, onConfirm, onClose }: { core: StudyCore; from: string | null; to: string; onConfirm: () => void; onClose: () => void }) {
  const next = core.coders.find((c) => c.id === to);
  const current = core.coders.find((c) => c.id === from);
  return (
    <ConfirmDialog title={`Code as ${next?.name ?? 'another coder'}?`} confirmLabel={`Switch to ${next?.name ?? 'them'}`} onConfirm={onConfirm} onClose={onClose}>
      <p>
        Blind coding is on. Switching shows {next ? <strong>{next.name}</strong> : 'that coder'}’s codings and hides {current ? <strong>{current.name}</strong> : 'the current coder'}’s.
      </p>
      <p className="hint">Switch only if you are {next?.name ?? 'that coder'}, or the team is ready to see their work.</p>
    </ConfirmDialog>
  );
}
