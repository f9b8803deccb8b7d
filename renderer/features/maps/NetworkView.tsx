/**
 * The collaboration network: actors coloured by type, ties as arrows whose width grows with
 * their evidence, drawn by Cytoscape in stage lanes (shared/maps/network-layout.ts) or
 * force-directed (fcose, computed in a worker). Filters by stage and tie type; actors can be
 * dragged (or moved with the arrow keys) and stay where they were put; a tie or an actor
 * opens a panel with its evidence. Below the canvas, tables of the same ties and actors make
 * everything reachable from the keyboard and by screen readers.
 */
import cytoscape from 'cytoscape';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { networkToSvg, TIE_WIDTH_RULE, tieWidth, typeLabel } from '../../../shared/maps/network-layout.ts';
import { pseudonymsOf, quoteAttribution } from '../../../shared/maps/positions.ts';
import { compareText } from '../../../shared/maps/text.ts';
import { ACTOR_TYPES, type Guid } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { routeHash } from '../../app/route.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useNotices } from '../../components/Notices.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { getNetworkPositions, removeTieEvidence, saveNetworkPositions, type MapSource, type MapTie, type NetworkPositions } from '../../data/maps.ts';
import { platform } from '../../platform/platform.ts';
import { pngScale } from '../matrices/image-export.ts';
import { evidenceIdsOf, filterTies, forceInputOf, isFiltered, lanesOf, layoutAt, mergePositions, placeNodes, tieTypeLabel, tieTypesOf, type NetworkFilter, type Point } from './network-model.ts';
import { ForceLayoutClient } from './network-worker-client.ts';
import './network.css';
import { colorOf, networkCanvasHeight, networkElements, NETWORK_STYLE, type NetworkMode } from './network-elements.ts';

type LayoutMode = NetworkMode;
type Target = { kind: 'tie' | 'actor'; id: Guid };
/** What the panel shows; `focus`: opened from the keyboard, so the panel takes the focus. */
type Selection = (Target & { focus: boolean; nonce: number }) | null;

