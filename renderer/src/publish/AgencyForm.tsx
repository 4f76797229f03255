import { useState } from 'react';
import {
  CLASS_LABELS,
  DECISION_CLASSES,
  GEOJSON_MAX_BYTES,
  type Agency,
  type CapStatus,
  type DecisionClass,
  type EarwitnessClient,
} from '../../../src/contract/index.ts';
import { draftProblems, draftToGeoJson, type DrawDraft } from './draw-geometry.ts';
import { emptyEndpoint, endpointChange, endpointInput, EndpointFields, type EndpointDraft } from './EndpointFields.tsx';

export type JurisdictionSource = 'keep' | 'file' | 'draw';

const DEFAULT_CLASSES: DecisionClass[] = ['gunfire_single', 'gunfire_multiple'];
const STATUSES: readonly CapStatus[] = ['Actual', 'Exercise', 'Test'];

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
    editing
      ? editing.endpoints.map((e) => ({
          id: e.id,
          shown: e.url,
          current: { mutualTls: e.mutualTls, privateCa: e.privateCa, proxy: e.proxy },
          url: '',
          format: e.format,
          secret: '',
          tls: {},
        }))
      : [emptyEndpoint()],
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
          endpoints: endpoints.map((e) => endpointChange(e, editing.endpoints.find((x) => x.id === e.id)?.format)),
          ...(geojson !== undefined ? { geojson } : {}),
        })
      : await client.call('addAgency', { name, geojson: geojson ?? '', endpoints: endpoints.map(endpointInput), classes, accepts });
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
        <EndpointFields
          key={e.id ?? `new-${i}`}
          endpoint={e}
          removable={endpoints.length > 1}
          onChange={(patch) => setEndpoint(i, patch)}
          onRemove={() => setEndpoints((list) => list.filter((_, j) => j !== i))}
          onError={(text) => setMessage({ error: true, text })}
        />
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
