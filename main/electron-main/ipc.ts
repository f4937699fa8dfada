// ipcMain.handle for every channel of the contract. Each handler is one line into the
// dashboard service, which validates the payload (shared/ipc-validate.ts) before acting and
// answers errors as data. Only our own page may call: a frame from anywhere else is refused.
import { INVOKE_CHANNELS, type InvokeChannel, type IpcResult, type ResponseOf } from '../../shared/ipc-contract.js';

/** The slice of ipcMain used (Electron's IpcMainInvokeEvent reduced to what we check). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame?: { url: string } | null }, payload: unknown) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/** What answers a channel (the dashboard service): typed by the contract, payload still unchecked. */
export interface InvokeService {
  call<C extends InvokeChannel>(channel: C, payload: unknown): Promise<IpcResult<ResponseOf<C>>>;
}

export interface IpcHooks {
  /** Is this the dashboard's own page (file:// URL of our index.html)? */
  trustedUrl: (url: string) => boolean;
  /** Every answer after it was given (the app controller refreshes the tray from it). */
  onResult?: <C extends InvokeChannel>(channel: C, result: IpcResult<ResponseOf<C>>) => void;
}

export function registerIpc(ipc: IpcMainLike, service: InvokeService, hooks: IpcHooks): () => void {
  const register = <C extends InvokeChannel>(channel: C): void => {
    ipc.handle(channel, async (event, payload) => {
      const url = event.senderFrame?.url ?? '';
      if (!hooks.trustedUrl(url)) {
        return {
          ok: false,
          error: { code: 'untrusted-sender', message: `refused ${channel} from ${JSON.stringify(url)}` },
        } satisfies IpcResult<never>;
      }
      const result = await service.call(channel, payload);
      hooks.onResult?.(channel, result);
      return result;
    });
  };
  for (const channel of INVOKE_CHANNELS) register(channel);
  return () => {
    for (const channel of INVOKE_CHANNELS) ipc.removeHandler(channel);
  };
}
