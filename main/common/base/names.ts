import { InvalidInputError } from './errors.js';

const ROLE_RE = /^[A-Za-z0-9._-]{1,64}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isValidRole(name: string): boolean {
  return ROLE_RE.test(name);
}

export function assertValidRole(name: string): string {
  if (!isValidRole(name)) {
    throw new InvalidInputError(`invalid role ${JSON.stringify(name)}: use 1-64 characters of A-Z a-z 0-9 . _ -`);
  }
  return name;
}

export function isSessionId(id: string): boolean {
  return UUID_RE.test(id);
}

/** Session ids are typed into panes: anything that is not a UUID is refused outright. */
export function assertSessionId(id: string): string {
  if (!isSessionId(id)) throw new InvalidInputError(`session id ${JSON.stringify(id)} is not a UUID`);
  return id;
}

/**
 * The default role a pane gets the first time it is seen without one: derived from where it
 * is at that moment, made valid, and made unique against the roles already taken.
 */
export function defaultRole(
  sessionName: string,
  windowIndex: number,
  paneIndex: number,
  taken: ReadonlySet<string>,
): string {
  const base = `${sessionName}-${windowIndex}.${paneIndex}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 56);
  const safe = base.length > 0 ? base : 'pane';
  if (!taken.has(safe)) return safe;
  for (let n = 2; ; n++) {
    const candidate = `${safe}~${n}`.replace(/~/g, '_');
    if (!taken.has(candidate)) return candidate;
  }
}
