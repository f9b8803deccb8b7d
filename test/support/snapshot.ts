/**
 * Database contents for before/after comparisons. The study's modifiedAt records when it
 * last changed (an undo is a change too) and settings hold preferences (recent and pinned
 * codes): neither is part of a study's records, so comparisons leave them out.
 */
import type { Dexie } from 'dexie';

type Dump = Record<string, unknown[]>;

export function comparable(dump: Dump, options: { settings?: boolean } = {}): Dump {
  const studies = (dump['studies'] as { modifiedAt: string }[] | undefined)?.map((s) => ({ ...s, modifiedAt: '' })) ?? [];
  return { ...dump, studies, ...(options.settings === false ? {} : { settings: [] }) };
}

/** Every record of every table (Node, on fake-indexeddb). */
export async function dumpTables(db: Dexie): Promise<Dump> {
  return Object.fromEntries(await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()])));
}
