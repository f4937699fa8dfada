// Where the Claude hook command points, per install type. Claude runs that command at every
// start and end of every session, as the user: it must name a file the app owns for good. An
// AppImage's resources live in a /tmp/.mount_* directory that vanishes when the app exits and
// that any local user can then recreate (mount names are public in /proc/mounts), and `sh` runs a
// planted file even without its execute bit — so an AppImage never gets a hook pointing there.

export interface HookHostInput {
  packaged: boolean;
  platform: string;
  /** Electron's process.resourcesPath. */
  resourcesPath: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The user's private app-data dir (Electron's userData). */
  userDataDir: string;
}

export type HookHost =
  /** Dev checkout: a real Node on bin/fleetkeeper.js, as `fleetkeeper hooks install` writes. */
  | { kind: 'dev' }
  /** An installed app (deb, dmg): the sh wrapper in resources/bin, which stays where it is. */
  | { kind: 'wrapper'; wrapper: string }
  /** AppImage: the bundled one-file hook copied into the user's data dir, run by a Node on PATH. */
  | { kind: 'user-copy'; source: string; target: string; why: string }
  | { kind: 'refuse'; reason: string };

/** The copy's name holds "fleetkeeper", which is how uninstall and upgrades recognise our entries. */
export const HOOK_COPY_NAME = 'fleetkeeper-hook.cjs';

const trimSlash = (p: string): string => p.replace(/\/+$/, '');
const under = (path: string, dir: string): boolean => {
  const d = trimSlash(dir);
  return d !== '' && (path === d || path.startsWith(`${d}/`));
};

/** Why `path` is inside a mount the app does not own for good, or null. */
export function transientMount(path: string, env: HookHostInput['env']): string | null {
  const appDir = env.APPDIR ?? '';
  if (appDir !== '' && under(path, appDir)) return `it is inside the AppImage mount APPDIR=${appDir}`;
  if (/^\/tmp\/\.mount_[^/]+(\/|$)/.test(path)) return 'it is inside an AppImage mount (/tmp/.mount_*)';
  return null;
}

export function chooseHookHost(i: HookHostInput): HookHost {
  if (!i.packaged) return { kind: 'dev' };
  if (i.platform === 'win32')
    return {
      kind: 'refuse',
      reason:
        'the packaged Claude hook runs through /bin/sh and tmux does not run natively on Windows: run Fleetkeeper inside WSL',
    };
  const res = trimSlash(i.resourcesPath);
  const appImage = i.env.APPIMAGE ?? '';
  const transient = transientMount(res, i.env) ?? (appImage !== '' ? `APPIMAGE=${appImage} is set` : null);
  if (transient === null) return { kind: 'wrapper', wrapper: `${res}/bin/fleetkeeper` };
  const data = trimSlash(i.userDataDir);
  if (!data.startsWith('/') || transientMount(data, i.env) !== null)
    return {
      kind: 'refuse',
      reason: `no stable place for the Claude hook: the app runs from a temporary mount (${transient}) and its data dir ${JSON.stringify(i.userDataDir)} is not a stable absolute path`,
    };
  return {
    kind: 'user-copy',
    source: `${res}/app.asar.unpacked/dist/main/cli/hook.cjs`,
    target: `${data}/hook/${HOOK_COPY_NAME}`,
    why: `resources are in a temporary mount (${transient})`,
  };
}
