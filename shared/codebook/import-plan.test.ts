import { existsSync, readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { guidFromBytes } from '../model/ids.ts';
import type { Code, Stage } from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { codebookToCsv } from './csv.ts';
import {
  codebookFingerprint,
  describeImport,
  describePlan,
  planCodebookImport,
  readCodebookFile,
  type CodebookImportPlan,
  type ExistingCodebook,
  type PlanOptions,
  type ReadCodebookOptions,
} from './import-plan.ts';
import { codebookToQdc } from './qdc.ts';

const STUDY = 'aaaaaaaa-0000-4000-8000-000000000001';
const ANA = 'aaaaaaaa-0000-4000-8000-0000000000a1';
const T0 = '2025-01-02T03:04:05.000Z';
const NOW = '2026-03-01T12:00:00.000Z';
const PRE = 'aaaaaaaa-0000-4000-8000-0000000000f1';
const POST = 'aaaaaaaa-0000-4000-8000-0000000000f2';
const stages: Stage[] = [
  { id: PRE, studyId: STUDY, createdAt: T0, modifiedAt: T0, createdBy: null, name: 'Pre-training', description: '', order: 0 },
  { id: POST, studyId: STUDY, createdAt: T0, modifiedAt: T0, createdBy: null, name: 'Post-release', description: '', order: 1 },
];

const code = (id: string, name: string, extra: Partial<Code> = {}): Code => ({
  id,
  studyId: STUDY,
  createdAt: T0,
  modifiedAt: T0,
  createdBy: ANA,
  parentId: null,
  name,
  color: '#4e79a7',
  stageId: null,
  kind: 'other',
  mode: 'neutral',
  order: 0,
  shortDefinition: '',
  definition: '',
  useWhen: '',
  doNotUseWhen: '',
  examples: [],
  status: 'active',
  history: [],
  ...extra,
});

// The study's codebook: Access (Pre-training, challenge) > Compute, Data; Funding (cross-stage).
const ACCESS = 'eeeeeeee-0000-4000-8000-000000000001';
const COMPUTE = 'eeeeeeee-0000-4000-8000-000000000002';
const DATA = 'eeeeeeee-0000-4000-8000-000000000003';
const FUNDING = 'eeeeeeee-0000-4000-8000-000000000004';
const pre = { stageId: PRE, kind: 'challenge', mode: 'cathedral' } as const;
const existingCodes: Code[] = [
  code(ACCESS, 'Access', { ...pre, color: '#d62728', definition: 'Getting what it takes.', history: [{ at: T0, by: ANA, summary: 'Created' }] }),
  code(COMPUTE, 'Compute', { ...pre, parentId: ACCESS, order: 0, examples: [{ text: 'We rent GPUs.', typical: true, segmentId: 'aaaaaaaa-0000-4000-8000-0000000005e1' }] }),
  code(DATA, 'Data', { ...pre, parentId: ACCESS, order: 1 }),
  code(FUNDING, 'Funding', { order: 0 }),
];
const existing: ExistingCodebook = { stages, codes: existingCodes };

// Codes from a file: GUIDs the study does not know unless a test says so.
const F = (n: number) => `ffffffff-0000-4000-8000-${String(n).padStart(12, '0')}`;
const options = (extra: Partial<PlanOptions> = {}): PlanOptions => ({ mode: 'update', now: NOW, coderId: ANA, fileName: 'team.qdc', ...extra });
const ids = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const readOptions = (): ReadCodebookOptions => ({ studyId: STUDY, now: NOW, coderId: ANA, newId: ids() });

/** The codebook after a plan is written. */
const apply = (codes: readonly Code[], plan: CodebookImportPlan): Code[] => {
  const byId = new Map(codes.map((c) => [c.id, c]));
  for (const c of plan.put) byId.set(c.id, c);
  return [...byId.values()];
};
const bytes = (text: string) => new TextEncoder().encode(text);
const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));

