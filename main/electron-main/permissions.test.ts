// The handlers the app installs on Electron's session, driven the way Electron calls them.
import { describe, it, expect } from 'vitest';
import { denyAllPermissions, type PermissionSession } from './permissions.js';

type RequestHandler = Parameters<PermissionSession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<PermissionSession['setPermissionCheckHandler']>[0];

describe('denyAllPermissions', () => {
  it('installs both handlers; every request is refused and every check answers no', () => {
    let request: RequestHandler = null;
    let check: CheckHandler = null;
    const session: PermissionSession = {
      setPermissionRequestHandler: (h) => void (request = h),
      setPermissionCheckHandler: (h) => void (check = h),
    };
    const logs: string[] = [];
    denyAllPermissions(session, (l) => logs.push(l));
    expect(request).not.toBeNull();
    expect(check).not.toBeNull();
    const permissions = [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
      'fullscreen',
    ];
    for (const p of permissions) {
      const answers: boolean[] = [];
      (request as unknown as (wc: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void)(
        {},
        p,
        (ok) => answers.push(ok),
        { requestingUrl: 'file:///dashboard/index.html', isMainFrame: true },
      );
      expect(answers).toEqual([false]);
      expect(
        (check as unknown as (wc: unknown, p: string, origin: string, d: unknown) => boolean)({}, p, 'file://', {}),
      ).toBe(false);
    }
    expect(logs).toEqual(permissions.map((p) => `denied a permission request: ${p}`));
  });
});
