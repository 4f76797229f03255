import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CHILD = fileURLToPath(new URL('./import-memory-child.ts', import.meta.url));

/** What importing one bundle cost, measured by import-memory-child.ts in a fresh process. */
export interface ImportMemory {
  status: string;
  baselineMiB: number;
  peakMiB: number;
  /** Peak resident memory during the import, over the resident memory just before it. */
  growthMiB: number;
  ms: number;
}

/** Imports `bundle` into a core on `dataDir` in a fresh process (after `warm`, which starts the worker) and reports its peak memory. */
export async function measureImportMemory(dataDir: string, warm: string, bundle: string): Promise<ImportMemory> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, dataDir, warm, bundle], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ImportMemory;
}
