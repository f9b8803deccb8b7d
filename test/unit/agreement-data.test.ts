import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeAgreement, findDisagreements, type AgreementCoding, type Disagreement } from '../../shared/analysis/agreement.ts';
import {
  agreementSettingKey,
  buildAgreementInput,
  consensusMemoTitle,
  findConsensusCoderId,
  loadAgreementData,
  loadAgreementInput,
  loadPassage,
  resolveDisagreement,
} from '../../renderer/data/agreement.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, History } from '../../renderer/data/history.ts';
import { getSetting, importStudyFile, loadStudyRecords } from '../../renderer/data/studies.ts';
import { checkStudyRecords } from '../../shared/model/integrity.ts';
import type { Guid, StudyRecords } from '../../shared/model/types.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const demoText = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
interface DemoFile {
  coders: { key: string; name: string }[];
  codes: { key: string; name: string }[];
  documents: { key: string; title: string; text: string }[];
  codings: { document: string; quote: string; code: string; coder?: string; occurrence?: number }[];
}
const demo = JSON.parse(demoText) as DemoFile;

let db: CartographyDb;
let history: History;
let studyId: Guid;
let records: StudyRecords;
let A: Guid;
let B: Guid;

const snapshot = async () => comparable(await dumpTables(db));
const documentId = (key: string) => records.documents.find((d) => d.title === demo.documents.find((x) => x.key === key)!.title)!.id;
const codeId = (key: string) => records.codes.find((c) => c.name === demo.codes.find((x) => x.key === key)!.name)!.id;
/** The span of a quote in a demo transcript, as the importer anchors it (first occurrence unless told). */
function spanOf(docKey: string, quote: string, occurrence = 1) {
  const text = demo.documents.find((d) => d.key === docKey)!.text.replace(/\r\n?/g, '\n');
  let start = -1;
  for (let i = 0; i < occurrence; i += 1) start = text.indexOf(quote, start + 1);
  if (start < 0) throw new Error(`quote not found in ${docKey}: ${quote}`);
  return { start, end: start + quote.length };
}
const quoteOf = (docKey: string, codeKey: string, coderKey: string) => demo.codings.find((c) => c.document === docKey && c.code === codeKey && (c.coder ?? 'r1') === coderKey)!.quote;

/** The stored coding of a coder with a code over a span, as the engine sees it. */
async function codingAt(docKey: string, codeKey: string, coder: Guid, span: { start: number; end: number }): Promise<AgreementCoding> {
  const data = await loadAgreementData(db, studyId);
  const found = data.codings.find((c) => c.documentId === documentId(docKey) && c.codeId === codeId(codeKey) && c.coderId === coder && c.start === span.start && c.end === span.end);
  if (!found) throw new Error(`no coding of ${codeKey} by ${coder} at ${span.start}–${span.end} in ${docKey}`);
  return found;
}

function disagreementOf(docKey: string, codeKey: string, byCoder: Record<Guid, AgreementCoding[]>): Disagreement {
  const all = Object.values(byCoder).flat();
  return { documentId: documentId(docKey), codeId: codeId(codeKey), start: Math.min(...all.map((c) => c.start)), end: Math.max(...all.map((c) => c.end)), byCoder };
}

/** P03, “Regional adaptation and use”: A coded the municipalities passage with it, B coded it “Derivative development”. */
async function regionalDisagreement(): Promise<Disagreement> {
  const span = spanOf('doc-p03', quoteOf('doc-p03', 'rel-regional-adaptation', 'r1'));
  return disagreementOf('doc-p03', 'rel-regional-adaptation', { [A]: [await codingAt('doc-p03', 'rel-regional-adaptation', A, span)], [B]: [] });
}

async function consensusCodings(consensus: Guid) {
  return (await loadAgreementData(db, studyId)).codings.filter((c) => c.coderId === consensus);
}

