// Carries the dashboard bridge over Playwright instead of Electron IPC. The page runs the REAL
// compiled preload (preload.cjs) with a stand-in for the two Electron objects it uses:
// contextBridge.exposeInMainWorld and ipcRenderer.invoke/on/removeListener. invoke goes to
// DashboardService.handle in this process, exactly what ipcMain.handle calls in the app.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { DashboardService } from '../../main/dashboard/dashboard-service.js';

export function preloadInitScript(preloadFile: string): string {
  const source = readFileSync(preloadFile, 'utf8');
  return `(() => {
  const listeners = new Map();
  const electron = {
    contextBridge: {
      exposeInMainWorld(key, api) { Object.defineProperty(window, key, { value: Object.freeze({ ...api }), enumerable: true }); },
    },
    ipcRenderer: {
      invoke: (channel, payload) => window.__fkInvoke(channel, payload),
      on(channel, fn) { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(fn); },
      removeListener(channel, fn) { listeners.get(channel)?.delete(fn); },
    },
  };
  Object.defineProperty(window, '__fkPush', { value: (channel, payload) => {
    for (const fn of listeners.get(channel) ?? []) fn({ sender: null }, payload);
    return (listeners.get(channel) ?? new Set()).size;
  } });
  const module = { exports: {} };
  const require = (name) => {
    if (name === 'electron') return electron;
    throw new Error('a sandboxed preload cannot require ' + name);
  };
  (function (require, module, exports) {
${source}
  })(require, module, module.exports);
})();`;
}

/** Wires a page to the service; returns the list of every channel the page invoked. */
export async function attachBridge(page: Page, service: DashboardService, preloadFile: string): Promise<string[]> {
  const calls: string[] = [];
  await page.exposeFunction('__fkInvoke', async (channel: unknown, payload: unknown) => {
    calls.push(String(channel));
    return service.handle(channel, payload);
  });
  await page.addInitScript({ content: preloadInitScript(preloadFile) });
  return calls;
}
