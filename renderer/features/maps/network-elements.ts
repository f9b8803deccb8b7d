/**
 * The collaboration network as Cytoscape elements and style, and the canvas height its
 * picture needs: shared by the Maps area and the benchmark, so both draw the same network.
 */
import type cytoscape from 'cytoscape';
import { ACTOR_TYPE_COLORS, NO_TIES_LANE, tieWidth, type NetworkLayout } from '../../../shared/maps/network-layout.ts';
import type { Guid } from '../../../shared/model/types.ts';
import { bezierOf, tieTypeLabel, type Point } from './network-model.ts';

export type NetworkMode = 'lanes' | 'force';

const OTHER_COLOR = '#999999';
export const colorOf = (type: string) => ACTOR_TYPE_COLORS[type] ?? OTHER_COLOR;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
const ACCENT = '#1d5c96';
const EDGE = '#545b64';
export const NETWORK_STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node.lane',
    style: {
      shape: 'rectangle',
      width: 'data(width)',
      height: 'data(height)',
      'background-color': 'data(fill)',
      'border-width': 0,
      label: 'data(label)',
      'text-halign': 'left',
      'text-valign': 'center',
      'text-margin-x': -10,
      'text-wrap': 'wrap',
      'text-max-width': '116px',
      'font-family': FONT,
      'font-size': 14,
      'font-weight': 'bold',
      color: '#1f2328',
      events: 'no',
      'z-index-compare': 'manual',
      'z-index': 0,
    },
  },
  {
    selector: 'node.actor',
    style: {
      width: 22,
      height: 22,
      'background-color': 'data(color)',
      'border-width': 1.5,
      'border-color': '#1f2328',
      label: 'data(label)',
      'text-valign': 'bottom',
      'text-halign': 'center',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': '120px',
      'font-family': FONT,
      'font-size': 12,
      color: '#1f2328',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
      'z-index-compare': 'manual',
      'z-index': 10,
    },
  },
  { selector: 'node.actor.chosen', style: { 'border-width': 4, 'border-color': ACCENT, 'font-weight': 'bold' } },
  {
    selector: 'edge',
    style: {
      width: 'data(width)',
      'curve-style': 'bezier',
      'control-point-step-size': 28,
      'line-color': EDGE,
      'target-arrow-color': EDGE,
      'target-arrow-shape': 'triangle',
      'arrow-scale': 1.1,
      opacity: 0.8,
      'font-family': FONT,
      'font-size': 10,
      color: '#3b4047',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
      'z-index-compare': 'manual',
      'z-index': 5,
    },
  },
  // In the lanes, ties follow the layout's curves (arcs above a lane between its own actors).
  { selector: 'edge.arc', style: { 'curve-style': 'unbundled-bezier', 'edge-distances': 'node-position', 'control-point-distances': 'data(cpd)', 'control-point-weights': 'data(cpw)' } },
  { selector: 'edge.labelled, edge.chosen', style: { label: 'data(label)' } },
  { selector: 'edge.chosen', style: { 'line-color': ACCENT, 'target-arrow-color': ACCENT, opacity: 1, color: ACCENT, 'font-weight': 'bold', 'z-index': 6 } },
];

/** The lanes (in the lanes layout), the actors at `places`, and the ties (following the lanes' curves there). */
export function networkElements(layout: NetworkLayout, places: Record<Guid, Point>, mode: NetworkMode, lineLabels = false): cytoscape.ElementDefinition[] {
  const lanes: cytoscape.ElementDefinition[] =
    mode === 'lanes'
      ? layout.lanes.map((lane, i) => ({
          group: 'nodes',
          data: {
            id: `lane:${lane.id}`,
            kind: 'lane',
            label: lane.name,
            width: layout.laneRight - layout.laneLeft + 40,
            height: lane.height - 2,
            fill: lane.id === NO_TIES_LANE ? '#f0efea' : i % 2 === 0 ? '#f3f5f8' : '#fbfbf9',
          },
          position: { x: (layout.laneLeft + layout.laneRight) / 2, y: lane.top + lane.height / 2 },
          classes: 'lane',
          grabbable: false,
          selectable: false,
          locked: true,
        }))
      : [];
  const nodes: cytoscape.ElementDefinition[] = layout.nodes.map((n) => ({
    group: 'nodes',
    data: { id: n.id, kind: 'actor', label: n.name, color: colorOf(n.type) },
    position: { ...places[n.id]! },
    classes: 'actor',
  }));
  const nodeAt = new Map(layout.nodes.map((n) => [n.id, n]));
  const edges: cytoscape.ElementDefinition[] = layout.edges.map((e) => {
    const data = { id: e.id, source: e.fromId, target: e.toId, width: tieWidth(e.evidence), label: tieTypeLabel(e.type) };
    const classes = lineLabels ? ['labelled'] : [];
    if (mode !== 'lanes') return { group: 'edges', data, classes };
    const curve = bezierOf(nodeAt.get(e.fromId)!, nodeAt.get(e.toId)!, { x: e.cx, y: e.cy });
    return { group: 'edges', data: { ...data, cpd: curve.distance, cpw: curve.weight }, classes: [...classes, 'arc'] };
  });
  return [...lanes, ...nodes, ...edges];
}

/**
 * The canvas is as tall as the picture needs at its width (within bounds), so a wide network
 * in lanes does not float in empty space; the layout's own places count, not dragged ones.
 */
export function networkCanvasHeight(layout: NetworkLayout, arranged: Record<Guid, Point> | null | undefined, mode: NetworkMode, canvasWidth: number): number {
  const xs = layout.nodes.map((n) => arranged?.[n.id]?.x ?? n.x);
  const ys = layout.nodes.map((n) => arranged?.[n.id]?.y ?? n.y);
  const spanX = mode === 'lanes' ? layout.width + 40 : Math.max(...xs, 0) - Math.min(...xs, 0) + 160;
  const spanY = mode === 'lanes' ? layout.height : Math.max(...ys, 0) - Math.min(...ys, 0) + 80;
  const wanted = canvasWidth > 0 && spanX > 0 ? (canvasWidth * spanY) / spanX + 48 : 480;
  return Math.round(Math.min(Math.max(wanted, 340), 620));
}
