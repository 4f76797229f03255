/**
 * The local noise floor of a band-passed clip: the median energy of 10 ms blocks within half a
 * second either side. A median ignores the few blocks a shot and its echoes fill, and a local
 * one follows traffic passing by. Computed on a 50 ms grid and read back by block.
 *
 * `cum` holds prefix sums of the energy (cum[i] = sum of y^2 over samples before i), `zeros`
 * prefix counts of samples of padding (long runs of digital zero): blocks mostly of padding
 * are no evidence of the floor.
 */
export function localFloor(cum: Float64Array, zeros: Int32Array, sampleRate: number): (sample: number) => number {
  const n = cum.length - 1;
  const block = Math.max(1, Math.round(0.01 * sampleRate));
  const blocks = Math.max(1, Math.floor(n / block));
  const energy = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const e = (b + 1) * block;
    const padding = zeros[Math.min(n, e)]! - zeros[b * block]! > block / 2;
    energy[b] = padding ? NaN : (cum[Math.min(n, e)]! - cum[b * block]!) / block;
  }
  const step = 5; // blocks per grid point: 50 ms
  const reach = 50; // blocks either side: 0.5 s
  const points = Math.ceil(blocks / step);
  const grid = new Float64Array(points);
  const scratch = new Float64Array(2 * reach + 1);
  let last = 1e-14;
  for (let g = 0; g < points; g++) {
    const mid = g * step + (step >> 1);
    let m = 0;
    for (let b = Math.max(0, mid - reach); b < Math.min(blocks, mid + reach + 1); b++) if (!Number.isNaN(energy[b]!)) scratch[m++] = energy[b]!;
    if (m > 0) {
      const w = scratch.subarray(0, m).sort();
      // A floor of exactly zero (digital silence) would make every click infinitely loud.
      last = Math.max(w[m >> 1]!, 1e-14);
    }
    grid[g] = last;
  }
  return (sample: number) => grid[Math.min(points - 1, Math.max(0, Math.floor(sample / block / step)))]!;
}
