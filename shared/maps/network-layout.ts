/**
 * The collaboration network as a preset layout in stage lanes: plain geometry for the
 * renderer (Cytoscape "preset") and for `networkToSvg`.
 *
 * - One horizontal lane per stage, top to bottom in lifecycle order, and a last lane,
 *   "No ties", for actors without any tie (only when there are such actors).
 * - An actor sits in the lane of the stage where it has most ties (a tie counts for both its
 *   ends); equal counts go to the earlier stage.
 * - In a lane, actors are ordered by type (in ACTOR_TYPES order, other types after them by
 *   name), then name, then id, and spread evenly over the lanes' common width. That width is
 *   wide enough for every lane's slots to hold their node boxes (circle, label centred below)
 *   with a gap, so no two boxes overlap.
 * - Ties whose actors or stage are unknown, and ties from an actor to itself, are left out
 *   (`ignoredTieIds`). A tie's line width grows with its evidence (distinct segments):
 *   `tieWidth`. Ties between actors of one lane arc above it; several ties between the same
 *   two actors bend apart so each stays visible.
 *
 * Everything is computed from sorted copies, so the same data in any order gives the same layout.
 */
import { xmlText } from '../formats/matrix-export.ts';
import { ACTOR_TYPES, type Guid } from '../model/types.ts';
import { flowLegend, MAP_FONT, MAP_PALETTES, type MapTheme } from './svg.ts';
import { compareStages } from './positions.ts';
import { compareText, fitText, oneLine, svgNumber, textWidth, wrapText } from './text.ts';

export interface NetworkInput {
  stages: readonly { id: Guid; name: string; order: number }[];
  actors: readonly { id: Guid; name: string; type: string }[];
  ties: readonly { id: Guid; fromId: Guid; toId: Guid; type: string; stageId: Guid; evidenceSegmentIds: readonly Guid[] }[];
}

export interface NetworkLayoutOptions {
  laneHeight?: number;
  nodeRadius?: number;
  /** Narrowest lane, px. */
  minLaneWidth?: number;
  maxLabelWidth?: number;
  /** The width of a label, px (default: an estimate at 11 px, at most `maxLabelWidth`). */
  labelWidth?: (label: string) => number;
  /** Smallest horizontal space between two node boxes, px. */
  gap?: number;
}

export const NETWORK_LAYOUT_DEFAULTS = {
  laneHeight: 110,
  nodeRadius: 10,
  minLaneWidth: 480,
  maxLabelWidth: 120,
  gap: 16,
  labelFontSize: 11,
  labelHeight: 14,
  /** Left of the lanes: the stage names. */
  gutter: 140,
  /** From a lane's top to its circles' tops (room for arcs). */
  laneTopPadding: 40,
} as const;

/** The lane of actors without ties. */
export const NO_TIES_LANE = 'no-ties';
export const NO_TIES_LANE_NAME = 'No ties';

/** The rule of line widths, in words, for legends. */
export const TIE_WIDTH_RULE = 'Line width = 1 + 1.5 × √(evidence segments) px, at most 8 px';

/** A tie's line width from its evidence count: 1 + 1.5 × √count, at most 8 (1 px without evidence). */
export function tieWidth(evidenceCount: number): number {
  const count = Number.isFinite(evidenceCount) ? Math.max(0, evidenceCount) : 0;
  return Math.min(8, 1 + 1.5 * Math.sqrt(count));
}

export interface NetworkLane {
  /** The stage id, or NO_TIES_LANE. */
  id: string;
  stageId: Guid | null;
  name: string;
  top: number;
  height: number;
  /** y of the circles' centres. */
  y: number;
}

export interface NetworkNode {
  /** The actor's id. */
  id: Guid;
  name: string;
  type: string;
  laneId: string;
  x: number;
  y: number;
  radius: number;
  /** Ties the actor takes part in (known ones). */
  tieCount: number;
  labelWidth: number;
  /** Circle and label below it, which no other node's box overlaps. */
  box: { x: number; y: number; width: number; height: number };
}

