/**
 * Raven Pro selection tables (Cornell Lab of Ornithology): tab-separated text, one header line,
 * the columns Selection, View, Channel, Begin Time (s), End Time (s), Low Freq (Hz), High Freq (Hz),
 * then measurement and annotation columns. Raven writes one row per view a selection appears in,
 * each with the same Selection number ("Waveform 1" and "Spectrogram 1" for a sound window with
 * both views); Channel counts from 1; times are seconds from the start of the sound, written with
 * nine decimals; frequencies with three. Readers such as Rraven's imp_raven keep only the
 * spectrogram rows because the waveform rows repeat them. We write both rows, as Raven does, and
 * Raven's `Begin File` measurement (the sound file), which Rraven looks for to name the recording.
 */
import type { Label } from '../../contract/index.ts';
import { LabelFileError, parseDecimal, sampleToSeconds, textLines, tsvCell, type LineIssue } from './text.ts';

export const RAVEN_COLUMNS = ['Selection', 'View', 'Channel', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)'] as const;
export const RAVEN_VIEWS = ['Waveform 1', 'Spectrogram 1'] as const;
/** Our annotation columns, after Raven's and the Begin File measurement: the label, and who made it. */
export const RAVEN_ANNOTATIONS = ['Annotation', 'Annotator'] as const;
/**
 * Columns that may carry the label in tables written by other people, in order of preference
 * (BirdNET-Analyzer writes `Common Name` and `Species Code`); any other column can be chosen.
 */
const LABEL_COLUMNS = ['Annotation', 'Label', 'Class', 'Species', 'Common Name', 'Type'];
/** Where tools name the sound a row is about: Raven's Begin File, or the Begin Path BirdNET writes. */
const FILE_COLUMNS = ['Begin File', 'Begin Path'];

/** One table for one clip (its sound file named `soundFile`); selections numbered from 1 in the order given. */
export function writeRavenTable(labels: readonly Label[], sampleRate: number, soundFile: string): string {
  const nyquist = sampleRate / 2;
  const lines = [[...RAVEN_COLUMNS, 'Begin File', ...RAVEN_ANNOTATIONS].join('\t')];
  labels.forEach((l, i) => {
    for (const view of RAVEN_VIEWS) {
      lines.push(
        [
          String(i + 1),
          view,
          String(l.channel + 1),
          sampleToSeconds(l.startSample, sampleRate, 9),
          sampleToSeconds(l.endSample, sampleRate, 9),
          (l.lowHz ?? 0).toFixed(3),
          (l.highHz ?? nyquist).toFixed(3),
          tsvCell(soundFile),
          tsvCell(l.label),
          tsvCell(l.annotator),
        ].join('\t'),
      );
    }
  });
  return `${lines.join('\n')}\n`;
}

export interface RavenSelection {
  line: number;
  selection: number;
  /** Counted from 0, as Earwitness does (Raven counts from 1). */
  channel: number;
  beginS: number;
  endS: number;
  lowHz: number | null;
  highHz: number | null;
  label: string;
  annotator: string | null;
}

export interface RavenTable {
  selections: RavenSelection[];
  /** The column the labels were read from. */
  labelColumn: string;
  /** What was accepted that a reader might not expect (BirdNET's placeholder rows skipped). */
  notes: string[];
}

const VIEW = /^(Waveform|Spectrogram) \d+$/;
const quoted = (h: string) => JSON.stringify(h.slice(0, 40));

/**
 * Reads a selection table strictly: the seven columns by name, a label column (chosen, or the
 * first of LABEL_COLUMNS present), the same number of cells on every row, whole selection and
 * channel numbers, plain decimals. Rows of one selection in several views must agree on channel
 * and times; the spectrogram row's band wins. BirdNET-Analyzer's tables (Spectrogram rows only,
 * `Common Name`, `Species Code`, `Confidence`, `Begin Path`, `File Offset (s)`) read as they are;
 * its `nocall` placeholder row (written when a file has no detection) is skipped, as BirdNET's own
 * table combiner skips it. A table about several sound files is refused, naming the first row of
 * the second file. Throws LabelFileError listing every bad line.
 */
