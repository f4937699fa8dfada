// The restore list (setting `restorePrograms`, tmux-resurrect's rules): a bare entry matches the
// program's name, an entry starting with `~` matches anywhere in the command line. Anything not
// on the list is never re-run: a command the user did not list may not be safe to run twice.
import { baseName } from '../claude/process-kind.js';

/** The program's name: argv[0] without its directory (or a login shell's leading '-'). */
export function programName(argv: readonly string[]): string {
  const first = argv[0] ?? '';
  return baseName(first.startsWith('-') ? first.slice(1) : first);
}

/** The entry that lets `argv` be restored, or null. */
export function restoreListMatch(argv: readonly string[], list: readonly string[]): string | null {
  if (argv.length === 0) return null;
  const name = programName(argv);
  const line = argv.join(' ');
  for (const entry of list) {
    if (entry.startsWith('~')) {
      const text = entry.slice(1);
      if (text !== '' && line.includes(text)) return entry;
    } else if (entry !== '' && entry === name) return entry;
  }
  return null;
}
