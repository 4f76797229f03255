import { decodeChannel, encodeWav, parseWav } from '../audio/wav.ts';
import type { AlertDetail, Track } from '../contract/index.ts';

/**
 * The short clip an agency hears first: the loudest track's excerpt, from half a second before
 * its first arrival to two and a half seconds after. Not a mix of every sensor aligned on its
 * first arrival: each faint track adds its own noise at full level, and their echoes arrive at
 * different delays, so a mix is muddier than the one sensor that heard the shot best; the other
 * tracks are served whole beside it for anyone who wants them.
 */
export const EXCERPT_BEFORE_S = 0.5;
export const EXCERPT_AFTER_S = 2.5;

/** The track with the highest pulse SNR (ties: sensor id), as the messages' `resource` names it. */
export function loudestTrack(detail: AlertDetail): Track | null {
  const snr = new Map<string, number>();
  for (const p of detail.pulses) if (p.snrDb !== null) snr.set(p.sensorId, Math.max(snr.get(p.sensorId) ?? -Infinity, p.snrDb));
  return (
    [...detail.tracks].sort((a, b) => (snr.get(b.sensorId) ?? -Infinity) - (snr.get(a.sensorId) ?? -Infinity) || a.sensorId.localeCompare(b.sensorId))[0] ??
    null
  );
}

/** The excerpt as a 16-bit WAV, from the track's clip bytes. */
export function excerptWav(detail: AlertDetail, track: Track, clipBytes: Uint8Array): Buffer {
  const info = parseWav(clipBytes);
  const samples = decodeChannel(clipBytes, info, track.channel);
  const first =
    detail.pulses
      .filter((p) => p.sensorId === track.sensorId)
      .map((p) => p.offsetS)
      .sort((a, b) => a - b)[0] ?? EXCERPT_BEFORE_S;
  const start = Math.max(0, Math.floor((first - EXCERPT_BEFORE_S) * info.sampleRate));
  const end = Math.min(samples.length, Math.ceil((first + EXCERPT_AFTER_S) * info.sampleRate));
  return encodeWav([samples.slice(start, Math.max(end, start + 1))], { format: 'pcm16', sampleRate: info.sampleRate });
}
