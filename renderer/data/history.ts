/**
 * Undo and redo, built once for every change. A change is a *patch*: records to put and
 * keys to delete, per table. Applying a patch inside one transaction first reads the
 * records it will touch, so the inverse patch (put the old records back, delete the new
 * ones) comes for free and exactly. Screens never write their own undo: they describe a
 * change with `commitChange`, and the History replays inverses and patches.
 */
import type { Table } from 'dexie';
import type { Guid, Study } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';

export const PATCH_TABLES = ['studies', 'coders', 'stages', 'attributes', 'cases', 'participants', 'documents', 'texts', 'segments', 'codes', 'memos', 'actors', 'ties', 'overrides'] as const;
export type PatchTable = (typeof PATCH_TABLES)[number];
type Row = { id: string };

export interface Patch {
  put: Partial<Record<PatchTable, Row[]>>;
  remove: Partial<Record<PatchTable, string[]>>;
}

export interface Change {
  label: string;
  studyId: Guid;
  forward: Patch;
  inverse: Patch;
}

export const emptyPatch = (): Patch => ({ put: {}, remove: {} });

export function isEmptyPatch(patch: Patch): boolean {
  return Object.values(patch.put).every((rows) => !rows || rows.length === 0) && Object.values(patch.remove).every((keys) => !keys || keys.length === 0);
}

const tablesOf = (db: CartographyDb) => PATCH_TABLES.map((name) => db.table(name));

/** Applies a patch; must run inside a read-write transaction over PATCH_TABLES. Returns the inverse. */
export async function applyPatch(db: CartographyDb, patch: Patch): Promise<Patch> {
  const inverse = emptyPatch();
  for (const name of PATCH_TABLES) {
    const puts = patch.put[name] ?? [];
    const removes = patch.remove[name] ?? [];
    if (puts.length === 0 && removes.length === 0) continue;
    const keys = [...puts.map((r) => r.id), ...removes];
    if (new Set(keys).size !== keys.length) throw new Error(`A change names a ${name} record twice.`);
    const table = db.table(name) as Table<Row, string>;
    const before = await table.bulkGet(keys);
    const restore = before.filter((r): r is Row => r !== undefined);
    const created = keys.filter((_, i) => before[i] === undefined);
    if (restore.length > 0) inverse.put[name] = restore;
    if (created.length > 0) inverse.remove[name] = created;
    if (puts.length > 0) await table.bulkPut(puts);
    if (removes.length > 0) await table.bulkDelete(removes);
  }
  return inverse;
}

/** Refusals a plan can raise: shown to the researcher, nothing written. */
export class ChangeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeRefused';
  }
}

/**
 * Marks the study as changed now. Kept out of patches on purpose: undoing a coding must not
 * put back an old copy of the study record (and with it an old name or active coder).
 */
async function touchStudy(db: CartographyDb, studyId: Guid): Promise<void> {
  const changed = await db.studies.update(studyId, { modifiedAt: new Date().toISOString() } satisfies Partial<Study>);
  if (changed === 0) throw new ChangeRefused('That study no longer exists.');
}

/**
 * Plans and applies one change in one transaction: `plan` reads what it needs and returns
 * the patch (or throws ChangeRefused). The study's modifiedAt is updated with it.
 */
export async function commitChange(db: CartographyDb, studyId: Guid, label: string, plan: () => Promise<Patch>): Promise<Change> {
  return db.transaction('rw', tablesOf(db), async () => {
    if (!(await db.studies.get(studyId))) throw new ChangeRefused('That study no longer exists.');
    const forward = await plan();
    if (isEmptyPatch(forward)) throw new ChangeRefused('Nothing to change.');
    const inverse = await applyPatch(db, forward);
    await touchStudy(db, studyId);
    return { label, studyId, forward, inverse };
  });
}

/** Replays a patch in its own transaction, returning its inverse; refused once the study is gone. */
export async function replay(db: CartographyDb, studyId: Guid, patch: Patch): Promise<Patch> {
  return db.transaction('rw', tablesOf(db), async () => {
    const inverse = await applyPatch(db, patch);
    await touchStudy(db, studyId);
    return inverse;
  });
}

/**
 * Undo and redo stacks of one study. Changes, undos and redos run one after another (a
 * queue), so an undo never starts while a change is still being written.
 */
export class History {
  private undoStack: Change[] = [];
  private redoStack: Change[] = [];
  private listeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: CartographyDb, private readonly limit = 500) {}

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs a change in turn and records it. */
  perform<T extends { change: Change }>(work: () => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      const result = await work();
      this.record(result.change);
      return result;
    });
  }

  record(change: Change): void {
    this.undoStack.push(change);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
    this.emit();
  }

  get nextUndo(): string | null {
    return this.undoStack.at(-1)?.label ?? null;
  }

  get nextRedo(): string | null {
    return this.redoStack.at(-1)?.label ?? null;
  }

  /** Undoes the last change; returns its label, or null when there is none. */
  undo(): Promise<string | null> {
    return this.enqueue(async () => {
      const change = this.undoStack.pop();
      if (!change) return null;
      try {
        const forward = await replay(this.db, change.studyId, change.inverse);
        this.redoStack.push({ ...change, forward });
      } catch (error) {
        this.undoStack.push(change);
        throw error;
      }
      this.emit();
      return change.label;
    });
  }

  redo(): Promise<string | null> {
    return this.enqueue(async () => {
      const change = this.redoStack.pop();
      if (!change) return null;
      try {
        const inverse = await replay(this.db, change.studyId, change.forward);
        this.undoStack.push({ ...change, inverse });
      } catch (error) {
        this.redoStack.push(change);
        throw error;
      }
      this.emit();
      return change.label;
    });
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.emit();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
