// Which process in a pane is Claude, which is the shell, and how Claude was launched. Decided by
// the process itself (argv, comm), never by `pane_current_command`, which reads `claude`, `node`
// or a version string depending on how Claude was started.

const CLAUDE_NAMES = new Set(['claude', 'claude.exe']);
const INTERPRETERS = new Set(['node', 'nodejs', 'bun', 'deno']);
const SHELLS = new Set(['bash', 'zsh', 'fish', 'sh', 'dash', 'ksh', 'mksh', 'yash', 'tcsh', 'csh', 'nu', 'elvish']);

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A login shell's argv[0] is `-bash`. */
function programName(argv0: string): string {
  return baseName(argv0.startsWith('-') ? argv0.slice(1) : argv0);
}

/**
 * Where the launched word is in argv: 1 for a script the kernel ran through its shebang
 * (`node /usr/local/bin/claude …`, `bash /home/u/bin/claude …`: comm is then the script's
 * name, at most 15 characters), else 0.
 */
function scriptIndex(argv: readonly string[], comm = ''): number {
  if (argv.length < 2) return 0;
  if (INTERPRETERS.has(programName(argv[0] ?? ''))) return 1;
  const script = baseName(argv[1] ?? '');
  return comm !== '' && comm !== programName(argv[0] ?? '') && script.startsWith(comm) ? 1 : 0;
}

export function isClaudeProcess(argv: readonly string[], comm: string): boolean {
  if (argv.length === 0) return false;
  const i = scriptIndex(argv, comm);
  const script = argv[i] ?? '';
  if (CLAUDE_NAMES.has(baseName(script))) return true;
  if (/\/@anthropic-ai\/claude-code\/(cli\.js|bin\/claude(\.exe)?)$/.test(script)) return true;
  return i === 0 && CLAUDE_NAMES.has(comm);
}

export function isShellProcess(argv: readonly string[], comm: string): boolean {
  const name = argv.length > 0 ? programName(argv[0] ?? '') : comm;
  return SHELLS.has(name) || SHELLS.has(comm);
}

/** An interactive shell, as opposed to `sh -c '…'` running a command line. */
export function isInteractiveShell(argv: readonly string[], comm: string): boolean {
  return isShellProcess(argv, comm) && !argv.slice(1).some((a) => a === '-c' || /^-[a-z]*c[a-z]*$/.test(a));
}

/** The executable as launched (the name or path the user typed) and the arguments after it. */
export function claudeLaunch(argv: readonly string[], comm = ''): { executable: string; args: string[] } {
  const i = scriptIndex(argv, comm);
  return { executable: argv[i] ?? 'claude', args: argv.slice(i + 1) };
}
