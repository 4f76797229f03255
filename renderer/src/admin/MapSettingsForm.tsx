import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BaseLayerChoice, ContractError, FileSource, MapSettings } from '../../../src/contract/index.ts';
import { uploadFilesOf } from '../audit/save.ts';
import { useClient } from '../client/context.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';

type Kind = 'plain' | 'url' | 'mbtiles';

/**
 * The maps' base layer, for administrators: plain, a tile server of the centre, or an offline
 * MBTiles file, uploaded from a browser (the core keeps it in the data folder) or chosen in the
 * desktop app's dialog (the path stays in the app). Never a path typed here.
 */
export function MapSettingsForm() {
  const client = useClient();
  const desktop = client.transport === 'electron';
  const [current, setCurrent] = useState<MapSettings | null>(null);
  const [kind, setKind] = useState<Kind>('plain');
  const [template, setTemplate] = useState('');
  const [attribution, setAttribution] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // Set once the administrator changed the form or applied a layer: the first load's answer, if it comes later, must not undo either.
  const edited = useRef(false);

  useEffect(() => {
    let live = true;
    void client.call('getMapSettings', {}).then((r) => {
      if (!live || !r.ok) return;
      if (edited.current) return setCurrent((c) => c ?? r.value);
      setCurrent(r.value);
      setKind(r.value.baseLayer.kind);
      if (r.value.baseLayer.kind === 'url') {
        setTemplate(r.value.baseLayer.template);
        setAttribution(r.value.baseLayer.attribution);
      }
    });
    return () => {
      live = false;
    };
  }, [client]);

  const apply = async (baseLayer: BaseLayerChoice) => {
    const r = await client.call('setBaseLayer', { baseLayer });
    if (!r.ok) return setError(r.error);
    edited.current = true;
    setError(null);
    setCurrent(r.value);
    setFile(null);
    if (input.current) input.current.value = '';
  };
  const mbtiles = async (): Promise<FileSource | null> => {
    if (desktop) {
      const r = await client.call('choosePath', { mode: 'open', purpose: 'mbtiles' });
      if (!r.ok) {
        setError(r.error);
        return null;
      }
      return r.value.grantId === null ? null : { kind: 'grant', grantId: r.value.grantId };
    }
    if (!file) return null;
    const r = await client.upload(uploadFilesOf([file]));
    if (!r.ok) {
      setError(r.error);
      return null;
    }
    return { kind: 'upload', uploadId: r.value.uploadId };
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      if (kind === 'plain') await apply({ kind: 'plain' });
      else if (kind === 'url') await apply({ kind: 'url', template: template.trim(), subdomains: [], attribution: attribution.trim(), maxZoom: 19 });
      else {
        const source = await mbtiles();
        if (source) await apply({ kind: 'mbtiles', file: source });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Map">
      <h3>Map</h3>
      <p className="muted" data-testid="map-source">
        {current
          ? `Now: ${current.source.name}${current.source.available ? '' : ` (unavailable: ${current.source.problem ?? 'unreadable'})`}`
          : 'Reading the map settings…'}
      </p>
      <form className="form-row" onSubmit={(e) => void submit(e)}>
        <label>
          Base layer
          <select
            value={kind}
            onChange={(e) => {
              edited.current = true;
              setKind(e.target.value as Kind);
            }}
            data-testid="map-kind"
          >
            <option value="plain">Plain background</option>
            <option value="url">A tile server of the centre</option>
            <option value="mbtiles">An offline map (MBTiles file)</option>
          </select>
        </label>
        {kind === 'url' && (
          <>
            <label className="grow">
              Tile URL ({'{z}'}, {'{x}'}, {'{y}'})
              <input
                value={template}
                onChange={(e) => {
                  edited.current = true;
                  setTemplate(e.target.value);
                }}
                placeholder="https://tiles.example.org/{z}/{x}/{y}.png"
                spellCheck={false}
                required
              />
            </label>
            <label>
              Attribution
              <input
                value={attribution}
                onChange={(e) => {
                  edited.current = true;
                  setAttribution(e.target.value);
                }}
              />
            </label>
          </>
        )}
        {kind === 'mbtiles' && !desktop && (
          <label>
            MBTiles file
            <input ref={input} type="file" accept=".mbtiles" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="map-file" />
          </label>
        )}
        <button type="submit" className="btn" disabled={busy || (kind === 'mbtiles' && !desktop && !file)} data-testid="map-apply">
          {busy ? 'Checking…' : kind === 'mbtiles' && desktop ? 'Choose the file…' : 'Use it'}
        </button>
      </form>
      <ErrorNote error={error} context="The map was not changed" />
    </section>
  );
}
