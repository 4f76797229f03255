import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSimpleBundle } from '../support/bundles.ts';
import { colouredTiles, writeMbtiles } from '../support/mbtiles.ts';
import { solidPng, tileColour } from '../support/png.ts';
import { tempDir } from '../support/temp.ts';
import { centreCertificates, freePort } from '../support/centre-tls.ts';
import { openCore } from '../../src/core/core.ts';
import { startHost } from '../../src/host/server.ts';

/**
 * The desktop app itself, through Playwright's Electron launcher: the window, its CSP, refused
 * navigation, tiles from MBTiles, clip audio by range, the review loop across a restart, the
 * single-instance lock and the remembered window position. Runs where the Electron binary
 * exists; here (no internet, so Electron was never downloaded) it skips and says why.
 * The binary is found by its file: requiring the electron package would start a download.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function electronBinary(): { path: string | null; why: string } {
  if (process.env.ELECTRON_PATH) {
    return existsSync(process.env.ELECTRON_PATH)
      ? { path: process.env.ELECTRON_PATH, why: '' }
      : { path: null, why: `ELECTRON_PATH=${process.env.ELECTRON_PATH} does not exist` };
  }
  const pathTxt = join(ROOT, 'node_modules/electron/path.txt');
  const platformPath = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : platformPath;
  const bin = join(ROOT, 'node_modules/electron/dist', rel);
  return existsSync(bin)
    ? { path: bin, why: '' }
    : { path: null, why: `no Electron binary at ${bin}: Electron is downloaded on first install, which needs the internet (or set ELECTRON_PATH)` };
}

function skipReason(): string | null {
  const bin = electronBinary();
  if (!bin.path) return bin.why;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'Electron needs a display on Linux: run under xvfb-run';
  if (!existsSync(join(ROOT, 'dist/main/main.cjs')) || !existsSync(join(ROOT, 'dist/renderer/index.html'))) return 'the app is not built: run `npm run build`';
  return null;
}

const reason = skipReason();
if (reason) console.warn(`skipping the Electron end-to-end spec: ${reason}`);
test.skip(reason !== null, reason ?? '');

let dataDir: string;
let work: string;
let cleanup: () => void;
test.beforeAll(() => {
  ({ dir: work, cleanup } = tempDir('earwitness-electron-'));
  dataDir = join(work, 'data');
});
test.afterAll(() => cleanup?.());

async function launch(): Promise<{ app: ElectronApplication; win: Page }> {
  const app = await electron.launch({ executablePath: electronBinary().path!, args: [ROOT, '--data', dataDir, '--no-demo'], cwd: ROOT, timeout: 60_000 });
  const win = await app.firstWindow();
  await win.waitForLoadState('domcontentloaded');
  return { app, win };
}

/** Calls window.earwitness.<method>(input) in the page: the real preload, IPC and core. */
function call<T = unknown>(win: Page, method: string, input?: unknown): Promise<{ ok: boolean; value: T; error?: { code: string; message: string } }> {
  return win.evaluate(([m, i]) => (globalThis as unknown as { earwitness: Record<string, (x?: unknown) => Promise<never>> }).earwitness[m as string]!(i), [
    method,
    input,
  ] as const);
}

const ADMIN = { name: 'ada', displayName: 'Ada Admin', password: 'a long admin password' };

/**
 * Signs this window's seat in as the administrator, creating them on the data folder's first
 * start: the core refuses every call but the public ones until the first administrator exists,
 * and each launch is a new seat that must sign in again.
 */
async function signInAdmin(win: Page): Promise<void> {
  const seat = await call<{ needsFirstAdmin: boolean }>(win, 'getSeat', {});
  expect(seat.ok).toBe(true);
  const r = seat.value.needsFirstAdmin ? await call(win, 'createFirstAdmin', ADMIN) : await call(win, 'signIn', { name: ADMIN.name, password: ADMIN.password });
  expect(r.ok, JSON.stringify(r.error)).toBe(true);
}

test.describe.configure({ mode: 'serial' });

