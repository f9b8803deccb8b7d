import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseByCodeMatrix, codeColumns } from '../analysis/matrix.ts';
import { codeCounts } from '../codebook/counts.ts';
import type { Code, Coding, Document, Participant, Segment } from '../model/types.ts';
import { AUTOMATIC_RULE_NOTE, buildCodebookReport, chooseExemplars, termReplacer, type ExemplarCandidate, type ReportCode, type ReportOptions, type ReportSource } from './report-model.ts';

const T = '2026-01-01T00:00:00.000Z';
const NOW = '2026-11-22T10:00:00.000Z';
const tracked = (id: string) => ({ id, studyId: 'study', createdAt: T, modifiedAt: T, createdBy: null });
const OPEN = { weights: 'open', data: 'open', trainingCode: 'open', checkpoints: 'open', evaluationCode: 'open', documentation: 'open' } as const;

function code(id: string, name: string, stageId: string | null, kind: Code['kind'], extra: Partial<Code> = {}): Code {
  return {
    ...tracked(id),
    parentId: null,
    name,
    color: '#336699',
    stageId,
    kind,
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
  };
}

function participant(id: string, pseudonym: string, organisation: string, caseId: string | null, interviewDate: string): Participant {
  return { ...tracked(id), pseudonym, role: 'Engineer', organisation, caseId, interviewDate };
}

function document(id: string, title: string, caseId: string | null, participantIds: string[]): Document {
  return {
    ...tracked(id),
    title,
    caseId,
    participantIds,
    sourceFormat: 'txt',
    length: 0,
    wordCount: 0,
    codingCount: 0,
    coderIds: [],
    turns: [],
    importMeta: { fileName: `${id}.txt`, importedAt: T, encoding: 'utf-8', notes: [] },
  };
}

const segment = (id: string, documentId: string, start: number, text: string): Segment => ({ ...tracked(id), documentId, start, end: start + text.length, text });
let codingNumber = 0;
const coding = (segmentId: string, codeId: string, documentId: string, coderId = 'kim'): Coding => ({ ...tracked(`c${++codingNumber}`), segmentId, codeId, coderId, documentId });

const long = (n: number, word = 'compute'): string => `${word} `.repeat(Math.ceil(n / (word.length + 1))).slice(0, n);

/**
 * Two cases (BLOOM, OLMo), three participants, four documents (d4 has no case). Segments:
 *   s1 d1 (BLOOM, P1)  160 chars   secrecy (Kim and Lou), legal
 *   s2 d1 (BLOOM, P1)   30 chars   secrecy
 *   s3 d2 (OLMo, P2)   200 chars   secrecy, compute
 *   s4 d3 (BLOOM, P3)  150 chars   secrecy
 *   s5 d4 (no case)    100 chars   feedback
 *   s6 d2 (OLMo, P2)   mentions Hugging Face and Anna   governance
 */
function study(): ReportSource {
  codingNumber = 0;
  const s6 = 'Anna from Hugging Face said hugging face (HF) and ANNA agreed; Annabel did not. Hugging Faces is not a name.';
  return {
    study: { id: 'study', name: 'Open LLMs', description: '', createdAt: T, modifiedAt: T, createdBy: null, isDemo: false, activeCoderId: null },
    coders: [
      { ...tracked('kim'), name: 'Kim' },
      { ...tracked('lou'), name: 'Lou' },
    ],
    stages: [
      { ...tracked('post'), name: 'Post-training', description: '', order: 1 },
      { ...tracked('pre'), name: 'Pre-training', description: '', order: 0 },
    ],
    attributes: [],
    cases: [
      { ...tracked('bloom'), name: 'BLOOM', description: '', attributes: {}, openness: { ...OPEN } },
      { ...tracked('olmo'), name: 'OLMo', description: '', attributes: {}, openness: { ...OPEN } },
    ],
    participants: [participant('p1', 'P1', 'Hugging Face', 'bloom', '2024-05-10'), participant('p2', 'P2', 'AI2', 'olmo', '2024-03-01'), participant('p3', 'P3', '', 'bloom', '')],
    documents: [document('d1', 'Interview 1', 'bloom', ['p1']), document('d2', 'Interview 2', 'olmo', ['p2']), document('d3', 'Interview 3', 'bloom', ['p3']), document('d4', 'Notes', null, [])],
    segments: [
      segment('s1', 'd1', 0, long(160)),
      segment('s2', 'd1', 200, long(30)),
      segment('s3', 'd2', 0, long(200)),
      segment('s4', 'd3', 0, long(150)),
      segment('s5', 'd4', 0, long(100)),
      segment('s6', 'd2', 300, s6),
    ],
    codes: [
      code('legal', 'Legal', 'pre', 'challenge', { parentId: 'secrecy' }),
      code('secrecy', 'Secrecy', 'pre', 'challenge', {
        mode: 'cathedral',
        shortDefinition: 'Keeping things closed',
        definition: 'Data or weights withheld.',
        useWhen: 'A reason to withhold is given.',
        doNotUseWhen: 'Only a licence is named.',
        examples: [
          { text: 'Anna kept it secret', typical: true, segmentId: 's4' },
          { text: 'Maybe secret, at Hugging Face', typical: false, segmentId: null },
        ],
      }),
      code('compute', 'Compute', 'pre', 'on-ramp', { mode: 'bazaar' }),
      code('feedback', 'Feedback', 'post', 'on-ramp'),
      code('governance', 'Governance', null, 'other', { status: 'draft' }),
    ],
    codings: [
      coding('s1', 'secrecy', 'd1'),
      coding('s1', 'secrecy', 'd1', 'lou'),
      coding('s1', 'legal', 'd1'),
      coding('s2', 'secrecy', 'd1'),
      coding('s3', 'secrecy', 'd2'),
      coding('s3', 'compute', 'd2'),
      coding('s4', 'secrecy', 'd3'),
      coding('s5', 'feedback', 'd4'),
      coding('s6', 'governance', 'd2'),
    ],
  };
}

