import { useState } from 'react';
import {
  CLASS_LABELS,
  DECISION_CLASSES,
  GEOJSON_MAX_BYTES,
  type Agency,
  type CapStatus,
  type DecisionClass,
  type EarwitnessClient,
  type PublishFormat,
} from '../../../src/contract/index.ts';
import { draftProblems, draftToGeoJson, type DrawDraft } from './draw-geometry.ts';

interface EndpointDraft {
  /** Set for an endpoint in use: url empty keeps it, secret empty keeps its secret. */
  id?: number;
  shown?: string;
  url: string;
  format: PublishFormat;
  secret: string;
}

export type JurisdictionSource = 'keep' | 'file' | 'draw';

const DEFAULT_CLASSES: DecisionClass[] = ['gunfire_single', 'gunfire_multiple'];
const STATUSES: readonly CapStatus[] = ['Actual', 'Exercise', 'Test'];
const emptyEndpoint = (): EndpointDraft => ({ url: 'https://', format: 'cap', secret: '' });

export interface AgencyFormProps {
  client: EarwitnessClient;
  /** The agency being edited, or null to add one. */
  editing: Agency | null;
  source: JurisdictionSource;
  /** Switches between file, drawing and (when editing) keeping the jurisdiction; the desk owns the drawing. */
  onSource: (s: JurisdictionSource) => void;
  draft: DrawDraft | null;
  onSaved: (a: Agency, note: string) => void;
  onCancel: () => void;
}

