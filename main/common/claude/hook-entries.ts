import { InvalidInputError } from '../base/errors.js';

// The pure part of managing Fleetkeeper's entries in Claude Code's settings.json: recognising
// our commands, judging what is installed, and rewriting the hooks object. The file I/O
// (backup, durable write, symlinks) is main/node/claude/settings-file.ts.

export interface HookCommands {
  sessionStart: string;
  sessionEnd: string;
  /** Set when no safe hook command exists for this install (see hook-host.ts): why; nothing is installed. */
  unavailable?: string;
}

export const HOOK_TIMEOUT_SECONDS = 5;
export const EVENTS = [
  ['SessionStart', 'sessionStart'],
  ['SessionEnd', 'sessionEnd'],
] as const;

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Split a command line into words the way sh would for quoting ('', "", \); null if unbalanced. */
function shellWords(cmd: string): string[] | null {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i] as string;
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      if (end < 0) return null;
      cur = (cur ?? '') + cmd.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < cmd.length && cmd[j] !== '"'; j++) {
        if (cmd[j] === '\\' && j + 1 < cmd.length && '"\\$`'.includes(cmd[j + 1] as string)) j++;
        s += cmd[j];
      }
      if (j >= cmd.length) return null;
      cur = (cur ?? '') + s;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= cmd.length) return null;
      cur = (cur ?? '') + cmd[++i];
    } else if (/\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** `[node] <path containing fleetkeeper> hook session-start|session-end`, any paths. */
export function isOurHookCommand(cmd: string): boolean {
  const w = shellWords(cmd);
  if (w === null || w.length < 3 || w.length > 4) return false;
  const n = w.length;
  return (
    w[n - 2] === 'hook' && /^session-(start|end)$/.test(w[n - 1] as string) && /fleetkeeper/i.test(w[n - 3] as string)
  );
}

// SessionStart's matcher filters on source (startup/resume/...): only a catch-all group sees all.
export const isCatchAll = (g: Obj): boolean => g.matcher === undefined || g.matcher === '' || g.matcher === '*';
export const ourEntry = (command: string): Obj => ({ type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS });

export function validateShape(data: unknown, path: string): asserts data is Obj {
  const bad = (what: string): never => {
    throw new InvalidInputError(`${path}: ${what}; the file was left untouched`);
  };
  if (!isObj(data)) return bad('top level is not a JSON object');
  if (data.hooks === undefined) return;
  if (!isObj(data.hooks)) return bad('"hooks" is not an object');
  for (const [event] of EVENTS) {
    const groups = data.hooks[event];
    if (groups === undefined) continue;
    if (!Array.isArray(groups)) return bad(`"hooks.${event}" is not an array`);
    groups.forEach((g: unknown, i) => {
      if (!isObj(g)) return bad(`"hooks.${event}[${i}]" is not an object`);
      if (!Array.isArray(g.hooks)) return bad(`"hooks.${event}[${i}].hooks" is not an array`);
      g.hooks.forEach((h: unknown, j) => {
        if (!isObj(h)) bad(`"hooks.${event}[${i}].hooks[${j}]" is not an object`);
      });
    });
  }
}

/** Where our hooks stand in Claude's settings.json: the one spelling of it (status, health, tray, dashboard). */
export type HooksState = 'installed' | 'missing' | 'outdated' | 'invalid';

export function assess(data: Obj, expected: HookCommands): { state: Exclude<HooksState, 'invalid'>; detail: string } {
  const hooks = isObj(data.hooks) ? data.hooks : {};
  const problems: string[] = [];
  let found = 0;
  for (const [event, key] of EVENTS) {
    const want = expected[key];
    const ours: { g: Obj; h: Obj }[] = [];
    for (const g of (hooks[event] as Obj[] | undefined) ?? []) {
      for (const h of g.hooks as Obj[]) {
        if (typeof h.command === 'string' && (h.command === want || isOurHookCommand(h.command))) ours.push({ g, h });
      }
    }
    found += ours.length;
    const one = ours[0];
    if (one === undefined) problems.push(`${event}: no Fleetkeeper hook`);
    else if (ours.length > 1) problems.push(`${event}: ${ours.length} Fleetkeeper hooks (expected 1)`);
    else if (one.h.command !== want)
      problems.push(`${event}: runs ${JSON.stringify(one.h.command)}, expected ${JSON.stringify(want)}`);
    else if (one.h.type !== 'command')
      problems.push(`${event}: hook type is ${JSON.stringify(one.h.type)}, expected "command"`);
    else if (!isCatchAll(one.g))
      problems.push(`${event}: matcher ${JSON.stringify(one.g.matcher)} would miss some sessions`);
  }
  if (problems.length === 0) return { state: 'installed', detail: 'SessionStart and SessionEnd hooks installed' };
  if (found === 0) return { state: 'missing', detail: 'no Fleetkeeper hooks in Claude settings' };
  return { state: 'outdated', detail: problems.join('; ') };
}

/**
 * Remove our entries from one event (tidying groups we emptied); when `place` is given, put
 * exactly one current entry where the first old one sat in a catch-all group, else append.
 * Returns how many entries were removed or replaced.
 */
export function rewriteEvent(hooks: Obj, event: string, isOurs: (cmd: string) => boolean, place?: string): number {
  let touched = 0;
  let placed = false;
  const out: Obj[] = [];
  for (const g of (hooks[event] as Obj[] | undefined) ?? []) {
    const kept: Obj[] = [];
    let dropped = false;
    for (const h of g.hooks as Obj[]) {
      if (typeof h.command !== 'string' || !isOurs(h.command)) kept.push(h);
      else if (place !== undefined && !placed && isCatchAll(g)) {
        kept.push(ourEntry(place));
        placed = true;
        touched++;
      } else {
        dropped = true;
        touched++;
      }
    }
    if (dropped && kept.length === 0) continue;
    g.hooks = kept;
    out.push(g);
  }
  if (place !== undefined && !placed) {
    out.push({ matcher: '', hooks: [ourEntry(place)] });
    touched++;
  }
  if (out.length === 0 && touched > 0) delete hooks[event];
  else if (out.length > 0) hooks[event] = out;
  return touched;
}
