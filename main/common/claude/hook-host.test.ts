import { describe, it, expect } from 'vitest';
import { chooseHookHost, transientMount } from './hook-host.js';

const data = '/home/u/.config/Fleetkeeper';

describe('chooseHookHost', () => {
  it('an AppImage (the values its runtime sets) never gets a hook pointing into its mount', () => {
    const env = {
      APPIMAGE: '/home/u/Applications/Fleetkeeper-0.1.0.AppImage',
      APPDIR: '/tmp/.mount_FleetkXb3Zq1',
      ARGV0: './Fleetkeeper-0.1.0.AppImage',
      OWD: '/home/u',
    };
    const host = chooseHookHost({
      packaged: true,
      platform: 'linux',
      resourcesPath: '/tmp/.mount_FleetkXb3Zq1/resources',
      env,
      userDataDir: data,
    });
    expect(host).toEqual({
      kind: 'user-copy',
      source: '/tmp/.mount_FleetkXb3Zq1/resources/app.asar.unpacked/dist/main/cli/hook.cjs',
      target: '/home/u/.config/Fleetkeeper/hook/fleetkeeper-hook.cjs',
      why: 'resources are in a temporary mount (it is inside the AppImage mount APPDIR=/tmp/.mount_FleetkXb3Zq1)',
    });
  });

  it('any one of the AppImage signs is enough: APPIMAGE alone, APPDIR alone, or a /tmp/.mount_ path', () => {
    const base = { packaged: true, platform: 'linux', userDataDir: data };
    expect(
      chooseHookHost({ ...base, resourcesPath: '/opt/x/resources', env: { APPIMAGE: '/home/u/F.AppImage' } }).kind,
    ).toBe('user-copy');
    expect(chooseHookHost({ ...base, resourcesPath: '/tmp/.mount_Abc/resources', env: {} }).kind).toBe('user-copy');
    expect(chooseHookHost({ ...base, resourcesPath: '/mnt/app/resources', env: { APPDIR: '/mnt/app' } }).kind).toBe(
      'user-copy',
    );
  });

  it('refuses when even the data dir is in the mount or not absolute', () => {
    const env = { APPDIR: '/tmp/.mount_X' };
    const inMount = chooseHookHost({
      packaged: true,
      platform: 'linux',
      resourcesPath: '/tmp/.mount_X/resources',
      env,
      userDataDir: '/tmp/.mount_X/data',
    });
    expect(inMount.kind).toBe('refuse');
    expect(
      chooseHookHost({ packaged: true, platform: 'linux', resourcesPath: '/tmp/.mount_X/r', env, userDataDir: 'rel' })
        .kind,
    ).toBe('refuse');
  });

  it('an installed deb or dmg keeps the sh wrapper in its resources; dev uses Node; Windows is refused', () => {
    expect(
      chooseHookHost({
        packaged: true,
        platform: 'linux',
        resourcesPath: '/opt/Fleetkeeper/resources',
        env: {},
        userDataDir: data,
      }),
    ).toEqual({ kind: 'wrapper', wrapper: '/opt/Fleetkeeper/resources/bin/fleetkeeper' });
    expect(
      chooseHookHost({
        packaged: true,
        platform: 'darwin',
        resourcesPath: '/Applications/Fleetkeeper.app/Contents/Resources/',
        env: {},
        userDataDir: data,
      }),
    ).toEqual({ kind: 'wrapper', wrapper: '/Applications/Fleetkeeper.app/Contents/Resources/bin/fleetkeeper' });
    expect(
      chooseHookHost({ packaged: false, platform: 'linux', resourcesPath: '/x', env: {}, userDataDir: data }),
    ).toEqual({
      kind: 'dev',
    });
    const win = chooseHookHost({
      packaged: true,
      platform: 'win32',
      resourcesPath: 'C:\\F\\resources',
      env: {},
      userDataDir: data,
    });
    expect(win.kind).toBe('refuse');
    expect(win.kind === 'refuse' && win.reason).toMatch(/WSL/);
  });

  it('transientMount names why', () => {
    expect(transientMount('/tmp/.mount_abc', {})).toMatch(/AppImage mount/);
    expect(transientMount('/tmp/.mount_abcdef/usr/bin/node', {})).toMatch(/AppImage mount/);
    expect(transientMount('/tmp/.mountain/x', {})).toBeNull();
    expect(transientMount('/usr/bin/node', { APPDIR: '/tmp/.mount_q' })).toBeNull();
    expect(transientMount('/opt/appdir-ish/x', { APPDIR: '/opt/appdir' })).toBeNull();
  });
});