/** Adding an agency, or changing one: name, jurisdiction (a GeoJSON file or drawn on the map), endpoints, classes. */
export function AgencyForm({ client, editing, source, onSource, draft, onSaved, onCancel }: AgencyFormProps) {
  const [name, setName] = useState(editing?.name ?? '');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [endpoints, setEndpoints] = useState<EndpointDraft[]>(
    editing ? editing.endpoints.map((e) => ({ id: e.id, shown: e.url, url: '', format: e.format, secret: '' })) : [emptyEndpoint()],
  );
  const [classes, setClasses] = useState<DecisionClass[]>(editing?.classes ?? DEFAULT_CLASSES);
  // A new agency takes only Actual: a dispatch system that shows every message as real must never get a drill.
  const [accepts, setAccepts] = useState<CapStatus[]>(editing?.accepts ?? ['Actual']);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const pickFile = async (f: File | undefined) => {
    setFile(null);
    if (!f) return;
    // Refuse before reading, as the core would after: a 500 MB file never enters the page.
    if (f.size > GEOJSON_MAX_BYTES)
      return setMessage({ error: true, text: `${f.name} has ${f.size} bytes; a jurisdiction file may hold at most ${GEOJSON_MAX_BYTES}.` });
    const text = await f.text();
    setFile({ name: f.name, text });
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

  const drawProblems = source === 'draw' && draft ? draftProblems(draft) : [];
  const geojson = source === 'file' ? file?.text : source === 'draw' && draft && drawProblems.length === 0 ? draftToGeoJson(draft) : undefined;
  const ready = !busy && name.trim() !== '' && classes.length > 0 && accepts.length > 0 && (source === 'keep' || geojson !== undefined);

  const submit = async () => {
    setBusy(true);
    const r = editing
      ? await client.call('updateAgency', {
          id: editing.id,
          name,
          classes,
          accepts,
          endpoints: endpoints.map((e) =>
            e.id !== undefined
              ? {
                  id: e.id,
                  ...(e.url.trim()
                    ? { url: e.url.trim(), format: e.format }
                    : e.format !== editing.endpoints.find((x) => x.id === e.id)?.format
                      ? { format: e.format }
                      : {}),
                  ...(e.secret ? { secret: e.secret } : {}),
                }
              : { url: e.url, format: e.format, secret: e.secret },
          ),
          ...(geojson !== undefined ? { geojson } : {}),
        })
      : await client.call('addAgency', { name, geojson: geojson ?? '', endpoints, classes, accepts });
    setBusy(false);
    if (!r.ok) return setMessage({ error: true, text: r.error.message });
    const agency = 'agency' in r.value ? r.value.agency : r.value;
    const note =
      'changed' in r.value
        ? r.value.changed.length === 0
          ? `${agency.name}: nothing changed.`
          : `${agency.name} saved (${r.value.changed.join(', ')}).${r.value.movedDeliveries ? ` ${r.value.movedDeliveries} queued deliveries moved to the new URL.` : ''}${r.value.cancelledDeliveries ? ` ${r.value.cancelledDeliveries} queued deliveries to removed endpoints cancelled.` : ''}`
        : `${agency.name} added: ${agency.jurisdiction.polygons} polygon(s), ${agency.jurisdiction.vertices} vertices.`;
    onSaved(agency, note);
  };

  return (
    <section data-testid={editing ? 'edit-agency' : 'add-agency'}>
      <h3>{editing ? `Edit ${editing.name}` : 'Add an agency'}</h3>
      <div className="row">
        <label>
          Name <input type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} placeholder="City Police Department" />
        </label>
      </div>
      <div className="row" role="radiogroup" aria-label="Jurisdiction">
        <span className="dim">Jurisdiction:</span>
        {editing && (
          <label>
            <input type="radio" name="juris-source" checked={source === 'keep'} onChange={() => onSource('keep')} />
            keep as it is
          </label>
        )}
        <label>
          <input type="radio" name="juris-source" checked={source === 'file'} onChange={() => onSource('file')} />
          GeoJSON file
        </label>
        <label>
          <input type="radio" name="juris-source" checked={source === 'draw'} onChange={() => onSource('draw')} />
          draw on the map
        </label>
        {source === 'file' && (
          <label>
            File{' '}
            <input
              type="file"
              aria-label="Jurisdiction (GeoJSON)"
              accept=".geojson,.json,application/geo+json,application/json"
              onChange={(e) => void pickFile(e.target.files?.[0])}
            />
          </label>
        )}
        {source === 'file' && file && (
          <span className="dim">
            {file.name}, {file.text.length} characters
          </span>
        )}
      </div>
      {editing && source !== 'keep' && (
        <p className="note" data-testid="routing-note">
          Incidents already sent keep the agencies they went to; only incidents published after saving follow the new jurisdiction.
        </p>
      )}
      {endpoints.map((e, i) => (
        <div className="row" key={e.id ?? `new-${i}`}>
          {e.id !== undefined ? (
            <>
              <span className="mono" title="in use">
                {e.shown}
              </span>
              <label>
                New URL <input type="url" size={30} value={e.url} placeholder="(keep)" onChange={(ev) => setEndpoint(i, { url: ev.target.value })} />
              </label>
            </>
          ) : (
            <label>
              URL <input type="url" size={42} value={e.url} onChange={(ev) => setEndpoint(i, { url: ev.target.value })} />
            </label>
          )}
          <label>
            Format
            <select value={e.format} onChange={(ev) => setEndpoint(i, { format: ev.target.value as EndpointDraft['format'] })}>
              <option value="cap">CAP 1.2 XML</option>
              <option value="json">JSON</option>
            </select>
          </label>
          <label>
            {e.id !== undefined ? 'New secret' : 'Signing secret'}
            <input
              type="password"
              autoComplete="off"
              value={e.secret}
              onChange={(ev) => setEndpoint(i, { secret: ev.target.value })}
              placeholder={e.id !== undefined ? '(keep)' : '16+ characters'}
            />
          </label>
          {endpoints.length > 1 && <button onClick={() => setEndpoints((list) => list.filter((_, j) => j !== i))}>Remove endpoint</button>}
        </div>
      ))}
      {editing && (
        <p className="note">A removed endpoint's queued deliveries are cancelled; a new URL takes over the queued deliveries of the one it replaces.</p>
      )}
      <div className="row">
        <button onClick={() => setEndpoints((list) => [...list, emptyEndpoint()])} disabled={endpoints.length >= 10}>
          Add endpoint
        </button>
      </div>
      <div className="row">
        <span className="dim">Receives:</span>
        {DECISION_CLASSES.map((c) => (
          <label key={c}>
            <input
              type="checkbox"
              checked={classes.includes(c)}
              onChange={(e) => setClasses((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))}
            />
            {CLASS_LABELS[c]}
          </label>
        ))}
      </div>
      <div className="row" data-testid="agency-accepts">
        <span className="dim" title="the CAP status of a message follows its alert's source: live sources publish Actual">
          Takes messages marked:
        </span>
        {STATUSES.map((st) => (
          <label key={st}>
            <input
              type="checkbox"
              checked={accepts.includes(st)}
              onChange={(e) => setAccepts((list) => (e.target.checked ? [...list, st] : list.filter((x) => x !== st)))}
            />
            {st}
          </label>
        ))}
        {!accepts.includes('Actual') && <span className="note">this agency gets no live alerts</span>}
      </div>
      {message && (
        <p className={message.error ? 'error' : 'note'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div className="row">
        <button className="primary" disabled={!ready} onClick={() => void submit()}>
          {editing ? 'Save changes' : 'Add agency'}
        </button>
        {editing && <button onClick={onCancel}>Cancel</button>}
      </div>
    </section>
  );
}
