import type { ContractError, EarwitnessClient, MethodInput } from '../../../src/contract/index.ts';

/** What a save ended in: saved (where, when the core wrote it), downloaded by the browser, cancelled, or refused. */
export type SaveOutcome = { kind: 'saved'; path: string } | { kind: 'downloaded'; fileName: string } | { kind: 'cancelled' } | { kind: 'failed'; error: ContractError };

type SavePurpose = Extract<MethodInput<'choosePath'>, { mode: 'save' }>['purpose'];

/** Hands text to the browser as a file download (the loopback host: the file lands on the viewer's machine). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started once click() returns; the URL can go after the current task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Asks the desktop shell's native save dialog for a path (null when cancelled). Only in Electron:
 * on the loopback host the page downloads instead, since the core may run on another machine.
 */
export async function chooseSavePath(client: EarwitnessClient, purpose: SavePurpose, defaultName: string, extension: string): Promise<{ path: string | null } | { error: ContractError }> {
  const r = await client.call('choosePath', { mode: 'save', purpose, defaultName, extensions: [extension] });
  return r.ok ? { path: r.value.path } : { error: r.error };
}

