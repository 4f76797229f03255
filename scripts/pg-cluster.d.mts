/** Types of scripts/pg-cluster.mjs (a plain script, so CI can run it with no build step). */
export function findPgBin(): { bin: string; reason?: undefined } | { bin: null; reason: string };
export function startCluster(): Promise<{ url: string; dir: string; port: number }>;
export function stopCluster(dir: string): void;