test('opens one sandboxed window on the bundle, with the CSP as a response header', async () => {
  const { app, win } = await launch();
  try {
    expect(win.url()).toMatch(/^app:\/\/app\//);
    await expect(win).toHaveTitle(/Earwitness/);
    const csp = await app.evaluate(async ({ session }) => (await session.defaultSession.fetch('app://app/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    // No Node in the page, only the contract bridge.
    expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect((await call(win, 'getStatus')).ok).toBe(true);
    // The bridge is frozen by contextBridge: the page cannot swap a method for its own.
    const swapped = await win.evaluate(() => {
      const ew = (globalThis as unknown as { earwitness: Record<string, unknown> }).earwitness;
      try {
        ew.getStatus = () => 'hijacked';
      } catch {
        /* strict-mode pages throw; either way the method must stay the bridge's */
      }
      return typeof ew.getStatus === 'function' && String(ew.getStatus).includes('hijacked');
    });
    expect(swapped).toBe(false);
  } finally {
    await app.close();
  }
});

test('refuses navigation to an outside URL, new windows and network requests', async () => {
  const { app, win } = await launch();
  try {
    await win.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await win.waitForTimeout(1500);
    expect(win.url()).toMatch(/^app:\/\/app\//);
    expect(await win.evaluate(() => (globalThis as unknown as { open: (u: string) => unknown }).open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
    const fetched = await win.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'fetched',
        () => 'refused',
      ),
    );
    expect(fetched).toBe('refused');
  } finally {
    await app.close();
  }
});

/** Makes the main process's native open dialog answer with these paths, as if the person had chosen them. */
const answerOpenDialog = (app: Awaited<ReturnType<typeof launch>>['app'], paths: string[]) =>
  app.evaluate(({ dialog }, chosen) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: chosen })) as typeof dialog.showOpenDialog;
  }, paths);

test('serves a tile from an MBTiles file chosen in the native dialog; a path from the page is refused', async () => {
  const file = join(work, 'city.mbtiles');
  writeMbtiles(file, { tiles: colouredTiles(2) });
  const { app, win } = await launch();
  try {
    await signInAdmin(win);
    // A path from the window is refused even to an administrator: only the command line names paths.
    const byPath = await call(win, 'setMapSettings', { baseLayer: { kind: 'mbtiles', path: file } });
    expect(byPath.error?.code).toBe('forbidden');
    await answerOpenDialog(app, [file]);
    const chosen = await call<{ grantId: string; names: string[] }>(win, 'choosePath', { mode: 'open', purpose: 'mbtiles' });
    expect(chosen.value.names).toEqual(['city.mbtiles']);
    expect(JSON.stringify(chosen)).not.toContain(work);
    const set = await call<{ source: { available: boolean } }>(win, 'setBaseLayer', {
      baseLayer: { kind: 'mbtiles', file: { kind: 'grant', grantId: chosen.value.grantId } },
    });
    expect(set.value.source.available).toBe(true);
    const r = await call<{ tile: { mime: string; dataBase64: string } }>(win, 'getTile', { z: 2, x: 3, y: 1 });
    expect(r.value.tile.mime).toBe('image/png');
    expect(r.value.tile.dataBase64).toBe(solidPng(tileColour(2, 3, 1)).toString('base64'));
    expect((await call(win, 'getTile', { z: 2, x: 9, y: 1 })).error?.code).toBe('invalid_input');
  } finally {
    await app.close();
  }
});

test('reviews an alert (open, confirm), streams its audio by range, and keeps the decision after a restart', async () => {
  const bundle = writeSimpleBundle(join(work, 'bundle-1'), { id: 'E2E-1' }).dir;
  let alertId: number;
  {
    const { app, win } = await launch();
    try {
      await signInAdmin(win);
      expect((await call(win, 'importPaths', { paths: [bundle] })).error?.code).toBe('forbidden');
      await answerOpenDialog(app, [bundle]);
      const imported = await call<{ outcomes: { status: string; alertId: number }[] }>(win, 'chooseImport', { kind: 'alerts' });
      expect(imported.value.outcomes[0]!.status).toBe('imported');
      alertId = imported.value.outcomes[0]!.alertId;
      const pending = await call<{ alerts: { id: number }[] }>(win, 'listAlerts', {});
      expect(pending.value.alerts.map((a) => a.id)).toContain(alertId);
      const detail = await call<{ tracks: { clip: { sha256: string; bytes: number } }[] }>(win, 'getAlert', { id: alertId });
      const clip = detail.value.tracks[0]!.clip;
      const head = await win.evaluate(async (sha) => {
        const res = await fetch(`clip://audio/${sha}`, { headers: { range: 'bytes=0-11' } });
        const bytes = new Uint8Array(await res.arrayBuffer());
        return { status: res.status, range: res.headers.get('content-range'), text: String.fromCharCode(...bytes.subarray(0, 4), ...bytes.subarray(8, 12)) };
      }, clip.sha256);
      expect(head).toEqual({ status: 206, range: `bytes 0-11/${clip.bytes}`, text: 'RIFFWAVE' });
      const decided = await call(win, 'decide', { alertId, class: 'gunfire_single', reviewMs: 4200 });
      expect(decided.ok).toBe(true);
    } finally {
      await app.close();
    }
  }
  const { app, win } = await launch();
  try {
    await signInAdmin(win);
    const decided = await call<{ alerts: { id: number; status: string; decision: { class: string } }[] }>(win, 'listAlerts', { status: 'decided' });
    expect(decided.value.alerts.find((a) => a.id === alertId)).toMatchObject({ status: 'decided', decision: { class: 'gunfire_single' } });
  } finally {
    await app.close();
  }
});

test('remembers the window position, and lets only one instance open a data folder', async () => {
  {
    const { app } = await launch();
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 50, width: 1100, height: 720 }));
    await new Promise((r) => setTimeout(r, 1200));
    await app.close();
  }
  const { app } = await launch();
  try {
    const bounds = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds());
    expect(bounds).toMatchObject({ width: 1100, height: 720 });
    // A second instance on the same data folder hands over to the first and exits.
    const second = spawn(electronBinary().path!, [ROOT, '--data', dataDir, '--no-demo'], { cwd: ROOT, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => (second.kill(), resolve(-1)), 20_000);
      second.on('exit', (c) => (clearTimeout(t), resolve(c)));
    });
    expect(code).toBe(0);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});

