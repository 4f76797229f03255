import { useEffect, useState, type ChangeEvent } from 'react';
import type { ContractError, ProgrammeSettings } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';

/**
 * The administrator's programme settings: the yearly cost (for cost per outcome), the city's time
 * zone, the public map's cell size and k (never below their safe minimums, which the core
 * enforces), and how long officers' links last. Each change is an audit entry.
 */
export function ProgrammeSettingsForm({ onSaved }: { onSaved: () => void }) {
  const client = useClient();
  const [stored, setStored] = useState<ProgrammeSettings | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [error, setError] = useState<ContractError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    void client.call('getProgrammeSettings', {}).then((r) => {
      if (!r.ok) return setError(r.error);
      setStored(r.value);
      setForm({
        yearlyCost: r.value.yearlyCost === null ? '' : String(r.value.yearlyCost),
        currency: r.value.currency,
        timeZone: r.value.timeZone,
        cellM: String(r.value.cellM),
        k: String(r.value.k),
        linkTtlHours: String(r.value.linkTtlHours),
      });
    });
  }, [client]);
  if (!stored) return <ErrorNote error={error} context="Settings" />;
  const l = stored.limits;
  const set = (k: string) => (e: ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const save = async () => {
    setError(null);
    setNote(null);
    const r = await client.call('setProgrammeSettings', {
      yearlyCost: form.yearlyCost!.trim() === '' ? null : Number(form.yearlyCost),
      currency: form.currency!.trim().toUpperCase(),
      timeZone: form.timeZone!.trim(),
      cellM: Number(form.cellM),
      k: Number(form.k),
      linkTtlHours: Number(form.linkTtlHours),
    });
    if (!r.ok) return setError(r.error);
    setStored(r.value);
    setNote('Saved; the change is in the audit log.');
    onSaved();
  };
  return (
    <form className="programme-settings" onSubmit={(e) => (e.preventDefault(), void save())} data-testid="programme-settings">
      <label>
        Yearly cost <input inputMode="decimal" value={form.yearlyCost} onChange={set('yearlyCost')} placeholder="not entered" data-testid="programme-cost" />
      </label>
      <label>
        Currency <input value={form.currency} onChange={set('currency')} maxLength={3} size={4} />
      </label>
      <label>
        Time zone <input value={form.timeZone} onChange={set('timeZone')} placeholder="America/Chicago" />
      </label>
      <label title={`${l.minCellM}-${l.maxCellM} m`}>
        Map cell, m <input type="number" min={l.minCellM} max={l.maxCellM} value={form.cellM} onChange={set('cellM')} />
      </label>
      <label title={`${l.minK}-${l.maxK}`}>
        k (smallest cell shown) <input type="number" min={l.minK} max={l.maxK} value={form.k} onChange={set('k')} />
      </label>
      <label>
        Officer link, hours <input type="number" step="0.25" min={0.25} max={l.maxLinkTtlHours} value={form.linkTtlHours} onChange={set('linkTtlHours')} />
      </label>
      <button type="submit" className="btn btn-small" data-testid="programme-settings-save">
        Save settings
      </button>
      {note && <span className="ok-note">{note}</span>}
      <ErrorNote error={error} context="Not saved" />
    </form>
  );
}
