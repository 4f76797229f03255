import { z } from 'zod';
import { defineMethod } from './define.ts';
import { Id } from './common.ts';
import { FileSource } from './files.ts';
import { ROLES } from './define.ts';

export const Actor = z.object({ name: z.string(), roles: z.array(z.enum(ROLES)) });

export const ImportOutcome = z.object({
  path: z.string(),
  status: z.enum(['imported', 'duplicate', 'refused']),
  alertId: Id.nullable(),
  message: z.string(),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const systemMethods = {
  getStatus: defineMethod({
    seal: { none: true },
    summary: 'What this core is: version, data folder, who the session is, whether the demo network runs.',
    input: z.object({}).default({}),
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      actor: Actor.nullable(),
      demo: z.object({ running: z.boolean() }),
    }),
    public: true,
  }),
  importPaths: defineMethod({
    seal: { none: true },
    summary: 'Command line only: import alert bundles, sensor-WAV folders or research test folders from paths on the core machine.',
    input: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }),
    output: z.object({ outcomes: z.array(ImportOutcome) }),
    roles: ['reviewer', 'trainer', 'admin'],
    local: true,
    seatVariant: 'importAlertFiles',
  }),
  importAlertFiles: defineMethod({
    seal: { none: true },
    summary:
      'Import the alerts in an upload (a folder of alert bundles, sensor-WAV folders or research test folders, sent with their relative names) or in folders chosen in the desktop dialog (a grant of purpose alerts or audio). Every folder that is an alert is imported; outcomes name them by their relative path.',
    input: z.object({ files: FileSource }),
    output: z.object({ outcomes: z.array(ImportOutcome) }),
    roles: ['reviewer', 'trainer', 'admin'],
  }),
};
