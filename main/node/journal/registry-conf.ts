import Conf from 'conf';
import type { StatePaths } from '../base/state-dir.js';
import type { ConfLike } from './registry-store.js';

/**
 * The registry through conf, exactly as electron-store (conf underneath) keeps it in the app:
 * the store tests run against this so the app's writer is exercised under plain Node.
 */
export function openConfRegistry(paths: StatePaths): ConfLike {
  return new Conf<Record<string, unknown>>({
    cwd: paths.root,
    configName: 'registry',
    clearInvalidConfig: false,
    configFileMode: 0o600,
  });
}
