import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NETWORK_LAYOUT_DEFAULTS, NO_TIES_LANE, networkLayout, tieWidth, type NetworkInput, type NetworkLayout } from './network-layout.ts';

const stages = [
  { id: 'rel', name: 'Post-release', order: 2 },
  { id: 'pre', name: 'Pre-training', order: 0 },
  { id: 'post', name: 'Post-training', order: 1 },
];

const tie = (id: string, fromId: string, toId: string, stageId: string, evidence: string[] = [], type = 'dataset-sharing') => ({ id, fromId, toId, type, stageId, evidenceSegmentIds: evidence });

/**
 * hub: 1 tie in pre, 2 in post → post lane. lab: 1 pre, 1 post → pre (tie goes to the earlier stage).
 * data: 1 pre. fork1, fork2: post. lonely: no ties → last lane. zed (community) in post by 1 rel? no: rel.
 */
function input(): NetworkInput {
  return {
    stages,
    actors: [
      { id: 'hub', name: 'Hub', type: 'organisation' },
      { id: 'lab', name: 'Lab <&>', type: 'organisation' },
      { id: 'data', name: 'Corpus', type: 'dataset' },
      { id: 'fork2', name: 'Fork B', type: 'derivative' },
      { id: 'fork1', name: 'Fork A', type: 'derivative' },
      { id: 'zed', name: 'Zed forum', type: 'community' },
      { id: 'lonely', name: 'Lonely', type: 'project' },
      { id: 'odd', name: 'Odd', type: 'own-type' },
    ],
    ties: [
      tie('t1', 'lab', 'hub', 'pre', ['e1', 'e2', 'e2']),
      tie('t2', 'data', 'lab', 'pre', ['e3']),
      tie('t3', 'hub', 'fork1', 'post', ['e4', 'e5', 'e6', 'e7']),
      tie('t4', 'hub', 'fork2', 'post'),
      tie('t5', 'lab', 'hub', 'post', ['e8'], 'weights-shared-with-partners'),
      tie('t6', 'zed', 'odd', 'rel', ['e9'], 'community-feedback'),
      tie('bad-actor', 'hub', 'nobody', 'pre'),
      tie('bad-stage', 'hub', 'lab', 'nowhere'),
      tie('self', 'hub', 'hub', 'pre'),
    ],
  };
}

const overlaps = (a: NetworkLayout['nodes'][number]['box'], b: NetworkLayout['nodes'][number]['box']) =>
  a.x < b.x + b.width - 1e-6 && b.x < a.x + a.width - 1e-6 && a.y < b.y + b.height - 1e-6 && b.y < a.y + a.height - 1e-6;

function expectNoOverlap(layout: NetworkLayout) {
  for (let i = 0; i < layout.nodes.length; i += 1)
    for (let j = i + 1; j < layout.nodes.length; j += 1) if (overlaps(layout.nodes[i]!.box, layout.nodes[j]!.box)) throw new Error(`${layout.nodes[i]!.id} overlaps ${layout.nodes[j]!.id}`);
}