test('first run: connects to a review centre with its private CA, and then opens the centre alone, with no bridge to this computer', async () => {
  const { dir: centreDir, cleanup: done } = tempDir('earwitness-electron-centre-');
  const certs = centreCertificates(centreDir);
  const port = await freePort();
  const core = openCore({ dataDir: join(centreDir, 'centre') });
  const host = await startHost({
    core,
    rendererDir: join(ROOT, 'dist', 'renderer'),
    network: { listenHost: '127.0.0.1', port, publicOrigin: `https://127.0.0.1:${port}`, tls: { certPem: certs.certPem, keyPem: certs.keyPem } },
  });
  const fresh = join(centreDir, 'desktop');
  const caFile = join(centreDir, 'centre-ca.pem');
  try {
    {
      const app = await electron.launch({ executablePath: electronBinary().path!, args: [ROOT, '--data', fresh, '--no-demo'], cwd: ROOT, timeout: 60_000 });
      const win = await app.firstWindow();
      // The native dialog answers with the CA file, as a person picking it would; the restart is left to the test.
      await app.evaluate(({ dialog, app: a }, file) => {
        dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [file] })) as typeof dialog.showOpenDialog;
        a.relaunch = () => undefined;
      }, caFile);
      await win.getByText('Or work at a review centre instead').click();
      const form = win.getByTestId('workplace-form');
      await form.getByLabel("The centre's address").fill(`https://127.0.0.1:${port}`);
      await form.getByLabel(/signed by the centre's own CA/).check();
      await form.getByRole('button', { name: 'Connect to this centre and restart' }).click();
      await app.waitForEvent('close', { timeout: 20_000 });
    }
    expect(JSON.parse(readFileSync(join(fresh, 'workplace.json'), 'utf8'))).toEqual({ kind: 'centre', origin: `https://127.0.0.1:${port}`, privateCa: true });
    const app = await electron.launch({ executablePath: electronBinary().path!, args: [ROOT, '--data', fresh, '--no-demo'], cwd: ROOT, timeout: 60_000 });
    try {
      const win = await app.firstWindow();
      // The centre's own sign-in, over TLS its CA vouches for; this computer's store was never opened.
      await expect(win.getByTestId('sign-in')).toBeVisible({ timeout: 20_000 });
      expect(new URL(win.url()).origin).toBe(`https://127.0.0.1:${port}`);
      expect(await win.evaluate(() => typeof (globalThis as { earwitness?: unknown }).earwitness)).toBe('undefined');
      await win.evaluate(() => void ((globalThis as unknown as { location: { href: string } }).location.href = 'https://example.org/'));
      await win.waitForTimeout(500);
      expect(new URL(win.url()).origin).toBe(`https://127.0.0.1:${port}`);
    } finally {
      await app.close();
    }
  } finally {
    await host.close();
    await core.close();
    done();
  }
});
