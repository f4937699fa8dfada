import type { FleetkeeperBridge, HooksView } from '../shared/ipc-contract.js';
import { errorText, h, replaceChildren, toast } from './dom.js';

const TEXT: Record<HooksView['state'], string> = {
  installed: 'Installed ✓ — every Claude session reports its id when it starts and ends.',
  missing: 'Not installed: new conversations are not recorded, so restore cannot bring them back.',
  outdated: 'Installed, but pointing at an old Fleetkeeper: reinstall to update.',
  invalid: 'Claude’s settings.json could not be read.',
};

export function renderHooks(container: Element, view: HooksView, bridge: FleetkeeperBridge, after: () => void): void {
  const install = h(
    'button',
    { type: 'button', id: 'hooks-install', class: view.state === 'installed' ? 'small' : 'primary' },
    view.state === 'installed' ? 'Reinstall' : 'Install hooks',
  );
  install.disabled = view.state === 'invalid';
  install.addEventListener('click', () => {
    install.disabled = true;
    bridge.installHooks().then(
      (next) => {
        toast(`Claude hooks ${next.state} in ${next.settingsPath}`);
        renderHooks(container, next, bridge, after);
        after();
      },
      (err: unknown) => {
        install.disabled = false;
        toast(`Could not install hooks: ${errorText(err)}`, 'error');
      },
    );
  });
  replaceChildren(
    container,
    h(
      'p',
      { id: 'hooks-state', 'data-state': view.state, class: view.state === 'installed' ? 'ok' : 'bad' },
      TEXT[view.state],
    ),
    h(
      'p',
      { class: 'muted' },
      h('span', { class: 'mono path' }, view.settingsPath),
      view.detail === '' ? '' : ` — ${view.detail}`,
    ),
    h('div', { class: 'actions' }, install),
  );
}
