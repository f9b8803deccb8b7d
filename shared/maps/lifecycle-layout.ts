/**
 * The lifecycle map as a preset layout: plain geometry the renderer hands to Cytoscape (or
 * draws itself) and that `lifecycleMapToSvg` turns into a standalone image.
 *
 * - One column per stage, in lifecycle order (`order`, then name, then id); a node's x is its
 *   column's centre (its sub-column's centre when the column is crowded, below).
 * - y runs from cathedral at the bottom (position −1 → `plotBottom`) to bazaar at the top
 *   (position +1 → `plotTop`): y = plotTop + (1 − position) ÷ 2 × plotHeight.
 * - Only (case, stage) pairs with a position are nodes: no evidence and no override means no node.
 * - A node's radius grows with the square root of its n (so its area with n), from
 *   `minRadius` (n = 0, an override without evidence) to `maxRadius` (the largest n of the map).
 * - Each node owns a box: its circle and its label to the right (`labelGap` then the label
 *   width, `labelHeight` high). Boxes in a column never overlap: nodes are sorted top to bottom
 *   (position descending, then case name, then id) and pushed apart vertically as little as
 *   possible, clusters of crowded nodes centred on where they would be, keeping their order
 *   and staying within the plot. When a column cannot hold its nodes that way, they are dealt in
 *   turn (1st, 2nd, … in that order) to k side-by-side sub-columns, with the smallest k that fits;
 *   the column widens to hold them.
 * - Trajectories join each case's nodes in consecutive stages where it has them; an edge that
 *   passes over stages without a node says how many (`skippedStages`).
 *
 * Everything is computed from sorted copies of the input, so the same data in any order gives
 * the same layout, number for number.
 */
import { xmlText } from '../formats/matrix-export.ts';
import type { Guid } from '../model/types.ts';
import { compareCases, compareStages, EVIDENCE_RULE, formatPosition, POSITION_FORMULA, summarisePositions, type CasePosition } from './positions.ts';
import { CASE_COLORS, flowLegend, MAP_FONT, MAP_PALETTES, type MapTheme } from './svg.ts';
import { compareText, fitText, oneLine, safeColor, svgNumber, textWidth, wrapText } from './text.ts';

export interface LifecycleLayoutInput {
  stages: readonly { id: Guid; name: string; order: number }[];
  cases: readonly { id: Guid; name: string }[];
  positions: readonly Pick<CasePosition, 'caseId' | 'stageId' | 'position' | 'n' | 'override'>[];
}

export interface LifecycleLayoutOptions {
  /** Height between position +1 and −1, px (default 360). */
  plotHeight?: number;
  /** Narrowest column, px (default 200). */
  minColumnWidth?: number;
  minRadius?: number;
  maxRadius?: number;
  /** A case's label (default its name). */
  labelOf?: (caseId: Guid) => string;
  /** The width of a label, px (default: an estimate at 12 px, at most `maxLabelWidth`). */
  labelWidth?: (label: string) => number;
  maxLabelWidth?: number;
  labelHeight?: number;
  /** Space between a circle and its label, px. */
  labelGap?: number;
  /** Smallest vertical space between two boxes, px. */
  gap?: number;
}

export const LIFECYCLE_LAYOUT_DEFAULTS = {
  plotHeight: 360,
  minColumnWidth: 200,
  minRadius: 5,
  maxRadius: 18,
  maxLabelWidth: 140,
  labelHeight: 16,
  labelGap: 4,
  gap: 3,
  labelFontSize: 12,
  /** Left of the first column: the axis and its labels. */
  gutter: 96,
  /** Above the plot: the stage names. */
  header: 36,
  /** Space between sub-columns and inside a column's edges. */
  padding: 12,
} as const;

