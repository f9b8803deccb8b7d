/** The words every REFI-QDA message is made of (import, export, unzipping, merge), so they read alike. */

/** A name or value as messages quote it: “like this”. */
export const quoted = (s: string) => `“${s}”`;

/** A count with its noun, e.g. plural(2, 'code has', 'codes have') → "2 codes have". */
export const plural = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);
