import { describe, expect, it } from 'vitest';
import { summariseDocumentCodings } from './document-codings.ts';

describe('summariseDocumentCodings', () => {
  it('counts codings per document and lists their coders once each, sorted', () => {
    const summary = summariseDocumentCodings([
      { documentId: 'd1', coderId: 'zoe' },
      { documentId: 'd1', coderId: 'ana' },
      { documentId: 'd1', coderId: 'zoe' },
      { documentId: 'd2', coderId: 'bo' },
    ]);
    expect(Object.fromEntries(summary)).toEqual({ d1: { codingCount: 3, coderIds: ['ana', 'zoe'] }, d2: { codingCount: 1, coderIds: ['bo'] } });
  });
});
