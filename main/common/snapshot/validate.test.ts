import { describe, it, expect } from 'vitest';
import type { Snapshot } from '../base/types.js';
import { isIsoTimestamp, isSnapshotId, snapshotIdStamp } from './snapshot-id.js';
import { summarizeSnapshot } from './summary.js';
import { validateSnapshot } from './validate.js';

const SID = '3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b';

function sample(): Snapshot {
  return {
    format: 'fleetkeeper-snapshot',
    version: 1,
    id: '20261123T203001123Z-1a2b',
    savedAt: '2026-11-23T20:30:01.123Z',
    trigger: 'interval',
    instance: { socketPath: '/tmp/tmux-1000/default', pid: 4242, startTime: 1_790_000_000 },
    sessions: [
      {
        name: 'work',
        id: '$0',
        windows: [
          {
            index: 0,
            id: '@0',
            name: 'api',
            layout: 'b25d,80x24,0,0{40x24,0,0,0,39x24,41,0,1}',
            active: true,
            zoomed: false,
            panes: [
              {
                index: 0,
                id: '%0',
                role: 'api',
                cwd: '/home/u/api',
                currentCommand: 'claude',
                title: 't',
                active: true,
                binding: {
                  sessionId: SID,
                  transcriptPath: '/home/u/.claude/projects/x/a.jsonl',
                  cwd: '/home/u/api',
                  source: 'startup',
                  boundAt: '2026-11-23T20:00:00.000Z',
                  eventId: 'e1',
                  instance: { socketPath: '/tmp/tmux-1000/default', pid: 4242, startTime: 1_790_000_000 },
                  paneId: '%0',
                },
              },
              {
                index: 1,
                id: '%1',
                role: 'shell',
                cwd: '/home/u',
                currentCommand: 'bash',
                title: '',
                active: false,
                binding: null,
              },
            ],
          },
        ],
      },
    ],
    durationMs: 12,
    checksum: `sha256:${'ab'.repeat(32)}`,
  };
}

