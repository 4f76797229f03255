import { MAX_PEAK_PAIRS, TARGET_PEAKS_PER_SECOND } from '../audio/peaks.ts';
import { decodeChannel, parseWav, type WavInfo } from '../audio/wav.ts';
import type { CoreServices } from '../kernel/services.ts';
import { UserError } from '../util/errors.ts';
import { requireClip } from './projects.ts';

const CHUNK_FRAMES = 1 << 20;
const clamp = (v: number) => (v > 1 ? 1 : v < -1 ? -1 : v);

/**
 * The same buckets as computePeaks (src/audio/peaks.ts), decoded a million frames at a time, so
 * an hour-long field recording never needs its whole channel in memory as floats.
 */
export function channelPeaks(bytes: Uint8Array, info: WavInfo, channel: number): { peaksPerSecond: number; data: Float32Array } {
  const n = info.frames;
  const pairs = Math.max(1, Math.min(n, MAX_PEAK_PAIRS, Math.ceil((n / info.sampleRate) * TARGET_PEAKS_PER_SECOND)));
  const data = new Float32Array(pairs * 2);
  let p = 0;
  let to = pairs === 1 ? n : Math.floor(n / pairs);
  let max = -Infinity;
  let min = Infinity;
  for (let from = 0; from < n; from += CHUNK_FRAMES) {
    const count = Math.min(CHUNK_FRAMES, n - from);
    const chunk = decodeChannel(bytes, { ...info, dataOffset: info.dataOffset + from * info.blockAlign, frames: count }, channel);
    for (let k = 0; k < count; k++) {
      while (from + k >= to) {
        data[2 * p] = clamp(max);
        data[2 * p + 1] = clamp(min);
        p++;
        to = p === pairs - 1 ? n : Math.floor(((p + 1) * n) / pairs);
        max = -Infinity;
        min = Infinity;
      }
      const v = chunk[k]!;
      if (v > max) max = v;
      if (v < min) min = v;
    }
  }
  data[2 * p] = clamp(max);
  data[2 * p + 1] = clamp(min);
  return { peaksPerSecond: pairs / (n / info.sampleRate), data };
}

/** Peaks of one channel of a project clip, computed from the stored audio on first use and kept. */
export async function clipPeaks(core: CoreServices, clipId: number, channel: number | undefined) {
  const { clip, ch, cached } = await core.storePort.read(async (tx) => {
    const clip = await requireClip(tx, clipId);
    const ch = channel ?? clip.channel;
    if (ch >= clip.clip.channels)
      throw new UserError('invalid_input', `channel ${ch} does not exist: clip ${clipId} has ${clip.clip.channels} (counted from 0)`);
    return { clip, ch, cached: await tx.datasetProjects.peaks(clip.clip.sha256, ch) };
  });
  let peaks = cached;
  if (!peaks) {
    // Decoded outside any transaction: a long recording's peaks never hold the store's write lock.
    const bytes = core.clips.read(clip.clip.sha256);
    const computed = channelPeaks(bytes, parseWav(bytes), ch);
    await core.storePort.write((tx) => tx.datasetProjects.putPeaks(clip.clip.sha256, ch, computed.peaksPerSecond, computed.data));
    peaks = { peaksPerSecond: computed.peaksPerSecond, peaks: computed.data };
  }
  // Float32 precision is far finer than a screen pixel; four decimals keep the JSON small.
  return { clipId, channel: ch, peaksPerSecond: peaks.peaksPerSecond, peaks: Array.from(peaks.peaks, (v) => Math.round(v * 1e4) / 1e4) };
}