export function parseRavenTable(bytes: Uint8Array, labelColumn?: string): RavenTable {
  const what = 'Raven selection table';
  const lines = textLines(bytes, what);
  if (lines.length === 0) throw new LabelFileError(what, [{ line: 0, message: 'the file is empty' }]);
  const header = lines[0]!.split('\t');
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  const missing = RAVEN_COLUMNS.filter((c) => c !== 'Low Freq (Hz)' && c !== 'High Freq (Hz)' && !col.has(c));
  if (missing.length > 0) {
    throw new LabelFileError(what, [
      { line: 1, message: `the header lacks ${missing.map(quoted).join(', ')} (found ${header.slice(0, 12).map(quoted).join(', ')})` },
    ]);
  }
  if (col.has('Low Freq (Hz)') !== col.has('High Freq (Hz)'))
    throw new LabelFileError(what, [{ line: 1, message: 'the header has one of Low Freq (Hz) and High Freq (Hz) but not the other' }]);
  const others = header
    .slice(7)
    .map((h) => h.trim())
    .filter((h) => h !== '');
  if (labelColumn !== undefined && !col.has(labelColumn)) {
    throw new LabelFileError(what, [
      {
        line: 1,
        message: `no column ${quoted(labelColumn)} to take the labels from: the columns after the seven Raven ones are ${others.map(quoted).join(', ') || 'none'}`,
      },
    ]);
  }
  const labelName = labelColumn ?? LABEL_COLUMNS.find((c) => col.has(c));
  if (!labelName) {
    throw new LabelFileError(what, [
      {
        line: 1,
        message: `no label column: name one of ${LABEL_COLUMNS.join(', ')}, or choose the column (label column: one of ${others.map(quoted).join(', ') || 'none after the seven Raven columns'})`,
      },
    ]);
  }
  const fileColumn = FILE_COLUMNS.map((c) => col.get(c)).find((i) => i !== undefined);
  // BirdNET's placeholder for "nothing detected": nocall in both its name columns.
  const placeholder = col.has('Common Name') && col.has('Species Code');
  let firstFile: { name: string; line: number } | null = null;
  let skipped = 0;
  const issues: LineIssue[] = [];
  const bySelection = new Map<number, RavenSelection & { view: string }>();
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const cells = text.split('\t');
    if (cells.length !== header.length) {
      issues.push({ line: lineNo, message: `${cells.length} cells where the header has ${header.length}` });
      continue;
    }
    const cell = (name: string) => cells[col.get(name)!]!.trim();
    try {
      if (fileColumn !== undefined) {
        const name = cells[fileColumn]!.trim();
        if (firstFile === null) firstFile = { name, line: lineNo };
        else if (name !== firstFile.name) {
          throw new Error(
            `a second sound file, ${quoted(name)} (line ${firstFile.line} named ${quoted(firstFile.name)}): a table of several sounds is about several clips; import one table per clip`,
          );
        }
      }
      if (placeholder && cell('Common Name') === 'nocall' && cell('Species Code') === 'nocall') {
        skipped++;
        continue;
      }
      const selText = cell('Selection');
      if (!/^[1-9]\d{0,8}$/.test(selText)) throw new Error(`Selection ${JSON.stringify(selText.slice(0, 20))} is not a whole number from 1`);
      const view = cell('View');
      if (!VIEW.test(view)) throw new Error(`View ${JSON.stringify(view.slice(0, 40))} is not a waveform or spectrogram view (e.g. "Spectrogram 1")`);
      const chText = cell('Channel');
      if (!/^[1-9]\d{0,2}$/.test(chText)) throw new Error(`Channel ${JSON.stringify(chText.slice(0, 20))} is not a channel number counted from 1`);
      const beginS = parseDecimal(cell('Begin Time (s)'), 'Begin Time (s)');
      const endS = parseDecimal(cell('End Time (s)'), 'End Time (s)');
      if (!(endS > beginS)) throw new Error(`the selection ends (${endS} s) at or before it begins (${beginS} s)`);
      let lowHz: number | null = null;
      let highHz: number | null = null;
      if (col.has('Low Freq (Hz)')) {
        lowHz = parseDecimal(cell('Low Freq (Hz)'), 'Low Freq (Hz)');
        highHz = parseDecimal(cell('High Freq (Hz)'), 'High Freq (Hz)');
        if (!(highHz > lowHz)) throw new Error(`High Freq (${highHz} Hz) is not above Low Freq (${lowHz} Hz)`);
      }
      const label = cell(labelName);
      if (label === '') throw new Error(`the ${labelName} cell is empty`);
      const annotator = col.has('Annotator') ? cell('Annotator') || null : null;
      const row = { line: lineNo, selection: Number(selText), view, channel: Number(chText) - 1, beginS, endS, lowHz, highHz, label, annotator };
      const seen = bySelection.get(row.selection);
      if (!seen) bySelection.set(row.selection, row);
      else {
        if (seen.channel !== row.channel || seen.beginS !== row.beginS || seen.endS !== row.endS || seen.label !== row.label) {
          throw new Error(`selection ${row.selection} also appears on line ${seen.line} with another channel, time or label`);
        }
        if (seen.view === row.view) throw new Error(`selection ${row.selection} appears twice in view ${row.view}`);
        if (row.view.startsWith('Spectrogram') && !seen.view.startsWith('Spectrogram')) bySelection.set(row.selection, row);
      }
    } catch (e) {
      issues.push({ line: lineNo, message: (e as Error).message });
    }
  }
  if (issues.length > 0) throw new LabelFileError(what, issues);
  const notes = skipped > 0 ? [`${skipped} BirdNET placeholder row${skipped === 1 ? '' : 's'} (nocall: nothing detected) skipped`] : [];
  // A waveform-only selection has no band of its own: Raven fills in the sound's full band there.
  const selections = [...bySelection.values()].map(({ view, ...s }) => (view.startsWith('Waveform') ? { ...s, lowHz: null, highHz: null } : s));
  return { selections, labelColumn: labelName, notes };
}
