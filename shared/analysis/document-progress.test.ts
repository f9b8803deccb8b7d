import { describe, expect, it } from 'vitest';
import { documentProgress } from './document-progress.ts';

describe('documentProgress', () => {
  it('counts covered characters once where codings overlap, and lists the stages touched', () => {
    const progress = documentProgress(
      [{ id: 'd1', length: 100 }, { id: 'd2', length: 50 }],
      [
        { documentId: 'd1', start: 0, end: 10, codeIds: ['a'] },
        { documentId: 'd1', start: 5, end: 20, codeIds: ['b'] },
        { documentId: 'd1', start: 50, end: 60, codeIds: ['c'] },
        { documentId: 'd1', start: 52, end: 55, codeIds: ['a'] },
        { documentId: 'd1', start: 70, end: 80, codeIds: [] }, // a segment kept only for a memo
      ],
      [{ id: 'a', stageId: 'pre' }, { id: 'b', stageId: 'post' }, { id: 'c', stageId: null }],
    );
    expect(progress.get('d1')).toEqual({ codedCharacters: 30, share: 0.3, stageIds: ['pre', 'post'] });
    expect(progress.get('d2')).toEqual({ codedCharacters: 0, share: 0, stageIds: [] });
  });
});