beforeEach(async () => {
  db = new CartographyDb(`agreement-${Math.random()}`);
  await db.open();
  history = new History(db);
  studyId = await importStudyFile(db, demoText, 'demo-study.cartography.json');
  records = await loadStudyRecords(db, studyId);
  A = records.coders.find((c) => c.name === 'Researcher A')!.id;
  B = records.coders.find((c) => c.name === 'Researcher B')!.id;
});
afterEach(async () => {
  await db.delete();
});

describe('the agreement input', () => {
  it('holds every document with its text length and every coding of the chosen coders at its span', async () => {
    const input = await loadAgreementInput(db, studyId, { coderIds: [A, B] });
    expect(input.coderIds).toEqual([A, B]);
    expect(new Set(input.codeIds)).toEqual(new Set(records.codes.map((c) => c.id)));
    expect(input.codeIds).toHaveLength(27);
    expect(input.documents).toHaveLength(14);
    for (const doc of demo.documents) expect(input.documents.find((d) => d.id === documentId(doc.key))!.length).toBe(doc.text.replace(/\r\n?/g, '\n').length);

    const coderOf = (key: string | undefined) => records.coders.find((c) => c.name === demo.coders.find((x) => x.key === (key ?? 'r1'))!.name)!.id;
    const expected = demo.codings.map((c) => ({ documentId: documentId(c.document), codeId: codeId(c.code), coderId: coderOf(c.coder), ...spanOf(c.document, c.quote, c.occurrence) }));
    const actual = input.codings.map(({ id: _id, ...rest }) => rest);
    const order = (x: { documentId: string; codeId: string; coderId: string; start: number }) => `${x.documentId}|${x.start}|${x.codeId}|${x.coderId}`;
    expect(actual.sort((a, b) => order(a).localeCompare(order(b)))).toEqual(expected.sort((a, b) => order(a).localeCompare(order(b))));
    expect(input.codings.filter((c) => c.coderId === A)).toHaveLength(111);
    expect(input.codings.filter((c) => c.coderId === B)).toHaveLength(16);
    expect(new Set(input.codings.map((c) => c.id)).size).toBe(127);
  });

  it('keeps only the chosen documents and codes', async () => {
    const codes = [codeId('rel-firewalls'), codeId('rel-gated-licences')];
    const input = await loadAgreementInput(db, studyId, { coderIds: [B, A], documentIds: [documentId('doc-p10')], codeIds: codes });
    expect(input.documents).toEqual([{ id: documentId('doc-p10'), length: demo.documents.find((d) => d.key === 'doc-p10')!.text.length }]);
    expect(input.codeIds).toEqual(codes);
    expect(input.coderIds).toEqual([B, A]);
    // P10: A has firewalls twice and gated licences once; B has firewalls twice and gated licences once.
    expect(input.codings.map((c) => [c.coderId === A ? 'A' : 'B', c.codeId === codes[0] ? 'firewalls' : 'gated']).sort()).toEqual([
      ['A', 'firewalls'],
      ['A', 'firewalls'],
      ['A', 'gated'],
      ['B', 'firewalls'],
      ['B', 'firewalls'],
      ['B', 'gated'],
    ]);
  });

  it('refuses fewer than two coders, and coders, documents or codes from elsewhere, saying what to do', async () => {
    const data = await loadAgreementData(db, studyId);
    expect(() => buildAgreementInput(data, { coderIds: [A] })).toThrow('Agreement compares two or more coders; only one is chosen. Choose at least two coders.');
    expect(() => buildAgreementInput(data, { coderIds: [A, A] })).toThrow('only one is chosen');
    expect(() => buildAgreementInput(data, { coderIds: [] })).toThrow('none is chosen');
    expect(() => buildAgreementInput(data, { coderIds: [A, 'nobody'] })).toThrow('The coder nobody is not a coder of this study');
    expect(() => buildAgreementInput(data, { coderIds: [A, B], documentIds: ['elsewhere'] })).toThrow('The document elsewhere is not in this study. Choose the documents again.');
    expect(() => buildAgreementInput(data, { coderIds: [A, B], codeIds: ['gone'] })).toThrow("The code gone is not in this study's codebook. Choose the codes again.");
  });

  it('reads a passage with the text around it', async () => {
    const span = spanOf('doc-p03', quoteOf('doc-p03', 'rel-regional-adaptation', 'r1'));
    const passage = (await loadPassage(db, documentId('doc-p03'), span, 40))!;
    expect(passage.offset).toBe(span.start - 40);
    expect(passage.text.slice(40, 40 + span.end - span.start)).toBe(quoteOf('doc-p03', 'rel-regional-adaptation', 'r1'));
    expect((await loadPassage(db, documentId('doc-p03'), { start: 0, end: 5 }, 40))!.offset).toBe(0);
  });
});

