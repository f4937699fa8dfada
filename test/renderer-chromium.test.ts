import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { claudeSandbox, type ClaudeSandbox } from './helpers/claude-env.js';
import { buildDashboard, REPO, type DashboardBuild } from './helpers/dashboard-build.js';
import { serveStatic, type StaticServer } from './helpers/dashboard-server.js';
import { attachBridge } from './helpers/dashboard-bridge.js';
import { DashboardService } from '../main/dashboard/dashboard-service.js';
import { ensureStateDir, type StatePaths } from '../main/node/base/state-dir.js';
import { SettingsStore, openSettingsFile } from '../main/node/settings/settings-store.js';
import { RegistryStore } from '../main/node/journal/registry-store.js';
import { claudeSettingsPath, hookCommands } from '../main/node/claude/settings-file.js';
import { BRIDGE_VERBS } from '../shared/ipc-contract.js';

// The dashboard in real Chromium against the real core: a real tmux fleet on an isolated
// socket, real snapshots on disk in a temp FLEETKEEPER_HOME, bindings recorded by the real hook
// command. Only the transport differs from the app: Playwright carries the preload's IPC.

const FAKE_CLAUDE = join(REPO, 'test', 'helpers', 'dashboard-fake-claude.sh');
const CLI = realpathSync(join(REPO, 'bin', 'fleetkeeper.js'));
// README screenshots are refreshed on request (FK_SCREENSHOTS=1); a normal run never writes into the tree.
const SHOTS =
  process.env.FK_SCREENSHOTS === '1' ? join(REPO, 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'fk-shots-'));
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CONVERSATIONS = {
  api: { id: randomUUID(), title: 'Make the billing API retry idempotent and add a test for double charges' },
  web: { id: randomUUID(), title: 'Fix the flaky login e2e test on Safari' },
};

let sb: ClaudeSandbox;
let tmux: TmuxHarness;
let paths: StatePaths;
let dirs: Record<'api' | 'web', string>;
let build: DashboardBuild;
let server: StaticServer;
let pageUrl: string;
let browser: Browser;
let page: Page;
let service: DashboardService;
let calls: string[];
let clockOffsetMs = 0;
const cspViolations: string[] = [];
const pageErrors: string[] = [];

