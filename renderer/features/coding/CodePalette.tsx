import { useId, useMemo, useState, type CSSProperties } from 'react';
import { CODE_KIND_LABELS, type Code, type Stage } from '../../../shared/model/types.ts';
import { Dialog } from '../../components/Dialog.tsx';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

interface CodePaletteProps {
  title: string;
  codes: Code[];
  stages: Stage[];
  recent: string[];
  pinned: string[];
  onChoose: (codeId: string) => void;
  onCreate: (name: string) => void;
  onTogglePin: (codeId: string) => void;
  onClose: () => void;
}

type Option = { kind: 'code'; code: Code } | { kind: 'create'; name: string };

/** Type-ahead code palette: recent codes first, Enter applies, Ctrl+P pins for the number keys. */
export function CodePalette({ title, codes, stages, recent, pinned, onChoose, onCreate, onTogglePin, onClose }: CodePaletteProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const stageName = new Map(stages.map((s) => [s.id, s.name]));

  const options = useMemo<Option[]>(() => {
    const q = fold(query.trim());
    const usable = codes.filter((c) => c.status !== 'retired' && (q === '' || fold(c.name).includes(q)));
    const rank = (c: Code) => {
      const r = recent.indexOf(c.id);
      return r === -1 ? recent.length + c.order : r;
    };
    const sorted = [...usable].sort((a, b) => {
      // exact prefix matches first, then recency, then codebook order
      const pa = q !== '' && fold(a.name).startsWith(q) ? 0 : 1;
      const pb = q !== '' && fold(b.name).startsWith(q) ? 0 : 1;
      return pa - pb || rank(a) - rank(b);
    });
    const result: Option[] = sorted.map((code) => ({ kind: 'code', code }));
    if (query.trim() !== '' && !codes.some((c) => fold(c.name) === q)) result.push({ kind: 'create', name: query.trim() });
    return result;
  }, [codes, query, recent]);

  const current = Math.min(active, Math.max(0, options.length - 1));
  const choose = (option: Option | undefined) => {
    if (!option) return;
    if (option.kind === 'code') onChoose(option.code.id);
    else onCreate(option.name);
  };
  const optionId = (i: number) => `${listId}-${i}`;

  return (
    <Dialog
      title={title}
      onClose={onClose}
      onSubmit={() => choose(options[current])}
      actions={
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      }
    >
      <input
        autoFocus
        role="combobox"
        aria-label="Find a code"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={options.length > 0 ? optionId(current) : undefined}
        placeholder="Type to find a code, or a new name"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((current + 1) % Math.max(1, options.length));
          else if (e.key === 'ArrowUp') setActive((current - 1 + options.length) % Math.max(1, options.length));
          else if (e.key.toLowerCase() === 'p' && (e.ctrlKey || e.metaKey)) {
            const option = options[current];
            if (option?.kind === 'code') onTogglePin(option.code.id);
          } else return;
          e.preventDefault();
        }}
      />
      <ul id={listId} role="listbox" aria-label="Codes" className="palette-list">
        {options.map((option, i) => (
          <li
            key={option.kind === 'code' ? option.code.id : 'create'}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            className={i === current ? 'active' : undefined}
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(option)}
          >
            {option.kind === 'code' ? (
              <>
                <span className="swatch" style={{ background: option.code.color } as CSSProperties} aria-hidden="true" />
                <span className="palette-name">{option.code.name}</span>
                <span className="palette-meta">
                  {option.code.stageId ? stageName.get(option.code.stageId) : 'Cross-stage'} · {CODE_KIND_LABELS[option.code.kind]}
                </span>
                {pinned.includes(option.code.id) && <kbd title="Pinned: press this number in the transcript">{pinned.indexOf(option.code.id) + 1}</kbd>}
              </>
            ) : (
              <span className="palette-create">Create code “{option.name}”</span>
            )}
          </li>
        ))}
        {options.length === 0 && <li className="palette-empty">No code matches. Type a name to create a code.</li>}
      </ul>
      <p className="hint">Enter applies · ↑↓ choose · Ctrl+P pins a code to a number key (1–9) · Esc closes</p>
    </Dialog>
  );
}
