/**
 * Pinning exemplars: pick a code, read its coded segments, pin the quotes the report should
 * show first and put them in order. Everything is a button or a form control, so the whole
 * task works from the keyboard; pins are saved per study at once (renderer/data/reports.ts).
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { quoteAttribution } from '../../../shared/maps/positions.ts';
import type { Guid } from '../../../shared/model/types.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import type { ReportPins } from '../../data/reports.ts';
import { findCodedSegments, type RetrievedSegment } from '../../data/retrieval.ts';
import type { SelectionGroup } from './report-selection.ts';

const EXCERPT = 280;
const excerpt = (text: string) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > EXCERPT ? `${one.slice(0, EXCERPT - 1)}…` : one;
};

interface Props {
  core: StudyCore;
  groups: readonly SelectionGroup[];
  pins: ReportPins;
  onPins: (codeId: Guid, segmentIds: Guid[]) => void;
}

export function PinExemplars({ core, groups, pins, onPins }: Props) {
  const [codeId, setCodeId] = useState<Guid>('');
  // The segments are kept with the code they belong to, so a code just chosen shows "Loading".
  const [loaded, setLoaded] = useState<{ codeId: Guid; segments: RetrievedSegment[] } | null>(null);
  const segments = loaded?.codeId === codeId ? loaded.segments : null;
  const ids = { code: useId(), pinned: useId(), coded: useId() };
  const codes = useMemo(() => groups.flatMap((g) => g.codes), [groups]);
  const caseName = useMemo(() => new Map(core.cases.map((c) => [c.id, c.name])), [core.cases]);
  const chosen = codes.find((c) => c.id === codeId) ?? null;

  useEffect(() => {
    if (!codeId) return;
    let current = true;
    void findCodedSegments(db, [codeId]).then((found) => {
      if (current) setLoaded({ codeId, segments: found });
    });
    return () => {
      current = false;
    };
  }, [codeId]);

  const pinned = pins[codeId] ?? [];
  const byId = new Map((segments ?? []).map((s) => [s.segment.id, s]));
  const who = (s: RetrievedSegment) =>
    quoteAttribution(
      s.participants.map((p) => p.pseudonym),
      s.document.caseId === null ? null : (caseName.get(s.document.caseId) ?? null),
    );
  const move = (index: number, by: -1 | 1) => {
    const next = [...pinned];
    const [id] = next.splice(index, 1);
    next.splice(index + by, 0, id!);
    onPins(codeId, next);
  };

  return (
    <div className="pin-exemplars">
      <div className="field">
        <label htmlFor={ids.code}>Code whose exemplars to pin</label>
        <select id={ids.code} value={codeId} onChange={(e) => setCodeId(e.target.value)}>
          <option value="">Choose a code…</option>
          {groups
            .filter((g) => g.codes.length > 0)
            .map((g) => (
              <optgroup key={g.key} label={g.name}>
                {g.codes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                    {(pins[c.id]?.length ?? 0) > 0 ? ` (${pins[c.id]!.length} pinned)` : ''}
                  </option>
                ))}
              </optgroup>
            ))}
        </select>
      </div>
      {chosen && (
        <>
          <h4 id={ids.pinned}>Pinned for “{chosen.label}”, in report order</h4>
          {pinned.length === 0 ? (
            <p className="hint">Nothing pinned: the report chooses this code’s exemplars by the rule above.</p>
          ) : (
            <ol className="pinned-list" aria-labelledby={ids.pinned}>
              {pinned.map((id, i) => {
                const s = byId.get(id);
                const text = s ? excerpt(s.segment.text) : segments === null ? 'Loading…' : 'This segment no longer carries the code; the report leaves it out.';
                return (
                  <li key={id}>
                    <q>{text}</q>
                    {s && <span className="who"> — {who(s)}</span>}
                    <span className="toolbar" role="group" aria-label={`Pinned quote ${i + 1}`}>
                      <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move pinned quote ${i + 1} up`}>
                        Up
                      </button>
                      <button type="button" disabled={i === pinned.length - 1} onClick={() => move(i, 1)} aria-label={`Move pinned quote ${i + 1} down`}>
                        Down
                      </button>
                      <button type="button" onClick={() => onPins(codeId, pinned.filter((p) => p !== id))} aria-label={`Unpin quote ${i + 1}`}>
                        Unpin
                      </button>
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
          <h4 id={ids.coded}>Coded segments{segments ? ` (${segments.length})` : ''}</h4>
          {segments === null ? (
            <p className="hint">Loading the coded segments…</p>
          ) : segments.length === 0 ? (
            <p className="hint">No segment carries this code yet.</p>
          ) : (
            <ul className="segment-list" aria-labelledby={ids.coded}>
              {segments.map((s, i) => {
                const isPinned = pinned.includes(s.segment.id);
                return (
                  <li key={s.segment.id}>
                    <q>{excerpt(s.segment.text)}</q>
                    <span className="who">
                      {' '}
                      — {who(s)}, {s.document.title}
                    </span>
                    <button type="button" disabled={isPinned} onClick={() => onPins(codeId, [...pinned, s.segment.id])} aria-label={isPinned ? `Segment ${i + 1} is pinned` : `Pin segment ${i + 1}`}>
                      {isPinned ? 'Pinned' : 'Pin'}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
