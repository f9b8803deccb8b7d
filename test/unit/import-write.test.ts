import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFixture } from '../../fixtures/import/files.ts';
import { parseImportFile } from '../../shared/import/import-file.ts';
import type { ParsedTranscript } from '../../shared/import/types.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, History } from '../../renderer/data/history.ts';
import { importTranscript, importTranscripts } from '../../renderer/data/import.ts';
import { importStudyFile, loadStudyRecords } from '../../renderer/data/studies.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const studyFile = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Import study' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }],
  cases: [{ key: 'kestrel', name: 'Kestrel' }],
  participants: [{ key: 'p04', pseudonym: 'P04', case: 'kestrel' }],
  codes: [{ key: 'motivation', name: 'Motivation', stage: 'pre', kind: 'on-ramp' }],
});

let db: CartographyDb;
let ids: { study: string; coder: string; kestrel: string; p04: string; motivation: string };

/** Every record; the study's modifiedAt is left out (it records the last change, undo included). */
const snapshot = async () => comparable(await dumpTables(db), { settings: false });
async function parsed(name: string): Promise<ParsedTranscript[]> {
  const result = await parseImportFile(name, importFixture(name));
  expect(result.problems).toEqual([]);
  return result.documents;
}

beforeEach(async () => {
  db = new CartographyDb(`import-${Math.random()}`);
  await db.open();
  const study = await importStudyFile(db, studyFile, 'import.cartography.json');
  const r = await loadStudyRecords(db, study);
  ids = { study, coder: r.coders[0]!.id, kestrel: r.cases[0]!.id, p04: r.participants[0]!.id, motivation: r.codes[0]!.id };
});
afterEach(async () => {
  await db.delete();
});