/** How long after the last drag the positions are written. */
const SAVE_DELAY_MS = 400;
/** Arrow keys move the chosen actor this far (Shift: five times as far), px of the diagram. */
const KEY_STEP = 10;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function NetworkView({ core, source }: { core: StudyCore; source: MapSource }) {
  const studyId = core.study.id;
  const history = useStudyHistory(studyId);
  const { notify } = useNotices();
  const ids = useId();

  // ——— Filters and layout ———
  const [stageChoice, setStageChoice] = useState<Guid | null>(null);
  const [hiddenTypes, setHiddenTypes] = useState<ReadonlySet<string>>(() => new Set());
  const [mode, setMode] = useState<LayoutMode>('lanes');
  const [lineLabels, setLineLabels] = useState(false);
  const stageId = stageChoice !== null && source.stages.some((s) => s.id === stageChoice) ? stageChoice : null;
  const filter = useMemo<NetworkFilter>(() => ({ stageId, hiddenTypes }), [stageId, hiddenTypes]);
  const tieTypes = useMemo(() => tieTypesOf(source.ties), [source.ties]);
  const layout = useMemo(() => lanesOf(source, filter), [source, filter]);

  const actorById = useMemo(() => new Map(source.actors.map((a) => [a.id, a])), [source.actors]);
  const stageName = useMemo(() => new Map(source.stages.map((s) => [s.id, s.name])), [source.stages]);
  const stageOrder = useMemo(() => new Map(source.stages.map((s) => [s.id, s.order])), [source.stages]);
  const drawn = useMemo(() => new Set(layout.edges.map((e) => e.id)), [layout]);
  const shownTies = useMemo(
    () =>
      filterTies(source.ties, filter)
        .filter((t) => drawn.has(t.id))
        .sort(
          (a, b) =>
            (stageOrder.get(a.stageId) ?? 0) - (stageOrder.get(b.stageId) ?? 0) ||
            compareText(actorById.get(a.fromId)?.name ?? '', actorById.get(b.fromId)?.name ?? '') ||
            compareText(actorById.get(a.toId)?.name ?? '', actorById.get(b.toId)?.name ?? '') ||
            compareText(a.type, b.type),
        ),
    [source.ties, filter, drawn, stageOrder, actorById],
  );
  const shownActors = useMemo(() => layout.nodes.map((n) => actorById.get(n.id)!).filter(Boolean).sort((a, b) => compareText(a.name, b.name)), [layout, actorById]);
  const tieCount = useMemo(() => new Map(layout.nodes.map((n) => [n.id, n.tieCount])), [layout]);

  // ——— Force-directed places, from the worker ———
  const forceInput = useMemo(() => forceInputOf(layout), [layout]);
  const forceKey = useMemo(() => JSON.stringify(forceInput), [forceInput]);
  const [force, setForce] = useState<{ key: string; positions: Record<Guid, Point> } | null>(null);
  const [arranging, setArranging] = useState(false);
  const clientRef = useRef<ForceLayoutClient | null>(null);
  const cacheRef = useRef(new Map<string, Record<Guid, Point>>());
  useEffect(
    () => () => {
      clientRef.current?.terminate();
      clientRef.current = null;
    },
    [],
  );
  useEffect(() => {
    if (mode !== 'force') {
      setArranging(false);
      return;
    }
    const cached = cacheRef.current.get(forceKey);
    if (cached) {
      setForce({ key: forceKey, positions: cached });
      setArranging(false);
      return;
    }
    let live = true;
    setArranging(true);
    clientRef.current ??= new ForceLayoutClient();
    clientRef.current.layout(forceInput.nodes, forceInput.edges).then(
      (positions) => {
        cacheRef.current.set(forceKey, positions);
        if (!live) return;
        setForce({ key: forceKey, positions });
        setArranging(false);
      },
      (error: Error) => {
        if (!live) return;
        setArranging(false);
        setMode('lanes');
        notify('error', 'The force-directed layout could not be computed; the stage lanes are shown.', error.message);
      },
    );
    return () => {
      live = false;
    };
  }, [mode, forceKey, forceInput, notify]);
  // While a changed network is arranged again, its actors keep their last force-directed places.
  const arranged = mode === 'force' ? (force?.positions ?? null) : null;
  const arrangedNow = mode === 'force' && force?.key === forceKey;

  // ——— Saved positions (dragged actors) ———
  const saved = useLiveQuery(() => getNetworkPositions(db, studyId), [studyId]);
  const [moves, setMoves] = useState<NetworkPositions>({});
  const movesRef = useRef<NetworkPositions>({});
  const savedRef = useRef(saved);
  useLayoutEffect(() => {
    savedRef.current = saved;
  }, [saved]);
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const placed = useMemo(() => mergePositions(saved ?? {}, moves), [saved, moves]);
  const places = useMemo(() => placeNodes(layout, arranged, placed), [layout, arranged, placed]);

  const flush = useCallback(async () => {
    timerRef.current = null;
    if (Object.keys(movesRef.current).length === 0) return;
    try {
      await saveNetworkPositions(db, studyId, mergePositions(savedRef.current ?? {}, movesRef.current));
    } catch (error) {
      notify('error', 'The positions of the actors could not be saved.', (error as Error).message);
    }
  }, [studyId, notify]);
  const move = useCallback(
    (moved: Record<Guid, Point>) => {
      movesRef.current = mergePositions(movesRef.current, moved);
      setMoves(movesRef.current);
      if (timerRef.current) clearTimeout(timerRef.current);
      timerRef.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    },
    [flush],
  );
  // Leaving the network soon after a drag still saves it.
  useEffect(
    () => () => {
      if (timerRef.current) {
        clearTimeout(timerRef.current);
        void flush();
      }
    },
    [flush],
  );
  const resetPositions = async () => {
    if (timerRef.current) clearTimeout(timerRef.current);
    timerRef.current = null;
    movesRef.current = {};
    setMoves({});
    try {
      await saveNetworkPositions(db, studyId, {});
      notify('info', 'Actors are back in their places of the layout.');
    } catch (error) {
      notify('error', 'The positions could not be reset.', (error as Error).message);
    }
  };
  const hasSaved = Object.keys(placed).length > 0;

  // ——— Selection and the panel ———
  const [selected, setSelected] = useState<Selection>(null);
  const nonce = useRef(0);
  const returnFocus = useRef<HTMLElement | null>(null);
  const open = useCallback((next: Target, fromKeyboard: boolean) => {
    // Closing the panel gives the focus back to where the researcher was before it opened.
    if (fromKeyboard && !returnFocus.current) returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    nonce.current += 1;
    setSelected({ ...next, focus: fromKeyboard, nonce: nonce.current });
  }, []);
  const close = () => {
    setSelected(null);
    const back = returnFocus.current;
    returnFocus.current = null;
    if (back?.isConnected) back.focus();
  };

  // ——— Cytoscape ———
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  // Whether the researcher panned or zoomed since the last fit: until then, a resize fits again.
  const view = useRef({ fitting: false, moved: false });
  const fit = useCallback(() => {
    const cy = cyRef.current;
    if (!cy) return;
    view.current.fitting = true;
    cy.fit(undefined, 24);
    view.current = { fitting: false, moved: false };
  }, []);
  const [hover, setHover] = useState<{ text: string; x: number; y: number } | null>(null);
  const [canvasWidth, setCanvasWidth] = useState(0);
  const describe = useCallback(
    (kind: 'tie' | 'actor', id: Guid): string => {
      if (kind === 'actor') {
        const actor = actorById.get(id);
        return actor ? `${actor.name} (${typeLabel(actor.type)}): ${plural(tieCount.get(id) ?? 0, 'tie', 'ties')}` : '';
      }
      const tie = source.ties.find((t) => t.id === id);
      if (!tie) return '';
      return `${actorById.get(tie.fromId)?.name ?? '?'} → ${actorById.get(tie.toId)?.name ?? '?'}: ${tieTypeLabel(tie.type)} (${stageName.get(tie.stageId) ?? '?'}), ${plural(evidenceIdsOf(tie).length, 'evidence segment', 'evidence segments')}`;
    },
    [actorById, source.ties, stageName, tieCount],
  );
  // Cytoscape's listeners are set up once; they call the latest callbacks through this ref.
  const handlers = useRef({ open, move, describe });
  useLayoutEffect(() => {
    handlers.current = { open, move, describe };
  }, [open, move, describe]);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const cy = cytoscape({
      container,
      style: NETWORK_STYLE,
      layout: { name: 'preset' },
      minZoom: 0.15,
      maxZoom: 2.5,
      boxSelectionEnabled: false,
      autounselectify: true,
    });
    cyRef.current = cy;
    cy.on('tap', 'edge', (event) => handlers.current.open({ kind: 'tie', id: (event.target as cytoscape.EdgeSingular).id() }, false));
    cy.on('tap', 'node.actor', (event) => handlers.current.open({ kind: 'actor', id: (event.target as cytoscape.NodeSingular).id() }, false));
    cy.on('dragfree', 'node.actor', (event) => {
      const node = event.target as cytoscape.NodeSingular;
      const p = node.position();
      handlers.current.move({ [node.id()]: { x: p.x, y: p.y } });
    });
    cy.on('mouseover', 'edge, node.actor', (event) => {
      const target = event.target as cytoscape.SingularElementArgument;
      const text = handlers.current.describe(target.isEdge() ? 'tie' : 'actor', target.id());
      setHover(text ? { text, x: event.renderedPosition.x, y: event.renderedPosition.y } : null);
    });
    cy.on('mouseout', 'edge, node.actor', () => setHover(null));
    cy.on('grab pan zoom', () => setHover(null));
    cy.on('viewport', () => {
      if (!view.current.fitting) view.current.moved = true;
    });
    // The panel opening or the window resizing changes the canvas' size.
    const observer = new ResizeObserver(() => {
      setCanvasWidth(container.clientWidth);
      cy.resize();
      if (!view.current.moved) fit();
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      cy.destroy();
      cyRef.current = null;
    };
  }, [fit]);

  const ready = saved !== undefined;
  const elements = useMemo<cytoscape.ElementDefinition[]>(() => (ready ? networkElements(layout, places, mode, lineLabels) : []), [ready, mode, layout, places, lineLabels]);

  // Bring Cytoscape up to date: changed elements in place, so a drag or a new tie does not redraw everything.
  useEffect(() => {
    const cy = cyRef.current;
    const container = containerRef.current;
    if (!cy || !container) return;
    const wanted = new Map(elements.map((e) => [String(e.data.id), e]));
    cy.batch(() => {
      cy.elements().forEach((element) => {
        const want = wanted.get(element.id());
        const stale =
          !want ||
          element.data('kind') !== want.data['kind'] ||
          (element.isEdge() && (element.data('source') !== want.data['source'] || element.data('target') !== want.data['target']));
        if (stale && element.inside()) element.remove();
      });
      for (const definition of elements) {
        const existing = cy.getElementById(String(definition.data.id));
        if (existing.nonempty()) {
          existing.data(definition.data);
          existing.classes(definition.classes ?? []);
          if (definition.position && existing.isNode()) {
            if (existing.locked()) existing.unlock().position(definition.position).lock();
            else existing.position(definition.position);
          }
        } else cy.add(definition);
      }
    });
    container.dataset['nodeCount'] = String(cy.nodes('.actor').length);
    container.dataset['edgeCount'] = String(cy.edges().length);
  }, [elements]);

  const canvasHeight = useMemo(() => networkCanvasHeight(layout, arranged, mode, canvasWidth), [layout, arranged, mode, canvasWidth]);

  // Fit the picture when what it shows changes (not when an actor is dragged).
  const fitKey = `${ready}|${mode}|${arrangedNow ? 'arranged' : 'waiting'}|${stageId}|${[...hiddenTypes].join(',')}|${layout.nodes.map((n) => n.id).join(',')}`;
  useEffect(() => {
    fit();
  }, [fitKey, fit]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.elements('.chosen').removeClass('chosen');
    if (selected) cy.getElementById(selected.id).addClass('chosen');
  }, [selected, elements]);

  const onCanvasKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const cy = cyRef.current;
    if (!cy) return;
    const steps: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const step = steps[event.key];
    if (step) {
      event.preventDefault();
      if (selected?.kind !== 'actor') {
        notify('info', 'Choose an actor first', 'Use a button in the table of actors below the diagram, then come back here and move it with the arrow keys.');
        return;
      }
      const node = cy.getElementById(selected.id);
      if (node.empty() || !node.isNode()) return;
      const by = event.shiftKey ? KEY_STEP * 5 : KEY_STEP;
      const p = node.position();
      const next = { x: p.x + step[0] * by, y: p.y + step[1] * by };
      node.position(next);
      move({ [selected.id]: next });
      return;
    }
    if (event.key === '+' || event.key === '=') {
      event.preventDefault();
      cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    } else if (event.key === '-') {
      event.preventDefault();
      cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    } else if (event.key === '0') {
      event.preventDefault();
      fit();
    } else if (event.key === 'Escape' && selected) {
      event.preventDefault();
      setSelected(null);
    }
  };

  // ——— Export ———
  const [exporting, setExporting] = useState<'png' | 'svg' | null>(null);
  const title = `Collaboration network — ${core.study.name}`;
  const notes = [
    `Stage: ${stageId ? (stageName.get(stageId) ?? '') : 'all stages'}. Tie types: ${hiddenTypes.size === 0 ? 'all' : tieTypes.filter((t) => !hiddenTypes.has(t)).map(tieTypeLabel).join(', ') || 'none'}.`,
    mode === 'force' ? 'Layout: force-directed (lanes are not drawn).' : 'Layout: stage lanes.',
    ...(hasSaved ? ['Actors moved by hand are drawn where they were put.'] : []),
  ];
  const exportAs = async (format: 'png' | 'svg') => {
    if (exporting) return;
    setExporting(format);
    try {
      let bytes: Uint8Array;
      if (format === 'svg') {
        bytes = new TextEncoder().encode(networkToSvg(layoutAt(layout, places, mode === 'lanes'), { title, theme: 'light', notes, tieTypeLabel }));
      } else {
        const cy = cyRef.current;
        if (!cy) throw new Error('The diagram is not shown.');
        const box = cy.elements().boundingBox();
        const scale = pngScale(Math.max(1, box.w), Math.max(1, box.h), 2);
        // maxWidth/maxHeight at exactly the scaled size keep Cytoscape from multiplying by the screen's pixel ratio.
        const blob = cy.png({ full: true, scale, maxWidth: Math.ceil(box.w) * scale, maxHeight: Math.ceil(box.h) * scale, output: 'blob', bg: '#ffffff' });
        bytes = new Uint8Array(await blob.arrayBuffer());
      }
      const result = await platform.saveFile({
        title: 'Export the collaboration network',
        suggestedName: `collaboration-network.${format}`,
        filters: [{ name: format === 'svg' ? 'SVG image' : 'PNG image', extensions: [format] }],
        bytes,
      });
      if (result.saved) notify('info', `Exported the network as ${format.toUpperCase()}`, result.path ?? 'Saved to your downloads.');
    } catch (error) {
      notify('error', `The network could not be exported as ${format.toUpperCase()}`, `${(error as Error).message} Nothing was saved.`);
    } finally {
      setExporting(null);
    }
  };

  // ——— Removing evidence ———
  const removeEvidence = async (tie: MapTie, segmentId: Guid) => {
    const name = `${actorById.get(tie.fromId)?.name ?? '?'} → ${actorById.get(tie.toId)?.name ?? '?'}`;
    const result = await history.perform(() => removeTieEvidence(db, studyId, tie.id, segmentId));
    if (result) notify('info', result.tieRemoved ? `Deleted the tie ${name} with its last evidence` : `Removed a passage from the evidence of ${name}`, 'Undo (Ctrl+Z) brings it back.');
  };

  if (source.actors.length === 0 && source.ties.length === 0) {
    return (
      <EmptyState title="No collaboration ties yet" action={<a href={routeHash({ screen: 'study', studyId, area: 'coding', item: null })}>Go to Coding</a>}>
        <p>
          The network draws who works with whom: compute partnerships, shared datasets, derivatives, follow-up projects. Every tie rests on evidence: in the Coding view, select the
          passage that shows it and choose “Record a collaboration tie…”.
        </p>
      </EmptyState>
    );
  }

  const typesPresent = [...new Set(source.actors.map((a) => a.type))].sort((a, b) => {
    const rank = (t: string) => ((ACTOR_TYPES as readonly string[]).includes(t) ? (ACTOR_TYPES as readonly string[]).indexOf(t) : ACTOR_TYPES.length);
    return rank(a) - rank(b) || compareText(a, b);
  });
  const toggleType = (type: string, shown: boolean) =>
    setHiddenTypes((all) => {
      const next = new Set(all);
      if (shown) next.delete(type);
      else next.add(type);
      return next;
    });
  const nothingShown = layout.nodes.length === 0;

  return (
    <div className="network">
      <div className="network-controls">
        <label className="inline-field">
          <span>Stage</span>
          <select value={stageId ?? ''} onChange={(e) => setStageChoice(e.target.value === '' ? null : e.target.value)}>
            <option value="">All stages</option>
            {[...source.stages]
              .sort((a, b) => a.order - b.order)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </label>
        <fieldset className="network-layout-choice">
          <legend>Layout</legend>
          <label>
            <input type="radio" name={`${ids}-layout`} checked={mode === 'lanes'} onChange={() => setMode('lanes')} /> Stage lanes
          </label>
          <label>
            <input type="radio" name={`${ids}-layout`} checked={mode === 'force'} onChange={() => setMode('force')} /> Force-directed
          </label>
        </fieldset>
        <label className="network-line-labels">
          <input type="checkbox" checked={lineLabels} onChange={(e) => setLineLabels(e.target.checked)} /> Name the tie type on every line
        </label>
        <div className="toolbar" role="group" aria-label="Diagram">
          <button type="button" onClick={fit}>
            Fit to view
          </button>
          <button type="button" onClick={() => void resetPositions()} aria-disabled={!hasSaved} disabled={!hasSaved} title="Put every actor you moved back in its place of the layout">
            Reset positions
          </button>
          <span className="hint">Export:</span>
          <button type="button" onClick={() => void exportAs('png')} disabled={nothingShown} aria-busy={exporting === 'png'}>
            {exporting === 'png' ? 'PNG…' : 'PNG image'}
          </button>
          <button type="button" onClick={() => void exportAs('svg')} disabled={nothingShown} aria-busy={exporting === 'svg'}>
            {exporting === 'svg' ? 'SVG…' : 'SVG image'}
          </button>
        </div>
        {tieTypes.length > 0 && (
          <fieldset className="network-types">
            <legend>Tie types</legend>
            {tieTypes.map((type) => (
              <label key={type}>
                <input type="checkbox" checked={!hiddenTypes.has(type)} onChange={(e) => toggleType(type, e.target.checked)} /> {tieTypeLabel(type)}
              </label>
            ))}
            <button type="button" className="quiet" onClick={() => setHiddenTypes(new Set())} disabled={hiddenTypes.size === 0}>
              Show all
            </button>
          </fieldset>
        )}
      </div>

      <div className={`network-body${selected ? ' with-panel' : ''}`}>
        <div className="network-stage">
          <div
            ref={containerRef}
            className="network-canvas"
            role="application"
            aria-roledescription="network diagram"
            aria-label={`Collaboration network: ${plural(layout.nodes.length, 'actor', 'actors')}, ${plural(layout.edges.length, 'tie', 'ties')}.`}
            aria-describedby={`${ids}-keys`}
            aria-busy={arranging}
            tabIndex={0}
            data-layout={mode}
            data-arranging={arranging ? 'true' : 'false'}
            style={{ height: canvasHeight }}
            onKeyDown={onCanvasKey}
          />
          {arranging && (
            <p className="network-arranging" aria-hidden="true">
              Arranging…
            </p>
          )}
          <p className="visually-hidden" role="status">
            {arranging ? 'Arranging the network…' : arrangedNow ? 'The force-directed layout is shown.' : ''}
          </p>
          {nothingShown && ready && <p className="network-nothing">No tie matches these filters.</p>}
          {hover && (
            <div className="network-tooltip" aria-hidden="true" style={{ left: hover.x + 12, top: hover.y + 12 } as CSSProperties}>
              {hover.text}
            </div>
          )}
        </div>
        {selected && (
          <NetworkPanel
            key={selected.focus ? selected.nonce : `${selected.kind}:${selected.id}`}
            selection={selected}
            source={source}
            studyId={studyId}
            ties={shownTies}
            onOpen={(next) => open(next, true)}
            onRemove={removeEvidence}
            onClose={close}
            onFocusCanvas={() => containerRef.current?.focus()}
          />
        )}
      </div>
      <p id={`${ids}-keys`} className="hint network-keys">
        Click a line or an actor for its evidence; drag actors to arrange them (they stay where you put them). With the diagram focused: arrow keys move the chosen actor (Shift: further), + and − zoom, 0 fits.
      </p>

      <NetworkLegend types={typesPresent} />

      <section className="network-tables" aria-label="The network as tables">
        <table className="data-table network-ties">
          <caption>
            Ties <span className="count">({shownTies.length})</span>
            {isFiltered(filter) && <span className="cell-note inline"> — filtered as above</span>}
          </caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Type</th>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Evidence
              </th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shownTies.map((tie) => {
              const from = actorById.get(tie.fromId)?.name ?? '?';
              const to = actorById.get(tie.toId)?.name ?? '?';
              const chosen = selected?.kind === 'tie' && selected.id === tie.id;
              return (
                <tr key={tie.id} className={chosen ? 'chosen' : undefined} data-tie-id={tie.id}>
                  <td>{from}</td>
                  <td>{to}</td>
                  <td>{tieTypeLabel(tie.type)}</td>
                  <td>{stageName.get(tie.stageId) ?? ''}</td>
                  <td className="num">{evidenceIdsOf(tie).length}</td>
                  <td>
                    <button type="button" aria-pressed={chosen} aria-label={`Evidence for ${from} → ${to}, ${tieTypeLabel(tie.type)}`} onClick={() => open({ kind: 'tie', id: tie.id }, true)}>
                      Evidence
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <table className="data-table network-actors">
          <caption>
            Actors <span className="count">({shownActors.length})</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Actor</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Ties
              </th>
            </tr>
          </thead>
          <tbody>
            {shownActors.map((actor) => {
              const chosen = selected?.kind === 'actor' && selected.id === actor.id;
              return (
                <tr key={actor.id} className={chosen ? 'chosen' : undefined}>
                  <td>
                    <button type="button" className="link-button" aria-pressed={chosen} onClick={() => open({ kind: 'actor', id: actor.id }, true)}>
                      {actor.name}
                    </button>
                  </td>
                  <td>
                    <span className="network-swatch" style={{ '--swatch': colorOf(actor.type) } as CSSProperties} aria-hidden="true" /> {typeLabel(actor.type)}
                  </td>
                  <td className="num">{tieCount.get(actor.id) ?? 0}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function NetworkLegend({ types }: { types: string[] }) {
  return (
    <div className="network-legend" role="group" aria-label="Legend">
      <ul>
        {types.map((type) => (
          <li key={type}>
            <span className="network-swatch" style={{ '--swatch': colorOf(type) } as CSSProperties} aria-hidden="true" /> {typeLabel(type)}
          </li>
        ))}
      </ul>
      <ul>
        {[1, 4, 9].map((n) => (
          <li key={n}>
            <span className="network-line" style={{ '--line-width': `${tieWidth(n)}px` } as CSSProperties} aria-hidden="true" /> {plural(n, 'evidence segment', 'evidence segments')}
          </li>
        ))}
      </ul>
      <p className="hint">{TIE_WIDTH_RULE}. Arrows point from the tie’s first actor to its second.</p>
    </div>
  );
}

interface PanelProps {
  selection: NonNullable<Selection>;
  source: MapSource;
  studyId: Guid;
  /** The ties the filters show (for an actor's list). */
  ties: readonly MapTie[];
  onOpen: (next: Target) => void;
  onRemove: (tie: MapTie, segmentId: Guid) => Promise<void>;
  onClose: () => void;
  onFocusCanvas: () => void;
}

function NetworkPanel({ selection, source, studyId, ties, onOpen, onRemove, onClose, onFocusCanvas }: PanelProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const takeFocus = selection.focus;
  useEffect(() => {
    if (takeFocus) headingRef.current?.focus();
  }, [takeFocus]);
  // A removed passage (or a deleted tie) takes its button with it: the focus stays in the panel.
  const tieNow = selection.kind === 'tie' ? source.ties.find((t) => t.id === selection.id) : undefined;
  const evidenceCount = tieNow ? tieNow.evidence.length : -1;
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) headingRef.current?.focus();
  }, [evidenceCount]);
  const actorName = (id: Guid) => source.actors.find((a) => a.id === id)?.name ?? 'an actor no longer in the study';
  const stageName = (id: Guid) => source.stages.find((s) => s.id === id)?.name ?? 'a stage no longer in the study';
  const codingOf = useMemo(() => {
    const map = new Map<Guid, Guid>();
    for (const c of source.codings) if (!map.has(c.segmentId)) map.set(c.segmentId, c.id);
    return map;
  }, [source.codings]);

  let body;
  let heading: string;
  if (selection.kind === 'tie') {
    const tie = source.ties.find((t) => t.id === selection.id);
    heading = tie ? tieTypeLabel(tie.type) : 'Tie deleted';
    body = !tie ? (
      <p className="hint">This tie no longer exists (its last evidence was removed, or its recording was undone). Undo (Ctrl+Z) brings it back.</p>
    ) : (
      <>
        <p className="network-tie-ends">
          <button type="button" className="link-button" onClick={() => onOpen({ kind: 'actor', id: tie.fromId })}>
            {actorName(tie.fromId)}
          </button>{' '}
          <span aria-label="to">→</span>{' '}
          <button type="button" className="link-button" onClick={() => onOpen({ kind: 'actor', id: tie.toId })}>
            {actorName(tie.toId)}
          </button>
        </p>
        <dl className="network-facts">
          <dt>Stage</dt>
          <dd>{stageName(tie.stageId)}</dd>
          {tie.description.trim() !== '' && (
            <>
              <dt>Description</dt>
              <dd>{tie.description}</dd>
            </>
          )}
        </dl>
        <h3>
          Evidence <span className="count">({tie.evidence.length})</span>
        </h3>
        {tie.evidence.length === 0 ? (
          <p className="hint">The passages of this tie are no longer in the study.</p>
        ) : (
          <ol className="network-evidence">
            {tie.evidence.map((e) => {
              const document = source.documents.find((d) => d.id === e.documentId);
              const caseName = e.caseId ? (source.cases.find((c) => c.id === e.caseId)?.name ?? null) : null;
              const focus = codingOf.get(e.segmentId) ?? e.segmentId;
              return (
                <li key={e.segmentId}>
                  <blockquote>{e.text}</blockquote>
                  <p className="drill-meta">
                    <span>{quoteAttribution(pseudonymsOf(source, document), caseName)}</span>
                    <span>{e.documentTitle}</span>
                  </p>
                  <div className="toolbar">
                    <a href={routeHash({ screen: 'study', studyId, area: 'coding', item: e.documentId, focus })}>
                      Open in transcript<span className="visually-hidden">: {e.documentTitle}</span>
                    </a>
                    <button type="button" className="danger-quiet" onClick={() => void onRemove(tie, e.segmentId)}>
                      Remove this evidence<span className="visually-hidden">: “{e.text.slice(0, 60)}”</span>
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </>
    );
  } else {
    const actor = source.actors.find((a) => a.id === selection.id);
    heading = actor?.name ?? 'Actor';
    const own = ties.filter((t) => t.fromId === selection.id || t.toId === selection.id);
    const caseName = actor?.caseId ? source.cases.find((c) => c.id === actor.caseId)?.name : undefined;
    body = !actor ? (
      <p className="hint">This actor no longer exists.</p>
    ) : (
      <>
        <dl className="network-facts">
          <dt>Type</dt>
          <dd>
            <span className="network-swatch" style={{ '--swatch': colorOf(actor.type) } as CSSProperties} aria-hidden="true" /> {typeLabel(actor.type)}
          </dd>
          {caseName && (
            <>
              <dt>Case</dt>
              <dd>{caseName}</dd>
            </>
          )}
          {actor.description.trim() !== '' && (
            <>
              <dt>Description</dt>
              <dd>{actor.description}</dd>
            </>
          )}
        </dl>
        <h3>
          Ties shown <span className="count">({own.length})</span>
        </h3>
        <ul className="network-actor-ties">
          {own.map((t) => (
            <li key={t.id}>
              <button type="button" className="link-button" onClick={() => onOpen({ kind: 'tie', id: t.id })}>
                {t.fromId === actor.id ? `→ ${actorName(t.toId)}` : `← ${actorName(t.fromId)}`}: {tieTypeLabel(t.type)} ({stageName(t.stageId)})
              </button>
            </li>
          ))}
        </ul>
        <p className="hint">
          To move this actor without a mouse:{' '}
          <button type="button" className="link-button" onClick={onFocusCanvas}>
            go to the diagram
          </button>{' '}
          and use the arrow keys (Shift: further).
        </p>
      </>
    );
  }

  return (
    <aside className="network-panel" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId} ref={headingRef} tabIndex={-1}>
          {heading}
        </h2>
        <button type="button" className="quiet" onClick={onClose}>
          Close<span className="visually-hidden"> the details</span>
        </button>
      </header>
      {body}
    </aside>
  );
}
