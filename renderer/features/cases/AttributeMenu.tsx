/**
 * The menu of an attribute's column header (a menu button: Enter, Space or Down opens it,
 * arrows move, Escape closes and returns to the button).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuAction {
  id: string;
  label: string;
  disabled?: boolean;
  run: () => void;
}

export function AttributeMenu({ name, actions }: { name: string; actions: readonly MenuAction[] }) {
  const [open, setOpen] = useState(false);
  const [index, setIndex] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();
  const enabled = actions.filter((a) => !a.disabled);

  useEffect(() => {
    if (open) menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]:not([aria-disabled=true])')[index]?.focus();
  }, [open, index]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      setIndex((i) => (i + moves[event.key]! + enabled.length) % enabled.length);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      setIndex(event.key === 'Home' ? 0 : enabled.length - 1);
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      event.stopPropagation();
      close(event.key === 'Escape');
    }
  };
  return (
    <span className="header-menu">
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-label={`Options for attribute ${name}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          setIndex(0);
          setOpen((o) => !o);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setIndex(0);
            setOpen(true);
          }
        }}
      >
        ⋯
      </button>
      {open && (
        <ul
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={`Attribute ${name}`}
          className="menu"
          onKeyDown={onMenuKey}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null) && e.relatedTarget !== button.current) close(false);
          }}
        >
          {actions.map((action) => (
            <li
              key={action.id}
              role="menuitem"
              tabIndex={-1}
              aria-disabled={action.disabled || undefined}
              onClick={() => {
                if (action.disabled) return;
                close(true);
                action.run();
              }}
              onKeyDown={(e) => {
                if ((e.key === 'Enter' || e.key === ' ') && !action.disabled) {
                  e.preventDefault();
                  close(true);
                  action.run();
                }
              }}
            >
              {action.label}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
