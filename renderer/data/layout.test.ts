import { describe, expect, it } from 'vitest';
import type { Coding, Segment } from '../../shared/model/types.ts';
import { codingsOf, segmentOf, toStoredSegments } from './layout.ts';

const stamp = { studyId: 's', createdAt: '2026-01-01T00:00:00.000Z', modifiedAt: '2026-01-02T00:00:00.000Z', createdBy: 'ana' };
const segments: Segment[] = [
  { id: 'seg1', ...stamp, documentId: 'd1', start: 0, end: 5, text: 'alpha' },
  { id: 'seg2', ...stamp, documentId: 'd1', start: 6, end: 10, text: 'beta' },
];
const codings: Coding[] = [
  { id: 'c1', ...stamp, segmentId: 'seg1', codeId: 'secrecy', coderId: 'ana', documentId: 'd1' },
  { id: 'c2', ...stamp, segmentId: 'seg1', codeId: 'secrecy', coderId: 'bo', documentId: 'd1' },
  { id: 'c3', ...stamp, segmentId: 'seg1', codeId: 'compute', coderId: 'ana', documentId: 'd1' },
];

describe('segments with their codings', () => {
  it('nests codings in their segment with distinct code ids for the index', () => {
    const [one, two] = toStoredSegments(segments, codings);
    expect(one!.codings.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
    expect(one!.codeIds).toEqual(['secrecy', 'compute']);
    expect(two).toMatchObject({ codings: [], codeIds: [] });
  });

  it('gives back exactly the segments and codings it was given', () => {
    const stored = toStoredSegments(segments, codings);
    expect(stored.map(segmentOf)).toEqual(segments);
    expect(stored.flatMap(codingsOf)).toEqual(codings);
  });

  it('refuses a coding whose segment is missing', () => {
    expect(() => toStoredSegments(segments.slice(1), codings)).toThrow('coding c1 refers to a segment that does not exist (seg1)');
  });
});
