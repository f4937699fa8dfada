import type { CommandSpec, OptionValue } from './command-spec.js';

// Every command of the CLI. Parsing, `--help`, the refusal of stray arguments and shell
// completion all come from this table: a new command is one more entry. Each `run` loads
// its module with a dynamic import, so `status --short` (on tmux's clock) and the
// completion queries load only what they use.

const str = (v: OptionValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: OptionValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: OptionValue | undefined): boolean => v === true;
const list = (v: OptionValue | undefined): readonly string[] => (Array.isArray(v) ? (v as string[]) : []);
const one = (v: string | readonly string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'save',
    summary: 'take a verified snapshot now',
    example: 'fleetkeeper save --json',
    run: async ({ out, context }) => (await import('./commands/save.js')).saveCommand(await context(), out),
  },
  {
    name: 'status',
    summary: 'health of the newest snapshot on disk (exit 0 only when fresh)',
    details:
      '--short prints one line for tmux status-right; --tmux the same line with tmux colour markup.\n' +
      'Exit 0 when fresh, 1 otherwise.',
    options: [
      { name: 'short', type: 'boolean', summary: 'one line for tmux status-right' },
      { name: 'tmux', type: 'boolean', summary: 'one coloured line (#[fg=…] markup) for status-right' },
      { name: 'stale-after', type: 'number', above: 0, value: 'S', summary: 'stale after S seconds' },
    ],
    example: "fleetkeeper status --short\ntmux set -ga status-right ' #(fleetkeeper status --tmux)'",
    run: async ({ out, context, args }) =>
      (await import('./commands/status.js')).statusCommand(await context(), out, {
        short: bool(args.options.short),
        tmux: bool(args.options.tmux),
        staleAfterS: num(args.options['stale-after']),
      }),
  },
  {
    name: 'snapshots',
    summary: 'list snapshots',
    example: 'fleetkeeper snapshots',
    run: async ({ out, context }) => (await import('./commands/snapshots.js')).snapshotsCommand(await context(), out),
  },
  {
    name: 'restore',
    summary: 'plan, recreate and verify (default: the restore default)',
    positionals: [{ name: 'ID', complete: 'snapshot-id' }],
    options: [
      { name: 'dry-run', type: 'boolean', summary: 'print the plan; change nothing' },
      {
        name: 'session',
        type: 'string',
        value: 'NAME',
        repeatable: true,
        summary: 'restore only this session (repeatable)',
        complete: 'session',
      },
      {
        name: 'role',
        type: 'string',
        value: 'ROLE',
        repeatable: true,
        summary: 'resume only this role; its session comes back, other panes as shells (repeatable)',
        complete: 'role',
      },
      {
        name: 'stagger',
        type: 'number',
        min: 0,
        value: 'MS',
        summary: 'a fixed delay between Claude starts instead of pacing by their SessionStarts',
      },
      {
        name: 'verify-timeout',
        type: 'number',
        // 0 would not wait at all and report every resumed conversation as silent.
        above: 0,
        value: 'S',
        summary: 'how long to wait for each resumed conversation',
      },
    ],
    example:
      'fleetkeeper restore --dry-run\nfleetkeeper restore --session work --role api --dry-run\nfleetkeeper restore 20261130T013000000Z-0000000042',
    run: async ({ out, context, args }) =>
      (await import('./commands/restore.js')).restoreCommand(await context(), out, one(args.positionals.ID), {
        dryRun: bool(args.options['dry-run']),
        staggerMs: num(args.options.stagger),
        sessions: list(args.options.session),
        roles: list(args.options.role),
        verifyTimeoutS: num(args.options['verify-timeout']),
      }),
  },
  {
    name: 'import-resurrect',
    summary: "read a tmux-resurrect save into a snapshot (default: resurrect's last save)",
    details:
      'FILE defaults to the `last` link in ~/.tmux/resurrect or $XDG_DATA_HOME/tmux/resurrect.\n' +
      'Sessions, windows, names, layouts, directories, the active and zoomed ones are imported;\n' +
      'no Claude conversations (resurrect never knew them). A file with a malformed line is\n' +
      'refused whole (exit 2), every bad line named.',
    positionals: [{ name: 'FILE', complete: 'file' }],
    example: 'fleetkeeper import-resurrect && fleetkeeper restore --dry-run',
    run: async ({ out, context, args }) =>
      (await import('./commands/import-resurrect.js')).importResurrectCommand(
        await context(),
        out,
        one(args.positionals.FILE),
      ),
  },
  {
    name: 'registry',
    summary: 'role -> Claude session binding',
    example: 'fleetkeeper registry --json',
    run: async ({ out, context }) => (await import('./commands/registry.js')).registryCommand(await context(), out),
  },
  {
    name: 'role',
    summary: 'show or set the role of this pane (or TARGET)',
    details:
      'Without --pane it acts on the pane it runs in ($TMUX_PANE), and only on that pane’s own server:\n' +
      'a --socket or FLEETKEEPER_TMUX_SOCKET naming another server is refused.',
    positionals: [{ name: 'NAME', complete: 'role' }],
    options: [
      { name: 'pane', type: 'string', value: 'TARGET', summary: 'the pane (%3, work:1.0)', complete: 'pane' },
      { name: 'force', type: 'boolean', summary: 'take the role even if another pane has it' },
    ],
    example: 'fleetkeeper role api-reviewer\nfleetkeeper role --pane work:1.0 --json',
    run: async ({ out, context, args }) =>
      (await import('./commands/role.js')).roleCommand(await context(), out, one(args.positionals.NAME), {
        pane: str(args.options.pane),
        force: bool(args.options.force),
      }),
  },
  {
    name: 'hooks',
    summary: "manage Fleetkeeper's entries in Claude's settings.json",
    example: 'fleetkeeper hooks install',
    subcommands: (['install', 'uninstall', 'status'] as const).map((verb) => ({
      name: verb,
      summary:
        verb === 'install'
          ? 'add the SessionStart/SessionEnd hooks (a backup of the old file is kept)'
          : verb === 'uninstall'
            ? 'remove them (a backup of the old file is kept)'
            : 'say whether they are installed (exit 0 only when they are)',
      example: verb === 'install' ? 'fleetkeeper hooks install --all' : `fleetkeeper hooks ${verb}`,
      options: [
        {
          name: 'config-dir',
          type: 'string' as const,
          value: 'DIR',
          repeatable: true,
          complete: 'file' as const,
          summary: 'this Claude config dir instead of the default (repeatable)',
        },
        ...(verb === 'status'
          ? []
          : [
              {
                name: 'all',
                type: 'boolean' as const,
                summary: 'every config dir a Claude of the fleet runs under, and the default',
              },
            ]),
      ],
      run: async ({ out, context, args }) =>
        (await import('./commands/hooks.js')).hooksCommand(await context(), out, verb, {
          configDirs: (args.options['config-dir'] as readonly string[] | undefined) ?? [],
          all: args.options.all === true,
        }),
    })),
  },
  {
    name: 'daemon',
    summary: 'save on a fixed clock and on layout changes; watch freshness',
    details: 'Runs until SIGINT/SIGTERM. With --json it logs one JSON object per line on stdout.',
    options: [
      { name: 'interval', type: 'number', above: 0, value: 'S', summary: 'seconds between saves' },
      { name: 'stale-after', type: 'number', above: 0, value: 'S', summary: 'stale after S seconds' },
      {
        name: 'if-idle',
        type: 'boolean',
        summary: 'exit 0 without starting when a daemon or the app already saves this state dir',
      },
    ],
    example: 'fleetkeeper daemon --interval 60',
    run: async ({ context, json, args }) =>
      (await import('./commands/daemon.js')).daemonCommand(await context(), {
        intervalS: num(args.options.interval),
        staleAfterS: num(args.options['stale-after']),
        json,
        ifIdle: bool(args.options['if-idle']),
      }),
  },
  {
    name: 'completion',
    summary: 'print a shell completion script (bash, zsh or fish)',
    details:
      'The script asks fleetkeeper at each TAB, so it completes commands, options, snapshot ids,\n' +
      'roles, panes and session names as they are now.',
    positionals: [{ name: 'SHELL', required: true, choices: ['bash', 'zsh', 'fish'] }],
    example:
      'eval "$(fleetkeeper completion bash)"        # ~/.bashrc\n' +
      'source <(fleetkeeper completion zsh)         # ~/.zshrc, after compinit\n' +
      'fleetkeeper completion fish | source         # ~/.config/fish/config.fish',
    run: async ({ args, json }) =>
      (await import('./commands/completion.js')).completionCommand(
        one(args.positionals.SHELL) as 'bash' | 'zsh' | 'fish',
        json,
      ),
  },
  {
    name: 'config',
    summary: 'list, get, set or unset a setting (the dashboard edits the same ones)',
    details:
      'Nested settings use dotted keys (retention.maxCount); list values are JSON arrays.\n' +
      'A running daemon or app applies a change at its next watchdog tick, without a restart.',
    example:
      'fleetkeeper config list\nfleetkeeper config set intervalS 30\nfleetkeeper config unset retention.maxCount',
    subcommands: [
      {
        name: 'list',
        summary: 'every setting with its value (and whether it is the default)',
        example: 'fleetkeeper config list --json',
        run: async ({ out, context }) =>
          (await import('./commands/config.js')).configCommand(await context(), out, 'list'),
      },
      {
        name: 'get',
        summary: 'one setting',
        positionals: [{ name: 'KEY', required: true, complete: 'none' }],
        example: 'fleetkeeper config get retention.maxCount',
        run: async ({ out, context, args }) =>
          (await import('./commands/config.js')).configCommand(await context(), out, 'get', one(args.positionals.KEY)),
      },
      {
        name: 'set',
        summary: 'change one setting (validated; exit 2 names the bad value)',
        positionals: [
          { name: 'KEY', required: true, complete: 'none' },
          { name: 'VALUE', required: true, complete: 'none' },
        ],
        example:
          "fleetkeeper config set intervalS 30\nfleetkeeper config set alertCommand 'mail -s fleetkeeper me@example.org'",
        run: async ({ out, context, args }) =>
          (await import('./commands/config.js')).configCommand(
            await context(),
            out,
            'set',
            one(args.positionals.KEY),
            one(args.positionals.VALUE),
          ),
      },
      {
        name: 'unset',
        summary: 'put one setting back to its default',
        positionals: [{ name: 'KEY', required: true, complete: 'none' }],
        example: 'fleetkeeper config unset intervalS',
        run: async ({ out, context, args }) =>
          (await import('./commands/config.js')).configCommand(
            await context(),
            out,
            'unset',
            one(args.positionals.KEY),
          ),
      },
    ],
  },
  {
    name: 'service',
    summary: 'run the daemon at login: a systemd user unit (Linux) or a launchd agent (macOS)',
    details:
      'The service runs `fleetkeeper daemon` with this state dir and tmux server pinned.\n' +
      'Refused when the tray app already starts at login (--force installs anyway: both then save).\n' +
      '`status` exits 0 only when the service is installed, enabled and not stopped.',
    example: 'fleetkeeper service install\nsudo loginctl enable-linger "$USER"\nfleetkeeper service status',
    subcommands: (['install', 'uninstall', 'status'] as const).map((verb) => ({
      name: verb,
      summary:
        verb === 'install'
          ? 'write, enable and start the service (says when lingering is needed)'
          : verb === 'uninstall'
            ? 'stop it and remove the unit and its enablement link'
            : 'whether it is installed, enabled and running; lingering',
      options:
        verb === 'install'
          ? [{ name: 'force', type: 'boolean' as const, summary: 'install even though the tray app starts at login' }]
          : [],
      example: `fleetkeeper service ${verb}`,
      run: async ({ out, context, args }) =>
        (await import('./commands/service.js')).serviceCommand(await context(), out, verb, {
          force: bool(args.options.force),
        }),
    })),
  },
  {
    name: 'doctor',
    summary: 'check everything a working safety net needs, each problem with its fix',
    details: 'Exit 0 only when every check that applies here passes; checks that do not apply say why.',
    example: 'fleetkeeper doctor\nfleetkeeper doctor --json',
    run: async ({ out, env, json, args }) =>
      (await import('./commands/doctor.js')).doctorCommand(
        (await import('./context.js')).makeContext({ socket: str(args.options.socket), json }, env, {
          inspectOnly: true,
        }),
        out,
      ),
  },
  {
    name: 'hook',
    hidden: true,
    summary: '(called by Claude Code) record a hook event from stdin',
    positionals: [{ name: 'EVENT', required: true, choices: ['session-start', 'session-end'] }],
    example: 'fleetkeeper hook session-start < event.json',
    // bin/fleetkeeper.js sends `hook` to the bundled hook entry before the CLI loads;
    // this entry exists so help and completion know it.
    run: async () => {
      process.stderr.write('fleetkeeper hook: run through bin/fleetkeeper.js\n');
      return 2;
    },
  },
  {
    name: 'help',
    summary: 'help for a command',
    positionals: [{ name: 'COMMAND', variadic: true }],
    example: 'fleetkeeper help restore',
    run: async ({ args, json }) => (await import('./help-command.js')).helpCommand(args, json),
  },
];
