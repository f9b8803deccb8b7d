import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guidFromBytes } from '../model/ids.ts';
import { CODE_KINDS, CODE_STATUSES, COLLABORATION_MODES, type Code, type Stage } from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { CODEBOOK_CSV_COLUMNS, codebookFromCsv, codebookToCsv, type CodebookCsvOptions } from './csv.ts';

const STUDY = 'aaaaaaaa-0000-4000-8000-000000000001';
const ANA = 'aaaaaaaa-0000-4000-8000-0000000000a1';
const NOW = '2026-03-01T12:00:00.000Z';
const t = { studyId: STUDY, createdAt: '2025-01-02T03:04:05.000Z', modifiedAt: '2025-02-03T04:05:06.789Z' };

const stages: Stage[] = [
  { ...t, createdBy: null, id: 'aaaaaaaa-0000-4000-8000-0000000000f1', name: 'Pre-training', description: '', order: 0 },
  { ...t, createdBy: null, id: 'aaaaaaaa-0000-4000-8000-0000000000f2', name: 'Post-release', description: '', order: 1 },
];
const blank = { ...t, createdBy: ANA, color: '#4e79a7', kind: 'challenge', mode: 'cathedral', status: 'active', shortDefinition: '', definition: '', useWhen: '', doNotUseWhen: '', examples: [], history: [] } satisfies Partial<Code>;
const DATA = 'aaaaaaaa-0000-4000-8000-000000000c01';
const LICENCES = 'aaaaaaaa-0000-4000-8000-000000000c02';
const FUNDING = 'aaaaaaaa-0000-4000-8000-000000000c03';
const SEGMENT = 'aaaaaaaa-0000-4000-8000-0000000005e1';
/** A nested code, a cross-stage code, quotes, commas, line breaks, non-ASCII, an emoji, a formula, examples of both kinds (one linked, one that looks linked) and a history. */
const codes: Code[] = [
  {
    ...blank,
    id: DATA,
    parentId: null,
    stageId: stages[0]!.id,
    name: 'Data access',
    order: 0,
    shortDefinition: 'Getting data, "legally", at scale',
    definition: 'Line one\nLine two, with a comma',
    useWhen: 'Données — 数据 🚀',
    doNotUseWhen: '*secret* <script>',
    examples: [
      { text: '"We scraped it," she said.', typical: true, segmentId: SEGMENT },
      { text: 'Second example', typical: true, segmentId: null },
      { text: 'Borderline [segment:none]', typical: false, segmentId: null },
    ],
    history: [
      { at: '2025-01-05T00:00:00.000Z', by: ANA, summary: 'Created' },
      { at: '2025-02-03T04:05:06.789Z', by: null, summary: 'Imported from "pilot.qdc"' },
    ],
  },
  { ...blank, id: LICENCES, parentId: DATA, stageId: stages[0]!.id, name: 'Licences', order: 1, color: '#e15759', mode: 'bazaar', status: 'draft', examples: [{ text: '=SUM(A1)', typical: true, segmentId: null }] },
  { ...blank, id: FUNDING, parentId: null, stageId: null, name: 'Funding', kind: 'on-ramp', mode: 'neutral', order: 2, createdBy: null, status: 'retired' },
];

const HEADER = 'id,parent,path,name,color,stage,kind,mode,status,order,shortDefinition,definition,useWhen,doNotUseWhen,typicalExamples,atypicalExamples,createdAt,modifiedAt,createdBy,history';
const STAMPS = '2025-01-02T03:04:05.000Z,2025-02-03T04:05:06.789Z';
const EXPECTED_CSV = [
  HEADER,
  `${DATA},,Data access,Data access,#4e79a7,Pre-training,challenge,cathedral,active,0,"Getting data, ""legally"", at scale","Line one\nLine two, with a comma",Données — 数据 🚀,*secret* <script>,"""We scraped it,"" she said. [segment:${SEGMENT}]\nSecond example",Borderline [segment:none] [segment:none],${STAMPS},${ANA},"2025-01-05T00:00:00.000Z ${ANA} Created\n2025-02-03T04:05:06.789Z - Imported from ""pilot.qdc"""`,
  `${LICENCES},${DATA},Data access > Licences,Licences,#e15759,Pre-training,challenge,bazaar,draft,1,,,,,'=SUM(A1),,${STAMPS},${ANA},`,
  `${FUNDING},,Funding,Funding,#4e79a7,,on-ramp,neutral,retired,2,,,,,,,${STAMPS},,`,
].join('\r\n');

