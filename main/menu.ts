import { app, BrowserWindow, dialog, Menu, nativeTheme, type MenuItemConstructorOptions } from 'electron';
import { IPC_EVENT_CHANNEL, THEMES, type ShellCommand } from '../src/contract/index.ts';
import type { Core } from '../src/core/core.ts';
import { menuSpec, type MenuAction, type MenuSpecItem } from './policy/menu-spec.ts';
import { INITIAL_THEME_SOURCE } from './policy/theme.ts';
import type { Seats } from './seats.ts';

export const THEME_KEY = 'shell.theme';
type Theme = (typeof THEMES)[number];

export function storedTheme(core: Core): Theme {
  const t = core.store.settings.get<unknown>(THEME_KEY);
  return THEMES.includes(t as Theme) ? (t as Theme) : 'dark';
}

/**
 * The native menu. Its UI actions reach the focused window's page as the contract's
 * `shellCommand` event (the UI runs the same code as for its own buttons); the theme also
 * drives native dialogs (nativeTheme) and is remembered. nativeTheme starts at `system` and then
 * follows the signed-in person's own theme (main/policy/theme.ts), never the menu's stored one:
 * that would pin the page's prefers-color-scheme and break Settings' "As the system".
 */
export function installMenu(core: Core, seats: Seats, o: { development: boolean; dataDir: string }): void {
  nativeTheme.themeSource = INITIAL_THEME_SOURCE;
  const target = () => BrowserWindow.getFocusedWindow() ?? seats.windows()[0];
  const send = (command: ShellCommand, to: BrowserWindow[]) => {
    for (const w of to) w.webContents.send(IPC_EVENT_CHANNEL, { event: 'shellCommand', payload: command });
  };
  const run = (action: MenuAction) => {
    if ('main' in action) return void showAbout(core, o.dataDir, target());
    if (action.send.command === 'setTheme') {
      nativeTheme.themeSource = action.send.theme;
      core.store.settings.put(THEME_KEY, action.send.theme, core.clock.nowUs());
      return send(action.send, seats.windows());
    }
    const w = target();
    if (w) send(action.send, [w]);
  };
  const build = (items: MenuSpecItem[]): MenuItemConstructorOptions[] =>
    items.map((i) => ({
      ...(i.label !== undefined ? { label: i.label } : {}),
      ...(i.role ? { role: i.role } : {}),
      ...(i.type ? { type: i.type } : {}),
      ...(i.accelerator ? { accelerator: i.accelerator } : {}),
      ...(i.checked !== undefined ? { checked: i.checked } : {}),
      ...(i.action ? { click: () => run(i.action!) } : {}),
      ...(i.submenu ? { submenu: build(i.submenu) } : {}),
    }));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(build(menuSpec({ platform: process.platform, theme: storedTheme(core), development: o.development, appName: app.getName() }))),
  );
  app.setAboutPanelOptions({ applicationName: 'Earwitness', applicationVersion: core.version, copyright: 'Acoustic review workstation' });
}

function showAbout(core: Core, dataDir: string, win: BrowserWindow | undefined): void {
  const options = {
    type: 'info' as const,
    title: 'About Earwitness',
    message: `Earwitness ${core.version}`,
    detail: `Acoustic review workstation.\n\nData folder: ${dataDir}\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
    buttons: ['OK'],
  };
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}
