/**
 * The collaboration network's plain data for the screen: which ties and actors a filter
 * shows, where each actor sits (the layout's place unless the researcher dragged it), and
 * the layout moved to those places for the SVG export. No DOM, no React, no Cytoscape.
 */
import { networkLayout, NETWORK_LAYOUT_DEFAULTS, tieWidth, typeLabel, type NetworkEdge, type NetworkInput, type NetworkLayout, type NetworkNode } from '../../../shared/maps/network-layout.ts';
import { compareText } from '../../../shared/maps/text.ts';
import { TIE_TYPES, type Guid } from '../../../shared/model/types.ts';
import type { MapSource, MapTie, NetworkPositions } from '../../data/maps.ts';

export interface NetworkFilter {
  /** One stage, or null for all. */
  stageId: Guid | null;
  /** Tie types left out. */
  hiddenTypes: ReadonlySet<string>;
}

export const NO_FILTER: NetworkFilter = { stageId: null, hiddenTypes: new Set() };

export const isFiltered = (filter: NetworkFilter): boolean => filter.stageId !== null || filter.hiddenTypes.size > 0;

/** The tie types of these ties: TIE_TYPES in their order, then the researchers' own by name. */
export function tieTypesOf(ties: readonly { type: string }[]): string[] {
  const present = new Set(ties.map((t) => t.type));
  const known = TIE_TYPES.filter((t) => present.has(t));
  const own = [...present].filter((t) => !(TIE_TYPES as readonly string[]).includes(t)).sort(compareText);
  return [...known, ...own];
}

export function filterTies<T extends { type: string; stageId: Guid }>(ties: readonly T[], filter: NetworkFilter): T[] {
  return ties.filter((t) => (filter.stageId === null || t.stageId === filter.stageId) && !filter.hiddenTypes.has(t.type));
}

/**
 * What the layout draws: the stages (only the chosen one when filtered by stage), the ties
 * the filter shows (with the evidence that still exists), and the actors: all of them
 * without a filter, else those with a tie shown.
 */
export function networkInputOf(source: Pick<MapSource, 'stages' | 'actors' | 'ties'>, filter: NetworkFilter): NetworkInput {
  const ties = filterTies(source.ties, filter);
  const stages = filter.stageId === null ? source.stages : source.stages.filter((s) => s.id === filter.stageId);
  const touched = new Set(ties.flatMap((t) => [t.fromId, t.toId]));
  const actors = isFiltered(filter) ? source.actors.filter((a) => touched.has(a.id)) : source.actors;
  return {
    stages: stages.map((s) => ({ id: s.id, name: s.name, order: s.order })),
    actors: actors.map((a) => ({ id: a.id, name: a.name, type: a.type })),
    ties: ties.map((t) => ({ id: t.id, fromId: t.fromId, toId: t.toId, type: t.type, stageId: t.stageId, evidenceSegmentIds: evidenceIdsOf(t) })),
  };
}

/** The tie's evidence that still exists (distinct segments): what its line width counts. */
export function evidenceIdsOf(tie: Pick<MapTie, 'evidence'>): Guid[] {
  return [...new Set(tie.evidence.map((e) => e.segmentId))];
}

export type Point = { x: number; y: number };

/** Where each node of the layout goes: a saved (dragged) place first, then the chosen layout's, then the lanes'. */
export function placeNodes(layout: Pick<NetworkLayout, 'nodes'>, arranged: Readonly<Record<Guid, Point>> | null, saved: NetworkPositions): Record<Guid, Point> {
  const out: Record<Guid, Point> = {};
  for (const node of layout.nodes) out[node.id] = saved[node.id] ?? arranged?.[node.id] ?? { x: node.x, y: node.y };
  return out;
}

/** Saved positions with some moved actors put in (the others kept as they were). */
export function mergePositions(saved: NetworkPositions, moved: Readonly<Record<Guid, Point>>): NetworkPositions {
  const out: NetworkPositions = { ...saved };
  for (const [id, p] of Object.entries(moved)) if (Number.isFinite(p.x) && Number.isFinite(p.y)) out[id] = { x: p.x, y: p.y };
  return out;
}

/** What the force-directed layout starts from: the lanes' places and each node's box (circle and label). */
export function forceInputOf(layout: NetworkLayout): { nodes: { id: Guid; x: number; y: number; width: number; height: number }[]; edges: { id: Guid; source: Guid; target: Guid }[] } {
  return {
    nodes: layout.nodes.map((n) => ({ id: n.id, x: n.x, y: n.y, width: Math.max(2 * n.radius, n.labelWidth) + 12, height: n.box.height + 8 })),
    edges: layout.edges.map((e) => ({ id: e.id, source: e.fromId, target: e.toId })),
  };
}

/**
 * The layout with its nodes at other places (for the SVG export of what the screen shows):
 * boxes move with their nodes, ties are drawn again between the new places (arcs above a
 * lane between actors still on its line, else straight, parallel ties bent apart), and
 * everything is shifted so nothing lies left of or above the margin. Without lanes
 * (`keepLanes` false, the force-directed layout) the image is as large as its nodes.
 */