describe('planCodebookImport: matching', () => {
  it('matches by GUID before name: a code the file renames stays matched to its GUID, and the name it asks for is refused beside its sibling', () => {
    const incoming = [code(ACCESS, 'Access', { ...pre, color: '#d62728', definition: 'Getting what it takes.' }), code(COMPUTE, 'data', { ...pre, parentId: ACCESS, examples: existingCodes[1]!.examples })];
    const plan = planCodebookImport(existing, incoming, options());
    expect(plan.matched.map((m) => [m.incoming.name, m.existing.id, m.by, m.differences])).toEqual([
      ['Access', ACCESS, 'guid', []],
      ['data', COMPUTE, 'guid', ['name']],
    ]);
    expect(plan.added).toEqual([]);
    expect(plan.notes).toEqual(['“Compute” keeps its name: a code named “data” is already under “Access”.']);
    expect(plan.put).toEqual([]);
    expect(plan.nothingToChange).toBe(true);
  });

  it('matches by the name path from the root, without case or surrounding space, and puts new codes under matched parents after their siblings', () => {
    const incoming = [
      code(F(1), ' access ', { color: '#d62728', definition: 'Getting what it takes.', ...pre }),
      code(F(2), 'COMPUTE', { ...pre, parentId: F(1), examples: [{ text: 'We rent GPUs.', typical: true, segmentId: null }] }),
      code(F(3), 'Storage', { ...pre, parentId: F(1), color: '#123456', definition: 'Disks.' }),
      code(F(4), 'Compute', { color: '#abcdef' }), // at the top level: not the Compute under Access
    ];
    const plan = planCodebookImport(existing, incoming, options({ mode: 'keep' }));
    expect(plan.matched.map((m) => [m.incoming.id, m.existing.id, m.by, m.differences, m.result, m.path])).toEqual([
      [F(1), ACCESS, 'name', ['name'], null, ['Access']],
      [F(2), COMPUTE, 'name', ['name'], null, ['Access', 'Compute']],
    ]);
    expect(plan.added).toEqual([
      {
        code: code(F(3), 'Storage', { ...pre, parentId: ACCESS, order: 2, color: '#123456', definition: 'Disks.', history: [{ at: NOW, by: ANA, summary: 'Imported from “team.qdc”' }] }),
        path: ['Access', 'Storage'],
        renamedFrom: null,
      },
      { code: code(F(4), 'Compute', { order: 1, color: '#abcdef', history: [{ at: NOW, by: ANA, summary: 'Imported from “team.qdc”' }] }), path: ['Compute'], renamedFrom: null },
    ]);
    expect(plan.put.map((c) => c.id)).toEqual([F(3), F(4)]);
    expect(plan.counts).toEqual({ inFile: 4, added: 2, matched: 2, byGuid: 0, byName: 2, differing: 2, updated: 0, moved: 0 });
    expect(describePlan(plan)).toBe('4 codes in “team.qdc”: 2 new codes will be added; 2 match existing codes (2 by name): 2 differ but are kept as they are.');
  });

  it('in update mode gives matched codes the file’s fields, keeping their id, order and segment links, with one history entry naming the fields', () => {
    const incoming = [
      code(F(1), 'Access', { ...pre, color: '#FF0000', definition: 'Everything it takes to build a model.', shortDefinition: 'Access to resources' }),
      code(F(2), 'Compute', { ...pre, parentId: F(1), examples: [{ text: 'We rent GPUs.', typical: true, segmentId: null }, { text: 'A friend lends us a cluster.', typical: false, segmentId: null }] }),
      code(F(3), 'Data', { ...pre, parentId: F(1) }),
    ];
    const plan = planCodebookImport(existing, incoming, options());
    expect(plan.put).toEqual([
      { ...existingCodes[0]!, color: '#ff0000', definition: 'Everything it takes to build a model.', shortDefinition: 'Access to resources', modifiedAt: NOW, history: [{ at: T0, by: ANA, summary: 'Created' }, { at: NOW, by: ANA, summary: 'Updated from “team.qdc”: definition, colour' }] },
      {
        ...existingCodes[1]!,
        examples: [
          { text: 'We rent GPUs.', typical: true, segmentId: 'aaaaaaaa-0000-4000-8000-0000000005e1' },
          { text: 'A friend lends us a cluster.', typical: false, segmentId: null },
        ],
        modifiedAt: NOW,
        history: [{ at: NOW, by: ANA, summary: 'Updated from “team.qdc”: examples' }],
      },
    ]);
    expect(plan.matched.map((m) => m.result?.id ?? null)).toEqual([ACCESS, COMPUTE, null]);
    expect(plan.counts).toMatchObject({ matched: 3, differing: 2, updated: 2, added: 0 });
    expect(describePlan(plan)).toBe('3 codes in “team.qdc”: 0 new codes will be added; 3 match existing codes (3 by name): 2 will be updated.');
    expect(describeImport(plan)).toBe('Imported the codebook “team.qdc”: 0 codes added, 2 updated, 1 already in the codebook left as it was.');

    const kept = planCodebookImport(existing, incoming, options({ mode: 'keep' }));
    expect(kept.put).toEqual([]);
    expect(kept.nothingToChange).toBe(true);
    expect(kept.matched.map((m) => m.differences)).toEqual([['definition', 'colour'], ['examples'], []]);
  });

  it('takes only the fields a file carries: a name match from another tool leaves stage, kind, mode and status alone', () => {
    const file = readCodebookFile(
      'nvivo.qdc',
      bytes('<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo"><Codes><Code guid="11111111-2222-4333-8444-555555555555" name="Access" isCodable="true"><Description>From NVivo.</Description><Code guid="11111111-2222-4333-8444-555555555556" name="Compute" isCodable="true"/></Code><Code guid="11111111-2222-4333-8444-555555555557" name="Funding" isCodable="true" color="#00FF00"/></Codes></CodeBook>'),
      stages,
      readOptions(),
    );
    expect(file.problems).toEqual([]);
    const plan = planCodebookImport(existing, file.codes, options({ carried: file.carried, fileName: 'nvivo.qdc' }));
    expect(plan.matched.map((m) => [m.existing.name, m.differences])).toEqual([
      ['Access', ['definition']],
      ['Compute', []],
      ['Funding', ['colour']],
    ]);
    expect(plan.put).toEqual([
      { ...existingCodes[0]!, definition: 'From NVivo.', modifiedAt: NOW, history: [...existingCodes[0]!.history, { at: NOW, by: ANA, summary: 'Updated from “nvivo.qdc”: definition' }] },
      { ...existingCodes[3]!, color: '#00ff00', modifiedAt: NOW, history: [{ at: NOW, by: ANA, summary: 'Updated from “nvivo.qdc”: colour' }] },
    ]);
    // without that knowledge every field counts (and the defaults would wipe the stage and kind)
    expect(planCodebookImport(existing, file.codes, options()).matched[0]!.differences).toEqual(['definition', 'colour', 'stage', 'kind', 'mode']);
  });

  it('takes only the columns a CSV has, and no colour from an empty colour cell', () => {
    const csv = 'name,color,definition\r\nAccess,,Only the definition changes.\r\nFunding,#00ff00,\r\n';
    const file = readCodebookFile('sheet.csv', bytes(csv), stages, readOptions());
    expect(file.problems).toEqual([]);
    const plan = planCodebookImport(existing, file.codes, options({ carried: file.carried, fileName: 'sheet.csv' }));
    expect(plan.matched.map((m) => [m.existing.name, m.differences])).toEqual([
      ['Access', ['definition']],
      ['Funding', ['colour']],
    ]);
  });
});

