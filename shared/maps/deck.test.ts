import { describe, expect, it } from 'vitest';
import type { CodeKind, CollaborationMode } from '../model/types.ts';
import {
  arrangeSlides,
  buildDeck,
  defaultSlides,
  describeMove,
  moveSlide,
  setSlideHidden,
  type DeckCode,
  type DeckSource,
  type NetworkSlide,
  type OverviewSlide,
  type StageCodesSlide,
  type StageMapSlide,
  type SummarySlide,
} from './deck.ts';

const T = '2026-01-01T00:00:00.000Z';

/** A text of exactly `length` characters. */
const textOf = (label: string, length: number) => `${label} ${'lorem ipsum '.repeat(40)}`.slice(0, length);

const code = (id: string, name: string, stageId: string, kind: CodeKind, mode: CollaborationMode, order: number, examples: DeckCode['examples'] = []): DeckCode => ({
  id,
  name,
  stageId,
  kind,
  mode,
  order,
  examples,
});

/**
 * Stages pre, rel. Cases Alpha (a: d1 "Interview with Jane Realname", participant P01 of
 * "Real Org Inc") and Beta (b: d2 "Interview P02", P02). Segments (document, characters):
 *
 *   pre challenges  ch2 Lock-in (4): s4 d1 20, s5 d2 60, s6 d1 45, s7 d2 400  → shortest in 40–300: s6
 *                   ch1 Secrecy (3): s1 d1, s2 d1, s3 d2; examples: atypical→s2, typical unlinked,
 *                                    typical→missing segment, typical→s3          → example: s3
 *                   ch3 Expertise, neutral (2): s8 d1 10, s9 d2 12               → first in reading order: s9 (d2 "Interview P02" first)
 *                   ch4 Copyright (1): s10 d1 — fourth, so not shown
 *                   ch5 Unused (0)
 *   pre on-ramps    or1 Open data (2): s11 d1 50, s12 d2 41, researcher picks s11 → pick
 *                   or2 Compute partners (1): s13 d1 50; researcher picks s1 (not coded with it) → problem, shortest s13
 *   rel             rf Feedback (on-ramp): s14 d1, s15 d2; rg Gated licences (challenge): s16 d2
 *
 * Positions: pre Alpha cathedral 6 (s1 s2 s4 s6 s8 s10), bazaar 2 (s11 s13) → −0.5;
 * pre Beta cathedral 4 (s3 s5 s7 s9), bazaar 1 (s12) → −0.6; rel Alpha +1; rel Beta 0.
 */