function writeTranscript(cwd: string, id: string, firstMessage: string): void {
  const dir = join(sb.configDir, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const lines = [
    { type: 'user', sessionId: id, cwd, message: { role: 'user', content: firstMessage } },
    {
      type: 'assistant',
      sessionId: id,
      cwd,
      message: { role: 'assistant', content: [{ type: 'text', text: 'On it.' }] },
    },
  ];
  writeFileSync(join(dir, `${id}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

async function startFleet(): Promise<void> {
  await tmux.run('new-session', '-d', '-s', 'api', '-n', 'server', '-x', '160', '-y', '40', '-c', dirs.api);
  await tmux.run('split-window', '-t', 'api:server', '-h', '-c', dirs.api);
  await tmux.run('new-session', '-d', '-s', 'web', '-n', 'app', '-x', '160', '-y', '40', '-c', dirs.web);
  await tmux.run('set-option', '-p', '-t', 'api:server.0', '@fleetkeeper-role', 'billing-api');
  await tmux.run('set-option', '-p', '-t', 'api:server.1', '@fleetkeeper-role', 'api-logs');
  await tmux.run('set-option', '-p', '-t', 'web:app.0', '@fleetkeeper-role', 'web-app');
}

async function typeInPane(target: string, line: string): Promise<void> {
  await tmux.run('send-keys', '-t', target, '-l', line);
  await tmux.run('send-keys', '-t', target, 'Enter');
}

async function text(selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

async function shot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

describe('dashboard in real Chromium against the real core', () => {
  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist', 'main', 'cli', 'hook-entry.js'))) {
      execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
        cwd: REPO,
        stdio: 'inherit',
      });
    }
    build = buildDashboard();
    // The whole build as dist/ lays it out: the renderer imports the pure main/common modules it shares with the tray.
    server = await serveStatic(build.outDir);
    pageUrl = `${server.url}renderer/index.html`;
    const root = (await import('node:fs')).mkdtempSync('/tmp/fk-dash-');
    dirs = { api: join(root, 'billing-api'), web: join(root, 'web-app') };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    sb = claudeSandbox(Object.values(dirs), root);
    Object.assign(sb.env, { FK_NODE: process.execPath, FK_CLI: CLI, SHELL: '/bin/sh' });
    paths = ensureStateDir(sb.stateDir);
    tmux = new TmuxHarness(sb.env);

    // The relaunch line is decided in the plan, from the environment as in the app (app-wiring):
    // the stand-in replaces the captured executable the way a user's FLEETKEEPER_CLAUDE_BIN would.
    process.env.FLEETKEEPER_CLAUDE_BIN = FAKE_CLAUDE;
    service = new DashboardService({
      paths,
      target: { socketName: tmux.socket },
      settings: new SettingsStore(openSettingsFile(paths)),
      registry: new RegistryStore(paths),
      claudeSettingsPath: claudeSettingsPath(sb.env),
      hookCommands: hookCommands(process.execPath, CLI),
      claudeBin: FAKE_CLAUDE,
      clock: () => new Date(Date.now() + clockOffsetMs),
      restoreStaggerMs: 100,
      verifyTimeoutS: 30,
    });

    // The fleet, and two conversations announced from their panes by the real hook command.
    await startFleet();
    writeTranscript(dirs.api, CONVERSATIONS.api.id, CONVERSATIONS.api.title);
    writeTranscript(dirs.web, CONVERSATIONS.web.id, CONVERSATIONS.web.title);
    await typeInPane('api:server.0', `${FAKE_CLAUDE} --fk-start ${CONVERSATIONS.api.id}`);
    await typeInPane('web:app.0', `${FAKE_CLAUDE} --fk-start ${CONVERSATIONS.web.id}`);
    await waitFor(async () => (await service.registry()).length === 2, 20_000, 'both bindings in the registry');

    // A day of history, saved for real through the service with the clock set back: hourly
    // survivors (what retention keeps) from 23 h to 3 h ago, then a save a minute for the last
    // two hours with two late saves and one outage.
    const minute = 60_000;
    const at: number[] = [];
    for (let hAgo = 23; hAgo >= 3; hAgo--) at.push(hAgo * 60 * minute);
    for (let mAgo = 125; mAgo >= 1; mAgo--) {
      if (mAgo > 40 && mAgo < 48) continue; // 8-minute outage: red
      if (mAgo === 20 || mAgo === 95) continue; // a missed save: late
      at.push(mAgo * minute + (mAgo % 3) * 4000);
    }
    for (const ago of at) {
      clockOffsetMs = -ago;
      await service.saveNow();
    }
    clockOffsetMs = 0;

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    calls = await attachBridge(page, service, build.preloadFile);
  }, 300_000);

  afterAll(async () => {
    delete process.env.FLEETKEEPER_CLAUDE_BIN;
    await browser?.close();
    await server?.close();
    await tmux?.kill();
    if (sb) rmSync(sb.root, { recursive: true, force: true });
    if (build) rmSync(build.outDir, { recursive: true, force: true });
  });

  it('renders every view from real data, under the strict CSP, through named verbs only', async () => {
    await page.goto(pageUrl);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });

    // Bridge: exactly the named verbs plus onHealth; nothing generic.
    const exposed = await page.evaluate(() => Object.keys(window.fleetkeeper ?? {}).sort());
    expect(exposed).toEqual([...Object.keys(BRIDGE_VERBS), 'onHealth'].sort());

    // Health header: hooks are not installed yet, so amber with that reason; counts from tmux.
    expect(await page.getAttribute('#health', 'data-state')).toBe('hooks-missing');
    expect(await text('#health-meta')).toContain('2 sessions');
    expect(await text('#health-meta')).toContain('3 panes');

    // Timeline: one dot per save in the window, a bar per recorded duration, the thinned stretch.
    const health = await service.health();
    const saves = health.timeline.points.length;
    expect(saves).toBeGreaterThan(60);
    expect(await page.locator('svg.timeline circle.save-dot').count()).toBe(saves);
    expect(await page.locator('svg.timeline rect.duration-bar').count()).toBe(
      health.timeline.points.filter((p) => p.durationMs !== null).length,
    );
    // Every save is in the save history (saves.jsonl), so nothing is shaded as thinned.
    expect(health.timeline.thinnedBefore).toBeNull();
    expect(await page.locator('svg.timeline rect.thinned').count()).toBe(0);
    expect((await page.getAttribute('svg.timeline path.age-line', 'd'))?.length).toBeGreaterThan(100);
    // The outage shows: some save came more than stale-after after the previous one.
    expect(health.timeline.points.some((p) => (p.ageAtSaveS ?? 0) > health.thresholds.staleAfterS)).toBe(true);

    // Registry: both roles with the conversation titles read from their transcripts.
    const apiRow = page.locator('table.registry tr[data-role="billing-api"]');
    expect(await apiRow.getAttribute('data-session')).toBe(CONVERSATIONS.api.id);
    expect(await apiRow.locator('td.title').textContent()).toBe(CONVERSATIONS.api.title);
    expect(await page.locator('table.registry tr[data-role="web-app"] td.title').textContent()).toBe(
      CONVERSATIONS.web.title,
    );

    // Snapshots: every valid snapshot on disk is listed.
    const listing = await service.snapshots();
    expect(await page.locator('table.snapshots tbody tr').count()).toBe(listing.snapshots.length);
    expect(await page.locator('table.snapshots tbody tr').first().getAttribute('data-snapshot')).toBe(
      listing.snapshots[0]!.id,
    );

    // Hooks and settings views are filled in.
    expect(await page.getAttribute('#hooks-state', 'data-state')).toBe('missing');
    expect(await page.inputValue('#setting-intervalS')).toBe('60');

    // The CSP holds: the page itself breaks no rule, and an injected inline script does not run.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
    });
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false)).toBe(
      false,
    );
    expect(cspViolations.filter((v) => !v.includes('inline'))).toEqual([]);
    expect(cspViolations.length).toBe(1);
    expect(pageErrors).toEqual([]);
    expect(new Set(calls)).toEqual(
      new Set(['health:get', 'registry:list', 'snapshots:list', 'settings:get', 'hooks:status']),
    );
  });

  it('installs the Claude hooks into CLAUDE_CONFIG_DIR/settings.json from the button', async () => {
    const settingsFile = join(sb.configDir, 'settings.json');
    expect(existsSync(settingsFile)).toBe(false);
    await page.click('#hooks-install');
    await page.waitForSelector('#hooks-state[data-state="installed"]', { timeout: 15_000 });
    const written = JSON.parse(readFileSync(settingsFile, 'utf8')) as {
      hooks: Record<string, { hooks: { command: string }[] }[]>;
    };
    const commands = hookCommands(process.execPath, CLI);
    expect(written.hooks.SessionStart?.flatMap((g) => g.hooks.map((x) => x.command))).toContain(commands.sessionStart);
    expect(written.hooks.SessionEnd?.flatMap((g) => g.hooks.map((x) => x.command))).toContain(commands.sessionEnd);
    // The header follows: with hooks in and a save a minute ago, the fleet is fresh.
    await page.waitForSelector('#health[data-state="fresh"]', { timeout: 15_000 });
    await page.evaluate(() => document.getElementById('toast')?.setAttribute('hidden', ''));
    await shot('dashboard.png');
    // The 2-hour range redraws the same data closer up: the outage and the late saves show.
    await page.click('#timeline [data-range="2"]');
    expect(await page.getAttribute('svg.timeline', 'data-hours')).toBe('2');
    const inTwoHours = (await service.health()).timeline.points.filter(
      (p) => Date.parse(p.savedAt) >= Date.now() - 2 * 3600_000 + 5000,
    ).length;
    expect(await page.locator('svg.timeline circle.save-dot').count()).toBeGreaterThanOrEqual(inTwoHours);
    await page.locator('#timeline').screenshot({ path: join(SHOTS, 'timeline-2h.png') });
    await page.click('#timeline [data-range="24"]');
  });

  it('pushes health updates through onHealth', async () => {
    const pushed = await service.health();
    const delivered = await page.evaluate(
      (h) => (window as unknown as { __fkPush(c: string, p: unknown): number }).__fkPush('health:update', h),
      pushed,
    );
    expect(delivered).toBe(1);
    expect(await text('#health-reason')).toBe(pushed.report.reason);
  });

  it('round-trips settings to disk, and refuses a bad combination without writing it', async () => {
    const file = join(paths.root, 'settings.json');
    await page.fill('#setting-intervalS', '120');
    await page.fill('#setting-staleAfterS', '900');
    await page.uncheck('#setting-notifications');
    await page.click('#settings-save');
    await page.waitForSelector('#settings-status[data-kind="ok"]');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ intervalS: 120, staleAfterS: 900, notifications: false });

    await page.fill('#setting-staleAfterS', '60');
    await page.click('#settings-save');
    await page.waitForSelector('#settings-status[data-kind="error"]');
    expect(await text('#settings-status')).toBe('staleAfterS (60) must be greater than intervalS (120)');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ intervalS: 120, staleAfterS: 900 });

    // A crafted payload straight at the bridge is refused in main, naming the value.
    const refused = await page.evaluate(() =>
      window.fleetkeeper!.previewRestore({ snapshotId: '../../etc/passwd' }).then(
        () => 'accepted',
        (e: Error) => e.message,
      ),
    );
    expect(refused).toContain('"../../etc/passwd"');
    // So is a crafted selection, and a well-formed one naming what the snapshot does not hold.
    const snapshotId = (await service.snapshots()).snapshots[0]!.id;
    const crafted = await page.evaluate(
      (req) =>
        Promise.all(
          req.map((r) =>
            window.fleetkeeper!.previewRestore(r as never).then(
              () => 'accepted',
              (e: Error) => e.message,
            ),
          ),
        ),
      [
        { snapshotId, selection: { shellRoles: ['$(reboot)'] } },
        { snapshotId, selection: { sessions: [] } },
        { snapshotId, selection: { sessions: ['ghost'] } },
      ],
    );
    expect(crafted).toEqual([
      'selection.shellRoles: invalid role "$(reboot)"',
      'selection.sessions must name at least one session (leave it out for all)',
      `no session "ghost" in snapshot ${snapshotId}`,
    ]);
  });

  it('previews the restore after a reboot, restores only what was picked, then the rest, verifying every conversation', async () => {
    // The reboot: the server dies with the fleet; a fresh server comes up with one unrelated session.
    const before = (await service.snapshots()).snapshots[0]!;
    await tmux.kill();
    await tmux.run('new-session', '-d', '-s', 'scratch', '-c', sb.home);
    // The tray opens the dashboard straight on a snapshot's preview with #restore=<id>.
    await page.goto(`${pageUrl}#restore=${before.id}`);
    await page.waitForSelector(`#restore-summary[data-snapshot="${before.id}"]`, { timeout: 30_000 });
    await page.goto(pageUrl);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#restore-summary').count()).toBe(0);
    const defaultRow = page.locator('table.snapshots tr.default');
    expect(await defaultRow.getAttribute('data-snapshot')).toBe(before.id);

    await defaultRow.locator('button[data-preview]').click();
    await page.waitForSelector('#restore-summary');
    expect(await page.getAttribute('#restore-summary', 'data-snapshot')).toBe(before.id);
    const planRows = () =>
      page.locator('table.plan tbody tr.pane').evaluateAll((trs) =>
        trs.map((tr) => ({
          role: tr.getAttribute('data-role'),
          action: tr.getAttribute('data-action'),
          session: tr.children[4]?.textContent,
          title: tr.children[5]?.textContent,
        })),
      );
    expect(await planRows()).toEqual([
      { role: 'billing-api', action: 'resume', session: CONVERSATIONS.api.id, title: CONVERSATIONS.api.title },
      { role: 'api-logs', action: 'shell', session: '—', title: '' },
      { role: 'web-app', action: 'resume', session: CONVERSATIONS.web.id, title: CONVERSATIONS.web.title },
    ]);
    expect(await text('table.plan tr[data-role="api-logs"] td.reason')).not.toBe('');
    // A checkbox per session; "shell instead" only where a conversation would resume.
    expect(await page.locator('input[data-session]').count()).toBe(2);
    expect(await page.locator('input[data-shell-role]').evaluateAll((i) => i.map((x) => x.dataset.shellRole))).toEqual([
      'billing-api',
      'web-app',
    ]);

    // Untick "web" and switch billing-api to a shell: main re-plans with the picks each time.
    await page.uncheck('input[data-session="web"]');
    await page.waitForSelector('tr.session[data-session="web"][data-session-action="not-selected"]');
    await page.check('input[data-shell-role="billing-api"]');
    await page.waitForSelector('tr.pane[data-role="billing-api"][data-action="shell"]');
    expect(await text('table.plan tr[data-role="billing-api"] td.reason')).toBe('switched to a shell for this restore');
    expect(await page.isChecked('input[data-shell-role="billing-api"]')).toBe(true);
    expect(await page.getAttribute('tr.pane[data-role="web-app"]', 'data-action')).toBe('not-selected');
    expect(await text('#restore-summary')).toContain('1 session to restore');
    expect(await text('#restore-summary')).toContain('1 not selected (still on offer)');
    expect(await text('#restore-summary')).toContain('0 Claude conversations resumed, 2 shells');
    // Nothing ticked at all: nothing to restore, and main is not asked for an empty selection.
    await page.uncheck('input[data-session="api"]');
    expect(await text('#restore-confirm')).toBe('Nothing selected');
    expect(await page.isDisabled('#restore-confirm')).toBe(true);
    await page.check('input[data-session="api"]');
    await page.waitForSelector('#restore-confirm:not([disabled])');
    expect(await text('#restore-confirm')).toBe('Restore 1 session');
    await shot('restore-preview.png');

    await page.click('#restore-confirm');
    await page.waitForSelector('#restore-verdict', { timeout: 90_000 });
    expect(await text('#restore-verdict')).toContain('Verified 0 of 0 conversations; 2 shells.');
    const onOffer = await page.locator('#restore-remaining li').allTextContents();
    expect(onOffer).toContain('session "web" (not selected)');
    expect(onOffer.some((l) => l.includes('role billing-api') && l.includes('switched to a shell'))).toBe(true);
    // The real server holds exactly the picks: api with both roles, billing-api a bare shell, no web.
    const paneRoles = async () =>
      (await tmux.run('list-panes', '-a', '-F', '#{session_name} #{@fleetkeeper-role}'))
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .sort();
    expect(await paneRoles()).toEqual(['api api-logs', 'api billing-api', 'scratch']);
    const resumedIn = async (target: string) =>
      (await tmux.run('capture-pane', '-p', '-t', target)).includes('--resume');
    expect(await resumedIn('api:server.0')).toBe(false);

    // The rest is still on offer: the same snapshot stays the default and a second restore
    // completes it (billing-api's shell resumes its conversation, web is created), duplicating nothing.
    await page.goto(pageUrl);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getAttribute('table.snapshots tr.default', 'data-snapshot')).toBe(before.id);
    await page.locator('table.snapshots tr.default button[data-preview]').click();
    await page.waitForSelector('tr.session[data-session="api"][data-session-action="complete"]');
    expect(await page.getAttribute('tr.pane[data-role="billing-api"]', 'data-action')).toBe('resume');
    expect(await page.getAttribute('tr.pane[data-role="web-app"]', 'data-action')).toBe('resume');
    await page.click('#restore-confirm');
    await page.waitForSelector('#restore-verdict', { timeout: 90_000 });
    expect(await text('#restore-verdict')).toContain('Verified 2 of 2 conversations');
    expect(await page.getAttribute('table.result tr[data-role="billing-api"]', 'data-outcome')).toBe('verified');
    expect(await page.getAttribute('table.result tr[data-role="web-app"]', 'data-outcome')).toBe('verified');
    expect(await page.locator('#restore-remaining').count()).toBe(0);
    expect(await paneRoles()).toEqual(['api api-logs', 'api billing-api', 'scratch', 'web web-app']);
    expect(await resumedIn('api:server.0')).toBe(true);
    await page.locator('#restore').scrollIntoViewIfNeeded();
    await shot('restore-result.png');
  });
});