describe('planCodebookImport: the codebook’s rules', () => {
  it('gives a new code the next free numbered name when a sibling already has its name, and keeps updated codes from clashing', () => {
    const incoming = [
      code(COMPUTE, 'Compute', { ...pre, parentId: null, order: 5, examples: existingCodes[1]!.examples }), // moves Compute to the top level of Pre-training
      code(F(2), 'Access', { ...existingCodes[0]!, id: F(2) }),
      code(F(3), 'Funding', { stageId: null }),
    ];
    const withSibling = [...existingCodes, code(F(9), 'Funding (2)', { order: 1 })];
    const plan = planCodebookImport({ stages, codes: withSibling }, incoming, options());
    expect(plan.matched.map((m) => [m.existing.name, m.by, m.differences])).toEqual([
      ['Compute', 'guid', ['parent']],
      ['Access', 'name', []],
      ['Funding', 'name', []],
    ]);
    expect(plan.put).toEqual([{ ...existingCodes[1]!, parentId: null, order: 1, modifiedAt: NOW, history: [{ at: NOW, by: ANA, summary: 'Updated from “team.qdc”: parent' }] }]);

    const clash = planCodebookImport({ stages, codes: withSibling }, [code(F(1), 'funding', { stageId: null }), code(F(2), 'Funding', { stageId: null })], options({ mode: 'keep' }));
    expect(clash.matched.map((m) => m.incoming.id)).toEqual([F(1)]);
    expect(clash.added.map((a) => [a.code.name, a.renamedFrom])).toEqual([['Funding (3)', 'Funding']]);
    expect(clash.notes).toEqual(['“Funding” is added as “Funding (3)”: a code with that name is already at the top level of Cross-stage.']);

    // the same name in another stage is no clash at the top level
    const other = planCodebookImport(existing, [code(F(1), 'Access', { stageId: POST, kind: 'on-ramp' }), code(F(2), 'Access', { ...pre })], options());
    expect(other.matched.map((m) => [m.incoming.id, m.existing.id])).toEqual([[F(2), ACCESS]]);
    expect(other.added.map((a) => [a.code.name, a.code.stageId, a.code.order])).toEqual([['Access', POST, 0]]);
  });

  it('gives new sub-codes their parent’s stage and kind, and moves existing sub-codes with an updated parent', () => {
    const incoming = [code(ACCESS, 'Access', { stageId: POST, kind: 'on-ramp', mode: 'cathedral', color: '#d62728', definition: 'Getting what it takes.' }), code(F(2), 'Bandwidth', { parentId: ACCESS, stageId: PRE })];
    const plan = planCodebookImport(existing, incoming, options());
    const moved = { stageId: POST, kind: 'on-ramp' as const, modifiedAt: NOW };
    expect(plan.put).toEqual([
      { ...existingCodes[0]!, ...moved, order: 0, history: [...existingCodes[0]!.history, { at: NOW, by: ANA, summary: 'Updated from “team.qdc”: stage, kind' }] },
      code(F(2), 'Bandwidth', { parentId: ACCESS, stageId: POST, kind: 'on-ramp', order: 2, history: [{ at: NOW, by: ANA, summary: 'Imported from “team.qdc”' }] }),
      { ...existingCodes[1]!, ...moved, history: [{ at: NOW, by: ANA, summary: 'Moved to Post-release › On-ramp with “Access”' }] },
      { ...existingCodes[2]!, ...moved, history: [{ at: NOW, by: ANA, summary: 'Moved to Post-release › On-ramp with “Access”' }] },
    ]);
    expect(plan.notes).toEqual([
      '“Bandwidth” takes the stage and kind of “Access”, the code it is under (Post-release › On-ramp).',
      '“Compute” moves to Post-release › On-ramp with “Access”.',
      '“Data” moves to Post-release › On-ramp with “Access”.',
    ]);
    expect(plan.counts.moved).toBe(2);
  });

  it('gives a new code whose GUID another study holds a new id, and its children follow', () => {
    const incoming = [code(F(1), 'Openness'), code(F(2), 'Weights', { parentId: F(1) })];
    const plan = planCodebookImport(existing, incoming, options({ takenIds: new Set([F(1)]), newId: () => F(99) }));
    expect(plan.added.map((a) => [a.code.id, a.code.parentId, a.path])).toEqual([
      [F(99), null, ['Openness']],
      [F(2), F(99), ['Openness', 'Weights']],
    ]);
  });
});

