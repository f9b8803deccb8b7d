import type { ReactNode } from 'react';

/** What an empty area is for and the researcher's next step. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <div className="empty-state-text">{children}</div>
      {action && <div className="empty-state-action">{action}</div>}
    </section>
  );
}
