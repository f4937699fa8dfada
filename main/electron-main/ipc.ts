// ipcMain.handle for every channel of the contract. Each handler is one line into the
// dashboard service, which validates the payload (shared/ipc-validate.ts) before acting and
// answers errors as data. Only our own page may call: a frame from anywhere else is refused.
import {
  INVOKE_CHANNELS,
  type InvokeChannel,
  type IpcResult,
  type RestoreResultView,
} from '../../shared/ipc-contract.js';
import type { DashboardLike } from './app-controller.js';

/** The slice of ipcMain used (Electron's IpcMainInvokeEvent reduced to what we check). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame?: { url: string } | null }, payload: unknown) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

export interface IpcHooks {
  /** Is this the dashboard's own page (file:// URL of our index.html)? */
  trustedUrl: (url: string) => boolean;
  onResult?: (channel: InvokeChannel, result: IpcResult<unknown>) => void;
}

export function registerIpc(ipc: IpcMainLike, service: DashboardLike, hooks: IpcHooks): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipc.handle(channel, async (event, payload) => {
      const url = event.senderFrame?.url ?? '';
      if (!hooks.trustedUrl(url)) {
        return {
          ok: false,
          error: { code: 'untrusted-sender', message: `refused ${channel} from ${JSON.stringify(url)}` },
        } satisfies IpcResult<never>;
      }
      const result = await service.handle(channel, payload);
      hooks.onResult?.(channel, result);
      return result;
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipc.removeHandler(channel);
  };
}

export function isRestoreResult(
  channel: InvokeChannel,
  r: IpcResult<unknown>,
): r is { ok: true; value: RestoreResultView } {
  return channel === 'restore:execute' && r.ok;
}
