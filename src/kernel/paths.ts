import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the data folder lives when nobody says: the platform's usual place for application
 * data. `--data DIR` beats EARWITNESS_DATA, which beats this.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Earwitness');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Earwitness');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'earwitness');
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.EARWITNESS_DATA ?? defaultDataDir(env));
}

export function dataPaths(dataDir: string) {
  return {
    database: join(dataDir, 'earwitness.sqlite'),
    clips: join(dataDir, 'clips'),
    inbox: join(dataDir, 'inbox'),
    demo: join(dataDir, 'demo'),
    logs: join(dataDir, 'logs'),
    /** Uploads, downloads and work files of seats, one folder per core run (src/files). */
    transfers: join(dataDir, 'transfers'),
    /** MBTiles files a seat uploaded for the base layer. */
    maps: join(dataDir, 'maps'),
    /** The desktop app's Chromium profile (main/main.ts). */
    electron: join(dataDir, 'electron'),
  };
}