function source(): DeckSource {
  const lengths: Record<string, [string, number]> = {
    s1: ['d1', 70],
    s2: ['d1', 80],
    s3: ['d2', 90],
    s4: ['d1', 20],
    s5: ['d2', 60],
    s6: ['d1', 45],
    s7: ['d2', 400],
    s8: ['d1', 10],
    s9: ['d2', 12],
    s10: ['d1', 50],
    s11: ['d1', 50],
    s12: ['d2', 41],
    s13: ['d1', 50],
    s14: ['d1', 55],
    s15: ['d2', 65],
    s16: ['d2', 75],
  };
  const segments = Object.entries(lengths).map(([id, [documentId, length]], i) => ({ id, documentId, start: i * 1000, end: i * 1000 + length, text: textOf(id, length) }));
  const coded: [string, string][] = [
    ['s1', 'ch1'], ['s2', 'ch1'], ['s3', 'ch1'],
    ['s4', 'ch2'], ['s5', 'ch2'], ['s6', 'ch2'], ['s7', 'ch2'],
    ['s8', 'ch3'], ['s9', 'ch3'],
    ['s10', 'ch4'],
    ['s11', 'or1'], ['s12', 'or1'],
    ['s13', 'or2'],
    ['s14', 'rf'], ['s15', 'rf'], ['s16', 'rg'],
  ];
  const docOf = new Map(segments.map((s) => [s.id, s.documentId]));
  return {
    study: { name: 'Open LLM collaboration' },
    stages: [
      { id: 'rel', name: 'Post-release', order: 1 },
      { id: 'pre', name: 'Pre-training', order: 0 },
    ],
    codes: [
      code('ch1', 'Secrecy', 'pre', 'challenge', 'cathedral', 1, [
        { text: 'x', typical: false, segmentId: 's2' },
        { text: 'y', typical: true, segmentId: null },
        { text: 'z', typical: true, segmentId: 'gone' },
        { text: 'w', typical: true, segmentId: 's3' },
      ]),
      code('ch2', 'Lock-in', 'pre', 'challenge', 'cathedral', 2),
      code('ch3', 'Expertise', 'pre', 'challenge', 'neutral', 3),
      code('ch4', 'Copyright', 'pre', 'challenge', 'cathedral', 0),
      code('ch5', 'Unused', 'pre', 'challenge', 'cathedral', 5),
      code('or1', 'Open data', 'pre', 'on-ramp', 'bazaar', 1),
      code('or2', 'Compute partners', 'pre', 'on-ramp', 'bazaar', 2),
      code('rf', 'Feedback', 'rel', 'on-ramp', 'bazaar', 1),
      code('rg', 'Gated licences', 'rel', 'challenge', 'cathedral', 2),
    ],
    cases: [
      { id: 'b', name: 'Beta' },
      { id: 'a', name: 'Alpha' },
    ],
    participants: [
      { id: 'p1', pseudonym: 'P01', caseId: 'a', interviewDate: '2025-01-01' },
      { id: 'p2', pseudonym: 'P02', caseId: 'b', interviewDate: '2025-02-01' },
    ],
    documents: [
      { id: 'd1', title: 'Interview with Jane Realname', caseId: 'a', participantIds: ['p1'] },
      { id: 'd2', title: 'Interview P02', caseId: 'b', participantIds: ['p2'] },
    ],
    segments,
    codings: coded.map(([segmentId, codeId], i) => ({ id: `k${i}`, segmentId, codeId, coderId: 'r1', documentId: docOf.get(segmentId)!, createdAt: T })),
    actors: [
      { id: 'hub', name: 'Hub', type: 'organisation' },
      { id: 'forum', name: 'Forum', type: 'community' },
      { id: 'lab', name: 'Lab', type: 'project' },
      { id: 'alone', name: 'Alone', type: 'dataset' },
    ],
    ties: [
      { id: 't1', fromId: 'hub', toId: 'lab', type: 'compute-partnership', stageId: 'pre', evidenceSegmentIds: ['s1'] },
      { id: 't2', fromId: 'forum', toId: 'hub', type: 'community-feedback', stageId: 'rel', evidenceSegmentIds: ['s14', 's15'] },
    ],
  };
}

const SETTINGS = { quotes: { or1: 's11', or2: 's1' } };
const DEFAULT_IDS = ['overview', 'stage-map:pre', 'stage-codes:pre', 'stage-map:rel', 'stage-codes:rel', 'network', 'summary'];