export function layoutAt(layout: NetworkLayout, places: Readonly<Record<Guid, Point>>, keepLanes: boolean): NetworkLayout {
  const d = NETWORK_LAYOUT_DEFAULTS;
  const moved: NetworkNode[] = layout.nodes.map((n) => {
    const p = places[n.id] ?? { x: n.x, y: n.y };
    return { ...n, x: p.x, y: p.y, box: { ...n.box, x: n.box.x + (p.x - n.x), y: n.box.y + (p.y - n.y) } };
  });
  const margin = 8;
  const minX = Math.min(keepLanes ? 0 : Infinity, ...moved.map((n) => n.box.x - margin));
  const minY = Math.min(keepLanes ? 0 : Infinity, ...moved.map((n) => n.box.y - d.laneTopPadding));
  const dx = Number.isFinite(minX) ? -minX : 0;
  const dy = Number.isFinite(minY) ? -minY : 0;
  const nodes = moved.map((n) => ({ ...n, x: n.x + dx, y: n.y + dy, box: { ...n.box, x: n.box.x + dx, y: n.box.y + dy } }));
  const lanes = keepLanes ? layout.lanes.map((l) => ({ ...l, top: l.top + dy, y: l.y + dy })) : [];
  const laneY = new Map(lanes.map((l) => [l.id, l.y]));
  const nodeById = new Map(nodes.map((n) => [n.id, n]));

  const pairKey = (a: Guid, b: Guid) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const groups = new Map<string, Guid[]>();
  for (const e of layout.edges) {
    const key = pairKey(e.fromId, e.toId);
    groups.set(key, [...(groups.get(key) ?? []), e.id]);
  }
  const edges: NetworkEdge[] = layout.edges.flatMap((e) => {
    const a = nodeById.get(e.fromId);
    const b = nodeById.get(e.toId);
    if (!a || !b) return [];
    const group = groups.get(pairKey(e.fromId, e.toId))!;
    const index = group.indexOf(e.id);
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    let cx: number;
    let cy: number;
    const onLane = keepLanes && a.laneId === b.laneId && laneY.get(a.laneId) === a.y && a.y === b.y;
    if (onLane) {
      const lift = Math.min(0.25 * Math.abs(b.x - a.x) + 16, d.laneTopPadding - 6) + 10 * index;
      cx = mx;
      cy = my - 2 * lift;
    } else {
      const offset = (index - (group.length - 1) / 2) * 18;
      const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const sign = a.id < b.id ? 1 : -1;
      cx = mx + ((sign * -(b.y - a.y)) / len) * 2 * offset;
      cy = my + ((sign * (b.x - a.x)) / len) * 2 * offset;
    }
    const trim = (from: NetworkNode, towardX: number, towardY: number) => {
      const len = Math.hypot(towardX - from.x, towardY - from.y) || 1;
      return { x: from.x + ((towardX - from.x) / len) * (from.radius + 2), y: from.y + ((towardY - from.y) / len) * (from.radius + 2) };
    };
    const start = trim(a, cx, cy);
    const end = trim(b, cx, cy);
    return [{ ...e, width: tieWidth(e.evidence), x1: start.x, y1: start.y, cx, cy, x2: end.x, y2: end.y }];
  });

  const right = Math.max(keepLanes ? layout.width + dx : 0, ...nodes.map((n) => n.box.x + n.box.width + margin));
  const bottom = Math.max(keepLanes ? layout.height + dy : 0, ...nodes.map((n) => n.box.y + n.box.height + margin));
  return {
    width: Math.ceil(Math.max(right, 1)),
    height: Math.ceil(Math.max(bottom, 1)),
    laneLeft: layout.laneLeft + dx,
    laneRight: Math.max(layout.laneRight + dx, right - 16),
    lanes,
    nodes,
    edges,
    ignoredTieIds: layout.ignoredTieIds,
  };
}

/** The stage-lanes layout of what a filter shows. */
export function lanesOf(source: Pick<MapSource, 'stages' | 'actors' | 'ties'>, filter: NetworkFilter): NetworkLayout {
  return networkLayout(networkInputOf(source, filter));
}

const TIE_TYPE_LABELS: Record<string, string> = {
  'follow-up-project': 'Follow-up project',
  'weights-shared-with-partners': 'Weights shared with trusted partners',
};

/** A tie type as people read it: “Compute partnership”, “Follow-up project”, a researcher's own type capitalised. */
export function tieTypeLabel(type: string): string {
  return TIE_TYPE_LABELS[type] ?? typeLabel(type);
}

/**
 * The curve of a tie in the lanes, for Cytoscape's `unbundled-bezier` measured from the node
 * centres (`edge-distances: node-position`): the quadratic control point (cx, cy) as a weight
 * along source → target and a distance along its left-hand normal.
 */
export function bezierOf(from: Point, to: Point, control: Point): { weight: number; distance: number } {
  const vx = to.x - from.x;
  const vy = to.y - from.y;
  const length2 = vx * vx + vy * vy;
  if (!(length2 > 0)) return { weight: 0.5, distance: 0 };
  const length = Math.sqrt(length2);
  const rx = control.x - from.x;
  const ry = control.y - from.y;
  return { weight: (rx * vx + ry * vy) / length2, distance: (rx * -vy + ry * vx) / length };
}
