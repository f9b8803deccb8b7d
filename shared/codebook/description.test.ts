import { describe, expect, it } from 'vitest';
import { decodeDescription, encodeDescription, type DescribedFields } from './description.ts';

const fields: DescribedFields = {
  shortDefinition: 'Companies keep their training recipes to themselves.',
  definition: 'Organisations keep pre-training methods away from outsiders.\nConversations stay general.',
  useWhen: 'Know-how is withheld.',
  doNotUseWhen: 'Use when:\nthis line looks like a heading but is text',
  examples: ['“We compare notes on hardware, never data.”', 'two\nlines'],
  stage: 'Pre-training; early = yes',
  kind: 'challenge',
  mode: 'cathedral',
  status: 'draft',
};

describe('code descriptions for REFI-QDA', () => {
  it('writes readable sections and a final Cartography line', () => {
    expect(encodeDescription({ ...fields, doNotUseWhen: '', examples: ['one'], stage: 'Pre-training' })).toBe(
      [
        'Companies keep their training recipes to themselves.',
        '',
        'Definition:',
        'Organisations keep pre-training methods away from outsiders.',
        'Conversations stay general.',
        '',
        'Use when:',
        'Know-how is withheld.',
        '',
        'Examples:',
        '- one',
        '',
        'Cartography: stage=Pre-training; kind=challenge; mode=cathedral; status=draft',
      ].join('\n'),
    );
  });

  it('reads back exactly what it wrote, even text that looks like its own headings', () => {
    expect(decodeDescription(encodeDescription(fields))).toEqual(fields);
    const crossStage = { ...fields, stage: null, shortDefinition: '', definition: '- a dash\n\\ a backslash\nCartography: not the marker' };
    expect(decodeDescription(encodeDescription(crossStage))).toEqual(crossStage);
    expect(decodeDescription(encodeDescription(fields).replace(/\n/g, '\r\n'))).toEqual(fields);
  });

  it('takes another tool’s description as the definition', () => {
    expect(decodeDescription('  A theme from MAXQDA.\nSecond line.  ')).toEqual({
      shortDefinition: '',
      definition: 'A theme from MAXQDA.\nSecond line.',
      useWhen: '',
      doNotUseWhen: '',
      examples: [],
      stage: null,
      kind: 'other',
      mode: 'neutral',
      status: 'active',
    });
  });

  it('falls back to defaults for unknown values on the Cartography line', () => {
    const decoded = decodeDescription('Short.\n\nCartography: stage=; kind=opportunity; mode=?; status=');
    expect([decoded.shortDefinition, decoded.stage, decoded.kind, decoded.mode, decoded.status]).toEqual(['Short.', null, 'other', 'neutral', 'active']);
  });
});
