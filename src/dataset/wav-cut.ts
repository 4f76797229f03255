import type { SampleFormat, WavInfo } from '../audio/wav.ts';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;

/** A canonical 44-byte header for one channel block of `dataBytes` bytes in the given sample format. */
function header(format: SampleFormat, bitsPerSample: number, sampleRate: number, channels: number, dataBytes: number): Buffer {
  const blockAlign = channels * (bitsPerSample / 8);
  const pad = dataBytes & 1;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes + pad, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(format.startsWith('float') ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/**
 * Frames [start, end) of one channel as a mono WAV in the source's own sample format, by copying
 * sample bytes: no decoding, no rounding, so the cut holds exactly the samples the label covers.
 */
export function cutChannel(bytes: Uint8Array, info: WavInfo, channel: number, start: number, end: number): Buffer {
  if (!(channel >= 0 && channel < info.channels)) throw new RangeError(`channel ${channel} of ${info.channels}`);
  if (!(start >= 0 && end > start && end <= info.frames)) throw new RangeError(`frames ${start}-${end} of ${info.frames}`);
  const width = info.bitsPerSample / 8;
  const n = end - start;
  const dataBytes = n * width;
  const out = Buffer.alloc(44 + dataBytes + (dataBytes & 1));
  header(info.format, info.bitsPerSample, info.sampleRate, 1, dataBytes).copy(out, 0);
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (info.channels === 1) {
    src.copy(out, 44, info.dataOffset + start * width, info.dataOffset + end * width);
  } else {
    let from = info.dataOffset + start * info.blockAlign + channel * width;
    for (let i = 0, to = 44; i < n; i++, from += info.blockAlign, to += width) src.copy(out, to, from, from + width);
  }
  return out;
}
