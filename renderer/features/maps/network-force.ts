/**
 * The force-directed layout of the collaboration network (fcose over a headless Cytoscape),
 * run in a Web Worker (network-worker.ts) so the screen never waits for it. It starts from
 * the stage lanes' places (`randomize: false`) with a fixed seed for the few random choices
 * fcose makes, so the same network always gets the same picture. Networks of more than
 * DRAFT_ABOVE actors get fcose's spectral draft (a tenth of a second instead of seconds),
 * spread out, each box in a cell of its own (`snapToGrid`).
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

export interface ForceNode {
  id: string;
  x: number;
  y: number;
  /** The node's box (circle and label), px: nodes are kept from overlapping by it. */
  width: number;
  height: number;
}

export interface ForceEdge {
  id: string;
  source: string;
  target: string;
}

export interface ForceRequest {
  id: number;
  nodes: ForceNode[];
  edges: ForceEdge[];
}

export type ForceResponse = { id: number; positions: Record<string, { x: number; y: number }>; ms: number } | { id: number; error: string };

let registered = false;

/** A small, fast PRNG (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FORCE_SEED = 20_240_601;

/** Above this many actors the full force simulation takes seconds: the spectral draft is used, then boxes are pushed apart. */
export const DRAFT_ABOVE = 150;

/**
 * Puts every box in its own cell of a grid (cells as large as the largest box), each at the
 * free cell nearest to where the layout put it, nearest-to-the-centre boxes first: no two
 * boxes overlap, and the picture keeps its shape. Deterministic.
 */
export function snapToGrid(nodes: readonly ForceNode[], positions: Record<string, { x: number; y: number }>, padding = 16): void {
  const placed = nodes.filter((n) => positions[n.id]);
  if (placed.length === 0) return;
  const cellW = Math.max(...placed.map((n) => n.width)) + padding;
  const cellH = Math.max(...placed.map((n) => n.height)) + padding;
  const cx = placed.reduce((a, n) => a + positions[n.id]!.x, 0) / placed.length;
  const cy = placed.reduce((a, n) => a + positions[n.id]!.y, 0) / placed.length;
  const order = placed
    .map((n, i) => ({ n, i, d: Math.hypot(positions[n.id]!.x - cx, positions[n.id]!.y - cy) }))
    .sort((a, b) => a.d - b.d || a.i - b.i);
  const taken = new Set<string>();
  for (const { n } of order) {
    const p = positions[n.id]!;
    const gx = Math.round((p.x - cx) / cellW);
    const gy = Math.round((p.y - cy) / cellH);
    let best: [number, number] | null = null;
    for (let ring = 0; best === null; ring += 1) {
      let bestDistance = Infinity;
      for (let dx = -ring; dx <= ring; dx += 1) {
        for (let dy = -ring; dy <= ring; dy += 1) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring || taken.has(`${gx + dx}:${gy + dy}`)) continue;
          const distance = Math.hypot(cx + (gx + dx) * cellW - p.x, cy + (gy + dy) * cellH - p.y);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = [gx + dx, gy + dy];
          }
        }
      }
    }
    taken.add(`${best[0]}:${best[1]}`);
    p.x = cx + best[0] * cellW;
    p.y = cy + best[1] * cellH;
  }
}

/** Places the nodes by fcose; edges to unknown nodes (or to themselves) are left out. */
export function forceLayout(nodes: readonly ForceNode[], edges: readonly ForceEdge[]): Record<string, { x: number; y: number }> {
  if (nodes.length === 0) return {};
  if (!registered) {
    cytoscape.use(fcose);
    registered = true;
  }
  const ids = new Set(nodes.map((n) => n.id));
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    // Without a preset layout a headless Cytoscape puts every node at (0, 0).
    layout: { name: 'preset' },
    style: [{ selector: 'node', style: { width: 'data(width)', height: 'data(height)', shape: 'rectangle' } }],
    elements: [
      ...nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, width: Math.max(1, n.width), height: Math.max(1, n.height) }, position: { x: n.x, y: n.y } })),
      ...edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target).map((e) => ({ group: 'edges' as const, data: { id: `e:${e.id}`, source: e.source, target: e.target } })),
    ],
  });
  const random = Math.random;
  Math.random = seededRandom(FORCE_SEED);
  try {
    const draft = nodes.length > DRAFT_ABOVE;
    const options = {
      name: 'fcose',
      // the spectral draft places a large network in ~0.1 s; the full simulation would take seconds
      quality: draft ? 'draft' : 'proof',
      randomize: draft,
      animate: false,
      fit: false,
      nodeDimensionsIncludeLabels: false,
      uniformNodeDimensions: false,
      idealEdgeLength: 150,
      nodeRepulsion: 60_000,
      nodeSeparation: 90,
      edgeElasticity: 0.45,
      gravity: 0.25,
      numIter: 2500,
      tile: true,
      tilingPaddingVertical: 30,
      tilingPaddingHorizontal: 30,
    } as cytoscape.LayoutOptions;
    cy.layout(options).run();
    const out: Record<string, { x: number; y: number }> = {};
    cy.nodes().forEach((node) => {
      const p = node.position();
      if (Number.isFinite(p.x) && Number.isFinite(p.y)) out[node.id()] = { x: p.x, y: p.y };
    });
    if (draft) {
      // the draft is compact: spread it over about twice the area of its boxes, then give each box a cell of its own
      const xs = Object.values(out);
      const mx = xs.reduce((a, p) => a + p.x, 0) / Math.max(1, xs.length);
      const my = xs.reduce((a, p) => a + p.y, 0) / Math.max(1, xs.length);
      const width = Math.max(1, Math.max(...xs.map((p) => p.x)) - Math.min(...xs.map((p) => p.x)));
      const height = Math.max(1, Math.max(...xs.map((p) => p.y)) - Math.min(...xs.map((p) => p.y)));
      const area = nodes.reduce((a, n) => a + (n.width + 16) * (n.height + 16), 0) * 2;
      const scale = Math.max(1, Math.sqrt(area / (width * height)));
      for (const p of xs) {
        p.x = mx + (p.x - mx) * scale;
        p.y = my + (p.y - my) * scale;
      }
      snapToGrid(nodes, out);
    }
    return out;
  } finally {
    Math.random = random;
    cy.destroy();
  }
}