function options(): CodebookCsvOptions {
  let n = 0;
  return { newId: () => guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? ++n : 0))), now: NOW, studyId: STUDY, coderId: ANA };
}
const NEW_1 = '00000000-0000-4000-8000-000000000001';
const NEW_2 = '00000000-0000-4000-8000-000000000002';

const read = (text: string) => codebookFromCsv(text, stages, options());
const problemsOf = (text: string) => {
  const result = read(text);
  expect(result.codes).toEqual([]);
  return result.problems;
};
/** A data row with the given cells, in the exported column order. */
const row = (cells: Partial<Record<(typeof CODEBOOK_CSV_COLUMNS)[number], string>>) => CODEBOOK_CSV_COLUMNS.map((c) => cells[c] ?? (c === 'name' ? 'A code' : '')).join(',');
const A = 'bbbbbbbb-0000-4000-8000-00000000000a';
const B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const C = 'bbbbbbbb-0000-4000-8000-00000000000c';

describe('codebookToCsv', () => {
  it('writes a header and one row per code with every field, quoted where needed, CRLF between rows', () => {
    expect(codebookToCsv(stages, codes)).toBe(EXPECTED_CSV);
  });

  it('puts parents before their children and siblings by order, whatever order the codes come in', () => {
    const child = { ...codes[1]!, order: 0 };
    const parent = { ...codes[0]!, order: 5 };
    const lines = codebookToCsv(stages, [child, codes[2]!, parent]).split('\r\n');
    expect(lines.map((l) => l.slice(0, 36))).toEqual(['id,parent,path,name,color,stage,kind', FUNDING, DATA, LICENCES]);
  });

  it('guards cells a spreadsheet would run as a formula with an apostrophe, and reads them back unchanged', () => {
    const tricky = ['=1+1', '+49 30', '-minus', '@user', "'=quoted", "'plain"];
    const csv = codebookToCsv(stages, tricky.map((name, order) => ({ ...codes[2]!, id: `cccccccc-0000-4000-8000-00000000000${order}`, name, order })));
    expect(csv.split('\r\n').slice(1).map((l) => l.split(',')[3])).toEqual(["'=1+1", "'+49 30", "'-minus", "'@user", "''=quoted", "'plain"]);
    expect(read(csv).codes.map((c) => c.name)).toEqual(tricky);
  });
});