describe('importing a parsed transcript', () => {
  it('writes the document, its text and turns with the assignment and import details', async () => {
    const [doc] = await parsed('interview-bom-crlf.txt');
    const { documentId, change } = await importTranscript(db, ids.study, doc!, { fileName: 'interview-bom-crlf.txt', caseId: ids.kestrel, participantIds: [ids.p04] }, ids.coder);
    expect(change.label).toBe('Import “interview-bom-crlf.txt”');
    const stored = (await db.documents.get(documentId))!;
    expect(stored).toMatchObject({
      studyId: ids.study,
      createdBy: ids.coder,
      title: doc!.title,
      caseId: ids.kestrel,
      participantIds: [ids.p04],
      sourceFormat: 'txt',
      length: doc!.text.length,
      codingCount: 0,
      coderIds: [],
      turns: doc!.turns,
      importMeta: { fileName: 'interview-bom-crlf.txt', encoding: doc!.encoding, notes: doc!.notes },
    });
    expect(stored.wordCount).toBeGreaterThan(10);
    expect(await db.texts.get(documentId)).toEqual({ id: documentId, studyId: ids.study, text: doc!.text });
  });

  it('marks the speaker the researcher chose as the interviewer, and only that speaker', async () => {
    const [doc] = await parsed('interview.srt');
    const speaker = doc!.speakers.at(-1)!;
    const { documentId } = await importTranscript(db, ids.study, doc!, { fileName: 'interview.srt', caseId: null, participantIds: [], interviewer: speaker }, ids.coder);
    const turns = (await db.documents.get(documentId))!.turns;
    expect(turns.filter((t) => t.isInterviewer).map((t) => t.speaker)).toEqual(turns.filter((t) => t.speaker === speaker).map(() => speaker));
    expect(turns.some((t) => t.isInterviewer)).toBe(true);
  });

  it('turns CSV codes into codings: existing codes found by name whatever the case, missing ones created as drafts', async () => {
    const docs = await parsed('coded-excerpts.csv');
    const entries = docs.map((d) => ({ parsed: d, assignment: { fileName: 'coded-excerpts.csv', caseId: d.caseName === 'Kestrel' ? ids.kestrel : null, participantIds: d.caseName === 'Kestrel' ? [ids.p04] : [] } }));
    const { documentIds } = await importTranscripts(db, ids.study, 'coded-excerpts.csv', entries, ids.coder);
    expect(documentIds).toHaveLength(2);

    const r = await loadStudyRecords(db, ids.study);
    expect(r.codes.map((c) => c.name).sort()).toEqual(['Motivation', 'governance', 'norms', 'origins', 'responsiveness']);
    const created = r.codes.filter((c) => c.id !== ids.motivation);
    expect(created.every((c) => c.kind === 'other' && c.stageId === null && c.status === 'draft' && c.createdBy === ids.coder)).toBe(true);
    expect(new Set(created.map((c) => c.order)).size).toBe(created.length);

    const p04 = r.documents.find((d) => d.title === 'Interview P04')!;
    const text = r.texts.find((t) => t.id === p04.id)!.text;
    const codingsOf = (docId: string) => r.codings.filter((c) => c.documentId === docId);
    expect(p04.codingCount).toBe(4);
    expect(p04.coderIds).toEqual([ids.coder]);
    expect(codingsOf(p04.id)).toHaveLength(4);
    expect(codingsOf(p04.id).every((c) => c.coderId === ids.coder)).toBe(true);
    const motivation = r.codings.find((c) => c.codeId === ids.motivation)!;
    const segment = r.segments.find((s) => s.id === motivation.segmentId)!;
    expect(segment.text).toBe(text.slice(segment.start, segment.end));
    expect(segment.text.startsWith('A friend asked me')).toBe(true);

    // stored segments carry the index of their codes
    const stored = await db.segments.where('codeIds').equals(ids.motivation).toArray();
    expect(stored).toHaveLength(1);
    const p12 = r.documents.find((d) => d.title === 'Interview P12')!;
    expect(p12.codingCount).toBe(1);
  });

  it('undoing the import removes the documents, texts, segments and new codes; redo brings them back', async () => {
    const before = await snapshot();
    const history = new History(db);
    const docs = await parsed('coded-excerpts.csv');
    const { change } = await importTranscripts(db, ids.study, 'coded-excerpts.csv', docs.map((d) => ({ parsed: d, assignment: { fileName: 'coded-excerpts.csv', caseId: null, participantIds: [] } })), ids.coder);
    history.record(change);
    const after = await snapshot();
    expect(after['documents']).toHaveLength(2);
    expect(after['segments']).toHaveLength(3);

    expect(await history.undo()).toBe('Import “coded-excerpts.csv”');
    expect(await snapshot()).toEqual(before);
    await history.redo();
    expect(await snapshot()).toEqual(after);
  });

  it('a file whose second transcript cannot be written leaves the database unchanged', async () => {
    const before = await snapshot();
    const docs = await parsed('coded-excerpts.csv');
    const entries = [
      { parsed: docs[0]!, assignment: { fileName: 'coded-excerpts.csv', caseId: ids.kestrel, participantIds: [] } },
      { parsed: docs[1]!, assignment: { fileName: 'coded-excerpts.csv', caseId: 'a-case-deleted-meanwhile', participantIds: [] } },
    ];
    await expect(importTranscripts(db, ids.study, 'coded-excerpts.csv', entries, ids.coder)).rejects.toBeInstanceOf(ChangeRefused);
    expect(await snapshot()).toEqual(before);
  });

  it('a storage failure part-way through the write rolls the whole file back', async () => {
    const before = await snapshot();
    const docs = await parsed('coded-excerpts.csv');
    // documents and texts are written before segments: fail there
    const table = Object.getPrototypeOf(db.segments) as { bulkPut: (this: { name: string }, ...args: unknown[]) => Promise<unknown> };
    const bulkPut = table.bulkPut;
    table.bulkPut = function (...args) {
      return this.name === 'segments' ? Promise.reject(new Error('disk full')) : bulkPut.apply(this, args);
    };
    try {
      await expect(importTranscripts(db, ids.study, 'coded-excerpts.csv', docs.map((d) => ({ parsed: d, assignment: { fileName: 'coded-excerpts.csv', caseId: null, participantIds: [] } })), ids.coder)).rejects.toThrow('disk full');
    } finally {
      table.bulkPut = bulkPut;
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses codings when the study has no coder, writing nothing', async () => {
    const before = await snapshot();
    const docs = await parsed('coded-excerpts.csv');
    await expect(importTranscript(db, ids.study, docs[0]!, { fileName: 'coded-excerpts.csv', caseId: null, participantIds: [] }, null)).rejects.toThrow(/need a coder/);
    expect(await snapshot()).toEqual(before);
  });
});
