import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Binding } from '../../common/base/types.js';
import { WriteFailedError, errorMessage } from '../../common/base/errors.js';
import { canonicalJson } from '../../common/base/canonical-json.js';
import {
  bindingsOf,
  emptyRegistry,
  foldEvents,
  parseRegistryDoc,
  type RegistryDoc,
} from '../../common/journal/registry-fold.js';
import { archiveEvents, archivedIds, readJournal, readSpool, sweepSpoolTmp, type SpoolCorruption } from './spool.js';
import { fsyncDir, parseTempName } from '../base/durable-file.js';
import { sweepTemps } from '../base/temp-sweep.js';
import { JsonFileStore } from '../base/json-store.js';
import { readRegularText } from '../base/safe-read.js';

/** The same cap as the store's own reads (base/json-store.ts). */
const MAX_REGISTRY_BYTES = 64 * 1024 * 1024;
import type { StatePaths } from '../base/state-dir.js';

/** The part of conf / electron-store we use, so the app can pass electron-store. */
export interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
}

/** registry.json in the state dir, without conf (the app passes electron-store instead). */
export function openRegistryFile(paths: StatePaths): ConfLike {
  return new JsonFileStore(join(paths.root, 'registry.json'));
}

export interface RegistryLoad {
  doc: RegistryDoc;
  rebuilt: boolean;
  reason?: string;
}

/**
 * The registry as persisted through conf/electron-store. The store's writer takes no lock,
 * does not fsync the directory and can report success after a short write, so every persist
 * is read back and compared, and a store that does not validate is rebuilt from the journal
 * (the damaged file is kept beside it). Writes assume the caller holds the writer lock.
 */
export class RegistryStore {
  private conf: ConfLike | null = null;

  constructor(
    private readonly paths: StatePaths,
    private readonly open: () => ConfLike = () => openRegistryFile(paths),
  ) {}

  private defaultPath(): string {
    return this.conf?.path ?? join(this.paths.root, 'registry.json');
  }

  private async readStored(): Promise<{ doc: RegistryDoc | null; problem?: string }> {
    let raw: Record<string, unknown>;
    try {
      this.conf ??= this.open();
      raw = this.conf.store;
    } catch (err) {
      return { doc: null, problem: `${this.defaultPath()} does not parse: ${errorMessage(err)}` };
    }
    if (Object.keys(raw).filter((k) => k !== '__internal__').length === 0)
      return { doc: emptyRegistry(), problem: 'empty' };
    try {
      return { doc: parseRegistryDoc(raw) };
    } catch (err) {
      return { doc: null, problem: `${this.defaultPath()} is invalid: ${errorMessage(err)}` };
    }
  }

  /** Moves a damaged store aside (never deletes it) so the store can be opened and rewritten. */
  private async setAside(): Promise<string | null> {
    const file = this.defaultPath();
    const aside = `${file}.damaged-${new Date().toISOString().replace(/[-:.]/g, '')}`;
    try {
      await fsp.rename(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new WriteFailedError(file, `moving the damaged registry aside: ${errorMessage(err)}`, { cause: err });
    }
    this.conf = null;
    return aside;
  }

  async load(): Promise<RegistryLoad> {
    const stored = await this.readStored();
    const archived = await archivedIds(this.paths);
    let reason: string | undefined;
    if (stored.doc === null) {
      reason = stored.problem ?? 'unreadable';
    } else if (stored.problem === 'empty') {
      if (archived.length === 0) return { doc: stored.doc, rebuilt: false };
      reason = `${this.defaultPath()} is missing or empty while the archive holds ${archived.length} events`;
    } else {
      // Archived means "folded into a registry that was on disk": one missing from `applied`
      // means this store was rolled back or replaced.
      const missing = archived.filter((id) => stored.doc?.applied[id] !== true);
      if (missing.length === 0) return { doc: stored.doc, rebuilt: false };
      reason = `${this.defaultPath()} lacks ${missing.length} archived events (first ${missing[0]}); it was rolled back or replaced`;
    }
    const aside = await this.setAside();
    const journal = await readJournal(this.paths);
    const { doc } = foldEvents(emptyRegistry(), journal.events);
    await this.persist(doc);
    const kept = aside !== null ? `; previous file kept as ${aside}` : '';
    return {
      doc,
      rebuilt: true,
      reason: `registry rebuilt from the journal (${journal.events.length} events): ${reason}${kept}`,
    };
  }

  /** Writes the doc through the store, then proves it is on disk: read back, compare, fsync dir. */
  private async persist(doc: RegistryDoc): Promise<void> {
    this.conf ??= this.open();
    const file = this.conf.path;
    const plain = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    try {
      this.conf.store = plain;
    } catch (err) {
      throw new WriteFailedError(file, errorMessage(err), { cause: err });
    }
    let back: RegistryDoc;
    try {
      back = parseRegistryDoc(JSON.parse(await readRegularText(file, MAX_REGISTRY_BYTES)));
    } catch (err) {
      throw new WriteFailedError(file, `read-back failed: ${errorMessage(err)}`, { cause: err });
    }
    if (canonicalJson(back) !== canonicalJson(plain))
      throw new WriteFailedError(file, 'read-back differs from what was written');
    try {
      await fsyncDir(dirname(file));
    } catch (err) {
      throw new WriteFailedError(file, `fsync of its directory: ${errorMessage(err)}`, { cause: err });
    }
  }

  /**
   * Folds spool/new into the registry, persists and verifies it, and only then archives the
   * events. Corrupt spool files stay where they are (and keep being reported).
   */
  async foldSpool(): Promise<{ applied: number; corrupt: SpoolCorruption[]; doc: RegistryDoc; rebuilt?: string }> {
    const loaded = await this.load();
    const spool = await readSpool(this.paths);
    const { doc, applied } = foldEvents(loaded.doc, spool.events);
    if (applied > 0) await this.persist(doc);
    // Events already applied but not yet archived (a crash in between) are archived now too.
    await archiveEvents(
      this.paths,
      spool.events.map((e) => e.id),
    );
    await sweepSpoolTmp(this.paths).catch(() => 0);
    await this.sweepStoreTemps().catch(() => 0);
    return loaded.rebuilt && loaded.reason !== undefined
      ? { applied, corrupt: spool.corrupt, doc, rebuilt: loaded.reason }
      : { applied, corrupt: spool.corrupt, doc };
  }

  /**
   * Removes the store writer's temp files left by a writer that was killed mid-persist: conf's
   * `atomically` (`registry.json.tmp-<10 digits><6 hex>`, no pid: judged by age) purges them on
   * a normal exit only, and our JsonFileStore (`.tmp-registry.json.<pid>.<8 hex>`) leaves one
   * per kill, so without this every crash mid-write leaks one into the state dir.
   */
  async sweepStoreTemps(now: Date = new Date()): Promise<number> {
    const file = this.defaultPath();
    const name = basename(file);
    const confTemp = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-\\d{10}[0-9a-f]{6}$`);
    return sweepTemps(
      dirname(file),
      (n) => {
        if (confTemp.test(n)) return { pid: null };
        const ours = parseTempName(n);
        return ours !== null && ours.target === name ? ours : null;
      },
      now,
    );
  }

  /** Bindings including events still in the spool (read-only: nothing is archived here). */
  async bindings(): Promise<Record<string, Binding>> {
    const { doc } = await this.load();
    const spool = await readSpool(this.paths);
    return bindingsOf(foldEvents(doc, spool.events).doc);
  }
}
