// The few Electron calls the app makes, as an interface. main.ts implements it with the real
// Tray/Menu/BrowserWindow/app; test/app-wiring.test.ts with a recording double, so the whole
// wiring runs under plain Node against the real core. Nothing here imports Electron.
import type { ActionId } from '../common/tray/action-dispatch.js';
import type { MenuItemData } from '../common/tray/menu-template.js';
import type { FkNotification } from '../node/desktop/notifier.js';

/** Menu.buildFromTemplate's input: our plain data plus the click that routes the id. */
export interface ElectronMenuItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  checked?: boolean;
  enabled?: boolean;
  submenu?: ElectronMenuItem[];
  click?: () => void;
}

export interface TraySurface {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  /** Receives what buildMenu returned. */
  setContextMenu(menu: unknown): void;
}

export interface DashboardRoute {
  /** Open straight on the restore preview of this snapshot. */
  restorePreview?: string;
}

export interface ElectronSurface {
  tray: TraySurface;
  buildMenu(template: ElectronMenuItem[]): unknown;
  notify(n: FkNotification): Promise<void>;
  /** Create or focus the dashboard window. */
  openDashboard(route?: DashboardRoute): void;
  /** webContents.send to the dashboard, when it is open. */
  pushToDashboard(channel: string, value: unknown): void;
  quit(): void;
}

/** Our menu data → Electron's template, every click routed through one dispatcher by id. */
export function toElectronTemplate(
  items: readonly MenuItemData[],
  dispatch: (id: ActionId) => void,
): ElectronMenuItem[] {
  return items.map((item) => {
    const out: ElectronMenuItem = { label: item.label, type: item.type ?? 'normal' };
    if (item.id !== undefined) {
      const id = item.id;
      out.id = id;
      out.click = () => dispatch(id);
    }
    if (item.checked !== undefined) out.checked = item.checked;
    if (item.enabled !== undefined) out.enabled = item.enabled;
    if (item.submenu !== undefined) out.submenu = toElectronTemplate(item.submenu, dispatch);
    return out;
  });
}
