import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type CommandSpec } from './command-spec.js';
import { commandHelp, globalHelp, synopsis } from './help.js';
import { completionFor } from './completion/candidates.js';

const run = async (): Promise<number> => 0;
const TABLE: CommandSpec[] = [
  {
    name: 'restore',
    summary: 'restore',
    positionals: [{ name: 'ID', complete: 'snapshot-id' }],
    options: [
      { name: 'dry-run', type: 'boolean', summary: 'plan only' },
      { name: 'stagger', type: 'number', min: 0, value: 'MS', summary: 'delay' },
      { name: 'session', type: 'string', value: 'NAME', repeatable: true, summary: 's', complete: 'session' },
    ],
    example: 'fleetkeeper restore --dry-run',
    run,
  },
  {
    name: 'hooks',
    summary: 'hooks',
    example: 'fleetkeeper hooks install',
    subcommands: [
      { name: 'install', summary: 'i', example: 'fleetkeeper hooks install', run },
      { name: 'status', summary: 's', example: 'fleetkeeper hooks status', run },
    ],
  },
  {
    name: 'completion',
    summary: 'c',
    positionals: [{ name: 'SHELL', required: true, choices: ['bash', 'zsh'] }],
    example: 'fleetkeeper completion bash',
    run,
  },
  { name: 'hook', hidden: true, summary: 'h', example: 'x', run },
];

function usage(argv: string[]): string {
  try {
    parseCommandLine(TABLE, argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
}

describe('the command table parser', () => {
  it('options anywhere, typed; global options before the command take their value', () => {
    const p = parseCommandLine(TABLE, ['--socket', 'restore', 'restore', 'ID1', '--stagger=250', '--dry-run']);
    expect(p.spec?.name).toBe('restore');
    expect(p.args.options).toEqual({ socket: 'restore', stagger: 250, 'dry-run': true });
    expect(p.args.positionals).toEqual({ ID: 'ID1' });
    const rep = parseCommandLine(TABLE, ['restore', '--session', 'a', '--session', 'b']);
    expect(rep.args.options.session).toEqual(['a', 'b']);
    expect(parseCommandLine(TABLE, ['hooks', '--json', 'install']).args.path).toEqual(['hooks', 'install']);
    // After `--`, a word starting with '-' is a positional.
    expect(parseCommandLine(TABLE, ['restore', '--', '-odd']).args.positionals).toEqual({ ID: '-odd' });
  });

  it('refuses stray arguments, unknown options, bad values and missing or wrong verbs', () => {
    expect(usage(['restore', 'a', 'b'])).toBe('does not take the argument "b"; see --help');
    expect(usage(['restore', '--bogus'])).toBe('does not take the option --bogus');
    expect(usage(['hooks', 'install', '--dry-run'])).toBe('does not take the option --dry-run');
    expect(usage(['restore', '--stagger', '-1'])).toBe('--stagger must be a number (0 or more), got "-1"');
    expect(usage(['restore', '--stagger', ''])).toMatch(/--stagger must be/);
    expect(usage(['restore', '--stagger'])).toBe('--stagger needs a value (MS)');
    expect(usage(['restore', '--dry-run=yes'])).toMatch(/takes no value/);
    expect(usage(['hooks'])).toBe('needs one of: install, status');
    expect(usage(['hooks', 'frob'])).toBe('takes install, status; got "frob"');
    expect(usage(['completion'])).toBe('needs SHELL');
    expect(usage(['completion', 'tcsh'])).toBe('takes bash, zsh as SHELL, got "tcsh"');
    expect(usage(['frob'])).toBe('unknown command "frob"; see fleetkeeper --help');
  });

  it('--help and --version are answered even where the rest would not parse', () => {
    expect(parseCommandLine(TABLE, ['hooks', '--help']).spec?.name).toBe('hooks');
    expect(parseCommandLine(TABLE, ['completion', '-h']).args.options.help).toBe(true);
    expect(parseCommandLine(TABLE, ['-v']).spec).toBeUndefined();
  });

  it('help is rendered from the same table: synopsis, options, example; hidden commands not listed', () => {
    expect(synopsis(TABLE[0] as CommandSpec)).toBe('restore [ID] [--dry-run] [--stagger MS] [--session NAME]');
    expect(synopsis(TABLE[1] as CommandSpec)).toBe('hooks install|status');
    const g = globalHelp(TABLE);
    expect(g).toContain('completion bash|zsh');
    expect(g).not.toMatch(/^ {2}hook /m);
    const h = commandHelp([TABLE[0] as CommandSpec]);
    expect(h).toMatch(/^Usage: fleetkeeper restore \[ID\]/);
    expect(h).toContain('--stagger MS');
    expect(h).toMatch(/Example:\n {2}fleetkeeper restore --dry-run/);
  });

  it('completion answers from the table, naming the source for values that live elsewhere', () => {
    expect(completionFor(TABLE, ['re'])).toEqual({ kind: 'words', words: ['restore'] });
    expect(completionFor(TABLE, ['h'])).toEqual({ kind: 'words', words: ['hooks'] });
    expect(completionFor(TABLE, ['hooks', ''])).toEqual({ kind: 'words', words: ['install', 'status'] });
    expect(completionFor(TABLE, ['restore', ''])).toEqual({ kind: 'source', source: 'snapshot-id', prefix: '' });
    expect(completionFor(TABLE, ['restore', '--session', 'w'])).toEqual({
      kind: 'source',
      source: 'session',
      prefix: 'w',
    });
    expect(completionFor(TABLE, ['restore', '--dry-run', '--d'])).toEqual({ kind: 'words', words: [] });
    expect(completionFor(TABLE, ['restore', '--session', 'a', '--s'])).toEqual({
      kind: 'words',
      words: ['--socket', '--stagger', '--session'],
    });
    expect(completionFor(TABLE, ['completion', 'z'])).toEqual({ kind: 'words', words: ['zsh'] });
    expect(completionFor(TABLE, ['restore', 'ID', ''])).toEqual({ kind: 'words', words: [] });
  });
});

describe('the real command table', () => {
  it('restore --verify-timeout must be positive (0 would report every conversation silent); --stagger 0 is fine', async () => {
    const { COMMANDS } = await import('./command-table.js');
    expect(() => parseCommandLine(COMMANDS, ['restore', '--verify-timeout', '0'])).toThrow(
      /--verify-timeout must be a positive number, got "0"/,
    );
    expect(parseCommandLine(COMMANDS, ['restore', '--verify-timeout', '0.5']).args.options['verify-timeout']).toBe(0.5);
    expect(parseCommandLine(COMMANDS, ['restore', '--stagger', '0']).args.options.stagger).toBe(0);
  });
});