export interface LifecycleNode {
  /** `${caseId}:${stageId}` */
  id: string;
  caseId: Guid;
  stageId: Guid;
  x: number;
  y: number;
  radius: number;
  position: number;
  n: number;
  overridden: boolean;
  label: string;
  labelWidth: number;
  /** 0 … subColumns − 1 of its column. */
  subColumn: number;
  /** The circle and label, which no other node's box overlaps. */
  box: { x: number; y: number; width: number; height: number };
}

export interface TrajectoryEdge {
  /** `${caseId}:${fromStageId}->${toStageId}` */
  id: string;
  caseId: Guid;
  fromId: string;
  toId: string;
  fromStageId: Guid;
  toStageId: Guid;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Stages passed over in which the case has no node (0 for neighbouring stages). */
  skippedStages: number;
}

export interface StageColumn {
  stageId: Guid;
  name: string;
  /** Centre. */
  x: number;
  left: number;
  width: number;
  subColumns: number;
}

export interface StageBand {
  stageId: Guid;
  x: number;
  left: number;
  width: number;
  count: number;
  median: number | null;
  q1: number | null;
  q3: number | null;
  medianY: number | null;
  q1Y: number | null;
  q3Y: number | null;
}

export interface LifecycleLayout {
  width: number;
  height: number;
  /** y of position +1 (bazaar) and −1 (cathedral). */
  plotTop: number;
  plotBottom: number;
  plotLeft: number;
  plotRight: number;
  /** Baseline of the stage names. */
  headerY: number;
  /** Baseline of the line under each column (its median and count). */
  footerY: number;
  columns: StageColumn[];
  nodes: LifecycleNode[];
  edges: TrajectoryEdge[];
  bands: StageBand[];
  axis: { x: number; top: number; bottom: number; topLabel: 'Bazaar'; bottomLabel: 'Cathedral'; ticks: { value: number; y: number; label: string }[] };
  /** The cases, by name then id (the legend's order and the default colours'). */
  cases: { id: Guid; name: string }[];
}

/** y of a position: +1 (bazaar) at `plotTop`, −1 (cathedral) at `plotTop + plotHeight`. */
export function yOfPosition(position: number, plotTop: number, plotHeight: number): number {
  const p = Math.min(1, Math.max(-1, position));
  return plotTop + ((1 - p) / 2) * plotHeight;
}

/** Radius from n: minRadius + (maxRadius − minRadius) × √(n ÷ maxN); minRadius when maxN is 0. */
export function radiusOf(n: number, maxN: number, minRadius: number, maxRadius: number): number {
  if (maxN <= 0 || n <= 0) return minRadius;
  return minRadius + (maxRadius - minRadius) * Math.sqrt(Math.min(1, n / maxN));
}

interface Item {
  index: number;
  desired: number;
  height: number;
}

/**
 * Vertical centres for boxes sorted top to bottom (desired centre, height) within [top, bottom],
 * no two closer than (h1 + h2) ÷ 2 + gap, order kept; null when they do not fit. Crowded runs
 * become blocks placed at the mean of their members' wishes (pool-adjacent-violators), clamped
 * to the bounds.
 */
export function spreadVertically(items: readonly { desired: number; height: number }[], top: number, bottom: number, gap: number): number[] | null {
  if (items.length === 0) return [];
  let need = 0;
  for (let i = 1; i < items.length; i += 1) need += (items[i - 1]!.height + items[i]!.height) / 2 + gap;
  if (need > bottom - top + 1e-9) return null;
  interface Block {
    first: number;
    last: number;
    /** Offsets of members from the block's first centre. */
    span: number;
    /** Σ (desired − offset) and count, so the block's best start is their mean. */
    sum: number;
    count: number;
    start: number;
  }
  const offsets = new Array<number>(items.length).fill(0);
  const blocks: Block[] = [];
  const place = (b: Block) => {
    b.start = Math.max(top, Math.min(bottom - b.span, b.sum / b.count));
  };
  items.forEach((item, i) => {
    let block: Block = { first: i, last: i, span: 0, sum: item.desired, count: 1, start: 0 };
    place(block);
    for (;;) {
      const prev = blocks[blocks.length - 1];
      if (!prev) break;
      const sep = (items[prev.last]!.height + items[block.first]!.height) / 2 + gap;
      if (prev.start + prev.span + sep <= block.start) break;
      const shift = prev.span + sep;
      for (let k = block.first; k <= block.last; k += 1) offsets[k] = offsets[k]! + shift;
      blocks.pop();
      block = { first: prev.first, last: block.last, span: shift + block.span, sum: prev.sum + block.sum - block.count * shift, count: prev.count + block.count, start: 0 };
      place(block);
    }
    blocks.push(block);
  });
  const out = new Array<number>(items.length);
  for (const b of blocks) for (let k = b.first; k <= b.last; k += 1) out[k] = b.start + offsets[k]!;
  return out;
}

