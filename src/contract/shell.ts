import { z } from 'zod';
import { defineEvent, defineMethod } from './define.ts';
import { GrantId } from './files.ts';
import { ImportOutcome } from './system.ts';

export const THEMES = ['dark', 'light', 'system'] as const;

/**
 * What the desktop shell's native menu asks the UI to do. The UI offers the same actions on
 * its own (buttons, keys); the menu only sends these, so both paths run the same code.
 */
export const ShellCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('importAlerts') }),
  z.object({ command: z.literal('importAudio') }),
  z.object({ command: z.literal('exportDataset') }),
  z.object({ command: z.literal('setTheme'), theme: z.enum(THEMES) }),
  z.object({ command: z.literal('showKeyboardHelp') }),
]);
export type ShellCommand = z.infer<typeof ShellCommand>;

/** A file extension without its dot, for save dialogs' filters. */
const Extension = z.string().regex(/^[a-z0-9]{1,10}$/i);

export const shellMethods = {
  chooseImport: defineMethod({
    seal: { none: true },
    summary:
      'Desktop only: a native dialog to pick alert bundle folders (kind alerts) or sensor-WAV folders (kind audio), then import them. Unavailable on the loopback host.',
    input: z.object({ kind: z.enum(['alerts', 'audio']) }),
    output: z.object({ cancelled: z.boolean(), outcomes: z.array(ImportOutcome) }),
    roles: ['reviewer', 'trainer', 'admin'],
  }),
  choosePath: defineMethod({
    seal: { none: true },
    summary:
      'Desktop only: a native open dialog (an MBTiles file; WAV folders or files to label; a label file; alert folders) or save dialog (a data set zip, a report, statistics, the audit chain). The path stays in the desktop app: the answer is a grant, valid for this window for 10 minutes and one use by the methods of its purpose, with the names chosen (no folders).',
    input: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('open'), purpose: z.enum(['mbtiles', 'labelAudioFolders', 'labelAudioFiles', 'labelFile', 'alerts']) }),
      z.object({
        mode: z.literal('save'),
        purpose: z.enum(['dataset', 'report', 'statistics', 'audit-chain']),
        /** A file name only, never a path: the dialog chooses the folder. */
        defaultName: z
          .string()
          .min(1)
          .max(255)
          .regex(/^[^/\\\0]+$/, 'a file name without folders'),
        extensions: z.array(Extension).min(1).max(8),
      }),
    ]),
    output: z.object({
      cancelled: z.boolean(),
      /** Null when cancelled. */
      grantId: GrantId.nullable(),
      /** The base names of what was chosen, for the page to show; empty when cancelled. */
      names: z.array(z.string()),
    }),
  }),
};

export const shellEvents = {
  shellCommand: defineEvent({
    seal: { none: true },
    summary: 'The desktop menu asks the UI to run one of its actions.',
    payload: ShellCommand,
  }),
};