describe('codebookFromCsv', () => {
  it('reads its own CSV back exactly: ids, order, every field and timestamps', () => {
    expect(read(EXPECTED_CSV)).toEqual({ codes, problems: [] });
  });

  it('reads the CSV back exactly with a byte-order mark, with LF line endings, and with CRLF inside cells too', () => {
    expect(read(`\uFEFF${EXPECTED_CSV}\r\n`).codes).toEqual(codes);
    expect(read(EXPECTED_CSV.replace(/\r\n/g, '\n')).codes).toEqual(codes);
    expect(read(EXPECTED_CSV.replace(/\r?\n/g, '\r\n')).codes).toEqual(codes);
  });

  it('round-trips the demo study codebook (27 codes over 3 stages)', () => {
    const text = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
    let n = 0;
    const demo = readStudyFile(text, 'demo-study.cartography.json', { now: NOW, newId: () => guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? ++n % 256 : i === 14 ? Math.floor(n / 256) : 9))) });
    expect(demo.codes).toHaveLength(27);
    const back = codebookFromCsv(codebookToCsv(demo.stages, demo.codes), demo.stages, { ...options(), studyId: demo.study.id });
    expect(back).toEqual({ codes: demo.codes, problems: [] });
  });

  it('maps columns by header name without case or spacing, ignores extra columns and fills in missing ones', () => {
    const text = ['Name,Short Definition,STAGE,Colour,Notes,Path', 'Access,"Getting data",pre-training,#ABCDEF,ignored,Access', 'Licences,,,,,Access > Licences'].join('\n');
    expect(read(text)).toEqual({
      problems: [],
      codes: [
        { id: NEW_1, studyId: STUDY, createdAt: NOW, modifiedAt: NOW, createdBy: ANA, parentId: null, name: 'Access', color: '#abcdef', stageId: stages[0]!.id, kind: 'other', mode: 'neutral', order: 0, shortDefinition: 'Getting data', definition: '', useWhen: '', doNotUseWhen: '', examples: [], status: 'active', history: [] },
        { id: NEW_2, studyId: STUDY, createdAt: NOW, modifiedAt: NOW, createdBy: ANA, parentId: NEW_1, name: 'Licences', color: '#f28e2b', stageId: null, kind: 'other', mode: 'neutral', order: 1, shortDefinition: '', definition: '', useWhen: '', doNotUseWhen: '', examples: [], status: 'active', history: [] },
      ],
    });
  });

  it('keeps upper-case GUIDs in lower case, accepts kind labels, and returns codes by their order column', () => {
    const text = [HEADER, row({ id: B.toUpperCase(), parent: A.toUpperCase(), name: 'Child', kind: 'On-ramp', order: '0' }), row({ id: A, name: 'Parent', kind: 'Descriptive / other', order: '1' })].join('\n');
    expect(read(text).codes.map((c) => [c.id, c.parentId, c.name, c.kind, c.order])).toEqual([
      [B, A, 'Child', 'on-ramp', 0],
      [A, null, 'Parent', 'other', 1],
    ]);
  });

  it('reports a stage the study does not have, naming it and listing the study stages', () => {
    expect(problemsOf([HEADER, row({ id: A }), row({ id: B, stage: 'Deployment' })].join('\n'))).toEqual([
      {
        row: 3,
        message: 'Row 3: the stage "Deployment" is not one of this study\'s stages (Pre-training, Post-release).',
        hint: 'Write one of these stage names in the stage column, or leave it empty for a cross-stage code. Or add the stage to the study first.',
      },
    ]);
  });

  it('reports kinds, modes, statuses, colours and orders that are not allowed', () => {
    expect(problemsOf([HEADER, row({ kind: 'problem', mode: 'market', status: 'done', color: 'red', order: '-1' })].join('\n'))).toEqual([
      { row: 2, message: 'Row 2: the colour "red" is not a colour written #rrggbb.', hint: 'Write # and six hexadecimal digits, such as #4e79a7, or leave the cell empty to get a colour.' },
      { row: 2, message: 'Row 2: the order "-1" is not a whole number ≥ 0.', hint: "Write a whole number such as 3 (codes are listed by it), or leave the cell empty to keep the row's place." },
      { row: 2, message: 'Row 2: the kind "problem" is not one of challenge, on-ramp, other.', hint: 'Write challenge, on-ramp or other in the kind column, or leave it empty for other.' },
      { row: 2, message: 'Row 2: the mode "market" is not one of cathedral, bazaar, neutral.', hint: 'Write cathedral, bazaar or neutral in the mode column, or leave it empty for neutral.' },
      { row: 2, message: 'Row 2: the status "done" is not one of draft, active, retired.', hint: 'Write draft, active or retired in the status column, or leave it empty for active.' },
    ]);
  });

  it('reports a duplicate id with both rows', () => {
    expect(problemsOf([HEADER, row({ id: A }), row({ id: B }), row({ id: A.toUpperCase() })].join('\n'))).toEqual([
      { row: 4, message: `Row 4: the id ${A} is also used by row 2.`, hint: 'Every code needs its own id: delete the repeated row, or leave the id cell empty to make it a new code.' },
    ]);
  });

  it('reports an id that is not a GUID', () => {
    expect(problemsOf([HEADER, row({ id: 'c1' })].join('\n'))).toEqual([
      { row: 2, message: 'Row 2: the id "c1" is not a GUID such as 3f2b8c1e-9a4d-4c2e-8b1f-0a6d5e4c3b2a.', hint: 'Keep the id Cartography exported, or leave the cell empty to make this row a new code.' },
    ]);
  });

  it('reports a parent id that no row has, and a path whose parent no row has', () => {
    expect(problemsOf([HEADER, row({ id: A, parent: C }), row({ name: 'Orphan', path: 'Gone > Orphan' })].join('\n'))).toEqual([
      { row: 2, message: `Row 2: the parent "${C}" is not the id of any code in this file.`, hint: 'Write the id of another row in the parent column, or leave it empty for a top-level code.' },
      { row: 3, message: 'Row 3: the path "Gone > Orphan" names the parent "Gone", which no row of this file has as its path.', hint: "Add the parent code, correct the path, or write the parent's id in the parent column." },
    ]);
  });

  it('reports every code in a parent loop, but not the codes below it', () => {
    const text = [HEADER, row({ id: A, parent: B, name: 'A' }), row({ id: B, parent: A, name: 'B' }), row({ id: C, parent: A, name: 'C' }), row({ parent: '', name: 'Self' })].join('\n');
    const self = 'bbbbbbbb-0000-4000-8000-0000000000ff';
    expect(problemsOf(`${text}\n${row({ id: self, parent: self, name: 'Self' })}`)).toEqual([
      { row: 2, message: 'Row 2: "A" is its own ancestor (A > B > A).', hint: 'Change the parent of one of the codes in this loop so that the hierarchy has a top.' },
      { row: 3, message: 'Row 3: "B" is its own ancestor (B > A > B).', hint: 'Change the parent of one of the codes in this loop so that the hierarchy has a top.' },
      { row: 6, message: 'Row 6: "Self" is its own ancestor (Self > Self).', hint: 'Change the parent of one of the codes in this loop so that the hierarchy has a top.' },
    ]);
  });

  it('counts rows as a spreadsheet does: a cell spanning lines is one row, a blank row still counts', () => {
    const text = [HEADER, row({ name: '"two\nlines"' }), '', row({ kind: 'x' })].join('\n');
    expect(problemsOf(text).map((p) => p.row)).toEqual([4]);
  });

  it('reports a code without a name', () => {
    expect(problemsOf(`name,kind\n  ,challenge`)).toEqual([{ row: 2, message: 'Row 2: the code has no name.', hint: "Write the code's name in the name column, or delete the row." }]);
  });

  it('refuses an empty file', () => {
    const hint = 'Export the codebook from Cartography as CSV, edit it in a spreadsheet program, save it as CSV (UTF-8) and import that file.';
    expect(problemsOf('')).toEqual([{ row: 1, message: 'The file is empty: it has no header row and no codes.', hint }]);
    expect(problemsOf('\uFEFF\r\n')).toEqual([{ row: 1, message: 'The file is empty: it has no header row and no codes.', hint }]);
  });

  it('refuses a file that is not CSV text, such as a workbook', () => {
    expect(problemsOf('PK\u0003\u0004\u0014\u0000\u0006\u0000\b\u0000\u0000\u0000!\u0000b\uFFFD\uFFFDh^\u0001')).toEqual([
      {
        row: 1,
        message: 'The file is not CSV text: it holds binary data (an Excel workbook, a PDF or an image, for example).',
        hint: 'Save the sheet as "CSV UTF-8" in your spreadsheet program and import that file. Export the codebook from Cartography as CSV, edit it in a spreadsheet program, save it as CSV (UTF-8) and import that file.',
      },
    ]);
  });

  it('refuses text without a name column', () => {
    expect(problemsOf('{"format": "cartography-study", "version": 1}')).toEqual([
      {
        row: 1,
        message: 'Row 1: the header has no "name" column, so this does not look like a codebook (found "{\\"format\\": \\"cartography-study\\"", " \\"version\\": 1}").',
        hint: 'The first row must name the columns: id, parent, path, name, color, stage, kind, mode, status, order, shortDefinition, definition, useWhen, doNotUseWhen, typicalExamples, atypicalExamples, createdAt, modifiedAt, createdBy, history (only name is required). Export the codebook from Cartography as CSV, edit it in a spreadsheet program, save it as CSV (UTF-8) and import that file.',
      },
    ]);
  });

  it('reports quotes that do not balance at their row', () => {
    expect(problemsOf(`${HEADER}\n${row({ id: A })}\n${row({ name: '"broken' })}\n${row({})}`)).toEqual([
      {
        row: 3,
        message: 'Row 3: the quotes in this row do not balance (a cell opens a double quote that is not closed properly).',
        hint: 'A cell that starts with " must end with ", and a double quote inside a cell is written twice (""). Correct row 3 and import the file again.',
      },
    ]);
  });

  it('reads an examples column (files from before typical and atypical examples) as typical examples', () => {
    const text = ['name,Examples,Atypical examples', `A,"One\nTwo [segment:${SEGMENT.toUpperCase()}]",Three`].join('\n');
    expect(read(text).codes[0]!.examples).toEqual([
      { text: 'One', typical: true, segmentId: null },
      { text: 'Two', typical: true, segmentId: SEGMENT },
      { text: 'Three', typical: false, segmentId: null },
    ]);
    expect(problemsOf('name,examples,typicalExamples\nA,x,y')).toEqual([{ row: 1, message: 'Row 1: the column "typicalExamples" appears twice in the header (columns 2 and 3).', hint: 'Delete or rename one of the two columns.' }]);
  });

  it('reports a segment link that is not a GUID, naming the example', () => {
    expect(problemsOf([HEADER, row({ atypicalExamples: '"fine\nFrom the pilot [segment:P03]"' })].join('\n'))).toEqual([
      {
        row: 2,
        message: 'Row 2: the atypical example "From the pilot [segment:P03]" ends in the segment link "[segment:P03]", whose segment is not a GUID.',
        hint: 'Keep the link Cartography exported, delete it, or write [segment:none] after it to keep the text as it is.',
      },
    ]);
  });

  it('reads a history of one change per line and reports lines that are not "<timestamp> <coder or -> <summary>"', () => {
    const history = `2025-01-05 ${ANA.toUpperCase()} Created\n\n2025-01-06T10:00:00+01:00 - Renamed “A” to “B”\n2025-01-07T00:00:00.000Z -`;
    expect(read([HEADER, row({ history: `"${history}"` })].join('\n')).codes[0]!.history).toEqual([
      { at: '2025-01-05T00:00:00.000Z', by: ANA, summary: 'Created' },
      { at: '2025-01-06T09:00:00.000Z', by: null, summary: 'Renamed “A” to “B”' },
      { at: '2025-01-07T00:00:00.000Z', by: null, summary: '' },
    ]);
    const hint =
      'Write one change per line: an ISO 8601 timestamp such as 2026-01-31T09:30:00.000Z, a space, the GUID of the coder who made the change (or - for none), a space and what changed. Or keep the history Cartography exported.';
    expect(problemsOf([HEADER, row({ history: '"yesterday\n2025-02-30 - Renamed\n2025-01-05 ana Created"' })].join('\n'))).toEqual([
      { row: 2, message: 'Row 2: the history line "yesterday" is not written "<timestamp> <coder GUID or -> <what changed>".', hint },
      { row: 2, message: 'Row 2: the history line "2025-02-30 - Renamed" starts with "2025-02-30", which is not an ISO 8601 timestamp.', hint },
      { row: 2, message: 'Row 2: the history line "2025-01-05 ana Created" names the coder "ana", which is not a coder\'s GUID (write - for none).', hint },
    ]);
  });

  it('reports a column given twice', () => {
    expect(problemsOf('name,Colour,color\nA,#000000,#ffffff')).toEqual([{ row: 1, message: 'Row 1: the column "color" appears twice in the header (columns 2 and 3).', hint: 'Delete or rename one of the two columns.' }]);
  });
});

