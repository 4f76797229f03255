import { describe, expect, it } from 'vitest';
import { ShellCommand } from '../../../../src/contract/index.ts';
import { menuSpec, type MenuSpecItem } from '../../../../main/policy/menu-spec.ts';

const flat = (items: MenuSpecItem[]): MenuSpecItem[] => items.flatMap((i) => [i, ...(i.submenu ? flat(i.submenu) : [])]);
const base = { theme: 'dark' as const, development: false, appName: 'Earwitness' };

describe('the native menu', () => {
  it('has File, Edit, View and Help with the UI actions', () => {
    const menu = menuSpec({ ...base, platform: 'linux' });
    expect(menu.map((m) => m.label?.replace('&', ''))).toEqual(['File', 'Edit', 'View', 'Help']);
    const sends = flat(menu).flatMap((i) => (i.action && 'send' in i.action ? [i.action.send] : []));
    expect(sends.map((s) => s.command)).toEqual(['importAlerts', 'importAudio', 'exportDataset', 'setTheme', 'setTheme', 'setTheme', 'showKeyboardHelp']);
    // Every payload is a valid contract event, so the renderer's listener can trust it.
    for (const s of sends) expect(ShellCommand.safeParse(s).success).toBe(true);
    expect(flat(menu).some((i) => i.action && 'main' in i.action && i.action.main === 'about')).toBe(true);
    expect(flat(menu).map((i) => i.role)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom', 'quit', 'copy', 'paste']));
  });

  it('checks the current theme', () => {
    const radios = flat(menuSpec({ ...base, platform: 'linux', theme: 'light' })).filter((i) => i.type === 'radio');
    expect(radios.filter((r) => r.checked).map((r) => r.action && 'send' in r.action && r.action.send)).toEqual([{ command: 'setTheme', theme: 'light' }]);
  });

  it('gives every accelerator to one item only, and leaves single keys to the UI', () => {
    const accelerators = flat(menuSpec({ ...base, platform: 'linux' })).flatMap((i) => (i.accelerator ? [i.accelerator] : []));
    expect(new Set(accelerators).size).toBe(accelerators.length);
    for (const a of accelerators) expect(a, a).toMatch(/^(CmdOrCtrl\+|F\d+$)/);
  });

  it('has the macOS application menu on macOS only, and developer tools only in development', () => {
    expect(menuSpec({ ...base, platform: 'darwin' })[0]!.label).toBe('Earwitness');
    const roles = (dev: boolean) => flat(menuSpec({ ...base, platform: 'win32', development: dev })).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });
});