describe('defaultSlides', () => {
  const { slides, problems } = defaultSlides(source(), SETTINGS);
  const slide = <S>(id: string) => slides.find((s) => s.id === id) as S;

  it('has the overview, a map and a codes slide per stage in lifecycle order, the network and the summary', () => {
    expect(slides.map((s) => s.id)).toEqual(DEFAULT_IDS);
    expect(slides.map((s) => s.kind)).toEqual(['overview', 'stage-map', 'stage-codes', 'stage-map', 'stage-codes', 'network', 'summary']);
    expect(slides.map((s) => s.title)).toEqual([
      'Open LLM collaboration',
      'Pre-training: cathedral or bazaar?',
      'Pre-training: challenges and on-ramps',
      'Post-release: cathedral or bazaar?',
      'Post-release: challenges and on-ramps',
      'Collaboration network',
      'Cathedral or bazaar across the lifecycle',
    ]);
  });

  it('sums up the study on the overview', () => {
    const overview = slide<OverviewSlide>('overview');
    expect(overview.body).toEqual({
      studyName: 'Open LLM collaboration',
      caseCount: 2,
      interviewCount: 2,
      participantCount: 2,
      stages: [
        { id: 'pre', name: 'Pre-training' },
        { id: 'rel', name: 'Post-release' },
      ],
    });
    expect(overview.notes.split('\n\n')[0]).toBe('Open LLM collaboration: 2 cases, 2 interviews, 2 lifecycle stages (Pre-training and Post-release).');
    expect(overview.notes).toContain('position = (bazaar − cathedral) ÷ (bazaar + cathedral)');
  });

  it('places the cases of a stage, most bazaar first, with the stage’s median', () => {
    const map = slide<StageMapSlide>('stage-map:pre');
    expect(map.body.cases.map((c) => [c.caseName, c.position, c.n, c.description])).toEqual([
      ['Alpha', -0.5, 8, '−0.50 (bazaar 2, cathedral 6; n = 8)'],
      ['Beta', -0.6, 5, '−0.60 (bazaar 1, cathedral 4; n = 5)'],
    ]);
    expect(map.body.summary.median).toBeCloseTo(-0.55, 12);
    expect(map.body).toMatchObject({ stageNumber: 1, stageCount: 2, summaryWords: 'leaning cathedral', noEvidence: [] });
    expect(map.notes).toContain('Pre-training (stage 1 of 2). 2 of 2 cases have a position.');
    expect(map.notes).toContain('Median −0.55 (leaning cathedral)');
    expect(map.notes).toContain('Most bazaar: Alpha (−0.50). Most cathedral: Beta (−0.60).');
  });

  it('shows the top three challenges and on-ramps by coded segments', () => {
    const codes = slide<StageCodesSlide>('stage-codes:pre');
    expect(codes.body.challenges.map((h) => [h.name, h.segments, h.cases])).toEqual([
      ['Lock-in', 4, 2],
      ['Secrecy', 3, 2],
      ['Expertise', 2, 2],
    ]);
    expect(codes.body.onRamps.map((h) => [h.name, h.segments, h.cases])).toEqual([
      ['Open data', 2, 2],
      ['Compute partners', 1, 1],
    ]);
  });

  it('chooses quotes by the rules: pick, typical linked example, shortest of 40–300 characters, first', () => {
    const codes = slide<StageCodesSlide>('stage-codes:pre');
    const quotes = Object.fromEntries([...codes.body.challenges, ...codes.body.onRamps].map((h) => [h.codeId, [h.quote?.segmentId, h.quote?.rule]]));
    expect(quotes).toEqual({
      ch2: ['s6', 'shortest'],
      ch1: ['s3', 'example'],
      ch3: ['s9', 'first'],
      or1: ['s11', 'pick'],
      or2: ['s13', 'shortest'],
    });
    expect(problems).toEqual(['The quote chosen for “Compute partners” is no longer coded with it; the default quote is shown.']);
  });

  it('attributes quotes to the case and the participant’s pseudonym, never another name', () => {
    const codes = slide<StageCodesSlide>('stage-codes:pre');
    const lockIn = codes.body.challenges[0]!.quote!;
    expect(lockIn).toEqual({ segmentId: 's6', text: textOf('s6', 45), caseId: 'a', caseName: 'Alpha', pseudonyms: ['P01'], attribution: 'P01 · Alpha', rule: 'shortest' });
    expect(codes.body.challenges[1]!.quote!.attribution).toBe('P02 · Beta');
    expect(codes.notes).toContain(`- Lock-in: 4 coded segments in 2 cases. “${textOf('s6', 45).trim()}” — P01 · Alpha`);
    const everything = JSON.stringify(slides);
    expect(everything).not.toContain('Jane');
    expect(everything).not.toContain('Realname');
    expect(everything).not.toContain('Real Org');
  });

  it('sums up the network', () => {
    const network = slide<NetworkSlide>('network');
    expect(network.body).toEqual({
      actorCount: 4,
      tieCount: 2,
      byStage: [
        { stageId: 'pre', stageName: 'Pre-training', ties: 1, evidence: 1 },
        { stageId: 'rel', stageName: 'Post-release', ties: 1, evidence: 2 },
      ],
      mostConnected: [
        { actorId: 'hub', name: 'Hub', ties: 2 },
        { actorId: 'lab', name: 'Lab', ties: 1 },
        { actorId: 'forum', name: 'Forum', ties: 1 },
      ],
      actorsWithoutTies: 1,
    });
    expect(network.notes).toBe(
      [
        'The collaboration network: 4 actors and 2 ties.',
        'By stage: Pre-training 1 tie (1 evidence segment); Post-release 1 tie (2 evidence segments).',
        'Most connected: Hub (2 ties), Lab (1 tie) and Forum (1 tie).',
        '1 actor has no ties yet.',
      ].join('\n\n'),
    );
  });

  it('ends with the medians per stage and the move from cathedral to bazaar in words', () => {
    const summary = slide<SummarySlide>('summary');
    expect(summary.body.stages.map((s) => [s.stageName, s.median === null ? null : Number(s.median.toFixed(4)), s.count, s.words])).toEqual([
      ['Pre-training', -0.55, 2, 'leaning cathedral'],
      ['Post-release', 0.5, 2, 'leaning bazaar'],
    ]);
    expect(summary.body.overall).toMatchObject({ fromStageId: 'pre', toStageId: 'rel', change: 1.05, direction: 'towards-bazaar' });
    expect(summary.body.steps).toHaveLength(1);
    expect(summary.notes).toBe(
      [
        'Pre-training: median −0.55 (leaning cathedral), 2 cases.\nPost-release: median 0.50 (leaning bazaar), 2 cases.',
        'Across the lifecycle: from cathedral towards bazaar. From Pre-training to Post-release the median moves towards the bazaar by 1.05: from −0.55 (leaning cathedral) to 0.50 (leaning bazaar).',
      ].join('\n\n'),
    );
  });

  it('takes overrides and filters into the maps and the counts', () => {
    const withOverride = defaultSlides(source(), {}, { overrides: [{ caseId: 'b', stageId: 'pre', value: 0.9, justification: 'Shares everything since 2025' }] });
    const map = withOverride.slides.find((s) => s.id === 'stage-map:pre') as StageMapSlide;
    expect(map.body.cases.map((c) => [c.caseName, c.position, c.computed, c.overridden])).toEqual([
      ['Beta', 0.9, -0.6, true],
      ['Alpha', -0.5, -0.5, false],
    ]);
    expect(map.notes).toContain('Set by the researcher: Beta at 0.90 — Shares everything since 2025.');

    const onlyAlpha = defaultSlides(source(), {}, { filters: { caseIds: ['a'] } });
    const codes = onlyAlpha.slides.find((s) => s.id === 'stage-codes:pre') as StageCodesSlide;
    // Secrecy and Lock-in 2 each (codebook order decides), then Copyright (order 0) before Expertise (order 3), 1 each.
    expect(codes.body.challenges.map((h) => [h.name, h.segments])).toEqual([
      ['Secrecy', 2],
      ['Lock-in', 2],
      ['Copyright', 1],
    ]);
    const relMap = onlyAlpha.slides.find((s) => s.id === 'stage-map:rel') as StageMapSlide;
    expect(relMap.body.noEvidence).toEqual([{ caseId: 'b', caseName: 'Beta' }]);
    expect(relMap.notes).toContain('No evidence: Beta.');
  });

  it('describes a stage without evidence and a study with fewer than two stages with evidence', () => {
    const s = source();
    const bare = defaultSlides({ ...s, codings: s.codings.filter((c) => c.codeId.startsWith('r')) });
    const pre = bare.slides.find((x) => x.id === 'stage-map:pre') as StageMapSlide;
    expect(pre.notes).toContain('No case has coded evidence in this stage yet.');
    expect((bare.slides.find((x) => x.id === 'stage-codes:pre') as StageCodesSlide).notes).toBe(
      'Top challenges in Pre-training: none coded in this stage.\n\nTop on-ramps in Pre-training: none coded in this stage.',
    );
    const summary = bare.slides.find((x) => x.id === 'summary') as SummarySlide;
    expect(summary.body.overall).toBeNull();
    expect(summary.notes).toContain('Pre-training: no evidence.');
    expect(summary.notes).toContain('Fewer than two stages have evidence');
  });

  it('is the same whatever the order of the records', () => {
    const s = source();
    const reversed: DeckSource = {
      ...s,
      stages: [...s.stages].reverse(),
      codes: [...s.codes].reverse(),
      cases: [...s.cases].reverse(),
      participants: [...s.participants].reverse(),
      documents: [...s.documents].reverse(),
      segments: [...s.segments].reverse(),
      codings: [...s.codings].reverse(),
      actors: [...s.actors].reverse(),
      ties: [...s.ties].reverse(),
    };
    expect(defaultSlides(reversed, SETTINGS).slides).toEqual(slides);
  });
});

