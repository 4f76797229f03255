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

/**
 * A review centre's address, as the desktop app opens it: https, a host, no credentials, no path,
 * query or fragment (the app is allowed to that one origin and nowhere else). Normalised to the
 * URL's origin.
 */
export const CentreOrigin = z
  .string()
  .trim()
  .max(2048)
  .transform((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a web address: give the centre as https://host[:port]' });
      return z.NEVER;
    }
    const problem =
      u.protocol !== 'https:'
        ? 'a centre is reached over https only'
        : u.username || u.password
          ? 'no name or password in the address: people sign in at the centre'
          : (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash
            ? 'the address of the centre only (https://host[:port]), without a path, query or fragment'
            : null;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return u.origin;
  });

/** Where the desktop app works: on its own store, or as a seat of a review centre. */
export const WorkplaceChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({
    kind: z.literal('centre'),
    origin: CentreOrigin,
    /** The centre's certificate is signed by the centre's own CA: a native dialog asks for its PEM file. */
    privateCa: z.boolean(),
  }),
]);
export type WorkplaceChoice = z.infer<typeof WorkplaceChoice>;

export const shellMethods = {
  setWorkplace: defineMethod({
    seal: { none: true },
    summary:
      "Desktop only: work on this computer, or as a seat of a review centre at an https origin (with the centre's private CA from a PEM file the native dialog asks for). The app restarts into the choice. An administrator, or anyone while nobody has an account (the first run).",
    input: WorkplaceChoice,
    output: z.object({ cancelled: z.boolean(), restarting: z.boolean() }),
    public: true,
  }),
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
