/**
 * Audacity label tracks ("Export Labels"): one line per label, `start<TAB>end<TAB>text`, times in
 * seconds (Audacity writes six decimals: Internat::ToString(t, FLT_DIG)). A label with a spectral
 * selection is followed by a line `\<TAB>low<TAB>high` in Hz (the extended format), -1 meaning a
 * frequency it does not know. A point label has start = end. The file has no channel: one track
 * belongs to one channel of one clip. Reading follows Audacity's own reader
 * (src/LabelImportExport.cpp, ImportLabelStruct): tabs are the only delimiter and empty tokens
 * between them are skipped; a second token that is not a number makes a one-sided (point) label
 * whose text is that token; tokens after the text are ignored (BirdNET-Analyzer writes its
 * confidence there); of the lines starting with `\` after a label, the first holds its band and
 * the others are left for future formats, as Audacity leaves them.
 */
import type { Label } from '../../contract/index.ts';
import { LabelFileError, parseDecimal, sampleToSeconds, textLines, tsvCell, type LineIssue } from './text.ts';

/** Writes a track; a label one sample long is written as a point label (start = end), which is what reads back to it. */
export function writeAudacityTrack(labels: readonly Label[], sampleRate: number): string {
  let out = '';
  for (const l of labels) {
    const start = sampleToSeconds(l.startSample, sampleRate, 6);
    const end = l.endSample - l.startSample === 1 ? start : sampleToSeconds(l.endSample, sampleRate, 6);
    out += `${start}\t${end}\t${tsvCell(l.label)}\n`;
    if (l.lowHz !== null && l.highHz !== null) out += `\\\t${l.lowHz.toFixed(6)}\t${l.highHz.toFixed(6)}\n`;
  }
  return out;
}

export interface AudacityLabel {
  line: number;
  beginS: number;
  endS: number;
  /** A point label (start = end): one instant, kept as the one sample there. */
  point: boolean;
  lowHz: number | null;
  highHz: number | null;
  label: string;
}

export interface AudacityTrack {
  labels: AudacityLabel[];
  /** What was accepted as Audacity accepts it, for the import's result. */
  notes: string[];
}

/** Audacity writes -1 for a frequency it does not know; anything else must be a plain decimal. */
function parseFrequency(text: string, what: string): number | null {
  if (/^-1(\.0+)?$/.test(text)) return null;
  return parseDecimal(text, what);
}

const isNumber = (t: string | undefined) => t !== undefined && /^(?:0|[1-9]\d{0,11})(?:\.\d{1,15})?$/.test(t.trim());
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Reads a label track as Audacity does (see above), refusing only what Audacity could not read or
 * what names no class: a time that is not a plain decimal, a label without text, a label that ends
 * before it starts, a frequency line with no label before it. `-1` (unknown) on one side of a band
 * means 0 Hz below or Nyquist above, filled in by the caller who knows the clip.
 */
export function parseAudacityTrack(bytes: Uint8Array): AudacityTrack {
  const what = 'Audacity label track';
  const lines = textLines(bytes, what);
  const out: AudacityLabel[] = [];
  const issues: LineIssue[] = [];
  let points = 0;
  let extra = 0;
  let futureLines = 0;
  let i = 0;
  while (i < lines.length) {
    const lineNo = i + 1;
    const text = lines[i++]!;
    if (text.trim() === '') continue;
    // The continuation lines of this label: the first is its band, the rest are for future formats.
    const continuation: { line: number; text: string }[] = [];
    while (i < lines.length && lines[i]!.startsWith('\\')) continuation.push({ line: i + 1, text: lines[i++]! });
    try {
      if (text.startsWith('\\')) throw new Error('a frequency line (\\<TAB>low<TAB>high) with no label line before it');
      const tokens = text.split('\t').filter((t) => t !== '');
      const t0 = tokens[0]!.trim();
      const beginS = parseDecimal(t0, 'start');
      let endS = beginS;
      let rest: string[];
      if (isNumber(tokens[1])) {
        endS = parseDecimal(tokens[1]!.trim(), 'end');
        rest = tokens.slice(2);
      } else rest = tokens.slice(1);
      const label = (rest[0] ?? '').trim();
      if (rest.length > 1) extra++;
      if (endS < beginS) throw new Error(`the label ends (${endS} s) before it starts (${beginS} s)`);
      if (label === '') throw new Error('the label has no text: no class to give it');
      const point = endS === beginS;
      if (point) points++;
      const entry: AudacityLabel = { line: lineNo, beginS, endS, point, lowHz: null, highHz: null, label };
      out.push(entry);
      if (continuation.length > 0) {
        futureLines += continuation.length - 1;
        const band = continuation[0]!;
        const cells = band.text.split('\t').filter((t) => t !== '');
        try {
          if (cells[0] !== '\\' || cells.length < 3) throw new Error('a frequency line is \\<TAB>low<TAB>high');
          const low = parseFrequency(cells[1]!.trim(), 'low frequency');
          const high = parseFrequency(cells[2]!.trim(), 'high frequency');
          if (low !== null && high !== null && !(high > low)) throw new Error(`high frequency ${high} Hz is not above low frequency ${low} Hz`);
          if (low !== null || high !== null) Object.assign(entry, { lowHz: low ?? 0, highHz: high ?? Infinity });
        } catch (e) {
          issues.push({ line: band.line, message: (e as Error).message });
        }
      }
    } catch (e) {
      issues.push({ line: lineNo, message: (e as Error).message });
    }
  }
  if (issues.length > 0)
    throw new LabelFileError(
      what,
      issues.sort((a, b) => a.line - b.line),
    );
  const notes = [
    points ? `${plural(points, 'point label')} (start = end), each kept as the one sample at its instant` : '',
    extra ? `${plural(extra, 'line')} with more after the label text (BirdNET writes its confidence there), ignored as Audacity ignores it` : '',
    futureLines ? `${plural(futureLines, 'further \\ line')} after a label's frequency line, ignored as Audacity ignores them` : '',
  ].filter(Boolean);
  return { labels: out, notes };
}
