import Conf from 'conf';
import type { StatePaths } from './state-dir.js';
import { mergeSettings, settingsFromStore, type Settings } from '../common/settings-model.js';

/** The part of conf / electron-store we use, so the app can pass electron-store. */
export interface SettingsBackend {
  store: Record<string, unknown>;
  readonly path: string;
}

export function openConfSettings(paths: StatePaths): SettingsBackend {
  return new Conf<Record<string, unknown>>({
    cwd: paths.root,
    configName: 'settings',
    clearInvalidConfig: false,
    configFileMode: 0o600,
  });
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