export interface NetworkEdge {
  /** The tie's id. */
  id: Guid;
  fromId: Guid;
  toId: Guid;
  stageId: Guid;
  type: string;
  /** Distinct evidence segments. */
  evidence: number;
  width: number;
  /** A quadratic curve from (x1, y1) to (x2, y2) through control point (cx, cy); the ends lie on the circles' rims. */
  x1: number;
  y1: number;
  cx: number;
  cy: number;
  x2: number;
  y2: number;
}

export interface NetworkLayout {
  width: number;
  height: number;
  laneLeft: number;
  laneRight: number;
  lanes: NetworkLane[];
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  ignoredTieIds: Guid[];
}

const typeRank = (type: string): number => {
  const i = (ACTOR_TYPES as readonly string[]).indexOf(type);
  return i < 0 ? ACTOR_TYPES.length : i;
};

/** Actors in a lane: by type (ACTOR_TYPES order, others by name), then name, then id. */
export function compareActors(a: { id: Guid; name: string; type: string }, b: { id: Guid; name: string; type: string }): number {
  return typeRank(a.type) - typeRank(b.type) || compareText(a.type, b.type) || compareText(a.name, b.name) || compareText(a.id, b.id);
}

/** The stage-lanes layout of the network (see the file comment). */
export function networkLayout(input: NetworkInput, options: NetworkLayoutOptions = {}): NetworkLayout {
  const d = NETWORK_LAYOUT_DEFAULTS;
  const radius = options.nodeRadius ?? d.nodeRadius;
  const gap = options.gap ?? d.gap;
  const maxLabelWidth = options.maxLabelWidth ?? d.maxLabelWidth;
  const laneHeight = Math.max(options.laneHeight ?? d.laneHeight, d.laneTopPadding + 2 * radius + 4 + d.labelHeight + 8);
  const minLaneWidth = options.minLaneWidth ?? d.minLaneWidth;

  const stages = [...input.stages].sort(compareStages);
  const stageIndex = new Map(stages.map((s, i) => [s.id, i]));
  const actors = [...input.actors].sort(compareActors);
  const actorIds = new Set(actors.map((a) => a.id));
  const ties = [...input.ties].sort(
    (a, b) => (stageIndex.get(a.stageId) ?? -1) - (stageIndex.get(b.stageId) ?? -1) || compareText(a.type, b.type) || compareText(a.id, b.id),
  );
  const ignoredTieIds: Guid[] = [];
  const valid = ties.filter((t) => {
    const ok = actorIds.has(t.fromId) && actorIds.has(t.toId) && t.fromId !== t.toId && stageIndex.has(t.stageId);
    if (!ok) ignoredTieIds.push(t.id);
    return ok;
  });

  // Each actor's ties per stage → its lane.
  const perStage = new Map<Guid, number[]>();
  for (const a of actors) perStage.set(a.id, new Array<number>(stages.length).fill(0));
  for (const t of valid) {
    const i = stageIndex.get(t.stageId)!;
    perStage.get(t.fromId)![i]! += 1;
    perStage.get(t.toId)![i]! += 1;
  }
  const laneOf = new Map<Guid, string>();
  const tieCount = new Map<Guid, number>();
  for (const a of actors) {
    const counts = perStage.get(a.id)!;
    let best = -1;
    counts.forEach((c, i) => {
      if (c > 0 && (best < 0 || c > counts[best]!)) best = i;
    });
    tieCount.set(a.id, counts.reduce((x, y) => x + y, 0));
    laneOf.set(a.id, best < 0 ? NO_TIES_LANE : stages[best]!.id);
  }
  const laneDefs: { id: string; stageId: Guid | null; name: string }[] = stages.map((s) => ({ id: s.id, stageId: s.id, name: s.name }));
  if (actors.some((a) => laneOf.get(a.id) === NO_TIES_LANE)) laneDefs.push({ id: NO_TIES_LANE, stageId: null, name: NO_TIES_LANE_NAME });

  const labelWidthOf = (name: string) => {
    const measured = options.labelWidth?.(name) ?? textWidth(name, d.labelFontSize);
    return Number.isFinite(measured) ? Math.max(0, Math.min(maxLabelWidth, measured)) : maxLabelWidth;
  };
  const members = laneDefs.map((lane) => actors.filter((a) => laneOf.get(a.id) === lane.id).map((a) => ({ actor: a, labelWidth: labelWidthOf(oneLine(a.name)) })));
  const boxWidth = (m: { labelWidth: number }) => Math.max(2 * radius, m.labelWidth);
  const laneWidth = Math.max(minLaneWidth, ...members.map((list) => list.length * (Math.max(0, ...list.map(boxWidth)) + gap)));
  const laneLeft = d.gutter;
  const top0 = 8;

  const lanes: NetworkLane[] = [];
  const nodes: NetworkNode[] = [];
  laneDefs.forEach((lane, li) => {
    const top = top0 + li * laneHeight;
    const y = top + d.laneTopPadding + radius;
    lanes.push({ ...lane, top, height: laneHeight, y });
    const list = members[li]!;
    const slot = laneWidth / Math.max(1, list.length);
    list.forEach((m, i) => {
      const x = laneLeft + (i + 0.5) * slot;
      const w = boxWidth(m);
      nodes.push({
        id: m.actor.id,
        name: m.actor.name,
        type: m.actor.type,
        laneId: lane.id,
        x,
        y,
        radius,
        tieCount: tieCount.get(m.actor.id)!,
        labelWidth: m.labelWidth,
        box: { x: x - w / 2, y: y - radius, width: w, height: 2 * radius + 4 + d.labelHeight },
      });
    });
  });

  // Edges: parallel ties (same two actors, either direction) bend apart.
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const pairKey = (a: Guid, b: Guid) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const groups = new Map<string, Guid[]>();
  for (const t of valid) {
    const key = pairKey(t.fromId, t.toId);
    const g = groups.get(key);
    if (g) g.push(t.id);
    else groups.set(key, [t.id]);
  }
  const edges: NetworkEdge[] = valid.map((t) => {
    const a = nodeById.get(t.fromId)!;
    const b = nodeById.get(t.toId)!;
    const group = groups.get(pairKey(t.fromId, t.toId))!;
    const index = group.indexOf(t.id);
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    let cx: number;
    let cy: number;
    if (a.laneId === b.laneId) {
      // An arc above the lane (the control point lies twice as far as the curve's top).
      const lift = Math.min(0.25 * Math.abs(b.x - a.x) + 16, d.laneTopPadding - 6) + 10 * index;
      cx = mx;
      cy = my - 2 * lift;
    } else {
      // Straight, or bent sideways for parallel ties, symmetric around the straight line.
      const offset = (index - (group.length - 1) / 2) * 18;
      const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      // A normal that does not depend on the tie's direction, so A→B and B→A bend apart.
      const sign = a.id < b.id ? 1 : -1;
      cx = mx + (sign * -(b.y - a.y) / len) * 2 * offset;
      cy = my + (sign * (b.x - a.x) / len) * 2 * offset;
    }
    const trim = (from: NetworkNode, towardX: number, towardY: number) => {
      const len = Math.hypot(towardX - from.x, towardY - from.y) || 1;
      return { x: from.x + ((towardX - from.x) / len) * (from.radius + 2), y: from.y + ((towardY - from.y) / len) * (from.radius + 2) };
    };
    const start = trim(a, cx, cy);
    const end = trim(b, cx, cy);
    const evidence = new Set(t.evidenceSegmentIds).size;
    return { id: t.id, fromId: t.fromId, toId: t.toId, stageId: t.stageId, type: t.type, evidence, width: tieWidth(evidence), x1: start.x, y1: start.y, cx, cy, x2: end.x, y2: end.y };
  });

  return {
    width: laneLeft + laneWidth + 16,
    height: top0 + laneDefs.length * laneHeight + 8,
    laneLeft,
    laneRight: laneLeft + laneWidth,
    lanes,
    nodes,
    edges,
    ignoredTieIds,
  };
}

