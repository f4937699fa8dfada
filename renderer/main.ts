// Dashboard entry point: loads every view from the bridge, keeps health live (pushes from main
// plus a slow poll as a fallback), and refreshes the lists after anything that changes them.
import type { FleetkeeperBridge, HealthView } from '../shared/ipc-contract.js';
import { byId, errorText, h, replaceChildren, toast } from './dom.js';
import { renderHealth } from './health-header.js';
import { renderTimeline } from './timeline-chart.js';
import { renderRegistry } from './registry-view.js';
import { renderSnapshots } from './snapshots-view.js';
import { openRestore } from './restore-view.js';
import { renderSettings } from './settings-view.js';
import { renderHooks } from './hooks-view.js';

declare global {
  interface Window {
    fleetkeeper?: FleetkeeperBridge;
  }
}

const HEALTH_POLL_MS = 15_000;

let lastHealth: HealthView | null = null;
let rangeHours = 24;

function showHealth(view: HealthView): void {
  lastHealth = view;
  renderHealth(view);
  renderTimeline(byId('timeline-chart'), byId('timeline-legend'), view, rangeHours);
  byId('timeline-h').textContent = `Freshness, last ${rangeHours} hours`;
}

function wireRange(): void {
  const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>('#timeline [data-range]'));
  for (const b of buttons) {
    b.addEventListener('click', () => {
      rangeHours = Number(b.dataset.range) || 24;
      for (const o of buttons) o.setAttribute('aria-pressed', String(o === b));
      if (lastHealth !== null) showHealth(lastHealth);
    });
  }
}

/** Runs one loader; a failure shows in its own card instead of blanking the page. */
async function load(cardBody: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    replaceChildren(byId(cardBody), h('p', { class: 'bad' }, errorText(err)));
  }
}

function start(bridge: FleetkeeperBridge): void {
  wireRange();
  const refreshHealth = () => load('timeline-chart', async () => showHealth(await bridge.getHealth()));
  const refreshRegistry = () =>
    load('registry-body', async () => renderRegistry(byId('registry-body'), await bridge.listRegistry()));
  const preview = (id: string) =>
    load('restore-body', async () => {
      const body = byId('restore-body');
      replaceChildren(body, h('p', { class: 'muted' }, 'Planning…'));
      await openRestore(body, id, bridge, () => void refreshAll());
      body.scrollIntoView({ block: 'nearest' });
    });
  const refreshSnapshots = () =>
    load('snapshots-body', async () =>
      renderSnapshots(byId('snapshots-body'), await bridge.listSnapshots(), (id) => void preview(id)),
    );
  const refreshHooks = () =>
    load('hooks-body', async () =>
      renderHooks(byId('hooks-body'), await bridge.hooksStatus(), bridge, () => void refreshHealth()),
    );
  const refreshAll = () => Promise.all([refreshHealth(), refreshRegistry(), refreshSnapshots()]);

  void load('settings-form', async () => {
    renderSettings(
      byId<HTMLFormElement>('settings-form'),
      await bridge.getSettings(),
      bridge,
      () => void refreshHealth(),
    );
  });
  void refreshHooks();
  void refreshAll().then(() => document.body.setAttribute('data-ready', 'true'));

  // The tray's Restore ▸ item opens the dashboard at `#restore=<snapshot id>` (main validates the id).
  const route = () => {
    const m = /^#restore=(.+)$/.exec(location.hash);
    if (m?.[1] !== undefined) void preview(decodeURIComponent(m[1]));
  };
  window.addEventListener('hashchange', route);
  route();

  bridge.onHealth((view) => {
    showHealth(view);
    void refreshSnapshots();
  });
  setInterval(() => void refreshHealth(), HEALTH_POLL_MS);

  const saveNow = byId<HTMLButtonElement>('save-now');
  saveNow.addEventListener('click', () => {
    saveNow.disabled = true;
    bridge
      .saveNow()
      .then(
        (s) => {
          toast(`Saved snapshot ${s.id}: ${s.sessions} sessions, ${s.panes} panes`);
          return refreshAll();
        },
        (err: unknown) => toast(`Save failed: ${errorText(err)}`, 'error'),
      )
      .finally(() => {
        saveNow.disabled = false;
      });
  });
}

const bridge = window.fleetkeeper;
if (bridge === undefined) {
  toast('The Fleetkeeper bridge is missing: this page only works inside the app.', 'error');
} else {
  start(bridge);
}
