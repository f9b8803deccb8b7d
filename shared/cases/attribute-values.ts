/**
 * Attribute values as researchers type them and as spreadsheets carry them: what type a
 * column of cells is (detectType), a cell read under an attribute's type (parseAttributeValue),
 * a value written back as a cell (formatAttributeValue), and whether a stored value fits its
 * attribute (checkAttributeValue, which the study-file reader uses too, so a value a file may
 * carry and a value an import or an edit may write are one rule).
 *
 * Choices, so that a column never silently means something else than the researcher meant:
 * - Numbers use "." as the decimal mark and no thousands separators ("1234", "12.5", "-3",
 *   "1e6"). "1,234" is refused rather than guessed: it is one thousand two hundred and
 *   thirty-four in English and one point two three four in most of Europe.
 * - Yes/no: yes/no, true/false, y/n in any letter case. A column of only 0 and 1 is read as
 *   yes/no too (that is how most tools export a flag), and the reason says so, because a
 *   column of counts that happen to be 0 or 1 should be chosen as a number instead.
 * - Dates: yyyy-mm-dd always. dd/mm/yyyy and mm/dd/yyyy only when the column shows which
 *   one it is (a first part above 12 means day first, a second part above 12 month first);
 *   a column where every date reads both ways (03/04/2024) stays text, with the reason.
 * - Empty cells (and cells of only spaces) are "no value": detection ignores them.
 */
import type { AttributeDef, AttributeType, AttributeValue } from '../model/types.ts';

export type DetectedType = AttributeType;

/** Which part of a slashed date is the day. */
export type DateOrder = 'dmy' | 'mdy';

export interface Detection {
  type: AttributeType;
  /** For a category: its values, in the order they first appear in the column. */
  categories: string[];
  /** Why, in words: "14 of 14 values are whole numbers". */
  reason: string;
  /** For a date column written with slashes: which part is the day. */
  dateOrder?: DateOrder;
}

/** At most this many distinct values make a category… */
const MAX_CATEGORIES = 12;
/** …and no category value is longer than this (longer cells are sentences, not categories). */
const MAX_CATEGORY_LENGTH = 60;

const q = (s: string) => `“${s}”`;
const shortened = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

// ─── Recognising single cells ─────────────────────────────────────────────────────────────

const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Numbers with a comma: thousands separators ("1,234", "12,345,678") or a decimal comma ("12,5"). */
const COMMA_NUMBER = /^[-+]?\d+(,\d+)+$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const TRUE_WORDS = new Set(['yes', 'true', 'y']);
const FALSE_WORDS = new Set(['no', 'false', 'n']);

