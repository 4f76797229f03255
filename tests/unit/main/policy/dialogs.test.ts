import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDialogSpec, savedPath, saveDialogSpec } from '../../../../main/policy/dialogs.ts';

describe('dialog options', () => {
  it('pick folders, several at once, for imports; one .mbtiles file for maps', () => {
    expect(openDialogSpec('alerts').properties).toEqual(expect.arrayContaining(['openDirectory', 'multiSelections']));
    expect(openDialogSpec('audio').properties).toEqual(expect.arrayContaining(['openDirectory', 'multiSelections']));
    const map = openDialogSpec('mbtiles');
    expect(map.properties).toContain('openFile');
    expect(map.properties).not.toContain('multiSelections');
    expect(map.filters).toEqual([{ name: 'MBTiles map', extensions: ['mbtiles'] }]);
  });
  it('offer audio to label as folders or as WAV files, several at once (one dialog cannot pick both off macOS)', () => {
    expect(openDialogSpec('labelAudioFolders').properties).toEqual(expect.arrayContaining(['openDirectory', 'multiSelections']));
    const files = openDialogSpec('labelAudioFiles');
    expect(files.properties).toEqual(expect.arrayContaining(['openFile', 'multiSelections']));
    expect(files.properties).not.toContain('openDirectory');
    expect(files.filters![0]!.extensions).toContain('wav');
  });
  it('pick one label file, of any of the formats the importer reads', () => {
    const spec = openDialogSpec('labelFile');
    expect(spec.properties).toContain('openFile');
    expect(spec.properties).not.toContain('multiSelections');
    expect(spec.filters![0]!.extensions).toEqual(expect.arrayContaining(['txt', 'jsonl']));
  });
  it("give a saved file the export's extension when the name typed has none (Linux dialogs return what was typed)", () => {
    expect(savedPath('/home/r/pulses', ['zip'])).toBe('/home/r/pulses.zip');
    expect(savedPath('/home/r/pulses.ZIP', ['zip'])).toBe('/home/r/pulses.ZIP');
    expect(savedPath('/home/r/report.html', ['html'])).toBe('/home/r/report.html');
    expect(savedPath('/home/r/report.htm', ['html'])).toBe('/home/r/report.htm.html');
  });
  it('save into the chosen folder under the suggested name, asking before overwriting', () => {
    const s = saveDialogSpec({ mode: 'save', purpose: 'dataset', defaultName: 'labels-2025.zip', extensions: ['zip'] }, '/home/r/Documents');
    expect(s.defaultPath).toBe(join('/home/r/Documents', 'labels-2025.zip'));
    expect(s.filters).toEqual([{ name: 'Data set', extensions: ['zip'] }]);
    expect(s.properties).toContain('showOverwriteConfirmation');
  });
  it('name what the auditor saves: statistics, the audit chain, a report', () => {
    const save = (purpose: 'statistics' | 'audit-chain' | 'report', ext: string) =>
      saveDialogSpec({ mode: 'save', purpose, defaultName: `x.${ext}`, extensions: [ext] }, '/d');
    expect(save('statistics', 'csv')).toMatchObject({ title: 'Export statistics', filters: [{ name: 'Statistics', extensions: ['csv'] }] });
    expect(save('audit-chain', 'jsonl')).toMatchObject({ title: 'Export audit chain', filters: [{ name: 'Audit chain', extensions: ['jsonl'] }] });
    expect(save('report', 'pdf').title).toBe('Export report');
  });
});
