import { describe, expect, it } from 'vitest';
import { networkToSvg } from '../../../shared/maps/network-layout.ts';
import type { MapSource } from '../../data/maps.ts';
import { forceLayout } from './network-force.ts';
import { filterTies, forceInputOf, lanesOf, layoutAt, mergePositions, networkInputOf, NO_FILTER, placeNodes, tieTypesOf } from './network-model.ts';

const stage = (id: string, order: number) => ({ id, name: `Stage ${id}`, order });
const actor = (id: string, type = 'organisation') => ({ id, name: `Actor ${id}`, type, caseId: null, description: '', studyId: 's', createdAt: '', modifiedAt: '', createdBy: null }) as MapSource['actors'][number];
const evidence = (segmentId: string) => ({ segmentId, documentId: 'd', documentTitle: 'Doc', caseId: null, start: 0, end: 1, text: 'x' });
const tie = (id: string, fromId: string, toId: string, type: string, stageId: string, segments: string[]) =>
  ({ id, fromId, toId, type, stageId, description: '', evidenceSegmentIds: segments, evidence: segments.map(evidence), studyId: 's', createdAt: '', modifiedAt: '', createdBy: null }) as MapSource['ties'][number];

const source = {
  stages: [stage('b', 2), stage('a', 1)],
  actors: [actor('x'), actor('y', 'dataset'), actor('z', 'community'), actor('lonely', 'project')],
  ties: [tie('t1', 'x', 'y', 'dataset-sharing', 'a', ['s1', 's2', 's2']), tie('t2', 'y', 'z', 'joint grant', 'b', ['s3']), tie('t3', 'z', 'x', 'benchmarking', 'b', ['s4'])],
} satisfies Pick<MapSource, 'stages' | 'actors' | 'ties'>;

describe('network filters', () => {
  it('lists tie types in TIE_TYPES order, own types after them', () => {
    expect(tieTypesOf(source.ties)).toEqual(['dataset-sharing', 'benchmarking', 'joint grant']);
  });

  it('shows every actor without a filter, and only those with a shown tie with one', () => {
    expect(networkInputOf(source, NO_FILTER).actors.map((a) => a.id)).toEqual(['x', 'y', 'z', 'lonely']);
    const byStage = networkInputOf(source, { stageId: 'a', hiddenTypes: new Set() });
    expect(byStage.stages.map((s) => s.id)).toEqual(['a']);
    expect(byStage.ties.map((t) => t.id)).toEqual(['t1']);
    expect(byStage.actors.map((a) => a.id).sort()).toEqual(['x', 'y']);
    const byType = networkInputOf(source, { stageId: null, hiddenTypes: new Set(['benchmarking', 'dataset-sharing']) });
    expect(byType.ties.map((t) => t.id)).toEqual(['t2']);
    expect(filterTies(source.ties, { stageId: 'b', hiddenTypes: new Set(['joint grant']) }).map((t) => t.id)).toEqual(['t3']);
  });

  it('counts distinct evidence that still exists for the line width', () => {
    const layout = lanesOf(source, NO_FILTER);
    expect(layout.edges.find((e) => e.id === 't1')!.evidence).toBe(2);
  });
});