type Mut = (s: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('validateSnapshot', () => {
  it('accepts a well-formed snapshot, with or without optional fields', () => {
    expect(validateSnapshot(sample())).toEqual([]);
    const s = sample() as Partial<Snapshot>;
    delete s.durationMs;
    expect(validateSnapshot(s)).toEqual([]);
  });

  it('format 2: a program kept whole or withheld to its name; withheld must be true', () => {
    const s = sample() as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    s.version = 2;
    const panes = s.sessions[0].windows[0].panes;
    panes[1].program = { argv: ['tail', '-f', 'x.log'] };
    expect(validateSnapshot(s)).toEqual([]);
    panes[1].program = { argv: ['mysql'], withheld: true };
    expect(validateSnapshot(s)).toEqual([]);
    panes[1].program = { argv: ['mysql'], withheld: 'yes' };
    expect(validateSnapshot(s).join()).toMatch(/program\.withheld: expected true/);
  });

  it('accepts a draft without checksum only when asked to', () => {
    const { checksum: _c, ...draft } = sample();
    expect(validateSnapshot(draft, { requireChecksum: false })).toEqual([]);
    expect(validateSnapshot(draft).join()).toMatch(/snapshot\.checksum: missing/);
  });

  const cases: Array<[string, Mut, RegExp]> = [
    [
      'format',
      (s) => {
        s.format = 'other';
      },
      /snapshot\.format/,
    ],
    [
      'version',
      (s) => {
        s.version = 0;
      },
      /snapshot\.version/,
    ],
    [
      'version not a number',
      (s) => {
        s.version = '2';
      },
      /snapshot\.version/,
    ],
    [
      'newer version',
      (s) => {
        s.version = 99;
      },
      /format version 99 is newer than this Fleetkeeper/,
    ],
    [
      'id with path chars',
      (s) => {
        s.id = '../etc/passwd';
      },
      /snapshot\.id/,
    ],
    [
      'savedAt not ISO',
      (s) => {
        s.savedAt = '2026-11-23 20:30';
      },
      /snapshot\.savedAt/,
    ],
    [
      'savedAt impossible date',
      (s) => {
        s.savedAt = '2026-02-31T00:00:00.000Z';
      },
      /snapshot\.savedAt/,
    ],
    [
      'trigger',
      (s) => {
        s.trigger = 'cron';
      },
      /snapshot\.trigger/,
    ],
    [
      'id not stamped from savedAt',
      (s) => {
        s.savedAt = '2026-11-23T20:30:02.123Z';
      },
      /does not match savedAt/,
    ],
    [
      'instance pid',
      (s) => {
        s.instance.pid = -1;
      },
      /snapshot\.instance\.pid/,
    ],
    [
      'instance socketPath',
      (s) => {
        s.instance.socketPath = '';
      },
      /snapshot\.instance\.socketPath/,
    ],
    [
      'instance startTime float',
      (s) => {
        s.instance.startTime = 1.5;
      },
      /snapshot\.instance\.startTime/,
    ],
    [
      'sessions not array',
      (s) => {
        s.sessions = {};
      },
      /snapshot\.sessions: expected an array/,
    ],
    [
      'session name',
      (s) => {
        s.sessions[0].name = 7;
      },
      /sessions\[0\]\.name/,
    ],
    [
      'no windows',
      (s) => {
        s.sessions[0].windows = [];
      },
      /at least one window/,
    ],
    [
      'window layout',
      (s) => {
        s.sessions[0].windows[0].layout = '';
      },
      /windows\[0\]\.layout/,
    ],
    [
      'window zoomed',
      (s) => {
        s.sessions[0].windows[0].zoomed = 'no';
      },
      /windows\[0\]\.zoomed/,
    ],
    [
      'no panes',
      (s) => {
        s.sessions[0].windows[0].panes = [];
      },
      /at least one pane/,
    ],
    [
      'pane index',
      (s) => {
        s.sessions[0].windows[0].panes[0].index = -3;
      },
      /panes\[0\]\.index/,
    ],
    [
      'pane role invalid',
      (s) => {
        s.sessions[0].windows[0].panes[0].role = 'a b;rm';
      },
      /panes\[0\]\.role/,
    ],
    [
      'pane active',
      (s) => {
        s.sessions[0].windows[0].panes[1].active = 1;
      },
      /panes\[1\]\.active/,
    ],
    [
      'pane missing cwd',
      (s) => {
        delete s.sessions[0].windows[0].panes[0].cwd;
      },
      /panes\[0\]\.cwd: missing/,
    ],
    [
      'binding sessionId not a UUID',
      (s) => {
        s.sessions[0].windows[0].panes[0].binding.sessionId = 'x; rm -rf ~';
      },
      /binding\.sessionId: expected a UUID/,
    ],
    [
      'binding boundAt',
      (s) => {
        s.sessions[0].windows[0].panes[0].binding.boundAt = 'yesterday';
      },
      /binding\.boundAt/,
    ],
    [
      'binding instance',
      (s) => {
        s.sessions[0].windows[0].panes[0].binding.instance = { pid: 1 };
      },
      /binding\.instance\.socketPath/,
    ],
    [
      'binding extra field',
      (s) => {
        s.sessions[0].windows[0].panes[0].binding.evil = 1;
      },
      /binding\.evil: unknown field/,
    ],
    [
      'binding not object',
      (s) => {
        s.sessions[0].windows[0].panes[0].binding = 'x';
      },
      /binding: expected an object/,
    ],
    [
      'top-level extra field',
      (s) => {
        s.extra = true;
      },
      /snapshot\.extra: unknown field/,
    ],
    [
      'durationMs',
      (s) => {
        s.durationMs = -1;
      },
      /snapshot\.durationMs/,
    ],
    [
      'checksum form',
      (s) => {
        s.checksum = 'md5:00';
      },
      /snapshot\.checksum/,
    ],
  ];
  for (const [name, mutate, re] of cases) {
    it(`rejects: ${name}`, () => {
      const s = sample() as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      mutate(s);
      const reasons = validateSnapshot(s);
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.join('\n')).toMatch(re);
    });
  }

  it('never throws on arbitrary values and caps the number of reasons', () => {
    const junk: unknown[] = [
      null,
      undefined,
      0,
      'x',
      [],
      [1, 2],
      { sessions: [null, 1, 'a', [], {}] },
      Object.create(null),
    ];
    for (const j of junk) expect(validateSnapshot(j).length).toBeGreaterThan(0);
    const many = sample() as unknown as { sessions: unknown[] };
    many.sessions = Array.from({ length: 500 }, () => ({}));
    const reasons = validateSnapshot(many);
    expect(reasons.length).toBe(21);
    expect(reasons[20]).toMatch(/more problems/);
  });
});

describe('ids, timestamps, summary', () => {
  it('derives a time-sortable stamp and recognises ids', () => {
    expect(snapshotIdStamp(new Date('2026-11-23T20:30:01.123Z'))).toBe('20261123T203001123Z');
    expect(isSnapshotId('20261123T203001123Z-1a2b')).toBe(true);
    for (const bad of [
      '',
      '20261123T203001123Z',
      '20261123T203001123Z-1A2B',
      '../20261123T203001123Z-1a2b',
      '20261123T203001123Z-1a2b/x',
    ]) {
      expect(isSnapshotId(bad)).toBe(false);
    }
    expect(isIsoTimestamp('2026-11-23T20:30:01.123Z')).toBe(true);
    expect(isIsoTimestamp('2026-11-23T20:30:01Z')).toBe(false);
  });

  it('summarises counts: Claude panes are those with a resumable binding', () => {
    const s = sample();
    expect(summarizeSnapshot(s, 'f.json')).toEqual({
      id: s.id,
      file: 'f.json',
      savedAt: s.savedAt,
      trigger: 'interval',
      instance: s.instance,
      sessions: 1,
      windows: 1,
      panes: 2,
      claudePanes: 1,
      durationMs: 12,
    });
  });
});