describe('planCodebookImport: idempotence', () => {
  const rich: Code[] = [
    ...existingCodes.map((c, i) => (i === 0 ? { ...c, useWhen: 'When it is hard.', doNotUseWhen: 'Never "easy".', status: 'draft' as const, examples: [{ text: 'Atypical first', typical: false, segmentId: null }, { text: 'Typical', typical: true, segmentId: null }] } : c)),
    code(F(50), 'Spaces  inside', { stageId: POST, kind: 'on-ramp', color: '#ABCDEF' }),
  ];

  it('importing the study’s own .qdc export in update mode changes nothing', () => {
    const file = readCodebookFile('own.qdc', bytes(codebookToQdc(stages, rich, { origin: 'Cartography 0.1.0' })), stages, readOptions());
    expect(file.problems).toEqual([]);
    const plan = planCodebookImport({ stages, codes: rich }, file.codes, options({ carried: file.carried, fileName: 'own.qdc' }));
    expect(plan.matched.map((m) => [m.by, m.differences])).toEqual(rich.map(() => ['guid', []]));
    expect(plan.nothingToChange).toBe(true);
    expect(plan.put).toEqual([]);
    expect(describePlan(plan)).toBe('5 codes in “own.qdc”: 0 new codes will be added; 5 match existing codes (5 by GUID): all are the same.');
  });

  it('importing the study’s own CSV export in update mode changes nothing', () => {
    const file = readCodebookFile('own.csv', bytes(codebookToCsv(stages, rich)), stages, readOptions());
    expect(file.problems).toEqual([]);
    const plan = planCodebookImport({ stages, codes: rich }, file.codes, options({ carried: file.carried, fileName: 'own.csv' }));
    expect(plan.nothingToChange).toBe(true);
  });

  it('importing a file twice: the second time there is nothing to change (demo study, .qdc and CSV)', () => {
    const text = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
    let n = 0;
    const demo = readStudyFile(text, 'demo.cartography.json', { now: NOW, newId: () => guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? ++n % 256 : i === 14 ? Math.floor(n / 256) : 9))) });
    for (const [name, data] of [
      ['demo.qdc', codebookToQdc(demo.stages, demo.codes, { origin: 'Cartography' })],
      ['demo.csv', codebookToCsv(demo.stages, demo.codes)],
    ] as const) {
      const own = readCodebookFile(name, bytes(data), demo.stages, readOptions());
      expect(planCodebookImport(demo, own.codes, options({ carried: own.carried, fileName: name })).nothingToChange, name).toBe(true);
    }
    for (const name of ['nvivo-style.qdc', 'maxqda-style.qdc', 'taguette-style.qdc', 'atlas-style.qdc', 'quirks.qdc', 'demo-additions.qdc']) {
      const file = readCodebookFile(name, fixture(`refi/${name}`), demo.stages, readOptions());
      expect(file.problems, name).toEqual([]);
      const first = planCodebookImport(demo, file.codes, options({ carried: file.carried, fileName: name }));
      expect(first.nothingToChange, name).toBe(false);
      const after = { stages: demo.stages, codes: apply(demo.codes, first) };
      const again = planCodebookImport(after, file.codes, options({ carried: file.carried, fileName: name }));
      expect(again.put, name).toEqual([]);
      expect(again.counts.matched, name).toBe(file.codes.length);
    }
  });
});