/** The lifecycle map's layout (see the file comment). */
export function lifecycleLayout(input: LifecycleLayoutInput, options: LifecycleLayoutOptions = {}): LifecycleLayout {
  const d = LIFECYCLE_LAYOUT_DEFAULTS;
  const plotHeight = Math.max(40, options.plotHeight ?? d.plotHeight);
  const minColumnWidth = options.minColumnWidth ?? d.minColumnWidth;
  const minRadius = Math.max(1, options.minRadius ?? d.minRadius);
  const maxRadius = Math.max(minRadius, options.maxRadius ?? d.maxRadius);
  const maxLabelWidth = options.maxLabelWidth ?? d.maxLabelWidth;
  const labelHeight = options.labelHeight ?? d.labelHeight;
  const labelGap = options.labelGap ?? d.labelGap;
  const gap = options.gap ?? d.gap;
  const pad = d.padding;

  const stages = [...input.stages].sort(compareStages);
  const cases = input.cases.map((c) => ({ id: c.id, name: c.name })).sort(compareCases);
  const caseById = new Map(cases.map((c) => [c.id, c]));
  const stageIndex = new Map(stages.map((s, i) => [s.id, i]));
  const labelOf = (caseId: Guid) => oneLine(options.labelOf?.(caseId) ?? caseById.get(caseId)?.name ?? '');
  const widthOf = (label: string) => {
    const measured = options.labelWidth?.(label) ?? textWidth(label, d.labelFontSize);
    return Number.isFinite(measured) ? Math.max(0, Math.min(maxLabelWidth, measured)) : maxLabelWidth;
  };

  // One entry per (case, stage) with a position, the last one winning if the input repeats a pair.
  const byPair = new Map<string, LifecycleLayoutInput['positions'][number]>();
  for (const p of input.positions) {
    if (p.position === null || !Number.isFinite(p.position) || !caseById.has(p.caseId) || !stageIndex.has(p.stageId)) continue;
    byPair.set(`${p.caseId}:${p.stageId}`, p);
  }
  const placed = [...byPair.values()];
  const maxN = Math.max(0, ...placed.map((p) => p.n));
  const maxHalf = Math.max(maxRadius, labelHeight / 2);
  const headerY = 20;
  const plotTop = d.header + maxHalf;
  const plotBottom = plotTop + plotHeight;

  const columns: StageColumn[] = [];
  const nodes: LifecycleNode[] = [];
  let left = d.gutter;
  for (const stage of stages) {
    const members = placed
      .filter((p) => p.stageId === stage.id)
      .map((p) => {
        const label = labelOf(p.caseId);
        return { p, label, radius: radiusOf(p.n, maxN, minRadius, maxRadius), labelWidth: widthOf(label), caseName: caseById.get(p.caseId)!.name };
      })
      .sort((a, b) => b.p.position! - a.p.position! || compareText(a.caseName, b.caseName) || compareText(a.p.caseId, b.p.caseId));
    const items: Item[] = members.map((m, index) => ({ index, desired: yOfPosition(m.p.position!, plotTop, plotHeight), height: Math.max(2 * m.radius, labelHeight) }));

    // The fewest sub-columns in which every run fits; one node per sub-column always does.
    let k = 1;
    let ys: number[] = [];
    for (; k <= Math.max(1, items.length); k += 1) {
      const spread = Array.from({ length: k }, (_, j) => spreadVertically(items.filter((_, i) => i % k === j), plotTop, plotBottom, gap));
      if (spread.every((s) => s !== null)) {
        ys = items.map((_, i) => spread[i % k]![Math.floor(i / k)]!);
        break;
      }
    }
    k = Math.min(k, Math.max(1, items.length));
    const leftExtent = Math.max(0, ...members.map((m) => m.radius));
    const rightExtent = Math.max(minRadius, ...members.map((m) => m.radius + labelGap + m.labelWidth));
    const step = leftExtent + rightExtent + pad;
    const width = Math.max(minColumnWidth, (k - 1) * step + 2 * rightExtent + 2 * pad);
    const x = left + width / 2;
    columns.push({ stageId: stage.id, name: stage.name, x, left, width, subColumns: k });
    members.forEach((m, i) => {
      const subColumn = i % k;
      const nx = x + (subColumn - (k - 1) / 2) * step;
      const ny = ys[i]!;
      const height = items[i]!.height;
      nodes.push({
        id: `${m.p.caseId}:${stage.id}`,
        caseId: m.p.caseId,
        stageId: stage.id,
        x: nx,
        y: ny,
        radius: m.radius,
        position: m.p.position!,
        n: m.p.n,
        overridden: m.p.override !== null,
        label: m.label,
        labelWidth: m.labelWidth,
        subColumn,
        box: { x: nx - m.radius, y: ny - height / 2, width: 2 * m.radius + labelGap + m.labelWidth, height },
      });
    });
    left += width;
  }

  // Trajectories: each case's nodes in stage order.
  const edges: TrajectoryEdge[] = [];
  for (const c of cases) {
    const own = nodes.filter((node) => node.caseId === c.id).sort((a, b) => stageIndex.get(a.stageId)! - stageIndex.get(b.stageId)!);
    for (let i = 1; i < own.length; i += 1) {
      const a = own[i - 1]!;
      const b = own[i]!;
      edges.push({
        id: `${c.id}:${a.stageId}->${b.stageId}`,
        caseId: c.id,
        fromId: a.id,
        toId: b.id,
        fromStageId: a.stageId,
        toStageId: b.stageId,
        x1: a.x,
        y1: a.y,
        x2: b.x,
        y2: b.y,
        skippedStages: stageIndex.get(b.stageId)! - stageIndex.get(a.stageId)! - 1,
      });
    }
  }

  const bands: StageBand[] = columns.map((column) => {
    const s = summarisePositions(
      column.stageId,
      placed.filter((p) => p.stageId === column.stageId).map((p) => p.position),
    );
    const y = (v: number | null) => (v === null ? null : yOfPosition(v, plotTop, plotHeight));
    return { stageId: column.stageId, x: column.x, left: column.left + pad / 2, width: column.width - pad, count: s.count, median: s.median, q1: s.q1, q3: s.q3, medianY: y(s.median), q1Y: y(s.q1), q3Y: y(s.q3) };
  });

  const plotLeft = d.gutter;
  const plotRight = Math.max(left, plotLeft + minColumnWidth);
  const footerY = plotBottom + maxHalf + 18;
  return {
    width: plotRight + 16,
    height: footerY + 8,
    plotTop,
    plotBottom,
    plotLeft,
    plotRight,
    headerY,
    footerY,
    columns,
    nodes,
    edges,
    bands,
    axis: {
      x: plotLeft - 8,
      top: plotTop,
      bottom: plotBottom,
      topLabel: 'Bazaar',
      bottomLabel: 'Cathedral',
      ticks: [1, 0.5, 0, -0.5, -1].map((value) => ({ value, y: yOfPosition(value, plotTop, plotHeight), label: value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '0' })),
    },
    cases,
  };
}

