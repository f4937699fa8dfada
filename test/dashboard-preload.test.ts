import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { buildDashboard, type DashboardBuild } from './helpers/dashboard-build.js';
import { BRIDGE_VERBS, INVOKE_CHANNELS } from '../shared/ipc-contract.js';

// The compiled sandboxed preload, run as Electron runs it (CommonJS, `require('electron')` the
// only import), with a recording stand-in for contextBridge and ipcRenderer.

interface Loaded {
  exposed: Record<string, Record<string, unknown>>;
  invokes: [string, unknown[]][];
  listeners: Map<string, Set<(...a: unknown[]) => void>>;
  required: string[];
  answer: (channel: string, args: unknown[]) => unknown;
}

let build: DashboardBuild;
beforeAll(() => {
  build = buildDashboard();
});
afterAll(() => rmSync(build.outDir, { recursive: true, force: true }));

function load(answer: Loaded['answer']): Loaded {
  const l: Loaded = { exposed: {}, invokes: [], listeners: new Map(), required: [], answer };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (k: string, api: Record<string, unknown>) => {
        l.exposed[k] = api;
      },
    },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        l.invokes.push([channel, args]);
        return Promise.resolve(l.answer(channel, args));
      },
      on: (c: string, fn: (...a: unknown[]) => void) => {
        if (!l.listeners.has(c)) l.listeners.set(c, new Set());
        l.listeners.get(c)!.add(fn);
      },
      removeListener: (c: string, fn: (...a: unknown[]) => void) => {
        l.listeners.get(c)?.delete(fn);
      },
    },
  };
  const module = { exports: {} };
  const require = (name: string) => {
    l.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`cannot require ${name}`);
  };
  vm.runInNewContext(`(function (require, module, exports) {${readFileSync(build.preloadFile, 'utf8')}\n})`, {})(
    require,
    module,
    module.exports,
  );
  return l;
}

describe('preload bridge', () => {
  it('requires only electron and exposes exactly the named verbs, no generic invoke', () => {
    const l = load(() => ({ ok: true, value: null }));
    expect(l.required).toEqual(['electron']);
    expect(Object.keys(l.exposed)).toEqual(['fleetkeeper']);
    expect(Object.keys(l.exposed.fleetkeeper!).sort()).toEqual([...Object.keys(BRIDGE_VERBS), 'onHealth'].sort());
    expect(l.exposed.fleetkeeper).not.toHaveProperty('invoke');
  });

  it('sends each verb on its contract channel with at most one argument, and unwraps answers', async () => {
    const l = load((channel, args) => ({ ok: true, value: { channel, args } }));
    const api = l.exposed.fleetkeeper as Record<string, (...a: unknown[]) => Promise<unknown>>;
    for (const [verb, channel] of Object.entries(BRIDGE_VERBS)) {
      expect(await api[verb]!('x', 'smuggled')).toEqual({ channel, args: ['x'] });
    }
    expect(new Set(l.invokes.map(([c]) => c))).toEqual(new Set(INVOKE_CHANNELS));
  });

  it('turns a refusal from main into a rejected promise carrying the message', async () => {
    const l = load(() => ({ ok: false, error: { code: 'invalid-input', message: 'invalid snapshot id "../x"' } }));
    const api = l.exposed.fleetkeeper as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await expect(api.previewRestore!('../x')).rejects.toThrow('invalid snapshot id "../x"');
  });

  it('delivers health pushes without the IPC event, and unsubscribes', () => {
    const l = load(() => null);
    const got: unknown[][] = [];
    const off = (l.exposed.fleetkeeper!.onHealth as (cb: (...a: unknown[]) => void) => () => void)((...a) =>
      got.push(a),
    );
    const [fn] = [...(l.listeners.get('health:update') ?? [])];
    fn!({ sender: 'secret' }, { report: 1 });
    expect(got).toEqual([[{ report: 1 }]]);
    off();
    expect(l.listeners.get('health:update')?.size).toBe(0);
  });
});
