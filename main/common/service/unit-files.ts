// The daemon as a login service: a systemd user unit (Linux) and a launchd agent (macOS),
// generated from the same description. Every path and the tmux server are pinned as absolute
// values at install time, so the service saves the state dir and the server the user had in
// mind, whatever environment systemd or launchd starts it with.
import { InvalidInputError } from '../base/errors.js';

export interface ServiceSpec {
  /** Absolute node binary and CLI launcher: the daemon the user runs by hand. */
  argv: readonly string[];
  /** FLEETKEEPER_HOME, TMUX_TMPDIR, FLEETKEEPER_TMUX_SOCKET, PATH, CLAUDE_CONFIG_DIR… (no secrets). */
  env: Readonly<Record<string, string>>;
  description: string;
  /** launchd only: where the daemon's log goes. */
  logFile?: string;
}

export const SYSTEMD_UNIT_NAME = 'fleetkeeper.service';
export const LAUNCHD_LABEL = 'org.fleetkeeper.daemon';

const CONTROL = /[\u0000-\u001f\u007f]/;

function checkValue(what: string, v: string): void {
  if (CONTROL.test(v)) throw new InvalidInputError(`${what} has a control character: ${JSON.stringify(v)}`);
}

/**
 * One word of a systemd command line or Environment= assignment: double-quoted, with `\` and
 * `"` backslash-escaped, `%` doubled (specifiers) and, for ExecStart, `$` doubled (variable
 * expansion).
 */
export function systemdQuote(word: string, dollar = true): string {
  checkValue('a service argument', word);
  let w = word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%');
  if (dollar) w = w.replace(/\$/g, '$$$$');
  return `"${w}"`;
}

/** The inverse of systemdQuote over a whole line (for tests and `service status`). */
export function parseSystemdWords(line: string, dollar = true): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    let w = '';
    const quoted = line[i] === '"';
    if (quoted) i++;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quoted && c === '"') {
        i++;
        break;
      }
      if (!quoted && c === ' ') break;
      if (c === '\\' && i + 1 < line.length) w += line[++i];
      else if (c === '%' && line[i + 1] === '%') w += line[i++];
      else if (dollar && c === '$' && line[i + 1] === '$') w += line[i++];
      else w += c;
    }
    out.push(w);
  }
  return out;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function envEntries(spec: ServiceSpec): [string, string][] {
  return Object.entries(spec.env).map(([k, v]) => {
    if (!ENV_NAME.test(k)) throw new InvalidInputError(`not a variable name: ${JSON.stringify(k)}`);
    checkValue(k, v);
    return [k, v];
  });
}

export function systemdUnit(spec: ServiceSpec): string {
  if (spec.argv.length === 0) throw new InvalidInputError('service command is empty');
  return [
    '# Written by `fleetkeeper service install`; removed by `fleetkeeper service uninstall`.',
    '[Unit]',
    `Description=${spec.description.replace(CONTROL, ' ').replace(/%/g, '%%')}`,
    '',
    '[Service]',
    'Type=simple',
    ...envEntries(spec).map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`, false)}`),
    `ExecStart=${spec.argv.map((a) => systemdQuote(a)).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=10',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function xml(s: string): string {
  checkValue('a plist value', s);
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A launchd user agent: started at login, restarted when it exits with a failure. */
export function launchdPlist(spec: ServiceSpec): string {
  const env = envEntries(spec)
    .map(([k, v]) => `\t\t<key>${xml(k)}</key>\n\t\t<string>${xml(v)}</string>`)
    .join('\n');
  const log = spec.logFile === undefined ? [] : ['StandardOutPath', 'StandardErrorPath'];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `\t<key>Label</key>\n\t<string>${LAUNCHD_LABEL}</string>`,
    `\t<key>ProgramArguments</key>\n\t<array>\n${spec.argv.map((a) => `\t\t<string>${xml(a)}</string>`).join('\n')}\n\t</array>`,
    `\t<key>EnvironmentVariables</key>\n\t<dict>\n${env}\n\t</dict>`,
    '\t<key>RunAtLoad</key>\n\t<true/>',
    '\t<key>KeepAlive</key>\n\t<dict>\n\t\t<key>SuccessfulExit</key>\n\t\t<false/>\n\t</dict>',
    '\t<key>ThrottleInterval</key>\n\t<integer>10</integer>',
    ...log.map((k) => `\t<key>${k}</key>\n\t<string>${xml(spec.logFile!)}</string>`),
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** What `service status` and `install` say about lingering (null: nothing to say). */
export function lingerAdvice(linger: boolean | null, user: string): string | null {
  if (linger === true) return null;
  const run = `sudo loginctl enable-linger ${user}`;
  return linger === false
    ? `lingering is off for ${user}: the service runs only while you are logged in (it stops at logout and does not start at boot); to keep it running without a login session, run: ${run}`
    : `could not tell whether lingering is on for ${user}; if the service should run without a login session, run: ${run}`;
}
