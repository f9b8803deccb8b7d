import { describe, expect, it } from 'vitest';
import { decodeDescription, encodeDescription, type DescribedFields } from './description.ts';

const fields: DescribedFields = {
  shortDefinition: 'Companies keep their training recipes to themselves.',
  definition: 'Organisations keep pre-training methods away from outsiders.\nConversations stay general.',
  useWhen: 'Know-how is withheld.',
  doNotUseWhen: 'Use when:\nthis line looks like a heading but is text',
  examples: [
    { text: '“We compare notes on hardware, never data.”', typical: true, segmentId: 'aaaaaaaa-0000-4000-8000-0000000005e1' },
    { text: 'two\nlines \\ [segment:none]', typical: true, segmentId: null },
    { text: 'Typical examples:', typical: false, segmentId: null },
    { text: 'Ends like a link [segment:aaaaaaaa-0000-4000-8000-0000000005e1]', typical: false, segmentId: null },
  ],
  stage: 'Pre-training; early = yes',
  kind: 'challenge',
  mode: 'cathedral',
  status: 'draft',
};

describe('code descriptions for REFI-QDA', () => {
  it('writes readable sections and a final Cartography line', () => {
    const examples = [
      { text: 'one', typical: true, segmentId: 'aaaaaaaa-0000-4000-8000-0000000005e1' },
      { text: 'two [segment:none]', typical: true, segmentId: null },
      { text: 'three', typical: false, segmentId: null },
    ];
    expect(encodeDescription({ ...fields, doNotUseWhen: '', examples, stage: 'Pre-training' })).toBe(
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
        'Typical examples:',
        '- one [segment:aaaaaaaa-0000-4000-8000-0000000005e1]',
        '- two [segment:none] [segment:none]',
        '',
        'Atypical examples:',
        '- three',
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

  it('reads examples back typical first, whatever order they were in', () => {
    const mixed = { ...fields, examples: [fields.examples[2]!, fields.examples[0]!, fields.examples[3]!, fields.examples[1]!] };
    expect(decodeDescription(encodeDescription(mixed)).examples).toEqual(fields.examples);
  });

  it('reads the Examples: heading of earlier versions as typical examples, and keeps a link that is not a GUID as text', () => {
    const old = 'Short.\n\nExamples:\n- one\n- two\\nlines [segment:P03]\n\nAtypical examples:\n- three [segment:AAAAAAAA-0000-4000-8000-0000000005E1]\n\nCartography: stage=; kind=challenge; mode=bazaar; status=active';
    expect(decodeDescription(old).examples).toEqual([
      { text: 'one', typical: true, segmentId: null },
      { text: 'two\nlines [segment:P03]', typical: true, segmentId: null },
      { text: 'three', typical: false, segmentId: 'aaaaaaaa-0000-4000-8000-0000000005e1' },
    ]);
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
