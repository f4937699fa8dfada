// The options of the Claude Code CLI as its `--help` lists them (version 2.1.330), as data:
// how many words each one takes decides where an option's value ends and a prompt begins.
// cli-options.test.ts parses the installed CLI's help and fails when this table is out of date.

/** none: a flag; required: `<v>` takes the next word, even one starting with '-';
 * optional: `[v]` takes the next word unless it starts with '-'; variadic: `<v...>` takes
 * every following word up to the next one starting with '-'. (Commander's rules.) */
export type OptionArity = 'none' | 'required' | 'optional' | 'variadic';

export interface ClaudeOption {
  /** Every spelling, e.g. ['-r', '--resume'] or ['--allowedTools', '--allowed-tools']. */
  names: readonly string[];
  arity: OptionArity;
}

export const CLAUDE_CLI_VERSION = '2.1.330';

export const CLAUDE_OPTIONS: readonly ClaudeOption[] = [
  { names: ['--add-dir'], arity: 'variadic' },
  { names: ['--agent'], arity: 'required' },
  { names: ['--agents'], arity: 'required' },
  { names: ['--allow-dangerously-skip-permissions'], arity: 'none' },
  { names: ['--allowedTools', '--allowed-tools'], arity: 'variadic' },
  { names: ['--append-system-prompt'], arity: 'required' },
  { names: ['--autocompact'], arity: 'required' },
  { names: ['--ax-screen-reader'], arity: 'none' },
  { names: ['--bg', '--background'], arity: 'none' },
  { names: ['--bare'], arity: 'none' },
  { names: ['--betas'], arity: 'variadic' },
  { names: ['--brief'], arity: 'none' },
  { names: ['--chrome'], arity: 'none' },
  { names: ['--cloud'], arity: 'optional' },
  { names: ['-c', '--continue'], arity: 'none' },
  { names: ['--dangerously-skip-permissions'], arity: 'none' },
  { names: ['-d', '--debug'], arity: 'optional' },
  { names: ['--debug-file'], arity: 'required' },
  { names: ['--desktop'], arity: 'none' },
  { names: ['--disable-slash-commands'], arity: 'none' },
  { names: ['--disallowedTools', '--disallowed-tools'], arity: 'variadic' },
  { names: ['--effort'], arity: 'required' },
  { names: ['--environment'], arity: 'required' },
  { names: ['--exclude-dynamic-system-prompt-sections'], arity: 'none' },
  { names: ['--fallback-model'], arity: 'required' },
  { names: ['--file'], arity: 'variadic' },
  { names: ['--fork-session'], arity: 'none' },
  { names: ['--forward-subagent-text'], arity: 'none' },
  { names: ['--from-pr'], arity: 'optional' },
  { names: ['-h', '--help'], arity: 'none' },
  { names: ['--ide'], arity: 'none' },
  { names: ['--include-hook-events'], arity: 'none' },
  { names: ['--include-partial-messages'], arity: 'none' },
  { names: ['--input-format'], arity: 'required' },
  { names: ['--json-schema'], arity: 'required' },
  { names: ['--max-budget-usd'], arity: 'required' },
  { names: ['--mcp-config'], arity: 'variadic' },
  { names: ['--model'], arity: 'required' },
  { names: ['-n', '--name'], arity: 'required' },
  { names: ['--no-chrome'], arity: 'none' },
  { names: ['--no-session-persistence'], arity: 'none' },
  { names: ['--output-format'], arity: 'required' },
  { names: ['--permission-mode'], arity: 'required' },
  { names: ['--permission-prompts'], arity: 'required' },
  { names: ['--plugin-dir'], arity: 'required' },
  { names: ['--plugin-url'], arity: 'required' },
  { names: ['-p', '--print'], arity: 'none' },
  { names: ['--prompt-suggestions'], arity: 'optional' },
  { names: ['--remote-control'], arity: 'optional' },
  { names: ['--remote-control-session-name-prefix'], arity: 'required' },
  { names: ['--replay-user-messages'], arity: 'none' },
  { names: ['--restricted'], arity: 'none' },
  { names: ['-r', '--resume'], arity: 'optional' },
  { names: ['--safe-mode'], arity: 'none' },
  { names: ['--session-id'], arity: 'required' },
  { names: ['--setting-sources'], arity: 'required' },
  { names: ['--settings'], arity: 'required' },
  { names: ['--strict-mcp-config'], arity: 'none' },
  { names: ['--system-prompt'], arity: 'required' },
  { names: ['--system-prompt-snapshot'], arity: 'required' },
  { names: ['--teleport'], arity: 'optional' },
  { names: ['--tmux'], arity: 'none' },
  { names: ['--tools'], arity: 'variadic' },
  { names: ['--verbose'], arity: 'none' },
  { names: ['-v', '--version'], arity: 'none' },
  { names: ['-w', '--worktree'], arity: 'optional' },
];

/**
 * Options that pick a conversation or make the run one-shot: a relaunch drops them (it adds
 * its own `--resume <id>`). `--from-pr` and `--teleport` resume a session too. Everything
 * else the user typed is kept, verbatim and in order.
 */
export const CONVERSATION_OPTIONS: ReadonlySet<string> = new Set([
  '-r',
  '--resume',
  '-c',
  '--continue',
  '--session-id',
  '--fork-session',
  '-p',
  '--print',
  '--from-pr',
  '--teleport',
]);
