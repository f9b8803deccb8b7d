/** Colours given to codes that arrive without one, in turn (Tableau 10: distinct, readable on white). */
export const CODE_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

/** The colour for the n-th code without one. */
export function codeColor(n: number): string {
  return CODE_COLORS[((n % CODE_COLORS.length) + CODE_COLORS.length) % CODE_COLORS.length]!;
}
