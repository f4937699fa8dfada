// A recording double of the few Electron calls the app makes (ElectronSurface): what main would
// have shown; menu items can be clicked by id like a user would.
import type { DashboardRoute, ElectronMenuItem, ElectronSurface } from '../../main/electron-main/electron-surface.js';
import type { FkNotification } from '../../main/node/desktop/notifier.js';

export class RecordingSurface implements ElectronSurface {
  images: string[] = [];
  tooltips: string[] = [];
  menus: ElectronMenuItem[][] = [];
  notifications: FkNotification[] = [];
  dashboards: (DashboardRoute | undefined)[] = [];
  pushes: { channel: string; value: unknown }[] = [];
  quits = 0;
  constructor(private readonly iconDir: string) {}
  tray = {
    setImage: (p: string) => void this.images.push(p),
    setToolTip: (t: string) => void this.tooltips.push(t),
    setContextMenu: (m: unknown) => void this.menus.push(m as ElectronMenuItem[]),
  };
  buildMenu(template: ElectronMenuItem[]): unknown {
    return template;
  }
  notify(n: FkNotification): Promise<void> {
    this.notifications.push(n);
    return Promise.resolve();
  }
  openDashboard(route?: DashboardRoute): void {
    this.dashboards.push(route);
  }
  pushToDashboard(channel: string, value: unknown): void {
    this.pushes.push({ channel, value });
  }
  quit(): void {
    this.quits++;
  }
  get icon(): string {
    return this.images.at(-1)!.slice(this.iconDir.length + 1);
  }
  get tooltip(): string {
    return this.tooltips.at(-1)!;
  }
  get menu(): ElectronMenuItem[] {
    return this.menus.at(-1)!;
  }
  find(id: string, items = this.menu): ElectronMenuItem | undefined {
    for (const i of items) {
      if (i.id === id) return i;
      const sub = this.find(id, i.submenu ?? []);
      if (sub) return sub;
    }
    return undefined;
  }
  click(id: string): void {
    const item = this.find(id);
    if (!item?.click) throw new Error(`no clickable menu item ${id}`);
    item.click();
  }
}
