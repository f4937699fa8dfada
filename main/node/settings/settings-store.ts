import { join } from 'node:path';
import { JsonFileStore } from '../base/json-store.js';
import type { StatePaths } from '../base/state-dir.js';
import { mergeSettings, settingsFromStore, type Settings } from '../../common/settings/settings-model.js';

/** The part of conf / electron-store we use, so the app can pass electron-store. */
export interface SettingsBackend {
  store: Record<string, unknown>;
  readonly path: string;
}

/** settings.json in the state dir (the app opens the same file through electron-store). */
export function openSettingsFile(paths: StatePaths): SettingsBackend {
  return new JsonFileStore(join(paths.root, 'settings.json'));
}

export class SettingsStore {
  constructor(private readonly backend: SettingsBackend) {}

  get(): Settings {
    try {
      return settingsFromStore(this.backend.store);
    } catch {
      return settingsFromStore(null);
    }
  }

  /** Validates the patch against the current settings, then writes the whole result. */
  update(patch: unknown): Settings {
    const next = mergeSettings(this.get(), patch);
    this.backend.store = { ...next } as unknown as Record<string, unknown>;
    return next;
  }
}