describe('describeMove', () => {
  it('names the direction and the size of the move', () => {
    expect(describeMove('A', 'B', -0.5, 0.25)).toEqual({ change: 0.75, direction: 'towards-bazaar', text: 'From A to B the median moves towards the bazaar by 0.75: from −0.50 (leaning cathedral) to 0.25 (leaning bazaar).' });
    expect(describeMove('A', 'B', 0.5, 0)).toEqual({ change: -0.5, direction: 'towards-cathedral', text: 'From A to B the median moves towards the cathedral by 0.50: from 0.50 (leaning bazaar) to 0.00 (balanced).' });
    expect(describeMove('A', 'B', 0.3, 0.301)).toEqual({ change: 0, direction: 'unchanged', text: 'From A to B the median stays at 0.30 (leaning bazaar).' });
  });
});

describe('arranging slides', () => {
  const slides = DEFAULT_IDS.map((id) => ({ id }));
  const ids = (arranged: { slide: { id: string }; hidden: boolean }[]) => arranged.map((e) => e.slide.id);

  it('keeps the default order without settings', () => {
    expect(ids(arrangeSlides(slides))).toEqual(DEFAULT_IDS);
    expect(arrangeSlides(slides).every((e) => !e.hidden)).toBe(true);
  });

  it('follows the researcher’s order, ignores unknown ids and duplicates, and puts unlisted slides after their default predecessor', () => {
    expect(ids(arrangeSlides(slides, { order: ['summary', 'overview', 'unknown', 'stage-map:pre', 'summary'] }))).toEqual([
      'summary',
      'overview',
      'stage-map:pre',
      'stage-codes:pre',
      'stage-map:rel',
      'stage-codes:rel',
      'network',
    ]);
  });

  it('puts a new stage’s slides in their default place in a saved order', () => {
    const withNewStage = ['overview', 'stage-map:pre', 'stage-codes:pre', 'stage-map:post', 'stage-codes:post', 'stage-map:rel', 'stage-codes:rel', 'network', 'summary'].map((id) => ({ id }));
    const saved = ['network', 'overview', 'stage-map:pre', 'stage-codes:pre', 'stage-map:rel', 'stage-codes:rel', 'summary'];
    expect(ids(arrangeSlides(withNewStage, { order: saved }))).toEqual([
      'network',
      'overview',
      'stage-map:pre',
      'stage-codes:pre',
      'stage-map:post',
      'stage-codes:post',
      'stage-map:rel',
      'stage-codes:rel',
      'summary',
    ]);
    // A new first slide goes first.
    expect(ids(arrangeSlides([{ id: 'new' }, ...slides], { order: ['summary', ...DEFAULT_IDS.slice(0, -1)] }))[0]).toBe('new');
  });

  it('hides slides, ignoring ids no slide has', () => {
    const arranged = arrangeSlides(slides, { hidden: ['network', 'gone'] });
    expect(arranged.filter((e) => e.hidden).map((e) => e.slide.id)).toEqual(['network']);
    expect(ids(arranged)).toEqual(DEFAULT_IDS);
  });

  it('moves and hides slides through settings', () => {
    // Unlisted slides take their default places (before "summary"), then "network" moves first.
    const moved = moveSlide(slides, { order: ['gone', 'summary'] }, 'network', 0);
    expect(moved.order).toEqual(['network', 'overview', 'stage-map:pre', 'stage-codes:pre', 'stage-map:rel', 'stage-codes:rel', 'summary']);
    expect(moveSlide(slides, moved, 'overview', 99).order).toEqual(['network', 'stage-map:pre', 'stage-codes:pre', 'stage-map:rel', 'stage-codes:rel', 'summary', 'overview']);
    const hidden = setSlideHidden(slides, { hidden: ['gone', 'summary'] }, 'overview', true);
    expect(hidden.hidden).toEqual(['overview', 'summary']);
    expect(setSlideHidden(slides, hidden, 'summary', false).hidden).toEqual(['overview']);
  });
});

describe('buildDeck', () => {
  it('arranges the generated slides by the settings and lists the visible ones', () => {
    const order = ['summary', 'overview', 'stage-map:pre', 'stage-codes:pre', 'stage-map:rel', 'stage-codes:rel', 'network'];
    const deck = buildDeck(source(), { ...SETTINGS, order, hidden: ['network', 'stage-codes:rel'] });
    expect(deck.slides.map((e) => e.slide.id)).toEqual(['summary', 'overview', 'stage-map:pre', 'stage-codes:pre', 'stage-map:rel', 'stage-codes:rel', 'network']);
    expect(deck.visible.map((s) => s.id)).toEqual(['summary', 'overview', 'stage-map:pre', 'stage-codes:pre', 'stage-map:rel']);
    expect(deck.problems).toHaveLength(1);
    expect(deck.positions.summaries.map((s) => s.count)).toEqual([2, 2]);
  });
});