describe('planCodebookImport: the demo additions fixture (the end-to-end test’s expectations)', () => {
  it('adds 4 codes and matches 3 by name, under the demo’s stages', () => {
    const text = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
    const demo = readStudyFile(text, 'demo.cartography.json', { now: NOW, newId: ids() });
    const file = readCodebookFile('demo-additions.qdc', fixture('refi/demo-additions.qdc'), demo.stages, readOptions());
    const plan = planCodebookImport(demo, file.codes, options({ carried: file.carried, fileName: 'demo-additions.qdc' }));
    expect(plan.added.map((a) => a.path.join(' > '))).toEqual(['Benchmarking > Leaderboards', 'Benchmarking > Evaluation harnesses', 'Hardware access', 'Hardware access > GPU grants']);
    expect(plan.matched.map((m) => [m.existing.name, m.by, m.differences])).toEqual([
      ['Benchmarking', 'name', []],
      ['Compute partnerships', 'name', ['name', 'colour']],
      ['Community feedback', 'name', ['definition', 'colour']],
    ]);
    const post = demo.stages.find((s) => s.name === 'Post-release')!.id;
    expect(plan.added.slice(0, 2).map((a) => [a.code.stageId, a.code.kind])).toEqual([
      [post, 'on-ramp'],
      [post, 'on-ramp'],
    ]);
    expect(describePlan(plan)).toBe('7 codes in “demo-additions.qdc”: 4 new codes will be added; 3 match existing codes (3 by name): 2 will be updated.');
    expect(describePlan(planCodebookImport(demo, file.codes, options({ carried: file.carried, fileName: 'demo-additions.qdc', mode: 'keep' })))).toBe(
      '7 codes in “demo-additions.qdc”: 4 new codes will be added; 3 match existing codes (3 by name): 2 differ but are kept as they are.',
    );
  });
});

