/**
 * The one typed contract between the UI and the core. Both transports (Electron IPC and the
 * loopback host) carry exactly these methods and events, validated by these schemas.
 * Each domain adds its methods in its own file and one line here.
 */
import type { z } from 'zod';
import { alertEvents, alertMethods } from './alerts.ts';
import { mapEvents, mapMethods } from './maps.ts';
import { publishEvents, publishMethods } from './publish.ts';
import { auditMethods } from './audit.ts';
import { datasetEvents, datasetMethods } from './dataset.ts';
import { relocateMethods } from './relocate.ts';
import { sourceMethods } from './sources.ts';
import { intakeMethods } from './intake.ts';
import { reviewMethods } from './review.ts';
import { shellEvents, shellMethods } from './shell.ts';
import { queueEvents, queueMethods } from './queue.ts';
import { seatEvents, seatMethods } from './seat.ts';
import { systemMethods } from './system.ts';
import { outcomeEvents, outcomeMethods } from './outcomes.ts';
import type { Result } from './result.ts';

export const methods = {
  ...systemMethods,
  ...alertMethods,
  ...reviewMethods,
  ...relocateMethods,
  ...mapMethods,
  ...shellMethods,
  ...publishMethods,
  ...sourceMethods,
  ...intakeMethods,
  ...auditMethods,
  ...datasetMethods,
  ...seatMethods,
  ...queueMethods,
  ...outcomeMethods,
};

export const events = {
  ...alertEvents,
  ...mapEvents,
  ...shellEvents,
  ...publishEvents,
  ...datasetEvents,
  ...seatEvents,
  ...queueEvents,
  ...outcomeEvents,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;
/** What a caller may pass (defaults still optional). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives, after the schema filled defaults. */
export type MethodArgs<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]['payload']>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);

/** What the renderer talks to, whichever transport carries it. */
export interface EarwitnessClient {
  readonly transport: 'electron' | 'loopback';
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** A URL the page can fetch or play: clip://<sha256> in Electron, /clips/<sha256> on the host. */
  clipUrl(sha256: string): string;
  /**
   * Sends files' bytes to the core as one upload of this seat, for a method that takes a
   * FileSource. Names are relative paths as a folder input gives them ('bundles/A-1/alert.json').
   * Only the loopback host takes uploads; in Electron files are chosen in the native dialog
   * (choosePath grants) and this answers `unavailable`.
   */
  upload(files: readonly UploadFile[], onProgress?: (sentBytes: number, totalBytes: number) => void): Promise<Result<{ uploadId: string }>>;
  /** Where the page links or fetches one of this seat's downloads (the host), or null (Electron writes to save grants). */
  downloadUrl(downloadId: string): string | null;
}

/** One file to upload: its relative name, size and bytes (a Blob or File in a browser). */
export interface UploadFile {
  name: string;
  size: number;
  body: unknown;
}

export * from './result.ts';
export * from './define.ts';
export * from './common.ts';
export * from './taxonomy.ts';
export * from './alerts.ts';
export * from './peak-codec.ts';
export * from './review.ts';
export * from './relocate.ts';
export * from './system.ts';
export * from './maps.ts';
export * from './shell.ts';
export * from './files.ts';
export * from './publish.ts';
export * from './sources.ts';
export * from './intake.ts';
export * from './audit.ts';
export * from './dataset.ts';
export * from './seat.ts';
export * from './queue.ts';
export * from './outcomes.ts';

/**
 * What the Electron preload exposes as `window.earwitness`: one function per contract method
 * (each an ipcRenderer.invoke on channel `earwitness:<method>`), plus event subscription.
 */
export type PreloadApi = {
  readonly [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
} & {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
};

export { electronClipUrl, IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL } from './ipc.ts';
