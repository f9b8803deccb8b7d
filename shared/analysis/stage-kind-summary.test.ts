import { describe, expect, it } from 'vitest';
import { summariseStageKind } from './stage-kind-summary.ts';

describe('summariseStageKind', () => {
  const codes = [
    { id: 'secrecy', stageId: 'pre', kind: 'challenge' as const },
    { id: 'expertise', stageId: 'pre', kind: 'challenge' as const },
    { id: 'compute', stageId: 'pre', kind: 'on-ramp' as const },
    { id: 'feedback', stageId: 'post', kind: 'on-ramp' as const },
    { id: 'governance', stageId: null, kind: 'other' as const },
  ];
  const documents = [
    { id: 'd1', caseId: 'norway' },
    { id: 'd2', caseId: 'norway' },
    { id: 'd3', caseId: 'masakhane' },
    { id: 'd4', caseId: null },
  ];

  it('counts coded segments per case, stage and kind, a segment once per cell', () => {
    const { byCase, totals } = summariseStageKind(
      codes,
      [
        { codeId: 'secrecy', segmentId: 's1', documentId: 'd1' },
        { codeId: 'expertise', segmentId: 's1', documentId: 'd1' }, // same segment, same cell: once
        { codeId: 'compute', segmentId: 's1', documentId: 'd1' }, // same segment, other kind: counts
        { codeId: 'secrecy', segmentId: 's2', documentId: 'd2' },
        { codeId: 'feedback', segmentId: 's3', documentId: 'd3' },
        { codeId: 'governance', segmentId: 's4', documentId: 'd3' }, // cross-stage: not in any stage
        { codeId: 'feedback', segmentId: 's5', documentId: 'd4' }, // no case
      ],
      documents,
    );
    expect(byCase.get('norway')?.get('pre')).toEqual({ challenge: 2, onRamp: 1, other: 0 });
    expect(byCase.get('norway')?.has('post')).toBe(false);
    expect(byCase.get('masakhane')?.get('post')).toEqual({ challenge: 0, onRamp: 1, other: 0 });
    expect(totals.get('pre')).toEqual({ challenge: 2, onRamp: 1, other: 0 });
    expect(totals.get('post')).toEqual({ challenge: 0, onRamp: 1, other: 0 });
  });
});
