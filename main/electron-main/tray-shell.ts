// Applies the pure tray model and menu template to the tray, only when they changed (on
// Linux every setContextMenu rebuilds the indicator's D-Bus menu, and it flickers).
import { join } from 'node:path';
import type { ActionId } from '../common/tray/action-dispatch.js';
import type { MenuItemData } from '../common/tray/menu-template.js';
import { trayIconFile, type TrayModel, type TrayPlatform } from '../common/tray/tray-model.js';
import { toElectronTemplate, type ElectronSurface } from './electron-surface.js';

export class TrayShell {
  private lastIcon: string | null = null;
  private lastTooltip: string | null = null;
  private lastMenu: string | null = null;

  constructor(
    private readonly surface: ElectronSurface,
    private readonly iconDir: string,
    private readonly platform: TrayPlatform,
    private readonly dispatch: (id: ActionId) => void,
  ) {}

  iconPath(model: TrayModel): string {
    return join(this.iconDir, trayIconFile(this.platform, model.icon));
  }

  apply(model: TrayModel, menu: readonly MenuItemData[]): void {
    const icon = this.iconPath(model);
    if (icon !== this.lastIcon) {
      this.surface.tray.setImage(icon);
      this.lastIcon = icon;
    }
    if (model.tooltip !== this.lastTooltip) {
      this.surface.tray.setToolTip(model.tooltip);
      this.lastTooltip = model.tooltip;
    }
    const key = JSON.stringify(menu);
    if (key !== this.lastMenu) {
      this.surface.tray.setContextMenu(this.surface.buildMenu(toElectronTemplate(menu, this.dispatch)));
      this.lastMenu = key;
    }
  }
}
