import { useState, type FormEvent } from 'react';
import { QUEUE_ORDERS, type ContractError, type QueueOrder, type SeatSettings } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';

const ORDER_NAMES: Record<QueueOrder, string> = {
  likely_gunfire_first: 'Likely gunfire first, every alert by its wait',
  within_budget_oldest_first: 'Within the time budget, oldest first; late ones after',
  oldest_first: 'Oldest first',
  newest_first: 'Newest first',
};

/** The review seat settings every seat follows: idle lock, deadline, countdown colours, queue order, claim lease. */
export function SeatSettingsForm() {
  const client = useClient();
  const seat = useSeat();
  const [draft, setDraft] = useState<SeatSettings>(seat.state.settings);
  const [error, setError] = useState<ContractError | null>(null);
  const [saved, setSaved] = useState(false);
  const number = (key: keyof SeatSettings, label: string, unit: string, scale = 1) => (
    <label>
      {label}
      <input
        type="number"
        min={1}
        value={(draft[key] as number) / scale}
        onChange={(e) => {
          setSaved(false);
          setDraft({ ...draft, [key]: Math.round(Number(e.target.value) * scale) });
        }}
        style={{ width: 90 }}
      />
      <span className="muted">{unit}</span>
    </label>
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await client.call('setSeatSettings', draft);
    if (!r.ok) return setError(r.error);
    setError(null);
    setSaved(true);
    setDraft(r.value);
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="seat-settings">
      <h3>Seat settings</h3>
      <div className="form-row">
        {number('idleLockSeconds', 'Lock after idle', 'min', 60)}
        {number('deadlineSeconds', 'Time to decide', 's')}
        {number('amberSeconds', 'Amber when left', 's')}
        {number('claimLeaseSeconds', 'Claim lease', 's')}
        {draft.queueOrder === 'likely_gunfire_first' && number('gunfireHeadStartSeconds', 'Gunfire head start', 'min', 60)}
        <label>
          Queue order
          <select value={draft.queueOrder} onChange={(e) => setDraft({ ...draft, queueOrder: e.target.value as QueueOrder })}>
            {QUEUE_ORDERS.map((o) => (
              <option key={o} value={o}>
                {ORDER_NAMES[o]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn small-btn">
          Save
        </button>
        {saved && <span className="ok-note">saved</span>}
      </div>
      <ErrorNote error={error} />
    </form>
  );
}