/** yyyy-mm-dd naming a day that exists (2025-02-30 does not). */
export function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function readNumber(text: string): number | null {
  if (!PLAIN_NUMBER.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function readBoolean(text: string): boolean | null {
  const word = text.toLowerCase();
  if (TRUE_WORDS.has(word) || word === '1') return true;
  if (FALSE_WORDS.has(word) || word === '0') return false;
  return null;
}

/** A slashed date as yyyy-mm-dd under the given order, or null when it names no real day. */
function slashDate(text: string, order: DateOrder): string | null {
  const m = SLASH_DATE.exec(text);
  if (!m) return null;
  const [day, month] = order === 'dmy' ? [m[1]!, m[2]!] : [m[2]!, m[1]!];
  const iso = `${m[3]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isRealDate(iso) ? iso : null;
}

/** What the slashed dates of a column say about their order: one order, both (ambiguous), or neither fits. */
export function slashDateOrder(values: readonly string[]): { order: DateOrder | null; ambiguous: boolean } {
  const slashed = values.filter((v) => SLASH_DATE.test(v));
  const dmy = slashed.every((v) => slashDate(v, 'dmy') !== null);
  const mdy = slashed.every((v) => slashDate(v, 'mdy') !== null);
  if (dmy && mdy) return { order: null, ambiguous: slashed.length > 0 };
  return { order: dmy ? 'dmy' : mdy ? 'mdy' : null, ambiguous: false };
}

// ─── Detecting a column's type ───────────────────────────────────────────────────────────

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The type a column of cells most likely has, with its category values and the reason in
 * words. Tried in order: yes/no, number, date, category, text; empty cells are left out.
 */
export function detectType(values: readonly string[]): Detection {
  const cells = values.map((v) => v.trim()).filter((v) => v !== '');
  const n = cells.length;
  const of = `${n} of ${n}`;
  if (n === 0) return { type: 'text', categories: [], reason: 'The column has no values, so nothing shows its type: text is assumed.' };

  const words = cells.map((c) => c.toLowerCase());
  if (words.every((w) => TRUE_WORDS.has(w) || FALSE_WORDS.has(w))) {
    return { type: 'boolean', categories: [], reason: `${of} values are yes/no answers (${[...new Set(words)].join(', ')}).` };
  }
  if (words.every((w) => w === '0' || w === '1')) {
    return { type: 'boolean', categories: [], reason: `${of} values are 0 or 1, read as no/yes; choose Number if they are counts.` };
  }

  const commaNumbers = cells.filter((c) => COMMA_NUMBER.test(c));
  if (commaNumbers.length > 0 && cells.every((c) => COMMA_NUMBER.test(c) || readNumber(c) !== null)) {
    return {
      type: 'text',
      categories: [],
      reason: `${q(commaNumbers[0]!)} could be a number with a thousands separator or with a decimal comma, so the column is read as text. Write numbers without separators and with a point for decimals (1234, 12.5) to import them as numbers.`,
    };
  }
  if (cells.every((c) => readNumber(c) !== null)) {
    const whole = cells.every((c) => Number.isInteger(Number(c)));
    return { type: 'number', categories: [], reason: `${of} values are ${whole ? 'whole numbers' : 'numbers'}.` };
  }

  if (cells.every((c) => isRealDate(c))) return { type: 'date', categories: [], reason: `${of} values are dates written yyyy-mm-dd.` };
  if (cells.every((c) => isRealDate(c) || SLASH_DATE.test(c))) {
    const { order, ambiguous } = slashDateOrder(cells);
    const slashed = cells.filter((c) => SLASH_DATE.test(c));
    if (ambiguous) {
      const example = slashed[0]!;
      return {
        type: 'text',
        categories: [],
        reason: `The dates can be read day first or month first (${q(example)} is ${describeDay(slashDate(example, 'dmy')!)} or ${describeDay(slashDate(example, 'mdy')!)}), so the column is read as text. Write them yyyy-mm-dd to import them as dates.`,
      };
    }
    if (order !== null) {
      const which = order === 'dmy' ? 'day/month/year' : 'month/day/year';
      const telling = slashed.find((c) => slashDate(c, order === 'dmy' ? 'mdy' : 'dmy') === null)!;
      return { type: 'date', categories: [], dateOrder: order, reason: `${of} values are dates; they are written ${which}, as ${q(telling)} shows.` };
    }
    // Some dates fit only one order and others only the other: not one way of writing dates.
  }

  const distinct = [...new Set(cells)];
  if (distinct.length <= MAX_CATEGORIES && distinct.length * 2 <= n && distinct.every((d) => d.length <= MAX_CATEGORY_LENGTH)) {
    const average = Math.round((n / distinct.length) * 10) / 10;
    return { type: 'category', categories: distinct, reason: `${plural(distinct.length, 'distinct value')} in ${plural(n, 'filled cell')} (each used ${average} times on average): a category.` };
  }
  const mixed = cells.some((c) => readNumber(c) !== null) && cells.some((c) => readNumber(c) === null);
  return {
    type: 'text',
    categories: [],
    reason: mixed
      ? `${plural(cells.filter((c) => readNumber(c) === null).length, 'value')} of ${n} ${cells.filter((c) => readNumber(c) === null).length === 1 ? 'is' : 'are'} not a number (such as ${q(shortened(cells.find((c) => readNumber(c) === null)!))}): text.`
      : `${plural(distinct.length, 'distinct value')} in ${plural(n, 'filled cell')}: free text.`,
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "2024-04-03" → "3 April 2024". */
function describeDay(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}

// ─── Reading and writing one value ───────────────────────────────────────────────────────

/** A case has no value of an attribute: the key is absent (as stored), null or "", which the matrices read alike. */
export const isNoValue = (value: AttributeValue | undefined): boolean => value === undefined || value === null || value === '';

export type ParsedValue = { ok: true; value: AttributeValue } | { ok: false; message: string };

export interface ParseOptions {
  /** How the column writes slashed dates (from detectType or slashDateOrder); without it only unambiguous ones are read. */
  dateOrder?: DateOrder | null;
}

/**
 * A cell read under an attribute's type. Spaces around the cell are dropped; an empty cell is
 * no value (null). The message says what the cell holds, what the attribute wants and what to
 * do; the caller adds where the cell is.
 */
export function parseAttributeValue(def: Pick<AttributeDef, 'type' | 'values' | 'name'>, raw: string, options: ParseOptions = {}): ParsedValue {
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  const cell = q(shortened(text));
  const name = q(def.name);
  switch (def.type) {
    case 'text':
      return { ok: true, value: text };
    case 'number': {
      const n = readNumber(text);
      if (n !== null) return { ok: true, value: n };
      if (COMMA_NUMBER.test(text)) {
        return { ok: false, message: `${cell} is not a number Cartography can read for ${name}: the comma could separate thousands or decimals. Write it without separators and with a point for decimals (for example 1234 or 12.5).` };
      }
      return { ok: false, message: `${cell} is not a number, and ${name} holds numbers. Write a number (for example 1234, 12.5 or -3) or leave the cell empty.` };
    }
    case 'boolean': {
      const b = readBoolean(text);
      if (b !== null) return { ok: true, value: b };
      return { ok: false, message: `${cell} is not yes or no, and ${name} is a yes/no attribute. Write yes or no (true/false and 1/0 are read too) or leave the cell empty.` };
    }
    case 'date': {
      if (isRealDate(text)) return { ok: true, value: text };
      if (ISO_DATE.test(text)) return { ok: false, message: `${cell} names no real day (check the month and the day), and ${name} holds dates. Correct the date or leave the cell empty.` };
      if (SLASH_DATE.test(text)) {
        const order = options.dateOrder ?? slashDateOrder([text]).order;
        const iso = order ? slashDate(text, order) : null;
        if (iso !== null) return { ok: true, value: iso };
        if (order === null && slashDate(text, 'dmy') !== null) {
          return { ok: false, message: `${cell} can be read day first or month first (${describeDay(slashDate(text, 'dmy')!)} or ${describeDay(slashDate(text, 'mdy')!)}). Write it yyyy-mm-dd for ${name}.` };
        }
        return { ok: false, message: `${cell} names no real day${order ? ` when read ${order === 'dmy' ? 'day/month/year' : 'month/day/year'}, as the rest of the column is` : ''}. Write the date yyyy-mm-dd for ${name}.` };
      }
      return { ok: false, message: `${cell} is not a date, and ${name} holds dates. Write it yyyy-mm-dd (for example 2025-03-14) or leave the cell empty.` };
    }
    case 'category': {
      const exact = def.values.find((v) => v === text) ?? def.values.find((v) => v.trim().toLowerCase() === text.toLowerCase());
      if (exact !== undefined) return { ok: true, value: exact };
      const listed = def.values.length === 0 ? 'it has no values yet' : `its values are ${def.values.map(q).join(', ')}`;
      return { ok: false, message: `${cell} is not one of the values of the category ${name} (${listed}). Correct the cell, or add the value to the attribute's list first.` };
    }
  }
}

