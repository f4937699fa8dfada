// Electron grants every permission a page asks for (camera, microphone, geolocation,
// notifications, clipboard, HID/serial/USB, …) unless the app says otherwise. The dashboard needs
// none of them: every request is denied and every check answers no, whatever the origin.
import type { Session } from 'electron';

export type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

export function denyAllPermissions(session: PermissionSession, log?: (line: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log?.(`denied a permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
