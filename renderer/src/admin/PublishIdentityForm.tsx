import { useEffect, useState, type FormEvent } from 'react';
import type { ContractError, PublishIdentity } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../ui/format.ts';

type Draft = Pick<PublishIdentity, 'sender' | 'senderName' | 'instance' | 'messageLifetimeMinutes' | 'linkLifetimeHours'> & { linkBaseUrl: string };

/**
 * Who this centre is in what agencies receive: CAP sender and sender name, the instance tag in
 * every identifier, how long messages and audio links stay valid, where agencies reach the audio.
 * The core checks every field (a CAP sender has no spaces, commas, < or &) and audits the change.
 */
export function PublishIdentityForm() {
  const client = useClient();
  const [identity, setIdentity] = useState<PublishIdentity | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const show = (v: PublishIdentity) => {
    setIdentity(v);
    setDraft({
      sender: v.sender,
      senderName: v.senderName,
      instance: v.instance,
      messageLifetimeMinutes: v.messageLifetimeMinutes,
      linkLifetimeHours: v.linkLifetimeHours,
      linkBaseUrl: v.linkBaseUrl ?? '',
    });
  };
  useEffect(() => {
    void client.call('getPublishIdentity', {}).then((r) => (r.ok ? show(r.value) : setError(r.error)));
  }, [client]);
  if (!identity || !draft)
    return (
      <section data-testid="publish-identity">
        <h3>Publishing identity</h3>
        <ErrorNote error={error} />
      </section>
    );
  const save = async (e: FormEvent, rotateLinkKey = false) => {
    e.preventDefault();
    const r = await client.call('setPublishIdentity', { ...draft, linkBaseUrl: draft.linkBaseUrl.trim() || null, ...(rotateLinkKey ? { rotateLinkKey } : {}) });
    if (!r.ok) return setError(r.error);
    setError(null);
    show(r.value.identity);
    setNote(r.value.changed.length ? `saved (${r.value.changed.join(', ')})` : 'nothing changed');
  };
  const field = <K extends keyof Draft>(key: K, label: string, o: { type?: string; width?: number; hint?: string } = {}) => (
    <label title={o.hint}>
      {label}
      <input
        type={o.type ?? 'text'}
        value={String(draft[key])}
        style={{ width: o.width ?? 220 }}
        onChange={(e) => {
          setNote(null);
          setDraft({ ...draft, [key]: o.type === 'number' ? Number(e.target.value) : e.target.value });
        }}
      />
    </label>
  );
  return (
    <form onSubmit={(e) => void save(e)} data-testid="publish-identity">
      <h3>Publishing identity</h3>
      <div className="form-row">
        {field('sender', 'CAP sender', { hint: 'who sends, e.g. acoustic-centre@city.example: no spaces, commas, < or &' })}
        {field('senderName', 'Sender name', { width: 260 })}
        {field('instance', 'Instance tag', {
          width: 130,
          hint: 'in every identifier; change it only if another database publishes under the same sender with this tag',
        })}
      </div>
      <div className="form-row">
        {field('messageLifetimeMinutes', 'Messages expire after (min)', { type: 'number', width: 80 })}
        {field('linkLifetimeHours', 'Audio links work for (h)', { type: 'number', width: 70 })}
        {field('linkBaseUrl', 'Audio-link address', { width: 260, hint: "the address agencies reach this centre at (a reverse proxy); empty: the host's own" })}
      </div>
      <p className="muted" data-testid="links-served">
        {identity.linksServedAt
          ? `Audio links in new messages point to ${identity.linksServedAt}`
          : 'No host serves audio links here: new messages say the audio is available from the centre on request.'}
        {identity.updatedUs !== null && ` · last changed ${formatUtcDateTime(identity.updatedUs)} by ${identity.updatedBy}`}
      </p>
      <div className="form-row">
        <button type="submit" className="btn small-btn">
          Save
        </button>
        <button type="button" className="btn small-btn" title="every audio link sent so far stops working" onClick={(e) => void save(e, true)}>
          Rotate the audio-link key
        </button>
        {note && (
          <span className="ok-note" role="status">
            {note}
          </span>
        )}
      </div>
      <ErrorNote error={error} />
    </form>
  );
}