describe('codebookFingerprint', () => {
  it('is the same for the same records in any order and differs when a field does', () => {
    expect(codebookFingerprint({ stages: [...stages].reverse(), codes: [...existingCodes].reverse() })).toBe(codebookFingerprint(existing));
    expect(codebookFingerprint({ stages, codes: existingCodes.map((c, i) => (i === 2 ? { ...c, color: '#000000' } : c)) })).not.toBe(codebookFingerprint(existing));
  });
});

describe('readCodebookFile', () => {
  const read = (path: string, name = path.split('/').pop()!) => readCodebookFile(name, fixture(path), stages, readOptions());
  const paths = (codes: readonly Code[]) => {
    const byId = new Map(codes.map((c) => [c.id, c]));
    return codes.map((c) => {
      const names = [c.name];
      for (let p = c.parentId === null ? undefined : byId.get(c.parentId); p; p = p.parentId === null ? undefined : byId.get(p.parentId)) names.unshift(p.name);
      return names.join(' > ');
    });
  };

  it('reads each tool’s .qdc style', () => {
    const nvivo = read('refi/nvivo-style.qdc');
    expect(paths(nvivo.codes)).toEqual(['Barriers to taking part', 'Barriers to taking part > Hardware costs', 'Barriers to taking part > Onboarding documentation', 'Benchmarking', 'Benchmarking > Leaderboards', 'Funding and institutional support']);
    expect(nvivo.codes[0]!.definition).toBe('Anything a participant describes as keeping people out of the project.\nIncludes money, time and skills.');
    expect([...nvivo.carried.get(nvivo.codes[0]!.id)!].sort()).toEqual(['color', 'definition', 'name', 'parentId']);
    expect([...nvivo.carried.get(nvivo.codes[2]!.id)!].sort()).toEqual(['name', 'parentId']);

    const maxqda = read('refi/maxqda-style.qdc');
    expect(paths(maxqda.codes)).toEqual(['Collaboration on-ramps', 'Collaboration on-ramps > Compute partnerships', 'Collaboration on-ramps > Shared evaluation suites', 'Community feedback', 'Memo-worthy']);
    expect(maxqda.codes.map((c) => c.id)).toContain('7c3a9e51-0d2b-4f6a-8e1c-3b5d7f9a1c02');
    expect(maxqda.warnings).toEqual([]);

    const taguette = read('refi/taguette-style.qdc');
    expect(paths(taguette.codes)).toEqual(['openness', 'openness > weights', 'openness > data', 'licensing', 'licensing > gated', 'Benchmarking']);
    expect(taguette.warnings).toEqual(['The code “licensing” was created to hold “licensing\\gated”.', '5 codes have no colour: they were given default colours.']);

    const atlas = read('refi/atlas-style.qdc');
    expect(paths(atlas.codes)).toEqual(['Licensing', 'Licensing > Gated licences exclude regions', 'Licensing > Permissive licences', 'Network firewalls']);
    expect(atlas.codes.map((c) => c.color)).toEqual(['#7f3f00', '#e377c2', '#2ca02c', '#4e79a7']);
    expect(atlas.warnings[0]).toBe('The file uses the namespace “urn:QDA-XML:codebook:1:0”: it was read as urn:QDA-XML:codebook:1.0.');
    expect([...atlas.carried.get(atlas.codes[3]!.id)!].sort()).toEqual(['name', 'parentId']); // “darkred” is no colour

    const quirks = read('refi/quirks.qdc');
    expect(quirks.problems).toEqual([]);
    expect(quirks.codes).toHaveLength(7);
  });

  it('refuses bad files with the file, the line or row, what is wrong and what to do', () => {
    expect(read('bad-input/malformed.qdc').problems).toEqual([
      {
        message: '“malformed.qdc” is not well-formed XML: the end tag </Codes> does not match the start tag <Code> (line 4, column 5) at line 7, column 3.',
        hint: 'The file may be damaged or cut short. Export the codebook again, or fix the XML at that place.',
        line: 7,
        row: null,
      },
    ]);
    expect(read('bad-input/duplicate-guids.qdc').problems).toEqual([
      {
        message: '“duplicate-guids.qdc”: Two codes have the GUID 4e2a9c71-8b3d-4f5e-a1c2-d3e4f5a6b701: “Access to compute” and “Access to people” (line 6).',
        hint: 'Each code needs its own GUID. Export the codebook again from the original program, or give one of them a new GUID.',
        line: 6,
        row: null,
      },
    ]);
    expect(read('bad-input/empty.qdc')).toMatchObject({
      codes: [],
      problems: [{ message: '“empty.qdc” is empty (0 bytes): there is no codebook in it.', line: null, row: null }],
    });
    expect(read('bad-input/missing-parent.codebook.csv')).toMatchObject({
      format: 'csv',
      codes: [],
      problems: [{ message: '“missing-parent.codebook.csv”, row 4: the parent "a3c1e5f7-2b4d-4e6f-8a1c-3e5f7a9b1c99" is not the id of any code in this file.', hint: 'Write the id of another row in the parent column, or leave it empty for a top-level code.', row: 4, line: null }],
    });
    const zip = readCodebookFile('project.qdpx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), stages, readOptions());
    expect(zip.problems[0]!.message).toBe('“project.qdpx” is a ZIP package (a REFI-QDA project, .qdpx, or an Excel workbook is one), not a codebook file.');
  });

  it('reads UTF-16 and Windows-1252 files, and tells a .qdc from a CSV by its content when the name does not', () => {
    const xml = '\uFEFF<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="11111111-2222-4333-8444-555555555555" name="Café" isCodable="true"/></Codes></CodeBook>';
    const utf16 = new Uint8Array([...xml].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]));
    expect(readCodebookFile('codebook.txt', utf16, stages, readOptions())).toMatchObject({ format: 'qdc', problems: [], codes: [{ name: 'Café' }] });
    const latin = Uint8Array.from([...'name\r\nCaf', 0xe9, ...'\r\n'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))));
    expect(readCodebookFile('codes.csv', latin, stages, readOptions())).toMatchObject({
      format: 'csv',
      codes: [{ name: 'Café' }],
      warnings: ['The file is not valid UTF-8: it was read as Windows-1252. Check accented letters in the preview.'],
    });
  });
});

