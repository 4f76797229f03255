/**
 * Audacity label tracks ("Export Labels"): one line per label, `start<TAB>end<TAB>text`, times in
 * seconds with six decimals. A label with a spectral selection is followed by a line
 * `\<TAB>low<TAB>high` in Hz (the extended format). The file has no channel: one track belongs
 * to one channel of one clip.
 */
import type { Label } from '../../contract/index.ts';
import { LabelFileError, parseDecimal, sampleToSeconds, textLines, tsvCell, type LineIssue } from './text.ts';

export function writeAudacityTrack(labels: readonly Label[], sampleRate: number): string {
  let out = '';
  for (const l of labels) {
    out += `${sampleToSeconds(l.startSample, sampleRate, 6)}\t${sampleToSeconds(l.endSample, sampleRate, 6)}\t${tsvCell(l.label)}\n`;
    if (l.lowHz !== null && l.highHz !== null) out += `\\\t${l.lowHz.toFixed(6)}\t${l.highHz.toFixed(6)}\n`;
  }
  return out;
}

export interface AudacityLabel {
  line: number;
  beginS: number;
  endS: number;
  lowHz: number | null;
  highHz: number | null;
  label: string;
}

/** Audacity writes -1 for a frequency it does not know; anything else must be a plain decimal. */
function parseFrequency(text: string, what: string): number | null {
  if (/^-1(\.0+)?$/.test(text)) return null;
  return parseDecimal(text, what);
}

/**
 * Reads a label track strictly. Point labels (start = end) are refused: an Earwitness label is a
 * range of samples. A frequency line must follow a label line; -1 (unknown) on one side means
 * 0 Hz below or Nyquist above, filled in by the caller who knows the clip.
 */
export function parseAudacityTrack(bytes: Uint8Array): AudacityLabel[] {
  const what = 'Audacity label track';
  const lines = textLines(bytes, what);
  const out: (AudacityLabel & { lowUnknown?: boolean; highUnknown?: boolean })[] = [];
  const issues: LineIssue[] = [];
  let previousWasLabel = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const text = lines[i]!;
    if (text.trim() === '') {
      previousWasLabel = false;
      continue;
    }
    try {
      if (text.startsWith('\\')) {
        const cells = text.split('\t');
        if (cells.length !== 3 || cells[0] !== '\\') throw new Error('a frequency line is \\<TAB>low<TAB>high');
        if (!previousWasLabel) throw new Error('a frequency line must follow its label line');
        previousWasLabel = false;
        const low = parseFrequency(cells[1]!.trim(), 'low frequency');
        const high = parseFrequency(cells[2]!.trim(), 'high frequency');
        const last = out.at(-1)!;
        if (low === null && high === null) continue;
        if (low !== null && high !== null && !(high > low)) throw new Error(`high frequency ${high} Hz is not above low frequency ${low} Hz`);
        Object.assign(last, { lowHz: low ?? 0, highHz: high ?? Infinity });
        continue;
      }
      previousWasLabel = false;
      const first = text.indexOf('\t');
      const second = first < 0 ? -1 : text.indexOf('\t', first + 1);
      if (second < 0) throw new Error('a label line is start<TAB>end<TAB>label');
      const beginS = parseDecimal(text.slice(0, first).trim(), 'start');
      const endS = parseDecimal(text.slice(first + 1, second).trim(), 'end');
      const label = text.slice(second + 1).trim();
      if (endS === beginS) throw new Error(`a point label (at ${beginS} s): Earwitness labels are time ranges`);
      if (!(endS > beginS)) throw new Error(`the label ends (${endS} s) before it starts (${beginS} s)`);
      if (label === '') throw new Error('the label text is empty');
      out.push({ line: lineNo, beginS, endS, lowHz: null, highHz: null, label });
      previousWasLabel = true;
    } catch (e) {
      issues.push({ line: lineNo, message: (e as Error).message });
    }
  }
  if (issues.length > 0) throw new LabelFileError(what, issues);
  return out;
}
