/**
 * A strict RIFF/WAVE reader and a writer.
 *
 * Hand-written on purpose: evidence audio must be read exactly or refused with a reason, and
 * the general-purpose decoders we looked at guess past lying chunk sizes, truncated data and
 * NaN samples. Every refusal is a WavError whose message says what is wrong and where.
 */

export type SampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

export interface ChunkRef {
  id: string;
  /** Offset of the chunk body (after the 8-byte header) in the file. */
  offset: number;
  size: number;
}

export interface WavInfo {
  format: SampleFormat;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  blockAlign: number;
  frames: number;
  durationS: number;
  extensible: boolean;
  dataOffset: number;
  dataBytes: number;
  /** Every chunk in file order, including fmt and data, for readers of vendor chunks (smj0). */
  chunks: ChunkRef[];
}

export interface WavLimits {
  maxBytes: number;
  minSampleRate: number;
  maxSampleRate: number;
  maxChannels: number;
}

export const DEFAULT_WAV_LIMITS: WavLimits = {
  maxBytes: 2 ** 30, // 1 GiB: hours of 48 kHz audio; alert clips are seconds
  minSampleRate: 8_000,
  maxSampleRate: 192_000,
  maxChannels: 32,
};

export class WavError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavError';
  }
}

// KSDATAFORMAT_SUBTYPE_{PCM,IEEE_FLOAT}: {0000000X-0000-0010-8000-00aa00389b71}, first three fields little-endian.
const GUID_TAIL = '00001000800000aa00389b71';
const SUBFORMAT_PCM = `01000000${GUID_TAIL}`;
const SUBFORMAT_FLOAT = `03000000${GUID_TAIL}`;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/**
 * Float files may exceed full scale a little (headroom), but a sample over 60 dB above it is
 * corruption or an integer-scaled float file, and would overflow energies downstream.
 */
export const MAX_FLOAT_MAGNITUDE = 1024;

const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
const printable = (id: string) => (/^[\x20-\x7e]{4}$/.test(id) ? `'${id}'` : `0x${[...id].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')}`);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function formatOf(tag: number, bits: number): SampleFormat {
  if (tag === WAVE_FORMAT_PCM) {
    if (bits === 8) return 'pcm8';
    if (bits === 16) return 'pcm16';
    if (bits === 24) return 'pcm24';
    if (bits === 32) return 'pcm32';
    throw new WavError(`unsupported PCM bit depth ${bits} (8, 16, 24 or 32 are read)`);
  }
  if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits === 32) return 'float32';
    if (bits === 64) return 'float64';
    throw new WavError(`unsupported float bit depth ${bits} (32 or 64 are read)`);
  }
  throw new WavError(`unsupported WAVE format tag 0x${tag.toString(16)} (PCM, IEEE float and extensible are read)`);
}

