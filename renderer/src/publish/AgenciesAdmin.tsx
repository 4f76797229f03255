import { useCallback, useEffect, useState } from 'react';
import { CLASS_LABELS, DECISION_CLASSES, GEOJSON_MAX_BYTES, type Agency, type DecisionClass, type EarwitnessClient, type MethodOutput } from '../../../src/contract/index.ts';
import { dateTime } from './format.ts';
import { PUBLISH_CSS } from './styles.ts';
import { UnroutedQueue } from './UnroutedQueue.tsx';

export interface AgenciesAdminProps {
  client: EarwitnessClient;
}

interface EndpointDraft {
  url: string;
  format: 'cap' | 'json';
  secret: string;
}

const DEFAULT_CLASSES: DecisionClass[] = ['gunfire_single', 'gunfire_multiple'];
const emptyEndpoint = (): EndpointDraft => ({ url: 'https://', format: 'cap', secret: '' });

/**
 * The admin's publishing desk: the agencies (with their endpoints and jurisdictions), adding
 * one from a GeoJSON file, removing one, and the queue of incidents no jurisdiction holds.
 */
export function AgenciesAdmin({ client }: AgenciesAdminProps) {
  const [agencies, setAgencies] = useState<Agency[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  const load = useCallback(async () => {
    const r = await client.call('listAgencies', {});
    if (r.ok) setAgencies(r.value.agencies);
    else setError(r.error.message);
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (id: number) => {
    setConfirming(null);
    const r = await client.call('removeAgency', { id });
    if (!r.ok) return setError(r.error.message);
    setError(r.value.cancelledDeliveries ? `${r.value.agency.name} removed; ${r.value.cancelledDeliveries} queued deliveries cancelled.` : null);
    void load();
  };

  return (
    <div className="ew-publish" data-testid="agencies-admin">
      <style>{PUBLISH_CSS}</style>
      <section>
        <h2>Agencies</h2>
        {error && <p className="error" role="alert">{error}</p>}
        {agencies.length === 0 ? (
          <p className="dim">No agency yet: confirmed incidents wait in the queue below until one is added.</p>
        ) : (
          <table>
            <thead>
              <tr><th>Name</th><th>Receives</th><th>Endpoints</th><th>Jurisdiction</th><th /></tr>
            </thead>
            <tbody>
              {agencies.map((a) => (
                <tr key={a.id} data-testid={`agency-${a.id}`}>
                  <td>{a.name}<div className="dim">added {dateTime(a.createdUs)} by {a.createdBy}</div></td>
                  <td>{a.classes.map((c) => CLASS_LABELS[c]).join(', ')}</td>
                  <td>{a.endpoints.map((e) => <div key={e.id} className="mono">{e.format.toUpperCase()} {e.url}</div>)}</td>
                  <td className="dim">
                    {a.jurisdiction.polygons} polygon{a.jurisdiction.polygons === 1 ? '' : 's'}
                    {a.jurisdiction.holes ? `, ${a.jurisdiction.holes} hole${a.jurisdiction.holes === 1 ? '' : 's'}` : ''}, {a.jurisdiction.vertices} vertices
                    <div className="mono">{a.jurisdiction.bbox.map((v) => v.toFixed(3)).join(', ')}</div>
                  </td>
                  <td>
                    {confirming === a.id ? (
                      <div className="row">
                        <button className="danger" onClick={() => void remove(a.id)}>Remove {a.name}</button>
                        <button onClick={() => setConfirming(null)}>Keep</button>
                      </div>
                    ) : (
                      <button className="danger" onClick={() => setConfirming(a.id)}>Remove…</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <AddAgency client={client} onAdded={() => void load()} />
      <UnroutedQueue client={client} agencies={agencies} />
    </div>
  );
}

function AddAgency({ client, onAdded }: { client: EarwitnessClient; onAdded: (a: MethodOutput<'addAgency'>) => void }) {
  const [name, setName] = useState('');
  const [geojson, setGeojson] = useState<{ file: string; text: string } | null>(null);
  const [endpoints, setEndpoints] = useState<EndpointDraft[]>([emptyEndpoint()]);
  const [classes, setClasses] = useState<DecisionClass[]>(DEFAULT_CLASSES);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const pickFile = async (file: File | undefined) => {
    setGeojson(null);
    if (!file) return;
    // Refuse before reading, as the core would after: a 500 MB file never enters the page.
    if (file.size > GEOJSON_MAX_BYTES) return setMessage({ error: true, text: `${file.name} has ${file.size} bytes; a jurisdiction file may hold at most ${GEOJSON_MAX_BYTES}.` });
    const text = await file.text();
    setGeojson({ file: file.name, text });
    setMessage(null);
    if (!name) {
      try {
        const doc = JSON.parse(text) as { properties?: { name?: unknown }; features?: { properties?: { name?: unknown } }[] };
        const n = doc.properties?.name ?? doc.features?.[0]?.properties?.name;
        if (typeof n === 'string') setName(n.trim().slice(0, 200));
      } catch {
        /* the core says precisely what is wrong with it */
      }
    }
  };

  const setEndpoint = (i: number, patch: Partial<EndpointDraft>) => setEndpoints((list) => list.map((e, j) => (j === i ? { ...e, ...patch } : e)));

  const submit = async () => {
    if (!geojson) return setMessage({ error: true, text: 'Choose the jurisdiction GeoJSON file first.' });
    setBusy(true);
    const r = await client.call('addAgency', { name, geojson: geojson.text, endpoints, classes });
    setBusy(false);
    if (!r.ok) return setMessage({ error: true, text: r.error.message });
    setMessage({ error: false, text: `${r.value.name} added: ${r.value.jurisdiction.polygons} polygon(s), ${r.value.jurisdiction.vertices} vertices.` });
    setName('');
    setGeojson(null);
    setEndpoints([emptyEndpoint()]);
    setClasses(DEFAULT_CLASSES);
    onAdded(r.value);
  };

  return (
    <section data-testid="add-agency">
      <h3>Add an agency</h3>
      <div className="row">
        <label>Name <input type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} placeholder="City Police Department" /></label>
        <label>
          Jurisdiction (GeoJSON) <input type="file" accept=".geojson,.json,application/geo+json,application/json" onChange={(e) => void pickFile(e.target.files?.[0])} />
        </label>
        {geojson && <span className="dim">{geojson.file}, {geojson.text.length} characters</span>}
      </div>
      {endpoints.map((e, i) => (
        <div className="row" key={i}>
          <label>URL <input type="url" size={42} value={e.url} onChange={(ev) => setEndpoint(i, { url: ev.target.value })} /></label>
          <label>
            Format
            <select value={e.format} onChange={(ev) => setEndpoint(i, { format: ev.target.value as EndpointDraft['format'] })}>
              <option value="cap">CAP 1.2 XML</option>
              <option value="json">JSON</option>
            </select>
          </label>
          <label>Signing secret <input type="password" autoComplete="off" value={e.secret} onChange={(ev) => setEndpoint(i, { secret: ev.target.value })} placeholder="16+ characters" /></label>
          {endpoints.length > 1 && <button onClick={() => setEndpoints((list) => list.filter((_, j) => j !== i))}>Remove endpoint</button>}
        </div>
      ))}
      <div className="row">
        <button onClick={() => setEndpoints((list) => [...list, emptyEndpoint()])} disabled={endpoints.length >= 10}>Add endpoint</button>
      </div>
      <div className="row">
        <span className="dim">Receives:</span>
        {DECISION_CLASSES.map((c) => (
          <label key={c}>
            <input type="checkbox" checked={classes.includes(c)} onChange={(e) => setClasses((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))} />
            {CLASS_LABELS[c]}
          </label>
        ))}
      </div>
      {message && <p className={message.error ? 'error' : 'note'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
      <div className="row">
        <button className="primary" disabled={busy || !geojson || !name.trim() || classes.length === 0} onClick={() => void submit()}>Add agency</button>
      </div>
    </section>
  );
}
