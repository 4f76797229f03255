import { describe, expect, it } from 'vitest';
import type { Label } from '../../../src/contract/index.ts';
import { parseAudacityTrack, writeAudacityTrack } from '../../../src/dataset/formats/audacity.ts';
import { csvCell, csvRow } from '../../../src/dataset/formats/csv.ts';
import { parseJsonl } from '../../../src/dataset/formats/jsonl.ts';
import { parseRavenTable, writeRavenTable } from '../../../src/dataset/formats/raven.ts';
import { LABEL_FILE_LIMITS, LabelFileError, sampleToSeconds, secondsToSample } from '../../../src/dataset/formats/text.ts';
import { detectLabelFormat } from '../../../src/dataset/import-labels.ts';
import { parseCsv, prng } from '../../support/dataset.ts';

const b = (s: string) => Buffer.from(s, 'utf8');
const label = (o: Partial<Label> = {}): Label => ({
  id: 1,
  projectId: 1,
  clipId: 1,
  classId: 1,
  label: 'muzzle_blast',
  channel: 0,
  startSample: 100,
  endSample: 250,
  sampleRate: 16000,
  lowHz: null,
  highHz: null,
  annotator: 'ann',
  createdUs: 0,
  updatedUs: 0,
  updatedBy: 'ann',
  version: 1,
  ...o,
});
const RAVEN_HEAD = 'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tAnnotation';
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LabelFileError);
    return (e as LabelFileError).issues;
  }
  throw new Error('expected a LabelFileError');
};

describe('seconds and samples', () => {
  it('six decimals bring every sample back exactly at every rate our reader takes (8-192 kHz)', () => {
    const rand = prng(11);
    for (const sr of [8000, 11025, 12000, 16000, 22050, 44100, 48000, 96000, 176400, 192000]) {
      for (let k = 0; k < 20_000; k++) {
        const sample = Math.floor(rand() * sr * 3600 * 3); // up to three hours in
        expect(secondsToSample(Number(sampleToSeconds(sample, sr, 6)), sr)).toBe(sample);
      }
    }
  });
});

