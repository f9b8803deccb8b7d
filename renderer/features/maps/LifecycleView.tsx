/**
 * The lifecycle map: one column per stage, cathedral at the bottom and bazaar at the top,
 * each case placed by its coded evidence (shared/maps/positions.ts, one formula shown beside
 * every position) and linked across stages; a band per stage shows the median and quartiles.
 * A node (or a cell of the positions table below, for the keyboard) opens the position: its
 * formula, the evidence as attributed quotes, and an override with its justification.
 */
import cytoscape, { type Core } from 'cytoscape';
import { lifecycleElements, lifecycleStyle } from './lifecycle-elements.ts';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { defaultCaseColors, lifecycleLayout, lifecycleMapToSvg, type LifecycleLayout } from '../../../shared/maps/lifecycle-layout.ts';
import { computePositions, describePosition, EVIDENCE_RULE, findPosition, formatPosition, POSITION_FORMULA, positionEvidence, positionInWords, type MapCode, type PositionSource } from '../../../shared/maps/positions.ts';
import { CODE_COLORS } from '../../../shared/model/colors.ts';
import { OPENNESS_COMPONENTS, OPENNESS_LABELS, type Guid } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { routeHash } from '../../app/route.ts';
import { useNotices } from '../../components/Notices.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { clearPositionOverride, setPositionOverride, type MapSource } from '../../data/maps.ts';
import { platform } from '../../platform/platform.ts';
import { svgToPng } from '../matrices/image-export.ts';
import { fileStem } from '../../../shared/text/file-stem.ts';

const NO_VALUE = '(no value)';
/** A case's name on the map, without what follows in brackets ("OLMo (AI2)" → "OLMo"). */
const shortName = (name: string) => name.replace(/\s*\([^)]*\)\s*$/, '') || name;

/** A case's value for an attribute or an openness component, as text. */
function valueOf(source: MapSource, caseId: Guid, attributeId: string): string {
  const kase = source.cases.find((c) => c.id === caseId);
  if (!kase) return NO_VALUE;
  const raw = attributeId.startsWith('openness:') ? kase.openness[attributeId.slice('openness:'.length)] : kase.attributes[attributeId];
  if (raw === undefined || raw === null || raw === '') return NO_VALUE;
  return typeof raw === 'boolean' ? (raw ? 'Yes' : 'No') : String(raw);
}

