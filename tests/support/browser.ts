import { createHash, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

/**
 * The Chromium every browser test, screenshot and bench drives, found without downloading
 * anything at run time. In order:
 *   1. CHROMIUM_PATH, when set (it must exist: a wrong path is an error, not a fallback);
 *   2. Playwright's own browsers, where `npx playwright install` was ever run;
 *   3. a system Chrome or Chromium (Debian's /usr/bin/chromium, Google Chrome, the macOS and
 *      Windows installs);
 *   4. on Linux x64, the headless Chromium that the npm package @sparticuz/chromium carries inside
 *      itself (a devDependency), decompressed once into node_modules/.cache. So `npm install &&
 *      npm test` passes on a machine that has nothing but Node.
 */
export interface Browser {
  executablePath: string;
  /** Extra command-line flags this build needs (none for an ordinary Chrome). */
  args: string[];
  /** Environment for the browser process: undefined means the caller's own. */
  env: NodeJS.ProcessEnv | undefined;
  /** Where it came from, for messages. */
  source: 'CHROMIUM_PATH' | 'playwright' | 'system' | '@sparticuz/chromium';
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Flags every launch here uses: no sandbox (CI runs as root), and no traffic to Google's hosts on a closed network. */
export const QUIET_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SYSTEM_BROWSERS: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: [
    `${process.env['PROGRAMFILES'] ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Google\\Chrome\\Application\\chrome.exe`,
  ],
};

/** Playwright's registry path for its Chromium, when that browser was installed (never installs it). */
function playwrightBrowser(): string | null {
  try {
    const require = createRequire(join(REPO, 'package.json'));
    const { chromium } = require('playwright-core') as { chromium: { executablePath(): string } };
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

let found: Browser | undefined;

/** The browser to use; throws with what to do when there is none. Decompresses the packaged one on first use (a few seconds). */
export function findBrowser(): Browser {
  if (found) return found;
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return (found = { executablePath: fromEnv, args: [], env: undefined, source: 'CHROMIUM_PATH' });
  }
  const own = playwrightBrowser();
  if (own) return (found = { executablePath: own, args: [], env: undefined, source: 'playwright' });
  const system = (SYSTEM_BROWSERS[process.platform] ?? []).find((p) => existsSync(p));
  if (system) return (found = { executablePath: system, args: [], env: undefined, source: 'system' });
  if (process.platform === 'linux' && process.arch === 'x64') return (found = packagedChromium());
  throw new Error('no Chrome or Chromium found: install one (or `npx playwright install chromium`), or set CHROMIUM_PATH');
}

/** True when some browser can be had, without decompressing anything (for skip conditions). */
export function browserAvailable(): boolean {
  try {
    return findBrowser() !== undefined;
  } catch {
    return false;
  }
}

/** The packaged Chromium's folder: its version in the name, so a new package version unpacks afresh. */
function packagedDir(version: string): string {
  return join(REPO, 'node_modules/.cache/earwitness-chromium', version);
}

/**
 * @sparticuz/chromium ships a headless Chromium built for AWS Lambda as brotli files: the binary,
 * its NSS and expat libraries, SwiftShader (software WebGL) and a font. Its own executablePath()
 * unpacks them into a shared /tmp where a half-written file from an interrupted run is later taken
 * as whole; here they go into a folder of their own, renamed into place only when complete, so
 * concurrent test workers and an interrupted run are both safe.
 */
export function packagedChromium(): Browser {
  const require = createRequire(join(REPO, 'package.json'));
  let pkgJson: string;
  try {
    // Its exports map hides package.json; its entry is build/index.js.
    pkgJson = join(dirname(require.resolve('@sparticuz/chromium')), '..', 'package.json');
  } catch {
    throw new Error('no Chrome or Chromium found and @sparticuz/chromium is not installed: run `npm install`, install Chromium, or set CHROMIUM_PATH');
  }
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
  const bin = join(dirname(pkgJson), 'bin');
  const dir = packagedDir(version);
  if (!existsSync(join(dir, 'chromium'))) {
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(join(partial, 'fonts'), { recursive: true });
    writeFileSync(join(partial, 'chromium'), brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))), { mode: 0o755 });
    for (const [archive, into] of [
      ['al2023.tar.br', ''],
      ['swiftshader.tar.br', 'swiftshader'],
      ['fonts.tar.br', 'fonts'],
    ] as const) {
      mkdirSync(join(partial, into), { recursive: true });
      execFileSync('tar', ['-x', '-C', join(partial, into)], { input: brotliDecompressSync(readFileSync(join(bin, archive))) });
    }
    // Its fonts.conf names Lambda's folders; this one names the package's font and the system's.
    writeFileSync(
      join(partial, 'fonts', 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        `  <dir>${join(dir, 'fonts', 'fonts')}</dir>`,
        '  <dir>/usr/share/fonts</dir>',
        '  <dir>/usr/local/share/fonts</dir>',
        '  <dir prefix="xdg">fonts</dir>',
        `  <cachedir>${join(dir, 'fonts-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    try {
      renameSync(partial, dir);
    } catch (e) {
      // Another worker got there first: its copy is as good.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(dir, 'chromium'))) throw e;
    }
  }
  return {
    executablePath: join(dir, 'chromium'),
    // The package's own flag list (Chromium.args) also turns off web security and site isolation
    // and forces one process, for Lambda's sake; those would hide what the tests check (CSP,
    // Origin), so only the flags this build needs to start and draw are taken.
    args: ['--no-zygote', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--font-render-hinting=none'],
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [join(dir, 'lib'), join(dir, 'swiftshader'), process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':'),
      FONTCONFIG_PATH: join(dir, 'fonts'),
    },
    source: '@sparticuz/chromium',
  };
}

/** Playwright launch options for the found browser: its path, QUIET_ARGS, its own flags, then `extra`. */
export function launchOptions(extra: string[] = []): { executablePath: string; args: string[]; env?: NodeJS.ProcessEnv } {
  const b = findBrowser();
  return { executablePath: b.executablePath, args: [...QUIET_ARGS, ...b.args, ...extra], ...(b.env ? { env: b.env } : {}) };
}

/**
 * Chromium's flag that trusts exactly this certificate's key (as a centre's machines trust its
 * CA), not any certificate: for browsers at a centre server over TLS.
 */
export function trustingOnly(certPem: string): string {
  const spki = createHash('sha256')
    .update(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  return `--ignore-certificate-errors-spki-list=${spki}`;
}
