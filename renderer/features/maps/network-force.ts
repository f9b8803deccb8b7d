/**
 * The force-directed layout of the collaboration network (fcose over a headless Cytoscape),
 * run in a Web Worker (network-worker.ts) so the screen never waits for it. It starts from
 * the stage lanes' places (`randomize: false`) with a fixed seed for the few random choices
 * fcose makes, so the same network always gets the same picture.
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
    const options = {
      name: 'fcose',
      quality: 'proof',
      randomize: false,
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
    return out;
  } finally {
    Math.random = random;
    cy.destroy();
  }
}
