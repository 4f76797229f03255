import './programme.css';
import { useCallback, useEffect, useState } from 'react';
import { FINDING_LABELS, type ContractError, type EarwitnessClient, type Incident, type MethodOutput } from '../../../src/contract/index.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';

type Listing = MethodOutput<'listOutcomes'>;
type Link = MethodOutput<'createOutcomeLink'>;

const when = (us: number) => new Date(us / 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * What the agencies reported on a published incident, every version, live; and for reviewers and
 * admins a one-use link an officer of one of its agencies opens on a phone to report. The link's
 * token is shown once, here: only its hash is kept.
 */
export function OutcomesPanel({ client, alertId, mayMakeLinks }: { client: EarwitnessClient; alertId: number; mayMakeLinks: boolean }) {
  const [incident, setIncident] = useState<Incident | null>(null);
  const [listing, setListing] = useState<Listing | null>(null);
  const [link, setLink] = useState<Link | null>(null);
  const [error, setError] = useState<ContractError | null>(null);

  const load = useCallback(async () => {
    const i = await client.call('getIncident', { alertId });
    if (!i.ok) return setError(i.error);
    setIncident(i.value);
    if (!i.value || i.value.agencies.length === 0) return setListing(null);
    const r = await client.call('listOutcomes', { incidentId: i.value.id });
    if (r.ok) setListing(r.value);
    else setError(r.error);
  }, [client, alertId]);
  useEffect(() => {
    void load();
    const offOutcome = client.on('outcomeReported', ({ outcome }) => outcome.alertId === alertId && void load());
    const offIncident = client.on('incidentChanged', ({ incident: i }) => i.alertId === alertId && void load());
    return () => {
      offOutcome();
      offIncident();
    };
  }, [client, alertId, load]);

  if (!incident || incident.agencies.length === 0) return null;
  const makeLink = async (agencyId: number) => {
    setError(null);
    const r = await client.call('createOutcomeLink', { incidentId: incident.id, agencyId });
    if (!r.ok) return setError(r.error);
    setLink(r.value);
    void load();
  };
  // On the loopback host the link is this host's; the desktop app names the path on the review centre's host.
  const address = (path: string) => (client.transport === 'loopback' ? new URL(path, window.location.origin).href : path);

  return (
    <section className="outcomes-panel" aria-label="Outcomes" data-testid="outcomes-panel">
      <h4>What responders found</h4>
      {listing && listing.outcomes.length === 0 && (
        <p className="muted" data-testid="outcomes-none">
          No agency has reported yet.
        </p>
      )}
      {listing && listing.outcomes.length > 0 && (
        <ol className="outcomes-list">
          {listing.outcomes.map((o) => (
            <li key={o.id} data-testid="outcome-version">
              <strong>{o.agency.name}</strong>
              {o.version > 1 ? ` (report ${o.version})` : ''}: {o.findings.map((f) => FINDING_LABELS[f]).join(', ')}
              {o.arrests > 1 ? `, ${o.arrests} arrests` : ''}
              {o.firearms > 1 ? `, ${o.firearms} firearms` : ''}
              <div className="muted">
                {[o.unit, o.reference, o.channel === 'link' ? 'officer link' : o.channel === 'demo' ? 'simulated (demo)' : 'CAD', when(o.receivedUs)]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
              {o.notes && <div className="outcome-notes">{o.notes}</div>}
            </li>
          ))}
        </ol>
      )}
      {mayMakeLinks && (
        <div className="outcomes-links">
          {incident.agencies.map((a) => (
            <button key={a.id} type="button" className="btn btn-small" onClick={() => void makeLink(a.id)} data-testid="make-outcome-link">
              Link for an officer of {a.name}
            </button>
          ))}
        </div>
      )}
      {link && (
        <div className="outcome-link" data-testid="outcome-link">
          <input readOnly value={address(link.path)} onFocus={(e) => e.target.select()} aria-label="Officer link" />
          <span className="muted">Works once, until {when(link.expiresUs)}. Shown only now; a new link replaces it.</span>
        </div>
      )}
      <ErrorNote error={error} context="Outcomes" />
    </section>
  );
}