/**
 * A value as a cell: what parseAttributeValue reads back to the same value. Numbers are
 * written plainly ("." decimal mark, no separators); yes/no as "yes" and "no"; no value as "".
 */
export function formatAttributeValue(def: Pick<AttributeDef, 'type'>, value: AttributeValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return def.type === 'text' || def.type === 'category' || def.type === 'date' ? value : String(value);
}

// ─── Checking a stored value ──────────────────────────────────────────────────────────────

/** A value as messages quote it: strings in double quotes (shortened), other JSON by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Why a stored value does not fit an attribute, or null when it does (null, no value, always fits). */
export function checkAttributeValue(def: Pick<AttributeDef, 'name' | 'type' | 'values'>, value: unknown): string | null {
  if (value === null) return null;
  switch (def.type) {
    case 'text':
      return typeof value === 'string' ? null : `must be text for attribute "${def.name}", not ${describeValue(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `must be a number for attribute "${def.name}", not ${describeValue(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false for attribute "${def.name}", not ${describeValue(value)}`;
    case 'date':
      return typeof value === 'string' && isRealDate(value) ? null : `must be a date written yyyy-mm-dd for attribute "${def.name}", not ${describeValue(value)}`;
    case 'category':
      return typeof value === 'string' && def.values.includes(value)
        ? null
        : `must be one of ${def.values.map((v) => `"${v}"`).join(', ')} for attribute "${def.name}", not ${describeValue(value)}`;
  }
}
