import { useCallback, useEffect, useState } from 'react';
import { CLASS_LABELS, type Agency, type EarwitnessClient } from '../../../src/contract/index.ts';
import { AgencyForm, type JurisdictionSource } from './AgencyForm.tsx';
import { draftFromMultiPolygon, emptyDraft, type DrawDraft, type VertexRef } from './draw-geometry.ts';
import { DrawTools } from './DrawTools.tsx';
import { dateTime } from './format.ts';
import { JurisdictionMap, type Jurisdictions } from './JurisdictionMap.tsx';
import { JURIS_CSS } from './juris-styles.ts';
import { PUBLISH_CSS } from './styles.ts';
import { UnroutedQueue } from './UnroutedQueue.tsx';

export interface AgenciesAdminProps {
  client: EarwitnessClient;
}

/**
 * The admin's publishing desk: a map of every jurisdiction and the network's sensors (gaps and
 * overlaps at a glance), the agencies with their endpoints, adding or editing one (its
 * jurisdiction from a GeoJSON file or drawn on the map), removing one, and the queue of
 * incidents no jurisdiction holds.
 */
export function AgenciesAdmin({ client }: AgenciesAdminProps) {
  const [agencies, setAgencies] = useState<Agency[]>([]);
  const [jurisdictions, setJurisdictions] = useState<Jurisdictions | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [editing, setEditing] = useState<Agency | null>(null);
  const [source, setSource] = useState<JurisdictionSource>('file');
  const [draft, setDraft] = useState<DrawDraft | null>(null);
  const [selected, setSelected] = useState<VertexRef | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  // A new form per agency edited (and after each save), so its fields start from what is stored.
  const [formKey, setFormKey] = useState(0);

  const load = useCallback(async () => {
    const [r, j] = await Promise.all([client.call('listAgencies', {}), client.call('listJurisdictions', {})]);
    if (r.ok) setAgencies(r.value.agencies);
    else setError(r.error.message);
    if (j.ok) setJurisdictions(j.value);
    else setError(j.error.message);
  }, [client]);

  const chooseSource = (s: JurisdictionSource) => {
    setRefusal(null);
    setSelected(null);
    if (s !== 'draw') {
      setDraft(null);
      return setSource(s);
    }
    const stored = editing ? jurisdictions?.agencies.find((a) => a.id === editing.id)?.coordinates : undefined;
    const start = stored ? draftFromMultiPolygon(stored) : { ok: true as const, value: emptyDraft() };
    if (!start.ok) return setRefusal(start.error);
    setDraft(start.value);
    setSource('draw');
  };
  const startForm = (agency: Agency | null) => {
    setEditing(agency);
    setSource(agency ? 'keep' : 'file');
    setDraft(null);
    setSelected(null);
    setRefusal(null);
    setFormKey((k) => k + 1);
  };

  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (id: number) => {
    setConfirming(null);
    const r = await client.call('removeAgency', { id });
    if (!r.ok) return setError(r.error.message);
    setError(r.value.cancelledDeliveries ? `${r.value.agency.name} removed; ${r.value.cancelledDeliveries} queued deliveries cancelled.` : null);
    if (editing?.id === id) startForm(null);
    void load();
  };
  const drawing =
    source === 'draw' && draft
      ? { draft, selected, onChange: (d: DrawDraft) => (setRefusal(null), setDraft(d)), onSelect: setSelected, onRefused: setRefusal }
      : null;

  return (
    <div className="ew-publish" data-testid="agencies-admin">
      <style>
        {PUBLISH_CSS}
        {JURIS_CSS}
      </style>
      <section>
        <h2>Agencies</h2>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {note && (
          <p className="note" role="status">
            {note}
          </p>
        )}
        <JurisdictionMap client={client} data={jurisdictions} editingId={editing?.id ?? null} drawing={drawing} />
        {drawing && <DrawTools {...drawing} refusal={refusal} />}
        {!drawing && refusal && (
          <p className="error" role="alert">
            {refusal}
          </p>
        )}
        {agencies.length === 0 ? (
          <p className="dim">No agency yet: confirmed incidents wait in the queue below until one is added.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Receives</th>
                <th>Endpoints</th>
                <th>Jurisdiction</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {agencies.map((a) => (
                <tr key={a.id} data-testid={`agency-${a.id}`} className={editing?.id === a.id ? 'editing' : undefined}>
                  <td>
                    {a.name}
                    <div className="dim">
                      added {dateTime(a.createdUs)} by {a.createdBy}
                    </div>
                    {a.updatedUs !== null && (
                      <div className="dim">
                        changed {dateTime(a.updatedUs)} by {a.updatedBy}
                      </div>
                    )}
                  </td>
                  <td>{a.classes.map((c) => CLASS_LABELS[c]).join(', ')}</td>
                  <td>
                    {a.endpoints.map((e) => (
                      <div key={e.id} className="mono">
                        {e.format.toUpperCase()} {e.url}
                        {(e.mutualTls || e.privateCa || e.proxy) && (
                          <div className="dim" data-testid="endpoint-tls">
                            {[e.mutualTls && 'client certificate', e.privateCa && 'private CA', e.proxy && `via ${e.proxy}`].filter(Boolean).join(', ')}
                          </div>
                        )}
                      </div>
                    ))}
                  </td>
                  <td className="dim">
                    {a.jurisdiction.polygons} polygon{a.jurisdiction.polygons === 1 ? '' : 's'}
                    {a.jurisdiction.holes ? `, ${a.jurisdiction.holes} hole${a.jurisdiction.holes === 1 ? '' : 's'}` : ''}, {a.jurisdiction.vertices} vertices
                    <div className="mono">{a.jurisdiction.bbox.map((v) => v.toFixed(3)).join(', ')}</div>
                  </td>
                  <td>
                    {confirming === a.id ? (
                      <div className="row">
                        <button className="danger" onClick={() => void remove(a.id)}>
                          Remove {a.name}
                        </button>
                        <button onClick={() => setConfirming(null)}>Keep</button>
                      </div>
                    ) : (
                      <div className="row">
                        <button onClick={() => startForm(a)} disabled={editing?.id === a.id}>
                          Edit…
                        </button>
                        <button className="danger" onClick={() => setConfirming(a.id)}>
                          Remove…
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <AgencyForm
        key={formKey}
        client={client}
        editing={editing}
        source={source}
        onSource={chooseSource}
        draft={draft}
        onSaved={(_a, text) => {
          setNote(text);
          startForm(null);
          void load();
        }}
        onCancel={() => startForm(null)}
      />
      <UnroutedQueue client={client} agencies={agencies} />
    </div>
  );
}