describe('networkLayout', () => {
  const layout = networkLayout(input());
  const lane = (id: string) => layout.nodes.find((n) => n.id === id)!.laneId;
  const inLane = (laneId: string) => layout.nodes.filter((n) => n.laneId === laneId).sort((a, b) => a.x - b.x).map((n) => n.id);

  it('has one lane per stage in lifecycle order, then one for actors without ties', () => {
    expect(layout.lanes.map((l) => l.id)).toEqual(['pre', 'post', 'rel', NO_TIES_LANE]);
    expect(layout.lanes.map((l) => l.name)).toEqual(['Pre-training', 'Post-training', 'Post-release', 'No ties']);
    const tops = layout.lanes.map((l) => l.top);
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
  });

  it('puts each actor in the stage where it has most ties, the earlier stage on a tie', () => {
    expect(lane('hub')).toBe('post');
    expect(lane('lab')).toBe('pre');
    expect(lane('data')).toBe('pre');
    expect(lane('fork1')).toBe('post');
    expect(lane('zed')).toBe('rel');
    expect(lane('lonely')).toBe(NO_TIES_LANE);
    expect(layout.nodes.find((n) => n.id === 'hub')!.tieCount).toBe(4);
  });

  it('orders a lane by type, then name, and spreads it evenly', () => {
    expect(inLane('pre')).toEqual(['lab', 'data']);
    expect(inLane('post')).toEqual(['hub', 'fork1', 'fork2']);
    expect(inLane('rel')).toEqual(['zed', 'odd']);
    const post = layout.nodes.filter((n) => n.laneId === 'post').sort((a, b) => a.x - b.x);
    const width = layout.laneRight - layout.laneLeft;
    expect(post.map((n) => n.x)).toEqual([1, 3, 5].map((k) => layout.laneLeft + (k * width) / 6));
    for (const n of post) expect(n.y).toBe(layout.lanes[1]!.y);
  });

  it('drops ties with unknown actors or stages and ties to oneself', () => {
    expect(layout.ignoredTieIds).toEqual(['bad-stage', 'bad-actor', 'self']);
    expect(layout.edges.map((e) => e.id)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
  });

  it('widens ties with their distinct evidence', () => {
    expect([0, 1, 4, 9, 16, 100].map(tieWidth)).toEqual([1, 2.5, 4, 5.5, 7, 8]);
    expect(tieWidth(Number.NaN)).toBe(1);
    const byId = new Map(layout.edges.map((e) => [e.id, e]));
    expect(byId.get('t1')).toMatchObject({ evidence: 2, width: 1 + 1.5 * Math.SQRT2 });
    expect(byId.get('t3')).toMatchObject({ evidence: 4, width: 4 });
    expect(byId.get('t4')).toMatchObject({ evidence: 0, width: 1 });
  });

  it('bends parallel ties apart and arcs ties within a lane above it', () => {
    const byId = new Map(layout.edges.map((e) => [e.id, e]));
    const t1 = byId.get('t1')!;
    const t5 = byId.get('t5')!;
    expect([t1.cx, t1.cy]).not.toEqual([t5.cx, t5.cy]);
    const t3 = byId.get('t3')!; // hub → fork1, same lane
    expect(t3.cy).toBeLessThan(layout.lanes[1]!.y);
    const t2 = byId.get('t2')!; // data → lab, same lane (pre)
    expect(t2.cy).toBeLessThan(layout.lanes[0]!.y);
  });

  it('is deterministic whatever the input order', () => {
    const i = input();
    expect(networkLayout({ stages: [...i.stages].reverse(), actors: [...i.actors].reverse(), ties: [...i.ties].reverse() })).toEqual(layout);
  });

  it('has no lane for actors without ties when every actor has one', () => {
    const i = input();
    const l = networkLayout({ ...i, actors: i.actors.filter((a) => a.id !== 'lonely') });
    expect(l.lanes.map((x) => x.id)).toEqual(['pre', 'post', 'rel']);
  });

  it('never overlaps node boxes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.string({ maxLength: 40 }), type: fc.constantFrom('organisation', 'project', 'dataset', 'community', 'other') }), { maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(39), fc.nat(39), fc.constantFrom('pre', 'post', 'rel'), fc.nat(12)), { maxLength: 80 }),
        (actors, ties) => {
          const inputActors = actors.map((a, i) => ({ id: `a${i}`, ...a }));
          const out = networkLayout({
            stages,
            actors: inputActors,
            ties: ties.map(([f, t, s, e], i) => tie(`t${i}`, `a${f}`, `a${t}`, s, Array.from({ length: e }, (_, k) => `e${k}`))),
          });
          expect(out.nodes).toHaveLength(inputActors.length);
          expectNoOverlap(out);
          for (const n of out.nodes) {
            expect(n.box.x).toBeGreaterThanOrEqual(out.laneLeft - 1e-6);
            expect(n.box.x + n.box.width).toBeLessThanOrEqual(out.laneRight + 1e-6);
            const l = out.lanes.find((x) => x.id === n.laneId)!;
            expect(n.box.y).toBeGreaterThanOrEqual(l.top);
            expect(n.box.y + n.box.height).toBeLessThanOrEqual(l.top + l.height);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps lanes at least the default height', () => {
    expect(layout.lanes.every((l) => l.height === NETWORK_LAYOUT_DEFAULTS.laneHeight)).toBe(true);
  });
});
