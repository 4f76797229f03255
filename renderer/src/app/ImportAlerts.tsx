import { useRef, useState } from 'react';
import type { ImportOutcome } from '../../../src/contract/index.ts';
import { uploadFilesOf } from '../audit/save.ts';
import { useClient } from '../client/context.tsx';

const summary = (outcomes: readonly ImportOutcome[]) => {
  const n = (s: ImportOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  const refused = outcomes.filter((o) => o.status === 'refused').map((o) => `${o.path}: ${o.message}`);
  return `Imported ${n('imported')}, already there ${n('duplicate')}, refused ${n('refused')}.${refused.length ? ` ${refused.slice(0, 3).join(' · ')}` : ''}`;
};

/**
 * Import alerts from the seat: in a browser, a folder (of alert bundles, sensor-WAV folders or
 * research test folders) is chosen and its files uploaded with their relative paths; in the
 * desktop app the native dialog picks folders (the same as the menu's Import Alerts).
 */
export function ImportAlerts({ onOutcome }: { onOutcome(message: string): void }) {
  const client = useClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const desktop = client.transport === 'electron';

  const fromDialog = async () => {
    setBusy('importing…');
    const r = await client.call('chooseImport', { kind: 'alerts' });
    setBusy(null);
    if (!r.ok) return onOutcome(r.error.message);
    if (!r.value.cancelled) onOutcome(summary(r.value.outcomes));
  };
  const fromFolder = async (list: FileList | null) => {
    const files = list ? uploadFilesOf(list) : [];
    if (input.current) input.current.value = '';
    if (files.length === 0) return;
    setBusy('sending 0 %');
    const up = await client.upload(files, (sent, total) => setBusy(`sending ${total ? Math.floor((100 * sent) / total) : 100} %`));
    if (!up.ok) {
      setBusy(null);
      return onOutcome(`Nothing imported: ${up.error.message}`);
    }
    setBusy('importing…');
    const r = await client.call('importAlertFiles', { files: { kind: 'upload', uploadId: up.value.uploadId } });
    setBusy(null);
    onOutcome(r.ok ? summary(r.value.outcomes) : `Nothing imported: ${r.error.message}`);
  };

  if (desktop) {
    return (
      <button type="button" className="topbar-button" onClick={() => void fromDialog()} disabled={busy !== null} data-testid="import-alerts">
        {busy ?? 'Import alerts…'}
      </button>
    );
  }
  return (
    <label className="topbar-button" title="Choose a folder of alert bundles (or one bundle): its files are sent to the core" aria-disabled={busy !== null}>
      {busy ?? 'Import alerts…'}
      {/* webkitdirectory: every file below the chosen folder, named by its path in it. */}
      <input
        ref={input}
        type="file"
        hidden
        multiple
        {...{ webkitdirectory: '' }}
        disabled={busy !== null}
        onChange={(e) => void fromFolder(e.target.files)}
        data-testid="import-alerts-folder"
      />
    </label>
  );
}
