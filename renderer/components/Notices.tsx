import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  title: string;
  detail?: string | undefined;
}

interface NoticeApi {
  notify(kind: Notice['kind'], title: string, detail?: string): void;
}

const NoticeContext = createContext<NoticeApi>({ notify: () => undefined });
export const useNotices = () => useContext(NoticeContext);

let nextId = 1;

/** Messages for the researcher, announced to screen readers; errors stay until dismissed. */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((n) => n.id !== id)), []);
  const notify = useCallback(
    (kind: Notice['kind'], title: string, detail?: string) => {
      const id = nextId++;
      setNotices((all) => [...all.slice(-3), { id, kind, title, detail }]);
      if (kind === 'info') setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  const api = useMemo(() => ({ notify }), [notify]);
  return (
    <NoticeContext.Provider value={api}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : undefined}>
            <div>
              <strong>{n.title}</strong>
              {n.detail && <p className="notice-detail">{n.detail}</p>}
            </div>
            <button type="button" className="icon-button" aria-label="Dismiss message" onClick={() => dismiss(n.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}
