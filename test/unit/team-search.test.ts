import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { visibleSegment, type BlindView } from '../../renderer/features/search/blind.ts';
import { codedSpans } from '../../renderer/search/results.ts';

const coding = (id: string, codeId: string, coderId: string) => ({ id, codeId, coderId, createdAt: '', modifiedAt: '', createdBy: null });
const segment = { id: 's1', documentId: 'd1', start: 4, end: 20, codings: [coding('c1', 'tech', 'ana'), coding('c2', 'data', 'ben'), coding('c3', 'tech', 'ben')], codeIds: ['tech', 'data'] };
const blindAs = (coderId: string | null): BlindView => ({ blind: true, coderId, coderName: coderId ?? 'nobody' });

describe('what search sees of a segment while the team codes blind', () => {
  it('everything when not blind', () => {
    expect(visibleSegment(segment, { blind: false })).toBe(segment);
  });

  it('only the active coder’s codings, with the codes index recomputed from them', () => {
    expect(visibleSegment(segment, blindAs('ana'))).toEqual({ ...segment, codings: [coding('c1', 'tech', 'ana')], codeIds: ['tech'] });
    expect(visibleSegment(segment, blindAs('ben'))).toEqual({ ...segment, codings: [coding('c2', 'data', 'ben'), coding('c3', 'tech', 'ben')], codeIds: ['data', 'tech'] });
  });

  it('nothing when the coder has no coding there (or there is no coder)', () => {
    expect(visibleSegment(segment, blindAs('cleo'))).toBeNull();
    expect(visibleSegment(segment, blindAs(null))).toBeNull();
  });

  it('so "within coding of" a code searches only the spans the coder coded with it', () => {
    const other = { ...segment, id: 's2', start: 30, end: 40, codings: [coding('c4', 'data', 'ana')], codeIds: ['data'] };
    const spans = (view: BlindView) => codedSpans([segment, other].flatMap((s) => visibleSegment(s, view) ?? []), ['data']);
    expect(spans({ blind: false })).toEqual({ d1: [{ start: 4, end: 20 }, { start: 30, end: 40 }] });
    expect(spans(blindAs('ana'))).toEqual({ d1: [{ start: 30, end: 40 }] });
    expect(spans(blindAs('ben'))).toEqual({ d1: [{ start: 4, end: 20 }] });
  });
});