// Real files from other tools (../shared/interop/refi/, see its README): read, planned into the demo study, and planned again as nothing to change.
const interop = new URL('../../../shared/interop/refi/', import.meta.url);
const present = existsSync(interop);
if (!present) console.warn(`Skipping the interop codebook tests: ${interop.pathname} is absent (CI has it beside the project).`);

/** The project document (.qde) of a REFI-QDA project (.qdpx, a ZIP file), read with node:zlib. */
function projectOf(zip: Buffer): Uint8Array {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end -= 1;
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i += 1) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    if (name.endsWith('.qde')) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return new Uint8Array(method === 8 ? inflateRawSync(data) : data);
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  throw new Error('no .qde in the project');
}

describe.skipIf(!present)('readCodebookFile and planCodebookImport on real files', () => {
  it.each([
    ['taguette-1.4.1.qdc', 3],
    ['nvivo-mac-12.7.qdpx', 152],
    ['maxqda-24.qdpx', 307],
  ])('%s: %i codes, all new to the demo study, then nothing to change', (name, count) => {
    const raw = readFileSync(new URL(name, interop));
    const file = name.endsWith('.qdpx') ? readCodebookFile(name.replace('.qdpx', '.qde'), projectOf(raw), stages, readOptions()) : readCodebookFile(name, new Uint8Array(raw), stages, readOptions());
    expect(file.problems).toEqual([]);
    expect(file.codes).toHaveLength(count);
    const plan = planCodebookImport(existing, file.codes, options({ carried: file.carried, fileName: name }));
    expect(plan.counts).toMatchObject({ added: count, matched: 0 });
    const again = planCodebookImport({ stages, codes: apply(existingCodes, plan) }, file.codes, options({ carried: file.carried, fileName: name }));
    expect(again.nothingToChange).toBe(true);
    expect(again.counts.byGuid).toBe(count);
  });
});
