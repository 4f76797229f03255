import type { ContractError, DeliveredFile, EarwitnessClient, FileTarget, MethodInput, Result, UploadFile } from '../../../src/contract/index.ts';

/** What a save ended in: written where the person chose (desktop), downloaded by the browser, cancelled, or refused. */
export type SaveOutcome =
  { kind: 'saved'; fileName: string } | { kind: 'downloaded'; fileName: string } | { kind: 'cancelled' } | { kind: 'failed'; error: ContractError };

type SavePurpose = Extract<MethodInput<'choosePath'>, { mode: 'save' }>['purpose'];

/**
 * Has the browser save one of this seat's downloads, by a plain link: the browser streams it to
 * disk (a data set of gigabytes never passes through the page's memory). The host serves it only
 * to this seat (its cookie is scoped to the link's path).
 */
export function startDownload(client: EarwitnessClient, file: DeliveredFile): void {
  if (file.kind !== 'download') return;
  const url = client.downloadUrl(file.downloadId);
  if (!url) return;
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * Where an output goes, asked before the core makes it: in the desktop app the native save
 * dialog (the path stays in the app: the page gets a grant), on the loopback host a download.
 * Null when the person cancelled the dialog.
 */
export async function chooseTarget(
  client: EarwitnessClient,
  purpose: SavePurpose,
  defaultName: string,
  extension: string,
): Promise<{ to: FileTarget } | { cancelled: true } | { error: ContractError }> {
  if (client.transport !== 'electron') return { to: { kind: 'download' } };
  const r = await client.call('choosePath', { mode: 'save', purpose, defaultName, extensions: [extension] });
  if (!r.ok) return { error: r.error };
  return r.value.grantId === null ? { cancelled: true } : { to: { kind: 'grant', grantId: r.value.grantId } };
}

/** Runs an output method to the target chosen for it and, on the host, starts the download. */
export async function saveOutput<T extends { file: DeliveredFile }>(
  client: EarwitnessClient,
  ask: { purpose: SavePurpose; defaultName: string; extension: string },
  produce: (to: FileTarget) => Promise<Result<T>>,
): Promise<{ outcome: SaveOutcome; value: T | null }> {
  const target = await chooseTarget(client, ask.purpose, ask.defaultName, ask.extension);
  if ('cancelled' in target) return { outcome: { kind: 'cancelled' }, value: null };
  if ('error' in target) return { outcome: { kind: 'failed', error: target.error }, value: null };
  const r = await produce(target.to);
  if (!r.ok) return { outcome: { kind: 'failed', error: r.error }, value: null };
  startDownload(client, r.value.file);
  return { outcome: { kind: r.value.file.kind === 'download' ? 'downloaded' : 'saved', fileName: r.value.file.fileName }, value: r.value };
}

/**
 * The files of a file input as uploads: a folder input (webkitdirectory) names each by its path
 * below the folder's parent ('bundles/A-1/alert.json'); hidden files (.DS_Store and the like) are
 * left out.
 */
export function uploadFilesOf(list: FileList | readonly File[]): UploadFile[] {
  return [...list]
    .map((f) => ({ name: f.webkitRelativePath || f.name, size: f.size, body: f }))
    .filter((f) => !f.name.split('/').some((s) => s.startsWith('.')));
}