// ---------------------------------------------------------------------------------------------
// SVG

/** Colours of actor types (Okabe–Ito: distinguishable with colour-vision deficiencies). */
export const ACTOR_TYPE_COLORS: Record<string, string> = {
  organisation: '#0072b2',
  project: '#e69f00',
  dataset: '#009e73',
  'compute-provider': '#cc79a7',
  community: '#56b4e9',
  derivative: '#d55e00',
};
const OTHER_TYPE_COLOR = '#999999';

/** A type as people read it: "compute-provider" → "Compute provider". */
export function typeLabel(type: string): string {
  const words = oneLine(type.replace(/[-_]+/g, ' '));
  return words === '' ? words : words[0]!.toUpperCase() + words.slice(1);
}

export interface NetworkSvgOptions {
  title: string;
  theme: MapTheme;
  /** An actor type's name (default `typeLabel`). */
  actorTypeLabel?: (type: string) => string;
  /** A tie type's name (default `typeLabel`). */
  tieTypeLabel?: (type: string) => string;
  /** Lines under the legend (filters in words, …). */
  notes?: readonly string[];
}

/**
 * The network as a standalone SVG 1.1 image: title, lanes named by stage, ties as curves
 * (width from evidence, an arrow at the receiving end, a tooltip with type, stage and
 * evidence), actors coloured by type with their names, a legend of types and widths, notes.
 */