const options = (extra: Partial<ReportOptions> = {}): ReportOptions => ({ exemplars: 3, now: NOW, ...extra });
const codesOf = (report: ReturnType<typeof buildCodebookReport>): ReportCode[] => report.sections.flatMap((s) => s.kinds.flatMap((k) => k.codes));
const codeOf = (report: ReturnType<typeof buildCodebookReport>, id: string): ReportCode => codesOf(report).find((c) => c.id === id)!;

describe('buildCodebookReport', () => {
  it('summarises the study', () => {
    const report = buildCodebookReport(study(), options());
    expect(report.title).toBe('Codebook report: Open LLMs');
    expect(report.generatedAt).toBe(NOW);
    expect(report.summary).toEqual({ cases: 2, participants: 3, documents: 4, coders: 2, codings: 9, interviewDates: { first: '2024-03-01', last: '2024-05-10' } });
    const none = study();
    none.participants = none.participants.map((p) => ({ ...p, interviewDate: '' }));
    expect(buildCodebookReport(none, options()).summary.interviewDates).toBeNull();
  });

  it('orders the codebook by stage, kind and code tree, with every definition field', () => {
    const report = buildCodebookReport(study(), options({ exemplars: 0 }));
    expect(report.sections.map((s) => [s.stage, s.kinds.map((k) => [k.label, k.codes.map((c) => c.path.join(' > '))])])).toEqual([
      [
        'Pre-training',
        [
          ['Challenges', ['Secrecy', 'Secrecy > Legal']],
          ['On-ramps', ['Compute']],
        ],
      ],
      ['Post-training', [['On-ramps', ['Feedback']]]],
      ['Cross-stage', [['Descriptive / other', ['Governance']]]],
    ]);
    expect(codeOf(report, 'secrecy')).toEqual({
      id: 'secrecy',
      path: ['Secrecy'],
      name: 'Secrecy',
      color: '#336699',
      status: 'active',
      mode: 'cathedral',
      shortDefinition: 'Keeping things closed',
      definition: 'Data or weights withheld.',
      useWhen: 'A reason to withhold is given.',
      doNotUseWhen: 'Only a licence is named.',
      typicalExamples: ['Anna kept it secret'],
      atypicalExamples: ['Maybe secret, at Hugging Face'],
      frequencies: { segments: 4, cases: 2, participants: 3 },
      exemplars: [],
    });
    expect(report.notes).toContain('Exemplars: none asked for.');
    expect(report.matrix).toBeUndefined();
  });

  it('selects stages (null = cross-stage) and codes', () => {
    const byStage = buildCodebookReport(study(), options({ stageIds: ['post', null] }));
    expect(codesOf(byStage).map((c) => c.id)).toEqual(['feedback', 'governance']);
    expect(byStage.notes[0]).toBe("Codes: 2 of the codebook's 5 codes (selected by stage).");
    const byCode = buildCodebookReport(study(), options({ stageIds: ['pre'], codeIds: ['legal', 'compute', 'feedback'] }));
    expect(codesOf(byCode).map((c) => c.id)).toEqual(['legal', 'compute']);
    expect(byCode.sections.map((s) => s.stage)).toEqual(['Pre-training']);
    expect(buildCodebookReport(study(), options({ codeIds: [] })).sections).toEqual([]);
    expect(buildCodebookReport(study(), options()).notes[0]).toBe('Codes: all 5 codes of the codebook.');
  });

  it('counts frequencies as the codebook counts and the matrices do', () => {
    const source = study();
    const report = buildCodebookReport(source, options({ exemplars: 0 }));
    const counts = codeCounts(source.codings, source.documents, { codes: source.codes });
    const columns = codeColumns(source);
    const bySegments = caseByCodeMatrix(source, { rows: 'document', metric: 'segments', columns });
    const byParticipants = caseByCodeMatrix(source, { rows: 'document', metric: 'participants', columns });
    const byCases = caseByCodeMatrix(source, { rows: 'case', metric: 'presence', columns });
    columns.forEach((col, i) => {
      const f = codeOf(report, col.codeIds[0]!).frequencies;
      const c = counts.get(col.codeIds[0]!)!;
      expect(f).toEqual({ segments: c.segments, cases: c.cases, participants: c.participants });
      expect(f.segments).toBe(bySegments.columnTotals[i]);
      expect(f.participants).toBe(byParticipants.columnTotals[i]);
      expect(f.cases).toBe(byCases.columnTotals[i]);
    });
  });

  it('chooses exemplars: pinned, then linked typical examples, then automatic spread across cases', () => {
    // Secrecy: s4 is its typical example; automatic order by length is s1 (160), s4 (150), s3 (200), s2 (30, out of range).
    const auto = codeOf(buildCodebookReport(study(), options({ exemplars: 4 })), 'secrecy').exemplars;
    expect(auto.map((e) => [e.segmentId, e.rule])).toEqual([
      ['s4', 'example'],
      ['s3', 'automatic'], // OLMo: a case not yet quoted comes first
      ['s1', 'automatic'],
      ['s2', 'automatic'],
    ]);
    expect(auto.map((e) => e.attribution)).toEqual(['P3 · BLOOM', 'P2 · OLMo', 'P1 · BLOOM', 'P1 · BLOOM']);

    const pinned = codeOf(buildCodebookReport(study(), options({ exemplars: 3, pinned: { secrecy: ['s2', 'gone', 's5'] } })), 'secrecy').exemplars;
    expect(pinned.map((e) => [e.segmentId, e.rule])).toEqual([
      ['s2', 'pinned'],
      ['s4', 'example'],
      ['s3', 'automatic'],
    ]);
    const report = buildCodebookReport(study(), options({ exemplars: 1, pinned: { secrecy: ['s2', 'gone', 's5'] } }));
    expect(codeOf(report, 'secrecy').exemplars.map((e) => e.segmentId)).toEqual(['s2']);
    expect(report.notes).toContain(AUTOMATIC_RULE_NOTE);
    expect(report.notes).toContain('Left out: 2 pinned segments that no longer exist or no longer carry the code.');

    // A segment without a case is attributed to nobody; limits are clamped to 0–10.
    const feedback = codeOf(buildCodebookReport(study(), options({ exemplars: 99 })), 'feedback').exemplars;
    expect(feedback).toEqual([{ segmentId: 's5', text: long(100), attribution: 'Unattributed', rule: 'automatic' }]);
    expect(codesOf(buildCodebookReport(study(), options({ exemplars: -2 }))).every((c) => c.exemplars.length === 0)).toBe(true);
  });

  it('applies the automatic rule: in-range lengths nearest 160 first, then title, then offset; one per case first', () => {
    const candidate = (segmentId: string, length: number, spreadKey: string, documentTitle = 'A', start = 0): ExemplarCandidate => ({
      segmentId,
      text: 'x'.repeat(length),
      documentId: documentTitle,
      documentTitle,
      start,
      spreadKey,
    });
    const list = [
      candidate('far', 20, 'c1'),
      candidate('huge', 1000, 'c3'),
      candidate('b-late', 160, 'c1', 'B', 50),
      candidate('b-early', 160, 'c1', 'B', 10),
      candidate('a', 160, 'c1', 'A'),
      candidate('near', 170, 'c2'),
      candidate('ok', 390, 'c2'),
    ];
    expect(chooseExemplars(list, 10, [], []).map((c) => c.segment.segmentId)).toEqual(['a', 'near', 'huge', 'b-early', 'b-late', 'ok', 'far']);
    expect(chooseExemplars(list, 2, [], []).map((c) => c.segment.segmentId)).toEqual(['a', 'near']);
    expect(chooseExemplars(list, 2, ['ok', 'ok', 'missing'], ['ok']).map((c) => [c.segment.segmentId, c.rule])).toEqual([
      ['ok', 'pinned'],
      ['a', 'automatic'],
    ]);
    expect(chooseExemplars(list, 0, ['ok'], [])).toEqual([]);
  });

  it('anonymises quotes, examples and attributions: researcher terms whole-word, case-insensitive, longest first', () => {
    const report = buildCodebookReport(
      study(),
      options({
        exemplars: 2,
        anonymise: {
          participants: false,
          terms: [
            { term: 'Anna', replacement: '[P2]' },
            { term: 'Hugging Face', replacement: '[Org $& A]' },
            { term: 'Hugging', replacement: '[never]' },
            { term: 'OLMo', replacement: '[Case B]' },
            { term: '  ', replacement: 'blank terms are ignored' },
          ],
        },
      }),
    );
    const [quote] = codeOf(report, 'governance').exemplars;
    expect(quote!.text).toBe('[P2] from [Org $& A] said [Org $& A] (HF) and [P2] agreed; Annabel did not. [never] Faces is not a name.');
    expect(quote!.attribution).toBe('P2 · [Case B]');
    const secrecy = codeOf(report, 'secrecy');
    expect(secrecy.typicalExamples).toEqual(['[P2] kept it secret']);
    expect(secrecy.atypicalExamples).toEqual(['Maybe secret, at [Org $& A]']);
    expect(report.notes.some((n) => n.startsWith('Anonymised: in every quote, example and attribution, 4 identifying terms'))).toBe(true);
  });

  it('replaces participants’ organisations when asked, and says what it did', () => {
    const report = buildCodebookReport(study(), options({ exemplars: 1, anonymise: { participants: true, terms: [] } }));
    expect(codeOf(report, 'governance').exemplars[0]!.text).toBe('Anna from [organisation] said [organisation] (HF) and ANNA agreed; Annabel did not. Hugging Faces is not a name.');
    expect(report.notes.find((n) => n.startsWith('Anonymised'))).toContain('the organisations of participants by “[organisation]”');
    expect(buildCodebookReport(study(), options()).notes).toContain('Not anonymised: quotes appear as coded. Participants are named by their pseudonyms.');
  });

  it('adds the case × code matrix of the selected codes', () => {
    const report = buildCodebookReport(study(), options({ includeMatrix: true, stageIds: ['pre'] }));
    expect(report.matrix!.rows.map((r) => r.label)).toEqual(['BLOOM', 'OLMo']);
    expect(report.matrix!.columns.map((c) => c.label)).toEqual(['Secrecy', 'Legal', 'Compute']);
    expect(report.matrix!.cells).toEqual([
      [3, 1, 0],
      [1, 0, 1],
    ]);
  });
});

describe('termReplacer', () => {
  it('leaves text alone without terms', () => {
    expect(termReplacer([])('Anna')).toBe('Anna');
  });

  it('matches whole words only, whatever the case, including non-ASCII letters and regex characters', () => {
    const replace = termReplacer([
      { term: 'Zoë', replacement: 'P1' },
      { term: 'C++ (x)', replacement: 'TOOL' },
    ]);
    expect(replace('zoë, ZOË and Zoëlle use c++ (X).')).toBe('P1, P1 and Zoëlle use TOOL.');
  });

  it('leaves no whole-word occurrence of a term behind', () => {
    const word = fc.stringMatching(/^[a-z]{2,6}$/);
    fc.assert(
      fc.property(word, fc.array(fc.oneof(word, fc.constantFrom(' ', ', ', '-', '.')), { maxLength: 20 }), (term, parts) => {
        const text = parts.map((p, i) => (i % 3 === 0 ? term.toUpperCase() : p)).join(' ');
        const out = termReplacer([{ term, replacement: '#' }])(text);
        expect(new RegExp(`(?<![\\p{L}\\p{N}_])${term}(?![\\p{L}\\p{N}_])`, 'iu').test(out)).toBe(false);
      }),
    );
  });
});
