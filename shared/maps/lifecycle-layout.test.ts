import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_LAYOUT_DEFAULTS, lifecycleLayout, radiusOf, spreadVertically, yOfPosition, type LifecycleLayout, type LifecycleLayoutInput } from './lifecycle-layout.ts';

const position = (caseId: string, stageId: string, p: number | null, n: number, overridden = false) => ({
  caseId,
  stageId,
  position: p,
  n,
  override: overridden ? { value: p ?? 0, justification: 'why', memoId: null } : null,
});

const stages = [
  { id: 'rel', name: 'Post-release', order: 2 },
  { id: 'pre', name: 'Pre-training', order: 0 },
  { id: 'post', name: 'Post-training', order: 1 },
];

function input(): LifecycleLayoutInput {
  return {
    stages,
    cases: [
      { id: 'a', name: 'Alpha' },
      { id: 'b', name: 'Beta' },
      { id: 'c', name: 'Gamma' },
    ],
    positions: [
      position('a', 'pre', -1, 4),
      position('a', 'post', 0, 2),
      position('a', 'rel', 1, 16),
      position('b', 'pre', null, 0),
      position('b', 'post', 0.5, 1, true),
      position('b', 'rel', 0.5, 0, true),
      position('c', 'pre', 0.25, 8),
      position('c', 'post', null, 0),
      position('c', 'rel', -0.5, 4),
    ],
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
  a.x < b.x + b.width - 1e-6 && b.x < a.x + a.width - 1e-6 && a.y < b.y + b.height - 1e-6 && b.y < a.y + a.height - 1e-6;

function expectNoOverlap(layout: LifecycleLayout) {
  for (let i = 0; i < layout.nodes.length; i += 1)
    for (let j = i + 1; j < layout.nodes.length; j += 1) {
      const a = layout.nodes[i]!;
      const b = layout.nodes[j]!;
      if (overlaps(a.box, b.box)) throw new Error(`${a.id} overlaps ${b.id}`);
    }
}

describe('lifecycleLayout', () => {
  const layout = lifecycleLayout(input());
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!;

  it('has one column per stage in lifecycle order, nodes at their column’s centre', () => {
    expect(layout.columns.map((c) => c.stageId)).toEqual(['pre', 'post', 'rel']);
    const xs = layout.columns.map((c) => c.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    for (const n of layout.nodes) expect(n.x).toBe(layout.columns.find((c) => c.stageId === n.stageId)!.x);
    expect(layout.columns[0]!.left).toBe(LIFECYCLE_LAYOUT_DEFAULTS.gutter);
    expect(layout.columns[1]!.left).toBe(layout.columns[0]!.left + layout.columns[0]!.width);
  });

  it('maps +1 (bazaar) to the top and −1 (cathedral) to the bottom', () => {
    expect(layout.axis).toMatchObject({ topLabel: 'Bazaar', bottomLabel: 'Cathedral', top: layout.plotTop, bottom: layout.plotBottom });
    expect(layout.plotBottom - layout.plotTop).toBe(LIFECYCLE_LAYOUT_DEFAULTS.plotHeight);
    expect(node('a:rel').y).toBe(layout.plotTop);
    expect(node('a:pre').y).toBe(layout.plotBottom);
    expect(node('a:post').y).toBe(layout.plotTop + 180);
    expect(node('c:pre').y).toBe(layout.plotTop + 135);
    expect(yOfPosition(0.5, 10, 100)).toBe(35);
  });

  it('draws only pairs with a position, and flags overrides', () => {
    expect(layout.nodes.map((n) => n.id).sort()).toEqual(['a:post', 'a:pre', 'a:rel', 'b:post', 'b:rel', 'c:pre', 'c:rel']);
    expect(node('b:rel')).toMatchObject({ caseId: 'b', stageId: 'rel', position: 0.5, n: 0, overridden: true });
    expect(node('a:rel').overridden).toBe(false);
  });

  it('sizes nodes by the square root of n', () => {
    const { minRadius, maxRadius } = LIFECYCLE_LAYOUT_DEFAULTS;
    expect(node('a:rel').radius).toBe(maxRadius); // n 16 = max
    expect(node('a:pre').radius).toBe(minRadius + (maxRadius - minRadius) / 2); // n 4 = max / 4
    expect(node('b:rel').radius).toBe(minRadius); // n 0
    expect(radiusOf(9, 36, 2, 12)).toBe(7);
    expect(radiusOf(3, 0, 2, 12)).toBe(2);
  });

  it('joins each case’s nodes in stage order and says when a stage is passed over', () => {
    expect(layout.edges.map((e) => [e.id, e.skippedStages])).toEqual([
      ['a:pre->post', 0],
      ['a:post->rel', 0],
      ['b:post->rel', 0],
      ['c:pre->rel', 1],
    ]);
    const e = layout.edges[0]!;
    expect([e.x1, e.y1, e.x2, e.y2]).toEqual([node('a:pre').x, node('a:pre').y, node('a:post').x, node('a:post').y]);
  });

  it('gives each stage a median band', () => {
    // rel: −0.5, 0.5, 1 → median 0.5, q1 0, q3 0.75; pre: −1, 0.25 → median −0.375
    const rel = layout.bands.find((b) => b.stageId === 'rel')!;
    expect(rel).toMatchObject({ count: 3, median: 0.5, q1: 0, q3: 0.75 });
    expect(rel.medianY).toBe(yOfPosition(0.5, layout.plotTop, 360));
    expect(rel.q1Y).toBe(layout.plotTop + 180);
    expect(rel.q3Y).toBe(layout.plotTop + 45);
    expect(layout.bands.find((b) => b.stageId === 'pre')!.median).toBe(-0.375);
  });

  it('is deterministic: the same input, or the same input shuffled, gives the same layout', () => {
    expect(lifecycleLayout(input())).toEqual(layout);
    for (let seed = 1; seed <= 5; seed += 1) {
      const i = input();
      expect(lifecycleLayout({ stages: shuffled(i.stages, seed), cases: shuffled(i.cases, seed + 7), positions: shuffled(i.positions, seed + 13) })).toEqual(layout);
    }
  });

  it('nudges crowded nodes apart around where they belong, keeping their order', () => {
    const crowd = lifecycleLayout({
      stages: [{ id: 's', name: 'S', order: 0 }],
      cases: [
        { id: 'x', name: 'X' },
        { id: 'y', name: 'Y' },
        { id: 'z', name: 'Z' },
      ],
      positions: [position('y', 's', 0, 1), position('x', 's', 0, 1), position('z', 's', 0.001, 1)],
    });
    const ys = ['z', 'x', 'y'].map((c) => crowd.nodes.find((n) => n.caseId === c)!.y);
    expect(ys[0]).toBeLessThan(ys[1]!);
    expect(ys[1]).toBeLessThan(ys[2]!);
    // Equal boxes (n = max n: radius 18, 36 high; gap 3): 39 apart, centred on the mean wish
    // (z wants 0.18 px above the middle, x and y the middle).
    expect(ys[1]! - ys[0]!).toBeCloseTo(39, 9);
    expect(ys[2]! - ys[1]!).toBeCloseTo(39, 9);
    const middle = crowd.plotTop + 180;
    expect((ys[0]! + ys[1]! + ys[2]!) / 3).toBeCloseTo(middle - 0.06, 9);
    expectNoOverlap(crowd);
  });

  it('moves into sub-columns when a column cannot hold its nodes, and widens the column', () => {
    const cases = Array.from({ length: 30 }, (_, i) => ({ id: `k${String(i).padStart(2, '0')}`, name: `Case ${i}` }));
    const crowd = lifecycleLayout(
      { stages: [{ id: 's', name: 'S', order: 0 }], cases, positions: cases.map((c) => position(c.id, 's', 1, 5)) },
      { plotHeight: 120 },
    );
    const column = crowd.columns[0]!;
    expect(column.subColumns).toBeGreaterThan(1);
    expect(new Set(crowd.nodes.map((n) => n.subColumn)).size).toBe(column.subColumns);
    for (const n of crowd.nodes) {
      expect(n.y).toBeGreaterThanOrEqual(crowd.plotTop);
      expect(n.y).toBeLessThanOrEqual(crowd.plotBottom + 1e-9);
      expect(n.box.x).toBeGreaterThanOrEqual(column.left);
      expect(n.box.x + n.box.width).toBeLessThanOrEqual(column.left + column.width + 1e-9);
    }
    expectNoOverlap(crowd);
  });

  it('never overlaps boxes, keeps nodes in the plot and keeps their order (property)', () => {
    const arb = fc.record({
      stageCount: fc.integer({ min: 1, max: 4 }),
      cells: fc.array(
        fc.record({
          caseIndex: fc.integer({ min: 0, max: 39 }),
          stageIndex: fc.integer({ min: 0, max: 3 }),
          position: fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: null }),
          n: fc.integer({ min: 0, max: 60 }),
        }),
        { maxLength: 120 },
      ),
      plotHeight: fc.integer({ min: 60, max: 500 }),
      names: fc.array(fc.string({ maxLength: 30 }), { minLength: 40, maxLength: 40 }),
    });
    fc.assert(
      fc.property(arb, ({ stageCount, cells, plotHeight, names }) => {
        const st = Array.from({ length: stageCount }, (_, i) => ({ id: `s${i}`, name: `Stage ${i}`, order: i }));
        const cs = names.map((name, i) => ({ id: `c${i}`, name }));
        // One entry per (case, stage), as computePositions gives.
        const seen = new Set<string>();
        const positions = cells
          .filter((c) => c.stageIndex < stageCount && !seen.has(`${c.caseIndex}/${c.stageIndex}`) && seen.add(`${c.caseIndex}/${c.stageIndex}`))
          .map((c) => position(`c${c.caseIndex}`, `s${c.stageIndex}`, c.position, c.n));
        const out = lifecycleLayout({ stages: st, cases: cs, positions }, { plotHeight });
        expectNoOverlap(out);
        expect(out.columns.map((c) => c.stageId)).toEqual(st.map((s) => s.id));
        for (const n of out.nodes) {
          expect(n.y).toBeGreaterThanOrEqual(out.plotTop - 1e-6);
          expect(n.y).toBeLessThanOrEqual(out.plotBottom + 1e-6);
          const column = out.columns.find((c) => c.stageId === n.stageId)!;
          expect(n.box.x).toBeGreaterThanOrEqual(column.left - 1e-6);
          expect(n.box.x + n.box.width).toBeLessThanOrEqual(column.left + column.width + 1e-6);
        }
        // Within a sub-column, higher positions stay above lower ones.
        const groups = new Map<string, typeof out.nodes>();
        for (const n of out.nodes) groups.set(`${n.stageId}/${n.subColumn}`, [...(groups.get(`${n.stageId}/${n.subColumn}`) ?? []), n]);
        for (const group of groups.values()) {
          const byY = [...group].sort((a, b) => a.y - b.y);
          for (let i = 1; i < byY.length; i += 1) expect(byY[i]!.position).toBeLessThanOrEqual(byY[i - 1]!.position);
        }
        // Shuffled input, same layout.
        expect(lifecycleLayout({ stages: [...st].reverse(), cases: [...cs].reverse(), positions: [...positions].reverse() }, { plotHeight })).toEqual(out);
      }),
      { numRuns: 150 },
    );
  });
});

describe('spreadVertically', () => {
  it('leaves separate boxes where they are, centres a crowded run, clamps to the bounds and refuses what cannot fit', () => {
    expect(spreadVertically([{ desired: 10, height: 10 }, { desired: 50, height: 10 }], 0, 100, 0)).toEqual([10, 50]);
    expect(spreadVertically([{ desired: 50, height: 10 }, { desired: 50, height: 10 }], 0, 100, 2)).toEqual([44, 56]);
    expect(spreadVertically([{ desired: 0, height: 10 }, { desired: 0, height: 10 }], 0, 100, 0)).toEqual([0, 10]);
    expect(spreadVertically([{ desired: 100, height: 10 }, { desired: 100, height: 20 }], 0, 100, 0)).toEqual([85, 100]);
    expect(spreadVertically([{ desired: 0, height: 60 }, { desired: 0, height: 60 }], 0, 50, 0)).toBeNull();
    expect(spreadVertically([], 0, 1, 0)).toEqual([]);
  });
});
