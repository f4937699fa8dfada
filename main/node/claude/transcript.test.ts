import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conversationTitle, conversationTitleSync } from './transcript.js';

const dir = mkdtempSync(join(tmpdir(), 'fk-transcript-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SID = '27976cfe-d56e-4508-bfe8-3d8621a8291e';
// Shapes copied from a transcript written by Claude Code 2.1.330 (after /clear, then a message).
const realLines = [
  { type: 'mode', mode: 'normal', sessionId: SID },
  { type: 'file-history-snapshot', messageId: 'm', snapshot: {}, isSnapshotUpdate: false },
  {
    parentUuid: null,
    isSidechain: false,
    type: 'user',
    message: {
      role: 'user',
      content: '<local-command-caveat>The command below was run directly in Claude Code</local-command-caveat>',
    },
    isMeta: true,
    sessionId: SID,
  },
  {
    parentUuid: 'a',
    isSidechain: false,
    type: 'user',
    message: {
      role: 'user',
      content:
        '<command-name>/clear</command-name>\n            <command-message>clear</command-message>\n            <command-args></command-args>',
    },
    sessionId: SID,
  },
  { type: 'system', subtype: 'local_command', content: '<local-command-stdout></local-command-stdout>' },
  {
    type: 'api-request-blob',
    sessionId: SID,
    message: { role: 'user', content: [{ type: 'text', text: '<system-reminder>\nnot typed' }] },
  },
  {
    parentUuid: 'b',
    isSidechain: false,
    type: 'user',
    message: { role: 'user', content: 'after clear beta' },
    sessionId: SID,
  },
  { parentUuid: 'c', type: 'user', message: { role: 'user', content: 'second message' } },
];

function write(name: string, lines: (object | string)[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return p;
}

async function both(p: string, maxLen?: number): Promise<string | null> {
  const a = await conversationTitle(p, maxLen);
  expect(conversationTitleSync(p, maxLen)).toBe(a);
  return a;
}

describe('conversationTitle', () => {
  it('is the first message the user typed, skipping meta and command records', async () => {
    expect(await both(write('real.jsonl', realLines))).toBe('after clear beta');
  });

  it('reads text items of array content, skips tool results, sidechains and compact summaries', async () => {
    const p = write('array.jsonl', [
      { type: 'user', message: { content: [{ type: 'tool_result', content: 'x' }] } },
      { type: 'user', isSidechain: true, message: { content: 'subagent prompt' } },
      { type: 'user', isCompactSummary: true, message: { content: 'This session is being continued' } },
      {
        type: 'user',
        message: {
          content: [
            { type: 'text', text: '<ide_opened_file>a.ts</ide_opened_file>' },
            { type: 'text', text: '  fix the\n\tlogin   bug  ' },
          ],
        },
      },
    ]);
    expect(await both(p)).toBe('fix the login bug');
  });

  it('never throws on torn or hostile lines and falls back to the first meaningful command', async () => {
    const p = write('bad.jsonl', [
      '{"type":"user","message":{"content":"torn',
      'null',
      '42',
      '[]',
      '{"type":"user"}',
      '{"type":"user","message":{"content":[null,1,{"type":"text"}]}}',
      { type: 'user', message: { content: '<command-name>/review</command-name><command-args>PR 12</command-args>' } },
    ]);
    expect(await both(p)).toBe('/review PR 12');
    expect(await both(write('only-clear.jsonl', [realLines[3] as object]))).toBeNull();
    expect(await both(join(dir, 'missing.jsonl'))).toBeNull();
    expect(await both(dir)).toBeNull(); // a directory, not a file
  });

  it('shortens long titles on a character boundary', async () => {
    const p = write('long.jsonl', [{ type: 'user', message: { content: 'é'.repeat(200) } }]);
    expect(await both(p, 10)).toBe(`${'é'.repeat(9)}…`);
  });

  it('finds the first message in a multi-MB transcript, multi-byte text across chunk borders intact', async () => {
    const filler = { type: 'attachment', rendered: 'x'.repeat(1_000_000) };
    const head = { type: 'user', message: { content: '日本語'.repeat(30_000) } }; // one 270 KB line spanning chunks
    const p = write('big.jsonl', [filler, filler, head, ...Array(20).fill(filler)]);
    const t0 = performance.now();
    expect(await both(p, 1_000_000)).toBe('日本語'.repeat(30_000));
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