// ---------------------------------------------------------------------------------------------
// SVG

export interface LifecycleSvgOptions {
  /** The first line of the image. */
  title: string;
  /** A case's colour (`#rrggbb`); by default the case's turn in CASE_COLORS (cases by name). */
  colorOf?: (caseId: Guid) => string;
  /** A case's name in the legend and beside its nodes. */
  labelOf: (caseId: Guid) => string;
  theme: MapTheme;
  /** Shades this stage's column and dims the others (a deck's stage slide). */
  focusStageId?: Guid | null;
  /** Lines under the legend (filters in words, …), before the formula. */
  notes?: readonly string[];
}

/** The default colour of each case: its turn (by name, then id) in CASE_COLORS. */
export function defaultCaseColors(cases: readonly { id: Guid }[]): Map<Guid, string> {
  return new Map(cases.map((c, i) => [c.id, CASE_COLORS[i % CASE_COLORS.length]!]));
}

const s = svgNumber;

/**
 * The lifecycle map as a standalone SVG 1.1 image: title, stage columns with their names, the
 * axis from Cathedral (bottom) to Bazaar (top), each stage's interquartile band and median,
 * trajectories, nodes (dashed outline when a researcher set the position) with their labels,
 * a legend of the case colours, notes, and the formula at the bottom.
 */
