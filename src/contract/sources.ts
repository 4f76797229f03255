import { z } from 'zod';
import { defineMethod } from './define.ts';
import { Micros } from './common.ts';
import { CapStatus } from './publish.ts';

/**
 * Where alerts come from, and who this centre is in what it sends. A source's status decides the
 * CAP status of what its alerts publish: live sources publish Actual, the others Exercise or Test.
 */
export const SourceStatus = z.enum(['live', 'exercise', 'test']);
export type SourceStatus = z.infer<typeof SourceStatus>;

export const Source = z.object({
  source: z.string(),
  /** What an administrator set; null when nobody has (published as Exercise until someone does). */
  status: SourceStatus.nullable(),
  /** The CAP status its alerts are published with now. */
  publishesAs: CapStatus,
  /** A simulated network (the demo, or any source named demo-*): never live. */
  simulated: z.boolean(),
  note: z.string().nullable(),
  setUs: Micros.nullable(),
  setBy: z.string().nullable(),
  alerts: z.number().int(),
  newestUs: Micros.nullable(),
});
export type Source = z.infer<typeof Source>;

/** CAP `sender`: no whitespace, commas, < or & (CAP 1.2, 3.2.1). */
export const CapSender = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s,<&]+$/, 'a CAP sender may not hold spaces, commas, < or &');

export const PublishIdentity = z.object({
  /** CAP `sender`, the JSON document's and EIDO's sender: who sends (e.g. dispatch-feed@city.example). */
  sender: z.string(),
  /** CAP `senderName`: the centre's name as people read it. */
  senderName: z.string(),
  /** A tag in every identifier, keeping them unique across databases that share a sender. */
  instance: z.string(),
  /** How long a message's information stays in effect (CAP `expires` = sent + this). */
  messageLifetimeMinutes: z.number().int(),
  /** How long an audio link in a message works, from the message's sent time. */
  linkLifetimeHours: z.number().int(),
  /** The address agencies reach this centre's audio links at (a reverse proxy); null: the host's own address. */
  linkBaseUrl: z.string().nullable(),
  /** Where audio links point now: null when no host serves them (the desktop app alone), and messages then say so. */
  linksServedAt: z.string().nullable(),
  updatedUs: Micros.nullable(),
  updatedBy: z.string().nullable(),
});
export type PublishIdentity = z.infer<typeof PublishIdentity>;

const ADMIN = ['admin'] as const;

export const sourceMethods = {
  listSources: defineMethod({
    seal: { none: true },
    summary: 'Every alert source (sensor network) seen or marked, with its status and the CAP status its alerts are published with.',
    input: z.object({}).default({}),
    output: z.object({ sources: z.array(Source) }),
    roles: ['admin', 'auditor'],
  }),
  setSourceStatus: defineMethod({
    seal: { none: true },
    summary:
      'Mark a source live (its alerts publish as Actual), exercise or test. A simulated network is never live. Incidents already published keep their status.',
    input: z.object({
      source: z.string().trim().min(1).max(100),
      status: SourceStatus,
      note: z.string().trim().max(500).optional(),
    }),
    output: Source,
    roles: ADMIN,
  }),
  getPublishIdentity: defineMethod({
    seal: { none: true },
    summary: 'Who this centre is in what it sends (sender, sender name, instance), message and audio-link lifetimes, and where audio links are served.',
    input: z.object({}).default({}),
    output: PublishIdentity,
    roles: ADMIN,
  }),
  setPublishIdentity: defineMethod({
    seal: { none: true },
    summary:
      'Change the publishing identity: sender, sender name, instance, lifetimes, the audio-link address; or rotate the audio-link key (every link sent so far stops working).',
    input: z.object({
      sender: CapSender.optional(),
      senderName: z.string().trim().min(1).max(200).optional(),
      instance: z
        .string()
        .trim()
        .regex(/^[a-z0-9]{4,32}$/, 'an instance tag is 4 to 32 lower-case letters and digits')
        .optional(),
      messageLifetimeMinutes: z
        .number()
        .int()
        .min(10)
        .max(7 * 24 * 60)
        .optional(),
      linkLifetimeHours: z
        .number()
        .int()
        .min(1)
        .max(30 * 24)
        .optional(),
      linkBaseUrl: z.string().trim().min(1).max(500).nullable().optional(),
      rotateLinkKey: z.boolean().optional(),
    }),
    output: z.object({ identity: PublishIdentity, changed: z.array(z.string()) }),
    roles: ADMIN,
  }),
};