describe('Raven selection tables', () => {
  it('writes a Waveform 1 and a Spectrogram 1 row per selection, channel from 1, full band when none', () => {
    const text = writeRavenTable([label(), label({ id: 2, channel: 1, startSample: 16000, endSample: 16001, lowHz: 100.5, highHz: 2000 })], 16000, 'rec 1.wav');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\tAnnotation\tAnnotator');
    expect(lines[1]!.split('\t').slice(7)).toEqual(['rec 1.wav', 'muzzle_blast', 'ann']);
    expect(lines.slice(1).map((l) => l.split('\t').slice(0, 7))).toEqual([
      ['1', 'Waveform 1', '1', '0.006250000', '0.015625000', '0.000', '8000.000'],
      ['1', 'Spectrogram 1', '1', '0.006250000', '0.015625000', '0.000', '8000.000'],
      ['2', 'Waveform 1', '2', '1.000000000', '1.000062500', '100.500', '2000.000'],
      ['2', 'Spectrogram 1', '2', '1.000000000', '1.000062500', '100.500', '2000.000'],
    ]);
  });

  it('reads one selection per number, preferring the spectrogram row, with CRLF and a byte-order mark', () => {
    const text = `\uFEFF${RAVEN_HEAD}\tExtra\r\n1\tWaveform 1\t1\t0.5\t1.0\t0\t6000\techo\tx\r\n1\tSpectrogram 1\t1\t0.5\t1.0\t300\t900\techo\t\r\n2\tSpectrogram 1\t2\t1.5\t2.25\t10\t20\tnoise\t\r\n`;
    expect(parseRavenTable(b(text))).toEqual({
      labelColumn: 'Annotation',
      notes: [],
      selections: [
        { line: 3, selection: 1, channel: 0, beginS: 0.5, endS: 1, lowHz: 300, highHz: 900, label: 'echo', annotator: null },
        { line: 4, selection: 2, channel: 1, beginS: 1.5, endS: 2.25, lowHz: 10, highHz: 20, label: 'noise', annotator: null },
      ],
    });
  });

  it('reads the label from a chosen column, and refuses a column the header lacks, naming the columns it has', () => {
    const head = 'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tCommon Name\tSpecies Code\tConfidence';
    const text = `${head}\n1\tSpectrogram 1\t1\t0.0\t3.0\t0\t6000.0\tGun\tGun_Gun\t0.9132\n`;
    expect(parseRavenTable(b(text)).selections[0]!.label).toBe('Gun');
    expect(parseRavenTable(b(text), 'Species Code')).toMatchObject({ labelColumn: 'Species Code', selections: [{ label: 'Gun_Gun', beginS: 0, endS: 3 }] });
    const issues = issuesOf(() => parseRavenTable(b(text), 'Species'));
    expect(issues[0]).toMatchObject({ line: 1 });
    expect(issues[0]!.message).toMatch(/no column "Species".*"Common Name", "Species Code", "Confidence"/);
  });

  it("skips BirdNET's nocall placeholder row and says so", () => {
    const head =
      'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tCommon Name\tSpecies Code\tConfidence\tBegin Path\tFile Offset (s)';
    const r = parseRavenTable(b(`${head}\n1\tSpectrogram 1\t1\t0\t3\t0\t6000.0\tnocall\tnocall\t1.0\t/d/q.wav\t0\n`));
    expect(r.selections).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/1 BirdNET placeholder row .*skipped/);
  });

  it.each([
    ['a row with a missing cell', `${RAVEN_HEAD}\n1\tSpectrogram 1\t1\t0.5\t1.0\t0\techo\n`, /1 cells|7 cells where the header has 8/],
    ['a comma decimal', `${RAVEN_HEAD}\n1\tSpectrogram 1\t1\t0,5\t1.0\t0\t10\techo\n`, /not a plain decimal/],
    ['a negative time', `${RAVEN_HEAD}\n1\tSpectrogram 1\t1\t-0.5\t1.0\t0\t10\techo\n`, /not a plain decimal/],
    ['an exponent', `${RAVEN_HEAD}\n1\tSpectrogram 1\t1\t1e3\t1.0\t0\t10\techo\n`, /not a plain decimal/],
    ['a reversed selection', `${RAVEN_HEAD}\n1\tSpectrogram 1\t1\t2\t1\t0\t10\techo\n`, /ends .* before it begins/],
    ['channel 0', `${RAVEN_HEAD}\n1\tSpectrogram 1\t0\t0.5\t1.0\t0\t10\techo\n`, /counted from 1/],
    ['an unknown view', `${RAVEN_HEAD}\n1\tBeamogram 1\t1\t0.5\t1.0\t0\t10\techo\n`, /not a waveform or spectrogram view/],
    ['a selection number 0', `${RAVEN_HEAD}\n0\tSpectrogram 1\t1\t0.5\t1.0\t0\t10\techo\n`, /whole number from 1/],
    [
      'views that disagree',
      `${RAVEN_HEAD}\n1\tWaveform 1\t1\t0.5\t1.0\t0\t10\techo\n1\tSpectrogram 1\t1\t0.5\t1.1\t0\t10\techo\n`,
      /another channel, time or label/,
    ],
    ['an empty label', `${RAVEN_HEAD}\n1\tSpectrogram 1\t1\t0.5\t1.0\t0\t10\t\n`, /empty/],
    ['an inverted band', `${RAVEN_HEAD}\n1\tSpectrogram 1\t1\t0.5\t1.0\t10\t5\techo\n`, /not above Low Freq/],
  ])('refuses %s, naming the line', (_name, text, message) => {
    const issues = issuesOf(() => parseRavenTable(b(text)));
    expect(issues[0]!.line).toBeGreaterThan(0);
    expect(issues.map((i) => i.message).join(' | ')).toMatch(message);
  });

  it('refuses headers without the Raven columns or a label column, and tables spanning several files', () => {
    expect(issuesOf(() => parseRavenTable(b('start\tend\tlabel\n1\t2\tx\n')))[0]!.message).toMatch(/lacks "Selection"/);
    expect(issuesOf(() => parseRavenTable(b('Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\n1\tSpectrogram 1\t1\t0\t1\n')))[0]!.message).toMatch(
      /no label column/,
    );
    const two = `${RAVEN_HEAD}\tBegin File\n1\tSpectrogram 1\t1\t0\t1\t0\t10\techo\ta.wav\n2\tSpectrogram 1\t1\t2\t3\t0\t10\techo\tb.wav\n`;
    expect(issuesOf(() => parseRavenTable(b(two)))).toEqual([
      { line: 3, message: expect.stringMatching(/a second sound file, "b.wav" \(line 2 named "a.wav"\)/) as unknown },
    ]);
  });

  it('refuses what is not UTF-8 text, NUL bytes and files over the size limit', () => {
    expect(issuesOf(() => parseRavenTable(Buffer.from([0xff, 0xfe, 0x00, 0x41])))[0]!.message).toMatch(/UTF-8|NUL/);
    expect(issuesOf(() => parseRavenTable(b(`${RAVEN_HEAD}\n\0\n`)))[0]!.message).toMatch(/NUL/);
    expect(issuesOf(() => parseRavenTable(Buffer.alloc(LABEL_FILE_LIMITS.bytes + 1, 0x41)))[0]!.message).toMatch(/over the .*limit/);
  });

  it('lists every bad line, not just the first', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i + 1}\tSpectrogram 1\t1\tx\t1.0\t0\t10\techo`).join('\n');
    const issues = issuesOf(() => parseRavenTable(b(`${RAVEN_HEAD}\n${rows}\n`)));
    expect(issues).toHaveLength(30);
    try {
      parseRavenTable(b(`${RAVEN_HEAD}\n${rows}\n`));
    } catch (e) {
      expect((e as Error).message).toMatch(/and 20 more/);
    }
  });
});

describe('Audacity label tracks', () => {
  it('writes start, end, label and the frequency line when there is a band', () => {
    expect(writeAudacityTrack([label(), label({ startSample: 8000, endSample: 16000, lowHz: 50, highHz: 4000.25, label: 'echo' })], 16000)).toBe(
      '0.006250\t0.015625\tmuzzle_blast\n0.500000\t1.000000\techo\n\\\t50.000000\t4000.250000\n',
    );
  });

  it('reads both line kinds; -1 marks an unknown bound', () => {
    expect(
      parseAudacityTrack(b('0.1\t0.2\techo\n\\\t100\t200\n0.3\t0.4\tnoise\n\\\t-1.000000\t-1.000000\n0.5\t0.6\tmuzzle_blast\n\\\t-1\t300\n')).labels,
    ).toEqual([
      { line: 1, beginS: 0.1, endS: 0.2, point: false, lowHz: 100, highHz: 200, label: 'echo' },
      { line: 3, beginS: 0.3, endS: 0.4, point: false, lowHz: null, highHz: null, label: 'noise' },
      { line: 5, beginS: 0.5, endS: 0.6, point: false, lowHz: 0, highHz: 300, label: 'muzzle_blast' },
    ]);
  });

  it('reads what Audacity reads: point labels, one-sided labels, further \\ lines, text after the label, runs of tabs', () => {
    const track = parseAudacityTrack(b('1.0\t1.0\techo\n2.5\tshockwave\n0.1\t0.2\tnoise\n\\\t10\t20\n\\\tfuture\tfield\n3.0\t\t3.5\t\tGun, Gun\t0.9132\n'));
    expect(track.labels).toEqual([
      { line: 1, beginS: 1, endS: 1, point: true, lowHz: null, highHz: null, label: 'echo' },
      { line: 2, beginS: 2.5, endS: 2.5, point: true, lowHz: null, highHz: null, label: 'shockwave' },
      { line: 3, beginS: 0.1, endS: 0.2, point: false, lowHz: 10, highHz: 20, label: 'noise' },
      { line: 6, beginS: 3, endS: 3.5, point: false, lowHz: null, highHz: null, label: 'Gun, Gun' },
    ]);
    expect(track.notes.join(' | ')).toMatch(/2 point labels .*\| 1 line with more after the label text .*\| 1 further \\ line/);
  });

  it('writes a one-sample label as a point label, which reads back to that sample', () => {
    expect(writeAudacityTrack([label({ startSample: 8000, endSample: 8001 })], 16000)).toBe('0.500000\t0.500000\tmuzzle_blast\n');
  });

  it.each([
    ['a frequency line first', '\\\t1\t2\n', /no label line before it/],
    ['a frequency line that is not one', '0.1\t0.2\techo\n\\\t1\n', /\\<TAB>low<TAB>high/],
    ['a label without text', '0.1\t0.2\n', /no text/],
    ['a bad number', '0.1s\t0.2\techo\n', /plain decimal/],
    ['an empty label', '0.1\t0.2\t \n', /no text/],
    ['a reversed label', '0.3\t0.2\techo\n', /before it starts/],
  ])('refuses %s, naming the line', (_n, text, message) => {
    const issues = issuesOf(() => parseAudacityTrack(b(text)));
    expect(issues[0]!.line).toBeGreaterThan(0);
    expect(issues[0]!.message).toMatch(message);
  });
});

describe('JSON Lines', () => {
  it('refuses unknown keys (prototype pollution included), wrong types and broken JSON, line by line', () => {
    const good = {
      format: 'earwitness-label/1',
      project: 'p',
      clipId: 1,
      clipName: 'a.wav',
      clipSha256: 'a'.repeat(64),
      sampleRate: 16000,
      channel: 0,
      startSample: 1,
      endSample: 2,
      startS: 0,
      endS: 0,
      lowHz: null,
      highHz: null,
      label: 'echo',
      annotator: null,
      createdAt: null,
      updatedAt: null,
      sensor: null,
      alertId: null,
      time: null,
    };
    expect(parseJsonl(b(`${JSON.stringify(good)}\n`))).toHaveLength(1);
    const lines = [
      '{"__proto__": {"polluted": 1}}',
      JSON.stringify({ ...good, extra: 1 }),
      JSON.stringify({ ...good, startSample: 1.5 }),
      '{not json',
      JSON.stringify({ ...good, label: '=HYPERLINK("x")' }),
    ];
    const issues = issuesOf(() => parseJsonl(b(lines.join('\n'))));
    expect(issues.map((i) => i.line)).toEqual([1, 2, 3, 4, 5]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('format detection', () => {
  it('tells JSON Lines, Raven and Audacity apart by their first line', () => {
    expect(detectLabelFormat(b('{"format":"earwitness-label/1"}\n'))).toBe('jsonl');
    expect(detectLabelFormat(b(`\uFEFF${RAVEN_HEAD}\n`))).toBe('raven');
    expect(detectLabelFormat(b('0.1\t0.2\techo\n'))).toBe('audacity');
  });
});

describe('CSV cells', () => {
  it('neutralises formula starts in text, quotes what needs it, and an independent reader gets the text back', () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', ' =1', 'a,b', 'say "hi"', 'line\nbreak', 'plain'];
    const row = csvRow(hostile);
    const [parsed] = parseCsv(row);
    expect(parsed).toHaveLength(hostile.length);
    parsed!.forEach((cell, i) => {
      expect(
        cell.startsWith('=') || cell.startsWith('+') || cell.startsWith('-') || cell.startsWith('@') || cell.startsWith('\t') || cell.startsWith('\r'),
      ).toBe(false);
      const original = hostile[i]!;
      expect(cell === original || cell === `'${original}`).toBe(true);
    });
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
    expect(() => csvCell(NaN)).toThrow();
  });
});
