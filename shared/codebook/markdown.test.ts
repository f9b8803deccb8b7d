import { describe, expect, it } from 'vitest';
import type { Code, Stage } from '../model/types.ts';
import { codebookToMarkdown, escapeMarkdown } from './markdown.ts';

const t = { studyId: 's', createdAt: '2025-01-02T03:04:05.000Z', modifiedAt: '2025-01-02T03:04:05.000Z', createdBy: null };
const stages: Stage[] = [
  { ...t, id: 'post', name: 'Post-release', description: '', order: 1 },
  { ...t, id: 'pre', name: 'Pre-training', description: '', order: 0 },
];
const blank = { ...t, color: '#4e79a7', kind: 'challenge', mode: 'cathedral', status: 'active', shortDefinition: '', definition: '', useWhen: '', doNotUseWhen: '', examples: [] } satisfies Partial<Code>;
const code = (id: string, name: string, order: number, rest: Partial<Code> = {}): Code => ({ ...blank, id, name, order, parentId: null, stageId: 'pre', ...rest });

const codes: Code[] = [
  code('data', 'Data access', 0, {
    shortDefinition: 'Getting data, "legally", at scale',
    definition: 'Line one\nLine two, with a comma\n\n    A second paragraph.',
    useWhen: 'Données — 数据 🚀',
    doNotUseWhen: '*secret* <script> & &amp;',
    examples: ['"We scraped it," she said.', '1. Not a list'],
  }),
  code('licences', 'Licences [draft]', 1, { parentId: 'data', mode: 'bazaar', status: 'draft', examples: ['=SUM(A1)'] }),
  code('funding', 'Funding', 2, { stageId: null, kind: 'on-ramp', mode: 'neutral', status: 'retired' }),
  code('deriv', 'Derivatives', 3, { stageId: 'post', kind: 'other', useWhen: 'Fine-tunes\n\nand merges' }),
  code('forks', '#forks', 4, { stageId: 'post', kind: 'on-ramp', parentId: 'deriv' }),
];

describe('codebookToMarkdown', () => {
  it('writes stages in order, then cross-stage, each by kind, with nested codes as deeper headings and user text escaped', () => {
    expect(codebookToMarkdown('Open *LLM* study', stages, codes, new Map([['data', 12]]))).toBe(
      [
        '# Codebook: Open \\*LLM\\* study',
        '## Pre\\-training',
        '### Challenges',
        '#### Data access',
        '*Getting data, "legally", at scale*',
        'Line one\\\nLine two, with a comma',
        'A second paragraph.',
        '**Use when:** Données — 数据 🚀',
        '**Do not use when:** \\*secret\\* &lt;script\\> & &amp;amp;',
        '**Examples:**',
        '- "We scraped it," she said.\n- 1\\. Not a list',
        'Mode: Cathedral · Status: Active · Codings: 12',
        '##### Licences \\[draft\\]',
        '**Examples:**',
        '- \\=SUM\\(A1\\)',
        'Mode: Bazaar · Status: Draft · Codings: 0',
        '## Post\\-release',
        '### On-ramps',
        '#### Derivatives › \\#forks',
        'Mode: Cathedral · Status: Active · Codings: 0',
        '### Descriptive / other',
        '#### Derivatives',
        '**Use when:** Fine\\-tunes',
        'and merges',
        'Mode: Cathedral · Status: Active · Codings: 0',
        '## Cross-stage',
        '### On-ramps',
        '#### Funding',
        'Mode: Neutral · Status: Retired · Codings: 0',
      ].join('\n\n') + '\n',
    );
  });

  it('leaves out counts when none are given, and empty stages and kinds', () => {
    expect(codebookToMarkdown('S', stages, [code('funding', 'Funding', 0, { stageId: null })])).toBe('# Codebook: S\n\n## Cross-stage\n\n### Challenges\n\n#### Funding\n\nMode: Cathedral · Status: Active\n');
  });

  it('keeps headings at level 6 below the fourth level and shows the path there', () => {
    const chain = ['a', 'b', 'c', 'd'].map((id, i) => code(id, id.toUpperCase(), i, { parentId: i === 0 ? null : 'abcd'[i - 1]! }));
    const headings = codebookToMarkdown('S', stages, chain).split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual(['# Codebook: S', '## Pre\\-training', '### Challenges', '#### A', '##### B', '###### C', '###### A › B › C › D']);
  });

  it('still lists codes caught in a parent loop', () => {
    const loop = [code('a', 'A', 0, { parentId: 'b' }), code('b', 'B', 1, { parentId: 'a' })];
    const headings = codebookToMarkdown('S', stages, loop).split('\n').filter((l) => l.startsWith('####'));
    expect(headings).toEqual(['#### B › A', '##### B']);
  });

  it('says so when the codebook is empty', () => {
    expect(codebookToMarkdown('S', stages, [])).toBe('# Codebook: S\n\nThis codebook has no codes yet.\n');
  });
});

describe('escapeMarkdown', () => {
  it('backslash-escapes Markdown punctuation and writes < and entity-like & as entities', () => {
    expect(escapeMarkdown('\\ ` * _ [ ] ( ) # + - ! | > ~ < & &copy; &#60;')).toBe('\\\\ \\` \\* \\_ \\[ \\] \\( \\) \\# \\+ \\- \\! \\| \\> \\~ &lt; & &amp;copy; &amp;\\#60;');
  });

  it('escapes a number that would start a numbered list and = that would underline a heading', () => {
    expect(['2024. A year', '3) three', '===', 'a = b'].map(escapeMarkdown)).toEqual(['2024\\. A year', '3\\) three', '\\===', 'a = b']);
  });
});