describe('resolving a disagreement into the consensus coder', () => {
  it('accepts one coder: creates “Consensus” once, codes that coder’s span on the same segment, and puts the memo on it', async () => {
    const before = await snapshot();
    const disagreement = await regionalDisagreement();
    const result = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [A], memo: '  Both read it as use in the region; A’s code fits.  ' }));

    const consensus = await db.coders.get(result.consensusCoderId);
    expect(consensus).toMatchObject({ studyId, name: 'Consensus' });
    expect(await getSetting(db, agreementSettingKey(studyId))).toEqual({ consensusCoderId: consensus!.id });
    expect(await findConsensusCoderId(db, studyId)).toBe(consensus!.id);

    const [coding] = await consensusCodings(consensus!.id);
    expect(await consensusCodings(consensus!.id)).toHaveLength(1);
    expect(coding).toMatchObject({ documentId: disagreement.documentId, codeId: disagreement.codeId, start: disagreement.start, end: disagreement.end, id: result.codingIds[0] });
    // One segment per span: the consensus coding joins the segment A's and B's codings share.
    const segment = (await db.segments.where('documentId').equals(disagreement.documentId).toArray()).find((s) => s.start === disagreement.start && s.end === disagreement.end)!;
    expect(segment.codings.map((c) => c.coderId).sort()).toEqual([A, B, consensus!.id].sort());
    expect(segment.codings.find((c) => c.coderId === consensus!.id)!.createdBy).toBe(consensus!.id);

    const memo = (await db.memos.get(result.memoId!))!;
    expect(memo).toMatchObject({ targetType: 'segment', targetId: segment.id, createdBy: consensus!.id, text: 'Both read it as use in the region; A’s code fits.' });
    expect(memo.title).toBe(consensusMemoTitle('Regional adaptation and use', disagreement));

    const doc = (await db.documents.get(disagreement.documentId))!;
    expect(doc.codingCount).toBe(records.documents.find((d) => d.id === doc.id)!.codingCount + 1);
    expect(doc.coderIds).toContain(consensus!.id);
    expect(checkStudyRecords(await loadStudyRecords(db, studyId))).toEqual([]);
    expect(history.nextUndo).toBe('Consensus on “Regional adaptation and use”: Researcher A’s coding kept');

    // A second resolution reuses the coder: no second "Consensus".
    const other = disagreementOf('doc-p08', 'rel-benchmarking', {
      [A]: [await codingAt('doc-p08', 'rel-benchmarking', A, spanOf('doc-p08', quoteOf('doc-p08', 'rel-benchmarking', 'r1')))],
      [B]: [],
    });
    const second = await history.perform(() => resolveDisagreement(db, studyId, other, { accept: [A], memo: '' }));
    expect(second.consensusCoderId).toBe(consensus!.id);
    expect(second.memoId).toBeNull();
    expect((await db.coders.where('studyId').equals(studyId).toArray()).filter((c) => c.name === 'Consensus')).toHaveLength(1);

    await history.undo();
    await history.undo();
    expect(await snapshot()).toEqual(before);
  });

  it('accepts both coders: one consensus coding per distinct span', async () => {
    const a = spanOf('doc-p05', quoteOf('doc-p05', 'rel-gated-licences', 'r1'));
    const b = spanOf('doc-p05', quoteOf('doc-p05', 'rel-gated-licences', 'r2'));
    expect(a).not.toEqual(b);
    const disagreement = disagreementOf('doc-p05', 'rel-gated-licences', {
      [A]: [await codingAt('doc-p05', 'rel-gated-licences', A, a)],
      [B]: [await codingAt('doc-p05', 'rel-gated-licences', B, b)],
    });
    const result = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [A, B], memo: 'Both passages describe the gate.' }));
    const spans = (await consensusCodings(result.consensusCoderId)).map((c) => ({ start: c.start, end: c.end, codeId: c.codeId }));
    expect(spans.sort((x, y) => x.start - y.start)).toEqual([a, b].sort((x, y) => x.start - y.start).map((s) => ({ ...s, codeId: codeId('rel-gated-licences') })));
    expect(result.codingIds).toHaveLength(2);
    // The memo sits on the earlier span's segment.
    const first = [a, b].sort((x, y) => x.start - y.start)[0]!;
    const memo = (await db.memos.get(result.memoId!))!;
    expect((await db.segments.get(memo.targetId))).toMatchObject({ start: first.start, end: first.end });
    expect(history.nextUndo).toBe('Consensus on “Gated licences exclude regions”: codings of Researcher A and Researcher B kept');
  });

  it('accepts neither: no consensus coding, the memo goes on the document; without a memo there is nothing to record', async () => {
    const before = await snapshot();
    const disagreement = await regionalDisagreement();
    await expect(resolveDisagreement(db, studyId, disagreement, { accept: [], memo: '   ' })).rejects.toThrow(
      new ChangeRefused('Nothing to record: the consensus keeps no coding here and there is no memo. Write a memo saying why neither coding was kept.'),
    );
    expect(await snapshot()).toEqual(before);
    // Accepting the coder who did not code it is the same decision.
    await expect(resolveDisagreement(db, studyId, disagreement, { accept: [B], memo: '' })).rejects.toThrow('Nothing to record');
    expect(await snapshot()).toEqual(before);

    const result = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [], memo: 'Neither: this is about users, not the project.' }));
    expect(await consensusCodings(result.consensusCoderId)).toEqual([]);
    expect(await db.memos.get(result.memoId!)).toMatchObject({ targetType: 'document', targetId: disagreement.documentId, createdBy: result.consensusCoderId, title: consensusMemoTitle('Regional adaptation and use', disagreement) });
    expect(history.nextUndo).toBe('Consensus on “Regional adaptation and use”: neither coding kept');
    await history.undo();
    expect(await snapshot()).toEqual(before);
  });

  it('resolving the same span again replaces the earlier decision, codings and memo', async () => {
    const disagreement = await regionalDisagreement();
    const first = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [A], memo: 'First reading.' }));
    const afterFirst = await snapshot();

    const second = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [], memo: 'On reflection, neither.' }));
    expect(await consensusCodings(first.consensusCoderId)).toEqual([]);
    expect(await db.memos.get(first.memoId!)).toBeUndefined();
    const consensusMemos = (await db.memos.where('studyId').equals(studyId).toArray()).filter((m) => m.createdBy === first.consensusCoderId);
    expect(consensusMemos.map((m) => [m.targetType, m.text])).toEqual([['document', 'On reflection, neither.']]);
    expect(second.memoId).toBe(consensusMemos[0]!.id);

    // And back to A, with a new memo text: one consensus coding again, one memo, on the segment.
    const third = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [A], memo: 'A after all.' }));
    expect(await consensusCodings(first.consensusCoderId)).toHaveLength(1);
    const memos = (await db.memos.where('studyId').equals(studyId).toArray()).filter((m) => m.createdBy === first.consensusCoderId);
    expect(memos.map((m) => [m.targetType, m.text, m.id])).toEqual([['segment', 'A after all.', third.memoId]]);

    // The same decision again only edits the memo; exactly the same decision is refused.
    const fourth = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [A], memo: 'A after all, as agreed on Friday.' }));
    expect(fourth.memoId).toBe(third.memoId);
    expect(fourth.codingIds).toEqual(third.codingIds);
    await expect(resolveDisagreement(db, studyId, disagreement, { accept: [A], memo: 'A after all, as agreed on Friday.' })).rejects.toThrow('The consensus already holds exactly this decision.');

    await history.undo();
    await history.undo();
    await history.undo();
    expect(await snapshot()).toEqual(afterFirst);
  });

  it('undo restores exactly, and resolving after the undo brings the consensus coder back under the same GUID', async () => {
    const before = await snapshot();
    const disagreement = await regionalDisagreement();
    const first = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [A], memo: 'Kept.' }));
    await history.undo();
    expect(await snapshot()).toEqual(before);
    expect(await findConsensusCoderId(db, studyId)).toBeNull();

    await history.redo();
    expect(await findConsensusCoderId(db, studyId)).toBe(first.consensusCoderId);
    await history.undo();

    const again = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [A], memo: 'Kept.' }));
    expect(again.consensusCoderId).toBe(first.consensusCoderId);
  });

  it('a renamed consensus coder stays the consensus coder', async () => {
    const disagreement = await regionalDisagreement();
    const first = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [A], memo: '' }));
    await db.coders.update(first.consensusCoderId, { name: 'Team decision' });
    const second = await history.perform(() => resolveDisagreement(db, studyId, disagreement, { accept: [], memo: 'Neither after all.' }));
    expect(second.consensusCoderId).toBe(first.consensusCoderId);
    expect((await db.coders.where('studyId').equals(studyId).toArray()).map((c) => c.name).sort()).toEqual(['Researcher A', 'Researcher B', 'Team decision']);
  });

  it('refuses a stale disagreement or a coder outside it, writing nothing', async () => {
    const disagreement = await regionalDisagreement();
    const before = await snapshot();
    const stale: Disagreement = { ...disagreement, byCoder: { ...disagreement.byCoder, [A]: [{ ...disagreement.byCoder[A]![0]!, end: disagreement.end - 1 }] } };
    await expect(resolveDisagreement(db, studyId, stale, { accept: [A], memo: 'x' })).rejects.toThrow(
      'A coding of this disagreement was changed or removed since the agreement was computed; nothing was written. Look at the disagreement again.',
    );
    await expect(resolveDisagreement(db, studyId, disagreement, { accept: ['someone-else'], memo: 'x' })).rejects.toThrow('Only the coders compared in this disagreement can be accepted.');
    await expect(resolveDisagreement(db, studyId, { ...disagreement, documentId: 'gone' }, { accept: [A], memo: 'x' })).rejects.toThrow('The transcript of this disagreement is no longer in the study');
    expect(await snapshot()).toEqual(before);
    expect(await getSetting(db, agreementSettingKey(studyId))).toBeUndefined();
  });
});

describe('with the engine', () => {
  it('resolving a listed disagreement into the consensus coder makes the consensus agree with that coder there', async () => {
    const data = await loadAgreementData(db, studyId);
    const input = buildAgreementInput(data, { coderIds: [A, B], documentIds: [documentId('doc-p03')] });
    const disagreements = findDisagreements(input, { unit: 'segment' });
    const target = disagreements.find((d) => d.codeId === codeId('rel-regional-adaptation'))!;
    expect(target.byCoder[A]).toHaveLength(1);
    expect(target.byCoder[B]).toEqual([]);
    const result = await history.perform(() => resolveDisagreement(db, studyId, target, { accept: [A], memo: '' }));

    const withConsensus = buildAgreementInput(await loadAgreementData(db, studyId), { coderIds: [A, result.consensusCoderId], documentIds: [documentId('doc-p03')], codeIds: [target.codeId] });
    const agreement = computeAgreement(withConsensus, { unit: 'document' });
    expect(agreement.perCode[0]).toMatchObject({ codeId: target.codeId, percent: 1 });
  });
});
