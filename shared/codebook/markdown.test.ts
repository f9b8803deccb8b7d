import { describe, expect, it } from 'vitest';
import type { Code, Stage } from '../model/types.ts';
import { codebookToMarkdown, escapeMarkdown } from './markdown.ts';

const t = { studyId: 's', createdAt: '2025-01-02T03:04:05.000Z', modifiedAt: '2025-01-02T03:04:05.000Z', createdBy: null };
const stages: Stage[] = [
  { ...t, id: 'post', name: 'Post-release', description: '', order: 1 },
  { ...t, id: 'pre', name: 'Pre-training', description: '', order: 0 },
];
const blank = { ...t, color: '#4e79a7', kind: 'challenge', mode: 'cathedral', status: 'active', shortDefinition: '', definition: '', useWhen: '', doNotUseWhen: '', examples: [], history: [] } satisfies Partial<Code>;
const code = (id: string, name: string, order: number, rest: Partial<Code> = {}): Code => ({ ...blank, id, name, order, parentId: null, stageId: 'pre', ...rest });

const codes: Code[] = [
  code('data', 'Data access', 0, {
    shortDefinition: 'Getting data, "legally", at scale',
    definition: 'Line one\nLine two, with a comma\n\n    A second paragraph.',
    useWhen: 'Données — 数据 🚀',
    doNotUseWhen: '*secret* <script> & &amp;',
    examples: [
      { text: '"We scraped it," she said.', typical: true, segmentId: 'seg-3' },
      { text: '1. Not a list', typical: true, segmentId: null },
      { text: 'We asked, once.', typical: false, segmentId: 'seg-gone' },
    ],
    history: [{ at: '2025-01-03T00:00:00.000Z', by: null, summary: 'Not shown' }],
  }),
  code('licences', 'Licences [draft]', 1, { parentId: 'data', mode: 'bazaar', status: 'draft', examples: [{ text: '=SUM(A1)', typical: false, segmentId: 'seg-3' }] }),
  code('funding', 'Funding', 2, { stageId: null, kind: 'on-ramp', mode: 'neutral', status: 'retired' }),
  code('deriv', 'Derivatives', 3, { stageId: 'post', kind: 'other', useWhen: 'Fine-tunes\n\nand merges' }),
  code('forks', '#forks', 4, { stageId: 'post', kind: 'on-ramp', parentId: 'deriv' }),
];

describe('codebookToMarkdown', () => {
  it('writes stages in order, then cross-stage, each by kind, with nested codes as deeper headings and user text escaped', () => {
    const describeSegment = (id: string) => (id === 'seg-3' ? 'Interview 3, *P2*' : null);
    expect(codebookToMarkdown('Open *LLM* study', stages, codes, new Map([['data', 12]]), { describeSegment })).toBe(
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
        '**Typical examples:**',
        '- "We scraped it," she said. — Interview 3, \\*P2\\*\n- 1\\. Not a list',
        '**Atypical examples:**',
        '- We asked, once. (from a coded segment)',
        'Mode: Cathedral · Status: Active · Codings: 12',
        '##### Licences \\[draft\\]',
        '**Atypical examples:**',
        '- \\=SUM\\(A1\\) — Interview 3, \\*P2\\*',
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

  it('says a linked example comes from a coded segment when the caller does not describe segments', () => {
    const lines = codebookToMarkdown('S', stages, codes.slice(0, 1)).split('\n');
    expect(lines.filter((l) => l.startsWith('- '))).toEqual(['- "We scraped it," she said. (from a coded segment)', '- 1\\. Not a list', '- We asked, once. (from a coded segment)']);
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
