import type { ProjectClip } from '../contract/index.ts';
import { formatIsoMicros } from '../util/time.ts';

/**
 * The source recording of each clip: what no two splits may share.
 * - An alert track is a piece of its sensor's stream: tracks of one sensor whose times overlap or
 *   touch (two alerts a second apart, cut from the same minute of audio) are one recording.
 * - A plain clip whose import said its folder's files were cut from one recording carries that
 *   recording's name; any other plain clip is a recording of its own, known by its audio.
 */
export function recordingsOf(clips: readonly ProjectClip[]): Map<number, string> {
  const out = new Map<number, string>();
  const bySensor = new Map<string, { clip: ProjectClip; startUs: number; endUs: number }[]>();
  for (const c of clips) {
    if (c.origin === 'alert' && c.clipStartUs !== null) {
      const endUs = c.clipStartUs + Math.ceil((c.clip.frames * 1e6) / c.clip.sampleRate);
      bySensor.set(c.sensorKey, [...(bySensor.get(c.sensorKey) ?? []), { clip: c, startUs: c.clipStartUs, endUs }]);
    } else if (c.sourceRecording) out.set(c.id, `file:${c.sourceRecording}`);
    else out.set(c.id, `audio:${c.clip.sha256}`);
  }
  for (const [sensor, pieces] of bySensor) {
    pieces.sort((a, b) => a.startUs - b.startUs || a.clip.id - b.clip.id);
    let chainStart = -Infinity;
    let chainEnd = -Infinity;
    for (const p of pieces) {
      if (p.startUs > chainEnd) chainStart = p.startUs;
      chainEnd = Math.max(chainEnd, p.endUs);
      out.set(p.clip.id, `stream:${sensor}@${formatIsoMicros(chainStart)}`);
    }
  }
  return out;
}
