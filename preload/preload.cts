// The dashboard's only door to main. Sandboxed preloads are CommonJS and may require nothing
// but `electron` (and a few built-ins), so the verb table is repeated here rather than imported;
// the `satisfies` below fails the build if it ever drifts from shared/ipc-contract.ts.
// Only named verbs are exposed: the page cannot name a channel of its own choosing.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  BRIDGE_VERBS as ContractVerbs,
  FleetkeeperBridge,
  HealthView,
  InvokeChannel,
  IpcResult,
} from '../shared/ipc-contract.js';

const VERBS = {
  getHealth: 'health:get',
  listRegistry: 'registry:list',
  listSnapshots: 'snapshots:list',
  previewRestore: 'restore:preview',
  restore: 'restore:execute',
  getSettings: 'settings:get',
  setSettings: 'settings:set',
  hooksStatus: 'hooks:status',
  installHooks: 'hooks:install',
  saveNow: 'snapshot:save-now',
} as const satisfies typeof ContractVerbs;

const HEALTH_PUSH = 'health:update';

async function call(channel: InvokeChannel, request?: unknown): Promise<unknown> {
  const result = (await ipcRenderer.invoke(channel, request)) as IpcResult<unknown>;
  if (result.ok) return result.value;
  const err = new Error(result.error.message);
  err.name = result.error.code;
  throw err;
}

function verb(channel: InvokeChannel): (request?: unknown) => Promise<unknown> {
  // One argument at most, so nothing extra the page passes rides along.
  return (request?: unknown) => call(channel, request);
}

const api = {
  getHealth: verb(VERBS.getHealth),
  listRegistry: verb(VERBS.listRegistry),
  listSnapshots: verb(VERBS.listSnapshots),
  previewRestore: verb(VERBS.previewRestore),
  restore: verb(VERBS.restore),
  getSettings: verb(VERBS.getSettings),
  setSettings: verb(VERBS.setSettings),
  hooksStatus: verb(VERBS.hooksStatus),
  installHooks: verb(VERBS.installHooks),
  saveNow: verb(VERBS.saveNow),
  onHealth(callback: (health: HealthView) => void): () => void {
    if (typeof callback !== 'function') throw new TypeError('onHealth needs a function');
    // The event object carries `sender`; never hand it to the page.
    const listener = (_event: IpcRendererEvent, health: HealthView) => callback(health);
    ipcRenderer.on(HEALTH_PUSH, listener);
    return () => {
      ipcRenderer.removeListener(HEALTH_PUSH, listener);
    };
  },
} as unknown as FleetkeeperBridge;

contextBridge.exposeInMainWorld('fleetkeeper', api);
