import { describe, expect, it } from 'vitest';
import {
  alertChannelsCheck,
  desktopCheck,
  diskCheck,
  doctorExitCode,
  formatChecks,
  loginCheck,
  saverCheck,
  tmuxCheck,
  type Check,
} from './checks.js';
import { alertChannels } from '../alerts/alert-channels.js';

const noBus = { available: false, detail: 'no D-Bus session bus' };

describe('doctor checks', () => {
  it('exit 0 only without a failure: skips and warnings do not fail', () => {
    const c = (status: Check['status']): Check => ({ id: status, title: status, status, detail: '' });
    expect(doctorExitCode([c('pass'), c('skip'), c('warn')])).toBe(0);
    expect(doctorExitCode([c('pass'), c('fail')])).toBe(1);
    expect(formatChecks([{ ...c('fail'), fix: 'do it' }])).toBe('FAIL  fail: \n      fix: do it\n1 check failed');
  });

  it('judges the tmux version', () => {
    expect(tmuxCheck('tmux 3.3a', null).status).toBe('pass');
    expect(tmuxCheck('tmux 3.1c', null)).toMatchObject({ status: 'fail', detail: 'tmux 3.1c is older than 3.2' });
    expect(tmuxCheck('tmux next-3.4', null).status).toBe('pass');
    expect(tmuxCheck(null, 'spawn tmux ENOENT')).toMatchObject({ status: 'fail', detail: 'spawn tmux ENOENT' });
  });

  it('desktop notifications: skipped where they cannot apply and another channel exists', () => {
    const base = { platform: 'linux', notifications: true, server: null };
    expect(desktopCheck({ ...base, bus: noBus, otherChannels: ['heartbeatUrl'] }).status).toBe('skip');
    expect(desktopCheck({ ...base, bus: noBus, otherChannels: [] }).status).toBe('fail');
    expect(desktopCheck({ ...base, notifications: false, bus: noBus, otherChannels: [] }).status).toBe('skip');
    expect(desktopCheck({ ...base, platform: 'darwin', bus: noBus, otherChannels: [] }).status).toBe('skip');
    const bus = { available: true, detail: 'session bus unix:path=/x' };
    const none = { reachable: false, detail: 'no notification server' };
    expect(desktopCheck({ ...base, bus, server: none, otherChannels: [] })).toMatchObject({ status: 'fail' });
    expect(desktopCheck({ ...base, bus, server: { reachable: true, detail: 'ok' }, otherChannels: [] }).status).toBe(
      'pass',
    );
  });

  it('alert channels: a configured channel whose last attempt failed fails the check', () => {
    const inputs = { notifications: true, bus: noBus, alertCommand: null, heartbeatUrl: 'https://hc/x' };
    const configured = (c: { name: string }) => c.name === 'heartbeat';
    expect(alertChannelsCheck(alertChannels(inputs), configured).status).toBe('pass');
    const failed = alertChannels({ ...inputs, last: { heartbeat: { ok: false, at: 't', detail: 'HTTP 503' } } });
    expect(alertChannelsCheck(failed, configured)).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/HTTP 503/),
    });
    expect(alertChannelsCheck(alertChannels({ ...inputs, heartbeatUrl: null }), () => false).status).toBe('fail');
  });

  it('saver, login, disk', () => {
    expect(
      saverCheck({ running: false, detail: 'stopped', lastSaveAgeS: 5, staleAfterS: 300, failing: null }).status,
    ).toBe('fail');
    expect(
      saverCheck({ running: true, detail: 'daemon', lastSaveAgeS: 900, staleAfterS: 300, failing: null }).status,
    ).toBe('fail');
    expect(
      saverCheck({ running: true, detail: 'daemon', lastSaveAgeS: 5, staleAfterS: 300, failing: 'disk full' }),
    ).toMatchObject({ status: 'fail', detail: expect.stringMatching(/saves fail: disk full/) });
    expect(
      saverCheck({ running: true, detail: 'daemon', lastSaveAgeS: 5, staleAfterS: 300, failing: null }).status,
    ).toBe('pass');
    const svc = { installed: true, enabled: true, file: '/u/fleetkeeper.service' };
    const l = loginCheck({
      supported: true,
      platform: 'linux',
      service: svc,
      autostart: null,
      lingerAdvice: 'linger off',
    });
    expect(l.map((c) => [c.id, c.status])).toEqual([
      ['login', 'pass'],
      ['linger', 'warn'],
    ]);
    const both = loginCheck({
      supported: true,
      platform: 'linux',
      service: svc,
      autostart: { enabled: true, detail: 'starts at login from x.desktop' },
      lingerAdvice: null,
    });
    expect(both.map((c) => [c.id, c.status])).toEqual([
      ['login', 'pass'],
      ['two-savers', 'warn'],
    ]);
    expect(
      loginCheck({ supported: false, platform: 'win32', service: svc, autostart: null, lingerAdvice: null })[0]!.status,
    ).toBe('skip');
    expect(diskCheck({ dir: '/s', freeBytes: 10 * 1024 * 1024, error: null }).status).toBe('fail');
    expect(diskCheck({ dir: '/s', freeBytes: null, error: 'EACCES' }).status).toBe('fail');
  });
});
