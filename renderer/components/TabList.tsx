/**
 * An ARIA tab list with roving focus: Left/Right move between tabs (wrapping), Home/End
 * jump; the chosen tab is the one in the Tab order. Tab ids are `${idPrefix}-${tab.id}`,
 * for the panel's aria-labelledby.
 */
import type { KeyboardEvent } from 'react';

export function TabList<T extends string>({ tabs, value, onChange, label, idPrefix, panelId }: { tabs: readonly { id: T; label: string }[]; value: T; onChange: (id: T) => void; label: string; idPrefix: string; panelId: string }) {
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length]!;
    onChange(tab.id);
    (event.currentTarget.parentElement?.querySelector(`#${idPrefix}-${tab.id}`) as HTMLElement | null)?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="matrix-tabs">
      {tabs.map((tab, i) => (
        <button
          key={tab.id}
          id={`${idPrefix}-${tab.id}`}
          type="button"
          role="tab"
          aria-selected={value === tab.id}
          aria-controls={panelId}
          tabIndex={value === tab.id ? 0 : -1}
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