export function networkToSvg(layout: NetworkLayout, options: NetworkSvgOptions): string {
  const theme = MAP_PALETTES[options.theme] ?? MAP_PALETTES.light;
  const s = svgNumber;
  const margin = 16;
  const titleHeight = 36;
  const font = NETWORK_LAYOUT_DEFAULTS.labelFontSize;
  const actorType = options.actorTypeLabel ?? typeLabel;
  const tieType = options.tieTypeLabel ?? typeLabel;
  const colorOf = (type: string) => ACTOR_TYPE_COLORS[type] ?? OTHER_TYPE_COLOR;
  const edgeColor = options.theme === 'contrast' ? '#ffffff' : '#545b64';

  const contentWidth = Math.max(layout.width, 560);
  const textMax = contentWidth - 2 * margin;
  const types = [...new Set(layout.nodes.map((n) => n.type))].sort((a, b) => compareActors({ id: '', name: '', type: a }, { id: '', name: '', type: b }));
  const legendEntries = [
    ...types.map((t) => ({ kind: 'type' as const, key: t, label: fitText(actorType(t), 160, font), width: 0 })),
    ...[1, 4, 9].map((count) => ({ kind: 'width' as const, key: String(count), label: `${count} evidence segment${count === 1 ? '' : 's'}`, width: 0 })),
  ].map((e) => ({ ...e, width: 34 + textWidth(e.label, font) + 16 }));
  const legendTop = titleHeight + layout.height + 8;
  const legendRow = 18;
  const places = flowLegend(legendEntries, margin, textMax);
  const legendRows = legendEntries.length === 0 ? 0 : places[places.length - 1]!.row + 1;
  const keyLines = [
    'Each actor sits in the lane of the stage where it has most ties; arrows point from the tie’s first actor to its second.',
    TIE_WIDTH_RULE,
    ...(options.notes ?? []),
  ].flatMap((l) => wrapText(l, textMax, font));
  const lineHeight = 15;
  const keyTop = legendTop + legendRows * legendRow + 8;
  const width = Math.ceil(Math.max(contentWidth, margin + textWidth(options.title, 16) + margin));
  const height = Math.ceil(keyTop + keyLines.length * lineHeight + margin);

  const nodeById = new Map(layout.nodes.map((n) => [n.id, n]));
  const laneName = new Map(layout.lanes.map((l) => [l.id, oneLine(l.name)]));
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xmlText(MAP_FONT)}">`);
  out.push(`<title>${xmlText(options.title)}</title>`);
  out.push('<defs>');
  out.push(`<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="${edgeColor}"/></marker>`);
  out.push('</defs>');
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${theme.background}"/>`);
  out.push(`<text x="${margin}" y="${margin + 12}" font-size="16" font-weight="bold" fill="${theme.ink}">${xmlText(options.title)}</text>`);
  out.push(`<g transform="translate(0 ${titleHeight})">`);

  out.push('<g class="lanes">');
  layout.lanes.forEach((lane, i) => {
    const fill = i % 2 === 0 ? theme.columnFill : theme.background;
    out.push(`<rect x="0" y="${s(lane.top)}" width="${s(layout.width)}" height="${s(lane.height)}" fill="${fill}"/>`);
    out.push(`<line x1="0" y1="${s(lane.top)}" x2="${s(layout.width)}" y2="${s(lane.top)}" stroke="${theme.grid}" stroke-width="1"/>`);
    const name = fitText(oneLine(lane.name), NETWORK_LAYOUT_DEFAULTS.gutter - margin - 8, 13);
    out.push(`<text x="${margin}" y="${s(lane.y + 4)}" font-size="13" font-weight="bold" fill="${theme.ink}">${xmlText(name)}</text>`);
  });
  out.push('</g>');

  out.push(`<g class="ties" fill="none" stroke="${edgeColor}">`);
  for (const edge of layout.edges) {
    const from = nodeById.get(edge.fromId);
    const to = nodeById.get(edge.toId);
    const tip = `${oneLine(from?.name ?? '')} → ${oneLine(to?.name ?? '')}: ${tieType(edge.type)} (${laneName.get(edge.stageId) ?? ''}); ${edge.evidence} evidence segment${edge.evidence === 1 ? '' : 's'}`;
    out.push(
      `<path d="M ${s(edge.x1)} ${s(edge.y1)} Q ${s(edge.cx)} ${s(edge.cy)} ${s(edge.x2)} ${s(edge.y2)}" stroke-width="${s(edge.width)}" stroke-opacity="0.75" marker-end="url(#arrow)"><title>${xmlText(tip)}</title></path>`,
    );
  }
  out.push('</g>');

  out.push('<g class="actors">');
  for (const node of layout.nodes) {
    const label = fitText(oneLine(node.name), node.labelWidth, font);
    out.push('<g>');
    out.push(`<title>${xmlText(`${oneLine(node.name)} (${actorType(node.type)}): ${node.tieCount} tie${node.tieCount === 1 ? '' : 's'}`)}</title>`);
    out.push(`<circle cx="${s(node.x)}" cy="${s(node.y)}" r="${s(node.radius)}" fill="${colorOf(node.type)}" stroke="${theme.nodeStroke}" stroke-width="${s(theme.lineWidth * 0.75)}"/>`);
    out.push(`<text x="${s(node.x)}" y="${s(node.y + node.radius + 4 + 10)}" font-size="${font}" text-anchor="middle" fill="${theme.ink}">${xmlText(label)}</text>`);
    out.push('</g>');
  }
  out.push('</g>');
  out.push('</g>');

  out.push('<g class="legend">');
  legendEntries.forEach((entry, i) => {
    const place = places[i]!;
    const y = legendTop + place.row * legendRow;
    if (entry.kind === 'type') out.push(`<circle cx="${s(place.x + 14)}" cy="${s(y + 7)}" r="7" fill="${colorOf(entry.key)}" stroke="${theme.nodeStroke}" stroke-width="1"/>`);
    else out.push(`<line x1="${s(place.x)}" y1="${s(y + 7)}" x2="${s(place.x + 28)}" y2="${s(y + 7)}" stroke="${edgeColor}" stroke-width="${s(tieWidth(Number(entry.key)))}"/>`);
    out.push(`<text x="${s(place.x + 34)}" y="${s(y + 11)}" font-size="${font}" fill="${theme.ink}">${xmlText(entry.label)}</text>`);
  });
  keyLines.forEach((line, i) => {
    out.push(`<text x="${margin}" y="${s(keyTop + i * lineHeight + 11)}" font-size="${font}" fill="${theme.muted}">${xmlText(line)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
