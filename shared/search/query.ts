/**
 * The search syntax, parsed into plain data (so a query can be parsed once and posted to a
 * worker as it is):
 *   licence volunteers     both words must occur in a source (AND)
 *   "open data"            a phrase: consecutive tokens, whatever separates them
 *                          (spaces, line breaks, punctuation)
 *   fine-tune, don't, 数据  one word that tokenises to several tokens is a phrase too
 *   licen*                 a prefix; inside quotes as well: "open licen*"
 *   -grant, -"model card"  excluded: sources where it occurs do not match
 * Straight and typographic double quotes (" “ ” „) are all quotes. Nothing here throws:
 * a quote left open runs to the end of the query and is reported as a notice, and so are
 * terms without a letter or digit and a query that only excludes.
 */
import { foldTerm, scanTokens } from './tokenize.ts';

export interface QueryToken {
  /** Folded, as in the index. */
  term: string;
  /** Matches every term that starts with `term`. */
  prefix: boolean;
}

export type QueryTermKind = 'word' | 'prefix' | 'phrase';

export interface QueryTerm {
  kind: QueryTermKind;
  /** One token for a word or prefix; several, consecutive, for a phrase. */
  tokens: QueryToken[];
  exclude: boolean;
  /** The term as typed, without its quotes and minus sign: for display. */
  text: string;
}

export type QueryNotice =
  | { kind: 'unbalanced-quote'; at: number; message: string }
  | { kind: 'ignored-term'; text: string; message: string }
  | { kind: 'only-exclusions'; message: string };

export interface ParsedQuery {
  input: string;
  terms: QueryTerm[];
  notices: QueryNotice[];
}

const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);
const isSpace = (ch: string) => /\s/.test(ch);

function queryTokens(text: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  scanTokens(text, (start, end) => {
    tokens.push({ term: foldTerm(text.slice(start, end)), prefix: text[end] === '*' });
  });
  return tokens;
}

export function parseQuery(input: string): ParsedQuery {
  const terms: QueryTerm[] = [];
  const notices: QueryNotice[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    if (isSpace(input[i]!)) {
      i += 1;
      continue;
    }
    let exclude = false;
    if (input[i] === '-' && i + 1 < n && !isSpace(input[i + 1]!)) {
      exclude = true;
      i += 1;
    }
    let text: string;
    let quoted = false;
    if (QUOTES.has(input[i]!)) {
      quoted = true;
      const open = i;
      let close = i + 1;
      while (close < n && !QUOTES.has(input[close]!)) close += 1;
      text = input.slice(open + 1, close);
      if (close >= n) {
        notices.push({
          kind: 'unbalanced-quote',
          at: open,
          message: `The quote at position ${open + 1} is not closed: searching for the phrase "${text.trim()}" to the end of the query.`,
        });
      }
      i = close + 1;
    } else {
      const from = i;
      while (i < n && !isSpace(input[i]!) && !QUOTES.has(input[i]!)) i += 1;
      text = input.slice(from, i);
    }
    const tokens = queryTokens(text);
    if (tokens.length === 0) {
      if (text.trim() !== '' || !quoted) {
        notices.push({ kind: 'ignored-term', text, message: `"${text}" has no letters or digits to search for.` });
      }
      continue;
    }
    const kind: QueryTermKind = tokens.length > 1 ? 'phrase' : tokens[0]!.prefix ? 'prefix' : 'word';
    terms.push({ kind, tokens, exclude, text: text.trim() });
  }
  if (terms.length > 0 && terms.every((t) => t.exclude)) {
    notices.push({ kind: 'only-exclusions', message: 'The query only excludes: add a word or phrase to search for.' });
  }
  return { input, terms, notices };
}
