import type { ShellCommand } from '../../src/contract/index.ts';

/** Electron menu roles the shell uses (a subset of MenuItemConstructorOptions['role']). */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'zoomIn'
  | 'zoomOut'
  | 'resetZoom'
  | 'togglefullscreen'
  | 'reload'
  | 'toggleDevTools'
  | 'minimize'
  | 'front';

/** What happens when an item is chosen: a contract event to the UI, or something main does itself. */
export type MenuAction = { send: ShellCommand } | { main: 'about' };

export interface MenuSpecItem {
  label?: string;
  role?: MenuRole;
  type?: 'separator' | 'radio';
  accelerator?: string;
  checked?: boolean;
  action?: MenuAction;
  submenu?: MenuSpecItem[];
}

const sep: MenuSpecItem = { type: 'separator' };

/**
 * The native menu, as data: File (imports, export), Edit (so text fields get copy and paste on
 * macOS), View (themes, zoom), Help (keyboard keys, about). Accelerators use CmdOrCtrl so the
 * reviewer's single-key shortcuts in the UI stay free.
 */
export function menuSpec(o: { platform: NodeJS.Platform; theme: 'dark' | 'light' | 'system'; development: boolean; appName: string }): MenuSpecItem[] {
  const mac = o.platform === 'darwin';
  const theme = (t: 'dark' | 'light' | 'system', label: string): MenuSpecItem => ({
    label,
    type: 'radio',
    checked: o.theme === t,
    action: { send: { command: 'setTheme', theme: t } },
  });
  const menus: MenuSpecItem[] = [
    {
      label: '&File',
      submenu: [
        { label: 'Import &Alerts…', accelerator: 'CmdOrCtrl+O', action: { send: { command: 'importAlerts' } } },
        { label: 'Import A&udio…', accelerator: 'CmdOrCtrl+Shift+O', action: { send: { command: 'importAudio' } } },
        sep,
        { label: '&Export Data Set…', accelerator: 'CmdOrCtrl+E', action: { send: { command: 'exportDataset' } } },
        sep,
        mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [
        { label: '&Theme', submenu: [theme('dark', '&Dark'), theme('light', '&Light'), theme('system', 'Follow the &System')] },
        sep,
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        sep,
        { role: 'togglefullscreen' },
        ...(o.development ? [sep, { role: 'reload' } as MenuSpecItem, { role: 'toggleDevTools' } as MenuSpecItem] : []),
      ],
    },
    {
      label: '&Help',
      submenu: [
        { label: '&Keyboard Keys', accelerator: 'F1', action: { send: { command: 'showKeyboardHelp' } } },
        ...(mac ? [] : [sep, { label: `&About ${o.appName}`, action: { main: 'about' } } as MenuSpecItem]),
      ],
    },
  ];
  if (mac) {
    menus.unshift({
      label: o.appName,
      submenu: [{ role: 'about' }, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
    });
  }
  return menus;
}
