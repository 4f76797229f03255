/**
 * Byte-level RIFF/WAVE assembly for tests: every field written by hand, so a test can state
 * the exact bytes a file holds (and break any one of them) without going through encodeWav.
 */

export const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];
export const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
export const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** A chunk: 4-char id, little-endian size (the body length unless `size` lies), body, pad byte if odd. */
export function chunk(id: string, body: ArrayLike<number>, o: { size?: number; pad?: boolean } = {}): number[] {
  const bytes = [...ascii(id.padEnd(4, ' ').slice(0, 4)), ...le32(o.size ?? body.length), ...Array.from(body)];
  if ((o.pad ?? true) && body.length % 2 === 1) bytes.push(0);
  return bytes;
}

/** A whole file: 'RIFF', size (computed unless given), form type, then the chunks as given. */
export function riff(chunks: number[][], o: { head?: string; form?: string; size?: number } = {}): Buffer {
  const body = chunks.flat();
  return Buffer.from([...ascii(o.head ?? 'RIFF'), ...le32(o.size ?? 4 + body.length), ...ascii(o.form ?? 'WAVE'), ...body]);
}

export interface FmtFields {
  tag?: number;
  channels: number;
  sampleRate: number;
  bits: number;
  blockAlign?: number;
  byteRate?: number;
}

/** A 16-byte WAVEFORMAT body; block align and byte rate follow from the rest unless given. */
export function fmtBody(f: FmtFields): number[] {
  const blockAlign = f.blockAlign ?? f.channels * (f.bits / 8);
  const byteRate = f.byteRate ?? f.sampleRate * blockAlign;
  return [...le16(f.tag ?? 1), ...le16(f.channels), ...le32(f.sampleRate), ...le32(byteRate), ...le16(blockAlign), ...le16(f.bits)];
}

export const GUID_PCM = '0100000000001000800000aa00389b71';
export const GUID_FLOAT = '0300000000001000800000aa00389b71';

/** A 40-byte WAVE_FORMAT_EXTENSIBLE body. */
export function fmtExtensibleBody(f: FmtFields & { validBits?: number; cbSize?: number; channelMask?: number; guid: string }): number[] {
  return [
    ...fmtBody({ ...f, tag: 0xfffe }),
    ...le16(f.cbSize ?? 22),
    ...le16(f.validBits ?? f.bits),
    ...le32(f.channelMask ?? 0),
    ...Buffer.from(f.guid, 'hex'),
  ];
}

/** Little-endian bytes of float samples. */
export function f32(...values: number[]): number[] {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeFloatLE(v, i * 4));
  return [...b];
}
export function f64(...values: number[]): number[] {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeDoubleLE(v, i * 8));
  return [...b];
}
export function i16(...values: number[]): number[] {
  return values.flatMap((v) => le16(v & 0xffff));
}

/** A small valid mono 16-bit file at 16 kHz, with `frames` frames of a known ramp. */
export function validPcm16(frames = 64, sampleRate = 16000): Buffer {
  const samples = Array.from({ length: frames }, (_, i) => ((i * 517) % 65536) - 32768);
  return riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate, bits: 16 })), chunk('data', i16(...samples))]);
}

/** A deterministic PRNG (mulberry32), so generated corpora are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