export function LifecycleView({ core, source }: { core: StudyCore; source: MapSource }) {
  const { study } = core;
  const history = useStudyHistory(study.id);
  const { notify } = useNotices();
  const [colorBy, setColorBy] = useState('');
  const [filterBy, setFilterBy] = useState('');
  const [filterValue, setFilterValue] = useState('');
  const [highlight, setHighlight] = useState('');
  const [selected, setSelected] = useState<{ caseId: Guid; stageId: Guid } | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const ids = { color: useId(), filter: useId(), value: useId(), highlight: useId() };
  const coderId = core.coders.some((c) => c.id === study.activeCoderId) ? study.activeCoderId : (core.coders[0]?.id ?? null);

  const attributeChoices = useMemo(
    () => [...core.attributes.map((a) => ({ value: a.id, label: a.name })), ...OPENNESS_COMPONENTS.map((c) => ({ value: `openness:${c}`, label: `Openness: ${OPENNESS_LABELS[c]}` }))],
    [core.attributes],
  );
  const values = (attributeId: string) => [...new Set(source.cases.map((c) => valueOf(source, c.id, attributeId)))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

  const shownCases = useMemo(
    () => (filterBy && filterValue ? source.cases.filter((c) => valueOf(source, c.id, filterBy) === filterValue) : [...source.cases]).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
    [source, filterBy, filterValue],
  );
  const positionSource = useMemo<PositionSource>(() => ({ ...source, codes: source.codes as unknown as MapCode[], cases: shownCases }), [source, shownCases]);
  const overrides = useMemo(() => source.overrides.map((o) => ({ caseId: o.caseId, stageId: o.stageId, value: o.value, justification: o.justification, memoId: o.memoId })), [source.overrides]);
  const map = useMemo(() => computePositions(positionSource, { overrides }), [positionSource, overrides]);
  const layout = useMemo<LifecycleLayout>(
    () => lifecycleLayout({ stages: source.stages, cases: shownCases, positions: map.positions }, { plotHeight: 480, labelOf: (id) => shortName(shownCases.find((c) => c.id === id)?.name ?? ''), maxLabelWidth: 140 }),
    [source.stages, shownCases, map],
  );

  const colors = useMemo(() => {
    if (!colorBy) return { of: defaultCaseColors(source.cases), legend: [] as { label: string; color: string }[] };
    const palette = values(colorBy);
    const colorOfValue = new Map(palette.map((v, i) => [v, v === NO_VALUE ? '#9a978d' : CODE_COLORS[i % CODE_COLORS.length]!]));
    return { of: new Map(source.cases.map((c) => [c.id, colorOfValue.get(valueOf(source, c.id, colorBy))!])), legend: palette.map((v) => ({ label: v, color: colorOfValue.get(v)! })) };
  }, [colorBy, source]); // eslint-disable-line react-hooks/exhaustive-deps
  const caseName = useMemo(() => new Map(source.cases.map((c) => [c.id, c.name])), [source.cases]);
  const stageName = useMemo(() => new Map(source.stages.map((s) => [s.id, s.name])), [source.stages]);

  // Cytoscape draws the layout as it is: every position comes from shared/maps (preset).
  const cyRef = useRef<Core | null>(null);
  useEffect(() => {
    if (!container.current) return;
    const elements = lifecycleElements(layout, colors.of, (id) => shortName(caseName.get(id) ?? ''));
    const cy = cytoscape({
      container: container.current,
      elements,
      layout: { name: 'preset', fit: true, padding: 24 },
      autoungrabify: true,
      boxSelectionEnabled: false,
      wheelSensitivity: 0.3,
      minZoom: 0.3,
      maxZoom: 3,
      style: lifecycleStyle(layout),
    });
    cy.on('tap', 'node.case', (event) => setSelected({ caseId: event.target.data('caseId'), stageId: event.target.data('stageId') }));
    cyRef.current = cy;
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, [layout, colors, caseName]);

  // Highlight one case: dim the rest (nodes and trajectories).
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements('.case, .trajectory').removeClass('dimmed');
      if (highlight) cy.elements('.case, .trajectory').filter((e) => e.data('caseId') !== highlight).addClass('dimmed');
    });
  }, [highlight, layout, colors]);
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.$(':selected').unselect();
    if (selected) cy.getElementById(`${selected.caseId}:${selected.stageId}`).select();
  }, [selected, layout]);

  const svg = () => lifecycleMapToSvg(layout, { title: `${study.name}: cathedrals and bazaars across the lifecycle`, labelOf: (id) => caseName.get(id) ?? '', colorOf: (id) => colors.of.get(id) ?? '#888888', theme: 'light', notes: filterBy && filterValue ? [`Cases with ${attributeChoices.find((a) => a.value === filterBy)?.label}: ${filterValue}`] : [] });
  const save = async (format: 'svg' | 'png') => {
    try {
      const bytes = format === 'svg' ? new TextEncoder().encode(svg()) : await svgToPng(svg(), 2);
      const result = await platform.saveFile({
        title: 'Export the lifecycle map',
        suggestedName: `${fileStem(study.name)}-lifecycle-map.${format}`,
        filters: [{ name: format === 'svg' ? 'SVG image' : 'PNG image', extensions: [format] }],
        bytes,
      });
      if (result.saved) notify('info', `Exported the lifecycle map as ${format.toUpperCase()}`, result.path ?? 'Saved to your downloads.');
    } catch (error) {
      notify('error', `The lifecycle map could not be exported as ${format.toUpperCase()}; nothing was saved.`, (error as Error).message);
    }
  };

  const withEvidence = map.positions.filter((p) => p.n > 0 || p.override).length;
  const position = selected ? findPosition(map, selected.caseId, selected.stageId) : undefined;

  return (
    <div className="lifecycle">
      <div className="matrix-controls">
        <div className="control">
          <label htmlFor={ids.color}>Colour cases by</label>
          <select id={ids.color} value={colorBy} onChange={(e) => setColorBy(e.target.value)}>
            <option value="">Case (one colour each)</option>
            {attributeChoices.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="control">
          <label htmlFor={ids.filter}>Show cases with</label>
          <select id={ids.filter} value={filterBy} onChange={(e) => (setFilterBy(e.target.value), setFilterValue(''))}>
            <option value="">Every case</option>
            {attributeChoices.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        {filterBy && (
          <div className="control">
            <label htmlFor={ids.value}>equal to</label>
            <select id={ids.value} value={filterValue} onChange={(e) => setFilterValue(e.target.value)}>
              <option value="">any value</option>
              {values(filterBy).map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="control">
          <label htmlFor={ids.highlight}>Highlight</label>
          <select id={ids.highlight} value={highlight} onChange={(e) => setHighlight(e.target.value)}>
            <option value="">No case</option>
            {shownCases.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar" role="group" aria-label="Export the lifecycle map">
          <span className="hint">Export:</span>
          <button type="button" onClick={() => void save('png')}>
            PNG image
          </button>
          <button type="button" onClick={() => void save('svg')}>
            SVG image
          </button>
        </div>
      </div>
      <p className="formula">
        <strong>Position</strong> = (bazaar − cathedral) ÷ (bazaar + cathedral), from −1 (cathedral) to +1 (bazaar); n = segments of evidence. <span className="hint">{EVIDENCE_RULE}</span>
      </p>
      {colors.legend.length > 0 && (
        <ul className="map-legend" aria-label="Colours">
          {colors.legend.map((l) => (
            <li key={l.label}>
              <span className="swatch" style={{ background: l.color }} aria-hidden="true" /> {l.label}
            </li>
          ))}
        </ul>
      )}
      <div className="map-columns">
        <div
          ref={container}
          className="cy-map"
          role="img"
          aria-label={`Lifecycle map: ${withEvidence} positions of ${shownCases.length} cases across ${source.stages.length} stages. The positions table below gives every position.`}
          data-node-count={layout.nodes.length}
        />
        <aside className="map-panel" aria-label="Position">
          {position ? (
            <PositionPanel
              key={`${position.caseId}:${position.stageId}`}
              studyId={study.id}
              source={source}
              position={position}
              caseName={caseName.get(position.caseId) ?? ''}
              stageName={stageName.get(position.stageId) ?? ''}
              onOverride={async (value, justification) =>
                (await history.perform(() => setPositionOverride(db, study.id, { caseId: position.caseId, stageId: position.stageId, value, justification }, coderId))) !== null
              }
              onClear={async () => {
                const stored = source.overrides.find((o) => o.caseId === position.caseId && o.stageId === position.stageId);
                if (stored) await history.perform(() => clearPositionOverride(db, study.id, stored.id));
              }}
            />
          ) : (
            <p className="hint">Choose a case on the map, or a position in the table below, to see how it was computed and the evidence behind it.</p>
          )}
        </aside>
      </div>
      <div className="table-scroll" role="region" aria-label="Positions, scrollable" tabIndex={-1}>
        <table className="data-table positions-table" aria-label="Positions by case and stage">
          <thead>
            <tr>
              <th scope="col">Case</th>
              {source.stages.map((s) => (
                <th scope="col" key={s.id}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shownCases.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                {source.stages.map((s) => {
                  const p = findPosition(map, c.id, s.id);
                  const text = !p || p.position === null ? 'no evidence' : `${formatPosition(p.position)} (n ${p.n})`;
                  const isSelected = selected?.caseId === c.id && selected.stageId === s.id;
                  return (
                    <td key={s.id}>
                      <button type="button" className={`position-cell${p?.override ? ' overridden' : ''}`} aria-pressed={isSelected} onClick={() => setSelected({ caseId: c.id, stageId: s.id })}>
                        {text}
                        {p?.override && <span className="override-mark"> overridden</span>}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Median (quartiles)</th>
              {source.stages.map((s) => {
                const summary = map.summaries.find((x) => x.stageId === s.id);
                return (
                  <td key={s.id}>
                    {summary?.median === null || !summary ? '—' : `${formatPosition(summary.median)} (${formatPosition(summary.q1 ?? summary.median)} to ${formatPosition(summary.q3 ?? summary.median)}), ${summary.count} cases`}
                  </td>
                );
              })}
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

function PositionPanel({
  studyId,
  source,
  position,
  caseName,
  stageName,
  onOverride,
  onClear,
}: {
  studyId: Guid;
  source: MapSource;
  position: NonNullable<ReturnType<typeof findPosition>>;
  caseName: string;
  stageName: string;
  onOverride: (value: number, justification: string) => Promise<boolean>;
  onClear: () => Promise<void>;
}) {
  const quotes = useMemo(() => positionEvidence(source as unknown as PositionSource, position), [source, position]);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(String(position.override?.value ?? position.computed ?? 0));
  const [justification, setJustification] = useState(position.override?.justification ?? '');
  const [problem, setProblem] = useState('');
  const ids = { value: useId(), why: useId() };
  const submit = async () => {
    const number = Number(value.replace('−', '-'));
    if (!Number.isFinite(number) || number < -1 || number > 1) return setProblem('Give a position from −1 (cathedral) to 1 (bazaar).');
    if (justification.trim() === '') return setProblem('An override needs a justification: say why the evidence does not tell the whole story.');
    if (await onOverride(number, justification)) setEditing(false);
  };
  return (
    <article className="position-panel">
      <h2>
        {caseName} <span className="hint">in {stageName}</span>
      </h2>
      <p className="position-value">
        {position.position === null ? 'No evidence' : formatPosition(position.position)} <span className="hint">{positionInWords(position.position)}</span>
        {position.override && <span className="override-mark"> overridden</span>}
      </p>
      <p>
        <strong>Computed:</strong> {describePosition({ ...position, override: null })}
      </p>
      <p className="formula hint">{POSITION_FORMULA}</p>
      {position.override && !editing && (
        <div className="override-note">
          <p>
            <strong>Override {formatPosition(position.override.value)}</strong>, because: {position.override.justification}
          </p>
          <div className="toolbar">
            <button type="button" onClick={() => setEditing(true)}>
              Edit override
            </button>
            <button type="button" className="danger-quiet" onClick={() => void onClear()}>
              Remove override
            </button>
          </div>
        </div>
      )}
      {!position.override && !editing && (
        <button type="button" onClick={() => setEditing(true)}>
          Override this position…
        </button>
      )}
      {editing && (
        <form
          className="override-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor={ids.value}>Position (−1 cathedral … 1 bazaar)</label>
            <input id={ids.value} type="number" min={-1} max={1} step={0.05} value={value} onChange={(e) => (setValue(e.target.value), setProblem(''))} />
          </div>
          <div className="field">
            <label htmlFor={ids.why}>Justification (kept as a memo)</label>
            <textarea id={ids.why} rows={3} value={justification} onChange={(e) => (setJustification(e.target.value), setProblem(''))} />
          </div>
          <p className="field-problem" role="status">
            {problem}
          </p>
          <div className="toolbar">
            <button type="submit" className="primary">
              Save override
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <h3>Evidence ({quotes.length})</h3>
      {quotes.length === 0 ? (
        <p className="hint">No coded segment of this case carries a code of this stage marked cathedral or bazaar (or a challenge or on-ramp).</p>
      ) : (
        <ol className="evidence-list">
          {quotes.map((q) => {
            const codingId = source.codings.find((c) => c.segmentId === q.segmentId)?.id ?? null;
            return (
              <li key={q.segmentId} className={`side-${q.side}`}>
                <p className="evidence-meta">
                  <span className={`side-badge ${q.side}`}>{q.side === 'both' ? 'bazaar and cathedral' : q.side}</span> {q.codeNames.join(', ')}
                </p>
                <blockquote>{q.text}</blockquote>
                <p className="evidence-meta">
                  — {q.attribution} · <a href={routeHash({ screen: 'study', studyId, area: 'coding', item: q.documentId, focus: codingId })}>Open in transcript</a>
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </article>
  );
}