/** Reads and checks the header and chunk layout; samples are not touched. Throws WavError. */
export function parseWav(bytes: Uint8Array, limits: WavLimits = DEFAULT_WAV_LIMITS): WavInfo {
  const len = bytes.byteLength;
  if (len > limits.maxBytes) throw new WavError(`file of ${len} bytes is over the ${limits.maxBytes}-byte limit`);
  if (len < 12) throw new WavError(`not a WAV file: ${len} bytes is too short for a RIFF header`);
  const head = fourcc(bytes, 0);
  if (head === 'RF64' || head === 'RIFX') throw new WavError(`${head} files are not supported (little-endian RIFF only)`);
  if (head !== 'RIFF') throw new WavError('not a WAV file: it does not start with RIFF');
  if (fourcc(bytes, 8) !== 'WAVE') throw new WavError(`not a WAV file: RIFF form type is ${printable(fourcc(bytes, 8))}, not 'WAVE'`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffSize = view.getUint32(4, true);
  const riffEnd = 8 + riffSize;
  if (riffSize < 4) throw new WavError(`the RIFF header declares ${riffSize} bytes, too few to hold even the 'WAVE' form type`);
  if (riffEnd > len) throw new WavError(`truncated: the RIFF header declares ${riffEnd} bytes but the file has ${len}`);
  if (len > riffEnd + (riffSize & 1)) throw new WavError(`${len - riffEnd} unexpected bytes after the end of the RIFF chunk`);

  const chunks: ChunkRef[] = [];
  let fmt: ChunkRef | undefined;
  let data: ChunkRef | undefined;
  let at = 12;
  while (at < riffEnd) {
    if (at + 8 > riffEnd) throw new WavError(`truncated chunk header at byte ${at}`);
    const id = fourcc(bytes, at);
    // A chunk id is four printable ASCII characters; anything else means the layout is corrupt
    // (a lying size or a missing pad byte sent us into the middle of other data).
    if (!/^[\x20-\x7e]{4}$/.test(id)) throw new WavError(`corrupt chunk layout: the chunk at byte ${at} has id ${printable(id)}, not a four-character code`);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > riffEnd) {
      throw new WavError(`chunk ${printable(id)} at byte ${at} declares ${size} bytes but only ${riffEnd - body} remain`);
    }
    const ref = { id, offset: body, size };
    chunks.push(ref);
    if (id === 'fmt ') {
      if (fmt) throw new WavError(`a second 'fmt ' chunk at byte ${at}`);
      fmt = ref;
    } else if (id === 'data') {
      if (data) throw new WavError(`a second 'data' chunk at byte ${at}`);
      if (!fmt) throw new WavError(`'data' chunk at byte ${at} comes before any 'fmt ' chunk`);
      data = ref;
    }
    // Chunks are word-aligned; a missing final pad byte at the very end is a common writer slip we accept.
    at = body + size + (size & 1);
    if (at > riffEnd && at !== riffEnd + 1) throw new WavError(`chunk ${printable(id)} overruns the RIFF chunk`);
  }
  if (!fmt) throw new WavError("no 'fmt ' chunk");
  if (!data) throw new WavError("no 'data' chunk");
  if (fmt.size < 16) throw new WavError(`'fmt ' chunk of ${fmt.size} bytes is too short (16 at least)`);

  const f = fmt.offset;
  let tag = view.getUint16(f, true);
  const channels = view.getUint16(f + 2, true);
  const sampleRate = view.getUint32(f + 4, true);
  const byteRate = view.getUint32(f + 8, true);
  const blockAlign = view.getUint16(f + 12, true);
  const bits = view.getUint16(f + 14, true);
  let extensible = false;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    extensible = true;
    if (fmt.size < 40) throw new WavError(`WAVE_FORMAT_EXTENSIBLE needs a 40-byte 'fmt ' chunk, this one has ${fmt.size}`);
    const cbSize = view.getUint16(f + 16, true);
    if (cbSize < 22) throw new WavError(`WAVE_FORMAT_EXTENSIBLE extension size ${cbSize} is under 22`);
    if (18 + cbSize > fmt.size) throw new WavError(`WAVE_FORMAT_EXTENSIBLE extension size ${cbSize} overruns the ${fmt.size}-byte 'fmt ' chunk`);
    const validBits = view.getUint16(f + 18, true);
    if (validBits > bits || validBits === 0) throw new WavError(`valid bits per sample ${validBits} does not fit a ${bits}-bit container`);
    const sub = hex(bytes.subarray(f + 24, f + 40));
    if (sub === SUBFORMAT_PCM) tag = WAVE_FORMAT_PCM;
    else if (sub === SUBFORMAT_FLOAT) tag = WAVE_FORMAT_IEEE_FLOAT;
    else throw new WavError(`unsupported extensible sub-format GUID ${sub} (PCM and IEEE float are read)`);
    if (tag === WAVE_FORMAT_IEEE_FLOAT && validBits !== bits) throw new WavError(`float samples must use all ${bits} bits, not ${validBits}`);
  }
  const format = formatOf(tag, bits);
  if (channels < 1) throw new WavError('zero channels');
  if (channels > limits.maxChannels) throw new WavError(`${channels} channels is over the limit of ${limits.maxChannels}`);
  if (sampleRate === 0) throw new WavError('sample rate is 0 Hz');
  if (sampleRate < limits.minSampleRate || sampleRate > limits.maxSampleRate) {
    throw new WavError(`sample rate ${sampleRate} Hz is outside ${limits.minSampleRate}-${limits.maxSampleRate} Hz`);
  }
  const expectedAlign = channels * (bits / 8);
  if (blockAlign !== expectedAlign) throw new WavError(`block align ${blockAlign} should be ${expectedAlign} for ${channels} x ${bits}-bit`);
  if (byteRate !== sampleRate * blockAlign) throw new WavError(`byte rate ${byteRate} should be ${sampleRate * blockAlign}`);
  if (data.size % blockAlign !== 0) throw new WavError(`'data' chunk of ${data.size} bytes is not a whole number of ${blockAlign}-byte frames`);
  const frames = data.size / blockAlign;
  if (frames === 0) throw new WavError("the 'data' chunk holds no audio");
  return {
    format,
    sampleRate,
    channels,
    bitsPerSample: bits,
    blockAlign,
    frames,
    durationS: frames / sampleRate,
    extensible,
    dataOffset: data.offset,
    dataBytes: data.size,
    chunks,
  };
}

/**
 * Decodes one channel to floats: integers map to [-1, 1); float samples pass as they are.
 * NaN, infinite or absurdly large float samples are refused, not passed on.
 */