describe('CSV round trip (property)', () => {
  // Researchers' text: any Unicode plus the characters CSV and Markdown care about. Line
  // breaks are LF (as everywhere in Cartography); an example is one line.
  // Segment-link look-alikes too, so that example text ending in one is covered.
  const tricky = fc.constantFrom('"', ',', ';', '\t', ' ', '\n', "'", '=', '-', '>', ' > ', '🚀', 'é', '数', '\u200d', '*', ' [segment:none]', ` [segment:${SEGMENT}]`, ' [segment:x]', '[segment:', ']');
  const piece = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), tricky);
  const text = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join('').replace(/\r/g, ''));
  const name = text.filter((s) => s.trim() !== '');
  const line = text.map((s) => s.replace(/\n/g, ' '));
  const guid = fc.uuid().map((u) => u.toLowerCase());
  const stamp = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
  // Examples come back typical first (two columns), so a codebook keeps them in that order.
  const examples = fc
    .array(fc.record({ text: line.filter((s) => s.trim() !== ''), typical: fc.boolean(), segmentId: fc.option(guid) }), { maxLength: 4 })
    .map((list) => [...list.filter((e) => e.typical), ...list.filter((e) => !e.typical)]);
  const history = fc.array(fc.record({ at: stamp, by: fc.option(guid), summary: line }), { maxLength: 3 });
  const hex = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);

  const codebook = fc
    .record({
      stageNames: fc.uniqueArray(name.map((s) => s.trim()).filter((s) => s !== ''), { minLength: 0, maxLength: 4, selector: (s) => s.toLowerCase() }),
      size: fc.integer({ min: 0, max: 12 }),
    })
    .chain(({ stageNames, size }) =>
      fc.record({
        stages: fc.constant(stageNames.map((n, order): Stage => ({ ...t, createdBy: null, id: guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? order : 3))), name: n, description: '', order }))),
        ids: fc.uniqueArray(guid, { minLength: size, maxLength: size }),
        // Each code's parent is an earlier code (or none), so the hierarchy has no loop.
        parents: fc.tuple(...Array.from({ length: size }, (_, i) => fc.integer({ min: -1, max: i - 1 }))),
        orders: fc.shuffledSubarray(Array.from({ length: size * 3 }, (_, i) => i), { minLength: size, maxLength: size }),
        fields: fc.array(
          fc.record({
            name,
            color: hex,
            stage: fc.integer({ min: -1, max: stageNames.length - 1 }),
            kind: fc.constantFrom(...CODE_KINDS),
            mode: fc.constantFrom(...COLLABORATION_MODES),
            status: fc.constantFrom(...CODE_STATUSES),
            shortDefinition: text,
            definition: text,
            useWhen: text,
            doNotUseWhen: text,
            examples,
            history,
            createdAt: stamp,
            modifiedAt: stamp,
            createdBy: fc.option(guid),
          }),
          { minLength: size, maxLength: size },
        ),
      }),
    )
    .map(({ stages, ids, parents, orders, fields }) => ({
      stages,
      codes: fields
        .map(
          (f, i): Code => ({
            id: ids[i]!,
            studyId: STUDY,
            createdAt: f.createdAt,
            modifiedAt: f.modifiedAt,
            createdBy: f.createdBy,
            parentId: parents[i]! >= 0 ? ids[parents[i]!]! : null,
            name: f.name,
            color: f.color,
            stageId: f.stage >= 0 ? stages[f.stage]!.id : null,
            kind: f.kind,
            mode: f.mode,
            order: orders[i]!,
            shortDefinition: f.shortDefinition,
            definition: f.definition,
            useWhen: f.useWhen,
            doNotUseWhen: f.doNotUseWhen,
            examples: f.examples,
            status: f.status,
            history: f.history,
          }),
        )
        .sort((a, b) => a.order - b.order),
    }));

  it('reads back exactly the codebook it wrote, also with a BOM and CRLF everywhere', () => {
    fc.assert(
      fc.property(codebook, ({ stages, codes }) => {
        const csv = codebookToCsv(stages, codes);
        expect(codebookFromCsv(csv, stages, options())).toEqual({ codes, problems: [] });
        expect(codebookFromCsv(`\uFEFF${csv.replace(/\r?\n/g, '\r\n')}`, stages, options()).codes).toEqual(codes);
      }),
      { numRuns: 200 },
    );
  });
});