export function lifecycleMapToSvg(layout: LifecycleLayout, options: LifecycleSvgOptions): string {
  const theme = MAP_PALETTES[options.theme] ?? MAP_PALETTES.light;
  const margin = 16;
  const titleHeight = 36;
  const fontSmall = 11;
  const fontLabel = LIFECYCLE_LAYOUT_DEFAULTS.labelFontSize;
  const defaults = defaultCaseColors(layout.cases);
  const colorOf = (caseId: Guid) => safeColor(options.colorOf?.(caseId), defaults.get(caseId) ?? CASE_COLORS[0]);
  const labelOf = (caseId: Guid) => oneLine(options.labelOf(caseId));
  const focus = options.focusStageId ?? null;
  const lw = theme.lineWidth;

  const contentWidth = Math.max(layout.width, 560);
  const textWidthMax = contentWidth - 2 * margin;
  const legendEntries = layout.cases.map((c) => {
    const label = fitText(labelOf(c.id), 180, fontSmall);
    return { id: c.id, label, width: 14 + 6 + textWidth(label, fontSmall) + 18 };
  });
  const legendTop = titleHeight + layout.height + 8;
  const legendRow = 18;
  const legendPlaces = flowLegend(legendEntries, margin, textWidthMax);
  const legendRows = legendEntries.length === 0 ? 0 : legendPlaces[legendPlaces.length - 1]!.row + 1;
  const keyLines = [
    'Circle area: n, the coded segments of evidence. Dashed outline: position set by the researcher.',
    'Shaded band: middle half of the cases (first to third quartile); thick line: median.',
    'A case without evidence in a stage has no circle there; a dashed trajectory passes over such a stage.',
    ...(options.notes ?? []),
  ].flatMap((line) => wrapText(line, textWidthMax, fontSmall));
  const formulaHead = wrapText(POSITION_FORMULA, textWidthMax, fontSmall);
  const formulaLines = [...formulaHead, ...wrapText(EVIDENCE_RULE, textWidthMax, fontSmall)];
  const lineHeight = 15;
  const keyTop = legendTop + legendRows * legendRow + 8;
  const formulaTop = keyTop + keyLines.length * lineHeight + 8;
  const width = Math.ceil(Math.max(contentWidth, margin + textWidth(options.title, 16) + margin));
  const height = Math.ceil(formulaTop + formulaLines.length * lineHeight + margin);

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xmlText(MAP_FONT)}">`);
  out.push(`<title>${xmlText(options.title)}</title>`);
  out.push(`<desc>${xmlText(`Lifecycle map: ${POSITION_FORMULA}`)}</desc>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${theme.background}"/>`);
  out.push(`<text x="${margin}" y="${margin + 12}" font-size="16" font-weight="bold" fill="${theme.ink}">${xmlText(options.title)}</text>`);
  out.push(`<g transform="translate(0 ${titleHeight})">`);

  // Columns and stage names.
  out.push('<g class="columns">');
  layout.columns.forEach((column, i) => {
    const fill = focus === column.stageId ? theme.focusFill : i % 2 === 0 ? theme.columnFill : theme.background;
    out.push(`<rect x="${s(column.left)}" y="${s(layout.headerY + 6)}" width="${s(column.width)}" height="${s(layout.height - layout.headerY - 6)}" fill="${fill}"/>`);
    const name = fitText(oneLine(column.name), column.width - 8, 13);
    const weight = focus === column.stageId ? ' font-weight="bold"' : '';
    out.push(`<text x="${s(column.x)}" y="${s(layout.headerY)}" font-size="13"${weight} text-anchor="middle" fill="${theme.ink}">${xmlText(name)}</text>`);
  });
  out.push('</g>');

  // Axis.
  const ax = layout.axis;
  out.push('<g class="axis">');
  for (const tick of ax.ticks) {
    const dash = tick.value === 0 ? '' : ' stroke-dasharray="2 4"';
    out.push(`<line x1="${s(layout.plotLeft)}" y1="${s(tick.y)}" x2="${s(layout.plotRight)}" y2="${s(tick.y)}" stroke="${theme.grid}" stroke-width="1"${dash}/>`);
    out.push(`<text x="${s(ax.x - 4)}" y="${s(tick.y + 4)}" font-size="${fontSmall}" text-anchor="end" fill="${theme.muted}">${xmlText(tick.label)}</text>`);
  }
  out.push(`<line x1="${s(ax.x)}" y1="${s(ax.top)}" x2="${s(ax.x)}" y2="${s(ax.bottom)}" stroke="${theme.ink}" stroke-width="${lw}"/>`);
  out.push(`<text x="${margin}" y="${s(ax.top - 8)}" font-size="12" font-weight="bold" fill="${theme.ink}">${xmlText(`↑ ${ax.topLabel}`)}</text>`);
  out.push(`<text x="${margin}" y="${s(ax.bottom + 18)}" font-size="12" font-weight="bold" fill="${theme.ink}">${xmlText(`↓ ${ax.bottomLabel}`)}</text>`);
  out.push('</g>');

  // Bands and medians.
  out.push('<g class="bands">');
  for (const band of layout.bands) {
    if (band.medianY === null || band.q1Y === null || band.q3Y === null) continue;
    const top = Math.min(band.q1Y, band.q3Y);
    const h = Math.max(1, Math.abs(band.q1Y - band.q3Y));
    const opacity = focus !== null && focus !== band.stageId ? ' opacity="0.5"' : '';
    out.push(`<rect x="${s(band.left)}" y="${s(top)}" width="${s(band.width)}" height="${s(h)}" fill="${theme.band}"${opacity}><title>${xmlText(`Quartiles ${formatPosition(band.q1!)} to ${formatPosition(band.q3!)}; ${band.count} cases`)}</title></rect>`);
    out.push(`<line x1="${s(band.left)}" y1="${s(band.medianY)}" x2="${s(band.left + band.width)}" y2="${s(band.medianY)}" stroke="${theme.median}" stroke-width="${s(lw + 1.5)}"${opacity}><title>${xmlText(`Median ${formatPosition(band.median!)}`)}</title></line>`);
  }
  for (const band of layout.bands) {
    const line = band.median === null ? 'no evidence' : `median ${formatPosition(band.median)} · ${band.count} case${band.count === 1 ? '' : 's'}`;
    out.push(`<text x="${s(band.x)}" y="${s(layout.footerY)}" font-size="${fontSmall}" text-anchor="middle" fill="${theme.ink}">${xmlText(fitText(line, band.width, fontSmall))}</text>`);
  }
  out.push('</g>');

  // Trajectories.
  out.push('<g class="trajectories" fill="none">');
  for (const edge of layout.edges) {
    const dash = edge.skippedStages > 0 ? ' stroke-dasharray="6 4"' : '';
    const dim = focus !== null && edge.fromStageId !== focus && edge.toStageId !== focus ? ' stroke-opacity="0.35"' : ' stroke-opacity="0.8"';
    out.push(`<line x1="${s(edge.x1)}" y1="${s(edge.y1)}" x2="${s(edge.x2)}" y2="${s(edge.y2)}" stroke="${colorOf(edge.caseId)}" stroke-width="${lw}"${dash}${dim}/>`);
  }
  out.push('</g>');

  // Nodes and labels.
  const stageName = new Map(layout.columns.map((c) => [c.stageId, oneLine(c.name)]));
  out.push('<g class="nodes">');
  for (const node of layout.nodes) {
    const color = colorOf(node.caseId);
    const dim = focus !== null && focus !== node.stageId ? ' opacity="0.45"' : '';
    const label = fitText(labelOf(node.caseId), node.labelWidth, fontLabel);
    const tip = `${labelOf(node.caseId)}, ${stageName.get(node.stageId) ?? ''}: ${formatPosition(node.position)}, n = ${node.n}${node.overridden ? ', set by the researcher' : ''}`;
    out.push(`<g${dim}>`);
    out.push(`<title>${xmlText(tip)}</title>`);
    const stroke = node.overridden ? ` stroke-dasharray="3 2" stroke-width="${s(lw + 0.5)}"` : ` stroke-width="${s(lw * 0.75)}"`;
    out.push(`<circle cx="${s(node.x)}" cy="${s(node.y)}" r="${s(node.radius)}" fill="${color}" stroke="${theme.nodeStroke}"${stroke}/>`);
    if (label !== '') {
      const lx = node.x + node.radius + LIFECYCLE_LAYOUT_DEFAULTS.labelGap;
      out.push(`<rect x="${s(lx - 1)}" y="${s(node.y - 8)}" width="${s(textWidth(label, fontLabel) + 2)}" height="16" fill="${theme.labelBackground}" fill-opacity="0.8"/>`);
      out.push(`<text x="${s(lx)}" y="${s(node.y + 4)}" font-size="${fontLabel}" fill="${theme.ink}">${xmlText(label)}</text>`);
    }
    out.push('</g>');
  }
  out.push('</g>');
  out.push('</g>');

  // Legend, key, formula.
  out.push('<g class="legend">');
  legendEntries.forEach((entry, i) => {
    const place = legendPlaces[i]!;
    const y = legendTop + place.row * legendRow;
    out.push(`<rect x="${s(place.x)}" y="${s(y)}" width="14" height="14" fill="${colorOf(entry.id)}" stroke="${theme.nodeStroke}" stroke-width="1"/>`);
    out.push(`<text x="${s(place.x + 20)}" y="${s(y + 11)}" font-size="${fontSmall}" fill="${theme.ink}">${xmlText(entry.label)}</text>`);
  });
  keyLines.forEach((line, i) => {
    out.push(`<text x="${margin}" y="${s(keyTop + i * lineHeight + 11)}" font-size="${fontSmall}" fill="${theme.muted}">${xmlText(line)}</text>`);
  });
  formulaLines.forEach((line, i) => {
    const bold = i < formulaHead.length ? ' font-weight="bold"' : '';
    out.push(`<text x="${margin}" y="${s(formulaTop + i * lineHeight + 11)}" font-size="${fontSmall}"${bold} fill="${theme.ink}">${xmlText(line)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
