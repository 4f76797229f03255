import { basename, join } from 'node:path';
import type { OpenPurpose, SaveRequest } from '../../src/kernel/desktop-bridge.ts';

/** The parts of Electron's OpenDialogOptions and SaveDialogOptions the shell uses (kept here so policy stays Electron-free). */
export interface OpenDialogSpec {
  title: string;
  buttonLabel: string;
  properties: ('openFile' | 'openDirectory' | 'multiSelections' | 'dontAddToRecent')[];
  filters?: { name: string; extensions: string[] }[];
}
export interface SaveDialogSpec {
  title: string;
  buttonLabel: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
  properties: ('showOverwriteConfirmation' | 'createDirectory' | 'dontAddToRecent')[];
}

/**
 * Alert bundles and sensor recordings are folders (an acoustic-alert/1 bundle is alert.json beside
 * its WAVs; a sensor export is a folder of WAVs), so imports pick folders, several at once.
 */
export function openDialogSpec(purpose: OpenPurpose): OpenDialogSpec {
  switch (purpose) {
    case 'alerts':
      return { title: 'Import alert bundles', buttonLabel: 'Import', properties: ['openDirectory', 'multiSelections', 'dontAddToRecent'] };
    case 'audio':
      return { title: 'Import sensor audio folders', buttonLabel: 'Import', properties: ['openDirectory', 'multiSelections', 'dontAddToRecent'] };
    // Windows and Linux dialogs pick files or folders, never both: the labelling view offers each.
    case 'labelAudioFolders':
      return { title: 'Folders of WAV files to label', buttonLabel: 'Import', properties: ['openDirectory', 'multiSelections', 'dontAddToRecent'] };
    case 'labelAudioFiles':
      return {
        title: 'WAV files to label',
        buttonLabel: 'Import',
        properties: ['openFile', 'multiSelections', 'dontAddToRecent'],
        filters: [{ name: 'WAV audio', extensions: ['wav', 'wave', 'WAV', 'WAVE'] }],
      };
    case 'labelFile':
      return {
        title: 'A label file: Raven selection table, Audacity label track or JSON Lines',
        buttonLabel: 'Import labels',
        properties: ['openFile', 'dontAddToRecent'],
        filters: [
          { name: 'Label files', extensions: ['txt', 'tsv', 'jsonl', 'json'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
    case 'mbtiles':
      return {
        title: 'Choose an offline map (MBTiles)',
        buttonLabel: 'Use this map',
        properties: ['openFile', 'dontAddToRecent'],
        filters: [{ name: 'MBTiles map', extensions: ['mbtiles'] }],
      };
  }
}

/** What each save dialog exports, in the dialog's own words. */
const SAVE_WHAT: Record<SaveRequest['purpose'], string> = { dataset: 'data set', report: 'report', statistics: 'statistics', 'audit-chain': 'audit chain' };

export function saveDialogSpec(request: SaveRequest, folder: string): SaveDialogSpec {
  const what = SAVE_WHAT[request.purpose];
  return {
    title: `Export ${what}`,
    buttonLabel: 'Export',
    // The schema already refused names with folders in them.
    defaultPath: join(folder, request.defaultName),
    filters: [{ name: what[0]!.toUpperCase() + what.slice(1), extensions: [...request.extensions] }],
    properties: ['showOverwriteConfirmation', 'createDirectory', 'dontAddToRecent'],
  };
}

/**
 * The file a save dialog's answer names, with the extension the export has: Linux dialogs give back
 * whatever was typed, so "report" becomes "report.html" rather than a file no program opens.
 * The path stays in the main process and the core; the page gets a grant (src/files/grants.ts).
 */
export function savedPath(chosen: string, extensions: readonly string[]): string {
  const name = basename(chosen).toLowerCase();
  if (extensions.length === 0 || extensions.some((e) => name.endsWith(`.${e.toLowerCase()}`))) return chosen;
  return `${chosen}.${extensions[0]}`;
}