export function decodeChannel(bytes: Uint8Array, info: WavInfo, channel = 0): Float32Array {
  if (!Number.isInteger(channel) || channel < 0 || channel >= info.channels) {
    throw new WavError(`channel ${channel} does not exist (the file has ${info.channels})`);
  }
  if (info.dataOffset + info.frames * info.blockAlign > bytes.byteLength) {
    throw new WavError(
      `the 'data' chunk (${info.frames} frames at byte ${info.dataOffset}) is not inside these ${bytes.byteLength} bytes: parse info from another file?`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(info.frames);
  const step = info.blockAlign;
  const width = info.bitsPerSample / 8;
  let at = info.dataOffset + channel * width;
  switch (info.format) {
    case 'pcm8':
      for (let i = 0; i < info.frames; i++, at += step) out[i] = (bytes[at]! - 128) / 128;
      break;
    case 'pcm16':
      for (let i = 0; i < info.frames; i++, at += step) out[i] = view.getInt16(at, true) / 32768;
      break;
    case 'pcm24':
      for (let i = 0; i < info.frames; i++, at += step) {
        const v = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
        out[i] = ((v << 8) >> 8) / 8388608;
      }
      break;
    case 'pcm32':
      for (let i = 0; i < info.frames; i++, at += step) out[i] = view.getInt32(at, true) / 2147483648;
      break;
    case 'float32':
    case 'float64':
      for (let i = 0; i < info.frames; i++, at += step) {
        const v = info.format === 'float32' ? view.getFloat32(at, true) : view.getFloat64(at, true);
        if (!Number.isFinite(v)) throw new WavError(`float sample ${i} of channel ${channel} is ${v}, not a number a microphone can record`);
        if (Math.abs(v) > MAX_FLOAT_MAGNITUDE) {
          throw new WavError(
            `float sample ${i} of channel ${channel} is ${v}, beyond ±${MAX_FLOAT_MAGNITUDE} (60 dB over full scale): float WAV samples sit near ±1`,
          );
        }
        out[i] = v;
      }
      break;
  }
  return out;
}

export interface EncodeOptions {
  format: SampleFormat;
  sampleRate: number;
  extensible?: boolean;
  /** Extra chunks written after 'data' (e.g. a vendor metadata chunk), padded to even length. */
  extraChunks?: { id: string; body: Uint8Array }[];
}

/** Writes channels (floats in [-1, 1], clipped) as a WAV file. */
export function encodeWav(channels: readonly Float32Array[], o: EncodeOptions): Buffer {
  const n = channels.length;
  const frames = channels[0]?.length ?? 0;
  if (n === 0 || channels.some((c) => c.length !== frames)) throw new Error('encodeWav needs channels of equal length');
  const bits = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 }[o.format];
  const isFloat = o.format.startsWith('float');
  const blockAlign = n * (bits / 8);
  const dataBytes = frames * blockAlign;
  const fmtSize = o.extensible ? 40 : 16;
  const extras = (o.extraChunks ?? []).map((c) => ({ id: c.id, body: c.body, padded: c.body.length + (c.body.length & 1) }));
  const total = 12 + 8 + fmtSize + 8 + dataBytes + (dataBytes & 1) + extras.reduce((s, c) => s + 8 + c.padded, 0);
  const buf = Buffer.alloc(total);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(total - 8, 4);
  buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1');
  buf.writeUInt32LE(fmtSize, 16);
  buf.writeUInt16LE(o.extensible ? WAVE_FORMAT_EXTENSIBLE : isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, 20);
  buf.writeUInt16LE(n, 22);
  buf.writeUInt32LE(o.sampleRate, 24);
  buf.writeUInt32LE(o.sampleRate * blockAlign, 28);
  buf.writeUInt16LE(blockAlign, 32);
  buf.writeUInt16LE(bits, 34);
  if (o.extensible) {
    buf.writeUInt16LE(22, 36);
    buf.writeUInt16LE(bits, 38);
    buf.writeUInt32LE(n === 1 ? 0x4 : n === 2 ? 0x3 : 0, 40);
    Buffer.from(isFloat ? SUBFORMAT_FLOAT : SUBFORMAT_PCM, 'hex').copy(buf, 44);
  }
  let at = 20 + fmtSize;
  buf.write('data', at, 'latin1');
  buf.writeUInt32LE(dataBytes, at + 4);
  at += 8;
  const clip = (v: number) => (v > 1 ? 1 : v < -1 ? -1 : v);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < n; c++) {
      const v = channels[c]![i]!;
      switch (o.format) {
        case 'pcm8':
          buf.writeUInt8(Math.min(255, Math.round(clip(v) * 128 + 128)), at);
          break;
        case 'pcm16':
          buf.writeInt16LE(Math.min(32767, Math.round(clip(v) * 32768)), at);
          break;
        case 'pcm24':
          buf.writeIntLE(Math.min(8388607, Math.round(clip(v) * 8388608)), at, 3);
          break;
        case 'pcm32':
          buf.writeInt32LE(Math.min(2147483647, Math.round(clip(v) * 2147483648)), at);
          break;
        case 'float32':
          buf.writeFloatLE(v, at);
          break;
        case 'float64':
          buf.writeDoubleLE(v, at);
          break;
      }
      at += bits / 8;
    }
  }
  at += dataBytes & 1;
  for (const c of extras) {
    buf.write(c.id.padEnd(4, ' ').slice(0, 4), at, 'latin1');
    buf.writeUInt32LE(c.body.length, at + 4);
    buf.set(c.body, at + 8);
    at += 8 + c.padded;
  }
  return buf;
}
