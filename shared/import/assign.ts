/**
 * Suggests the case and participants of an imported file from its name
 * ("Interview_P03_Bielik.docx" → participant P03, case Bielik): a name matches when all
 * its words appear together in the file name, ignoring case, accents and leading zeros.
 */
import type { Case, Guid, Participant } from '../model/types.ts';

export interface AssignmentSuggestion {
  caseId: Guid | null;
  participantIds: Guid[];
}

export function suggestAssignment(
  fileName: string,
  cases: readonly Pick<Case, 'id' | 'name'>[],
  participants: readonly Pick<Participant, 'id' | 'pseudonym' | 'caseId'>[],
): AssignmentSuggestion {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  const tokens = nameTokens(dot > 0 ? base.slice(0, dot) : base);

  const participantIds = participants.filter((p) => matchLength(tokens, nameTokens(p.pseudonym)) > 0).map((p) => p.id);

  const scored = cases.map((c) => ({ id: c.id, length: matchLength(tokens, nameTokens(c.name)) })).filter((c) => c.length > 0);
  const best = Math.max(0, ...scored.map((c) => c.length));
  const bestCases = scored.filter((c) => c.length === best);
  let caseId = bestCases.length === 1 ? bestCases[0]!.id : null;
  if (caseId === null && bestCases.length === 0) {
    // No case named in the file: the participants' own case, when they agree on one.
    const theirs = new Set(participants.filter((p) => participantIds.includes(p.id)).map((p) => p.caseId));
    if (theirs.size === 1) caseId = [...theirs][0] ?? null;
  }
  return { caseId, participantIds };
}

// Letters that Unicode does not decompose into a base letter and an accent.
const LETTER_FOLDS: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ß: 'ss', ı: 'i' };

/**
 * Words of a name for matching: split at anything but letters and digits, between a
 * lower-case and an upper-case letter, and between letters and digits; lower case, accents
 * removed (ł, ø and the like folded too), leading zeros dropped ("P03" → "p", "3").
 */
export function nameTokens(name: string): string[] {
  return name
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łøđðþæœßı]/g, (c) => LETTER_FOLDS[c] ?? c)
    .split(/[^\p{L}\p{N}]+|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u)
    .filter((t) => t !== '')
    .map((t) => (/^\d+$/.test(t) ? String(Number(t)) : t));
}

/** Number of words of `name` when they all appear, in order and together, among `tokens`; else 0. */
function matchLength(tokens: readonly string[], name: readonly string[]): number {
  if (name.length === 0) return 0;
  for (let i = 0; i + name.length <= tokens.length; i += 1) {
    if (name.every((t, j) => tokens[i + j] === t)) return name.length;
  }
  return 0;
}
