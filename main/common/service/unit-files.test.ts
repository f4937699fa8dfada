import { describe, expect, it } from 'vitest';
import plist from 'plist';
import {
  launchdPlist,
  lingerAdvice,
  parseSystemdWords,
  systemdQuote,
  systemdUnit,
  type ServiceSpec,
} from './unit-files.js';

const odd = '/home/a b/it\'s "100%" $HOME & <x>\\y';
const spec: ServiceSpec = {
  argv: ['/usr/bin/node', `${odd}/bin/fleetkeeper.js`, 'daemon'],
  env: { FLEETKEEPER_HOME: `${odd}/state`, FLEETKEEPER_TMUX_SOCKET: 'work', TMUX_TMPDIR: '/tmp' },
  description: 'Fleetkeeper daemon: 100% of it',
  logFile: `${odd}/daemon.log`,
};

describe('login service files', () => {
  it('quotes systemd words so they read back exactly (%, $, quotes, backslashes, spaces)', () => {
    for (const w of [odd, '', 'plain', '$$', '%%h', 'a"b\\"c']) {
      expect(parseSystemdWords(systemdQuote(w))).toEqual([w]);
      expect(parseSystemdWords(systemdQuote(w, false), false)).toEqual([w]);
    }
    expect(systemdQuote('50% $X')).toBe('"50%% $$X"');
    expect(() => systemdQuote('a\nb')).toThrow(/control character/);
  });

  it('writes a unit whose ExecStart and Environment read back as given', () => {
    const unit = systemdUnit(spec);
    const exec = /^ExecStart=(.*)$/m.exec(unit)![1]!;
    expect(parseSystemdWords(exec)).toEqual(spec.argv);
    const env = [...unit.matchAll(/^Environment=(.*)$/gm)].map((m) => parseSystemdWords(m[1]!, false)[0]);
    expect(env).toEqual(Object.entries(spec.env).map(([k, v]) => `${k}=${v}`));
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^WantedBy=default.target$/m);
    expect(unit).toMatch(/^Description=Fleetkeeper daemon: 100%% of it$/m);
  });

  it('writes a launchd agent that a plist parser reads back', () => {
    const doc = plist.parse(launchdPlist(spec)) as Record<string, unknown>;
    expect(doc).toEqual({
      Label: 'org.fleetkeeper.daemon',
      ProgramArguments: spec.argv,
      EnvironmentVariables: spec.env,
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      StandardOutPath: spec.logFile,
      StandardErrorPath: spec.logFile,
    });
  });

  it('says when lingering is needed', () => {
    expect(lingerAdvice(true, 'ann')).toBeNull();
    expect(lingerAdvice(false, 'ann')).toMatch(/lingering is off for ann.*sudo loginctl enable-linger ann/);
    expect(lingerAdvice(null, 'ann')).toMatch(/could not tell/);
  });
});