describe('saved positions', () => {
  const layout = lanesOf(source, NO_FILTER);
  it('puts a dragged actor where it was saved, others where the layout (or the force layout) puts them', () => {
    const x = layout.nodes.find((n) => n.id === 'x')!;
    const y = layout.nodes.find((n) => n.id === 'y')!;
    const places = placeNodes(layout, { y: { x: 1, y: 2 } }, { x: { x: -50, y: 900 } });
    expect(places['x']).toEqual({ x: -50, y: 900 });
    expect(places['y']).toEqual({ x: 1, y: 2 });
    expect(places['z']).toEqual({ x: layout.nodes.find((n) => n.id === 'z')!.x, y: layout.nodes.find((n) => n.id === 'z')!.y });
    expect(placeNodes(layout, null, {})['y']).toEqual({ x: y.x, y: y.y });
    expect(x).toBeDefined();
  });

  it('merges moves into the saved positions and leaves out places that are not numbers', () => {
    expect(mergePositions({ a: { x: 1, y: 1 }, b: { x: 2, y: 2 } }, { b: { x: 5, y: 6 }, c: { x: Number.NaN, y: 0 } })).toEqual({ a: { x: 1, y: 1 }, b: { x: 5, y: 6 } });
  });

  it('draws the SVG at the places shown: nodes moved, ties between them, nothing off the image', () => {
    const moved = layoutAt(layout, { x: { x: -300, y: -200 } }, true);
    const x = moved.nodes.find((n) => n.id === 'x')!;
    expect(x.box.x).toBeGreaterThanOrEqual(0);
    expect(x.box.y).toBeGreaterThanOrEqual(0);
    expect(moved.width).toBeGreaterThanOrEqual(layout.width);
    const edge = moved.edges.find((e) => e.id === 't1')!;
    expect(Math.hypot(edge.x1 - x.x, edge.y1 - x.y)).toBeCloseTo(x.radius + 2, 5);
    for (const n of moved.nodes) {
      expect(n.box.x + n.box.width).toBeLessThanOrEqual(moved.width);
      expect(n.box.y + n.box.height).toBeLessThanOrEqual(moved.height);
    }
    const svg = networkToSvg(layoutAt(layout, {}, false), { title: 'Force', theme: 'light' });
    expect(svg).toContain('<svg');
    expect(svg).not.toContain('class="lanes">\n<rect');
    // Unmoved with lanes: the same geometry as the layout.
    const same = layoutAt(layout, {}, true);
    expect(same.nodes.map((n) => [n.x, n.y])).toEqual(layout.nodes.map((n) => [n.x, n.y]));
  });
});

describe('force-directed layout', () => {
  const layout = lanesOf(source, NO_FILTER);
  const input = forceInputOf(layout);
  it('places every node, the same way every time', () => {
    const first = forceLayout(input.nodes, input.edges);
    const second = forceLayout([...input.nodes].reverse(), input.edges);
    expect(Object.keys(first).sort()).toEqual(['lonely', 'x', 'y', 'z']);
    const again = forceLayout(input.nodes, input.edges);
    expect(again).toEqual(first);
    expect(Object.keys(second).sort()).toEqual(Object.keys(first).sort());
  });

  it('moves the nodes away from the lanes and keeps them apart', () => {
    const places = forceLayout(input.nodes, input.edges);
    const moved = layout.nodes.some((n) => Math.abs(places[n.id]!.x - n.x) > 1 || Math.abs(places[n.id]!.y - n.y) > 1);
    expect(moved).toBe(true);
    const ids = Object.keys(places);
    for (const a of ids) for (const b of ids) if (a < b) expect(Math.hypot(places[a]!.x - places[b]!.x, places[a]!.y - places[b]!.y)).toBeGreaterThan(20);
  });

  it('answers an empty network at once', () => {
    expect(forceLayout([], [])).toEqual({});
  });
});

describe('force layout of a large network', () => {
  it('places 300 actors and 1,000 ties with the spectral draft: every actor placed, no boxes overlapping, the same every time', async () => {
    const { forceLayout, seededRandom } = await import('./network-force.ts');
    const random = seededRandom(7);
    const nodes = Array.from({ length: 300 }, (_, i) => ({ id: `n${i}`, x: (i % 30) * 160, y: Math.floor(i / 100) * 200, width: 110, height: 34 }));
    const edges = Array.from({ length: 1000 }, (_, i) => ({ id: `e${i}`, source: `n${Math.floor(random() * 300)}`, target: `n${Math.floor(random() * 300)}` }));
    const first = forceLayout(nodes, edges);
    expect(Object.keys(first)).toHaveLength(300);
    expect(forceLayout(nodes, edges)).toEqual(first);
    let overlaps = 0;
    for (let i = 0; i < nodes.length; i += 1) {
      for (let j = i + 1; j < nodes.length; j += 1) {
        const a = first[nodes[i]!.id]!;
        const b = first[nodes[j]!.id]!;
        if (Math.abs(a.x - b.x) < 110 && Math.abs(a.y - b.y) < 34) overlaps += 1;
      }
    }
    expect(overlaps).toBe(0);
  });
});
