// Settings form. Values are shown in the unit people think in (minutes, hours, days) and sent
// as the stored unit; main validates the whole patch and answers with what it actually stored.
import type { FleetkeeperBridge, Settings, SettingsPatch } from '../shared/ipc-contract.js';
import { errorText, h, replaceChildren, toast } from './dom.js';

interface Field {
  name: string;
  label: string;
  unit: string;
  factor: number;
  get: (s: Settings) => number;
  put: (p: SettingsPatch, v: number) => void;
}

const FIELDS: Field[] = [
  {
    name: 'intervalS',
    label: 'Save every',
    unit: 's',
    factor: 1,
    get: (s) => s.intervalS,
    put: (p, v) => {
      p.intervalS = v;
    },
  },
  {
    name: 'graceS',
    label: 'Grace before “late”',
    unit: 's',
    factor: 1,
    get: (s) => s.graceS,
    put: (p, v) => {
      p.graceS = v;
    },
  },
  {
    name: 'staleAfterS',
    label: 'Stale after',
    unit: 's',
    factor: 1,
    get: (s) => s.staleAfterS,
    put: (p, v) => {
      p.staleAfterS = v;
    },
  },
  {
    name: 'renotifyMinutes',
    label: 'Re-notify while red every',
    unit: 'min',
    factor: 1,
    get: (s) => s.renotifyMinutes,
    put: (p, v) => {
      p.renotifyMinutes = v;
    },
  },
  {
    name: 'keepAllNewerThanS',
    label: 'Keep every snapshot for',
    unit: 'h',
    factor: 3600,
    get: (s) => s.retention.keepAllNewerThanS,
    put: (p, v) => {
      p.retention = { ...p.retention, keepAllNewerThanS: v };
    },
  },
  {
    name: 'hourlyForS',
    label: 'Then one per hour for',
    unit: 'days',
    factor: 86_400,
    get: (s) => s.retention.hourlyForS,
    put: (p, v) => {
      p.retention = { ...p.retention, hourlyForS: v };
    },
  },
  {
    name: 'dailyForS',
    label: 'Then one per day for',
    unit: 'days',
    factor: 86_400,
    get: (s) => s.retention.dailyForS,
    put: (p, v) => {
      p.retention = { ...p.retention, dailyForS: v };
    },
  },
  {
    name: 'maxCount',
    label: 'At most',
    unit: 'snapshots',
    factor: 1,
    get: (s) => s.retention.maxCount,
    put: (p, v) => {
      p.retention = { ...p.retention, maxCount: v };
    },
  },
];

export function renderSettings(
  form: HTMLFormElement,
  settings: Settings,
  bridge: FleetkeeperBridge,
  onSaved: (s: Settings) => void,
): void {
  const inputs = new Map<string, HTMLInputElement>();
  const rows = FIELDS.map((f) => {
    const input = h('input', {
      type: 'number',
      name: f.name,
      id: `setting-${f.name}`,
      min: 0,
      step: 'any',
      value: String(+(f.get(settings) / f.factor).toFixed(3)),
    });
    inputs.set(f.name, input);
    return h(
      'div',
      { class: 'field' },
      h('label', { for: input.id }, f.label),
      input,
      h('span', { class: 'unit' }, f.unit),
    );
  });
  const notifications = h('input', { type: 'checkbox', name: 'notifications', id: 'setting-notifications' });
  notifications.checked = settings.notifications;
  const status = h('span', { class: 'form-status', id: 'settings-status' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'settings-save' }, 'Save settings');

  replaceChildren(
    form,
    ...rows,
    h(
      'div',
      { class: 'field' },
      h('label', { for: notifications.id }, 'Notifications'),
      notifications,
      h('span', { class: 'unit' }, 'on'),
    ),
    h('div', { class: 'actions' }, save, status),
  );

  form.onsubmit = (ev) => {
    ev.preventDefault();
    const patch: SettingsPatch = { notifications: notifications.checked };
    for (const f of FIELDS) {
      const raw = inputs.get(f.name)?.value ?? '';
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) {
        status.textContent = `${f.label}: “${raw}” is not a number`;
        status.dataset.kind = 'error';
        return;
      }
      f.put(patch, Math.round(n * f.factor));
    }
    save.disabled = true;
    bridge
      .setSettings(patch)
      .then(
        (stored) => {
          status.textContent = 'Saved.';
          status.dataset.kind = 'ok';
          onSaved(stored);
        },
        (err: unknown) => {
          status.textContent = errorText(err);
          status.dataset.kind = 'error';
          toast(`Settings not saved: ${errorText(err)}`, 'error');
        },
      )
      .finally(() => {
        save.disabled = false;
      });
  };
}
