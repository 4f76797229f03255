import { useEffect, useState } from 'react';
import type { ProgrammeArea } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { draftProblems, draftToGeoJson, emptyDraft, type DrawDraft, type VertexRef } from '../publish/draw-geometry.ts';
import { DrawTools } from '../publish/DrawTools.tsx';
import { JurisdictionMap, type Jurisdictions } from '../publish/JurisdictionMap.tsx';
import { JURIS_CSS } from '../publish/juris-styles.ts';

/**
 * Which area the figures cover: the whole network, an agency's jurisdiction, or a polygon drawn
 * on the jurisdiction map with the agencies desk's own drawing tools (the same rules apply).
 */
export function AreaPicker({ area, onArea }: { area: ProgrammeArea; onArea: (a: ProgrammeArea) => void }) {
  const client = useClient();
  const [jurisdictions, setJurisdictions] = useState<Jurisdictions | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [draft, setDraft] = useState<DrawDraft>(emptyDraft);
  const [selected, setSelected] = useState<VertexRef | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [name, setName] = useState('Drawn area');
  useEffect(() => {
    void client.call('listJurisdictions', {}).then((r) => r.ok && setJurisdictions(r.value));
  }, [client]);

  const value = drawing ? 'draw' : area.kind === 'agency' ? `agency:${area.agencyId}` : area.kind === 'polygon' ? 'polygon' : 'network';
  const choose = (v: string) => {
    setRefusal(null);
    if (v === 'draw') return setDrawing(true);
    setDrawing(false);
    if (v === 'network') onArea({ kind: 'network' });
    else if (v.startsWith('agency:')) onArea({ kind: 'agency', agencyId: Number(v.slice(7)) });
  };
  const problems = draftProblems(draft);
  const use = () => {
    onArea({ kind: 'polygon', geojson: draftToGeoJson(draft), name: name.trim() || 'Drawn area' });
    setDrawing(false);
  };

  return (
    <div className="programme-area" data-testid="programme-area">
      <label>
        Area{' '}
        <select value={value} onChange={(e) => choose(e.target.value)} data-testid="programme-area-select">
          <option value="network">The whole network</option>
          {jurisdictions?.agencies.map((a) => (
            <option key={a.id} value={`agency:${a.id}`}>
              Jurisdiction of {a.name}
            </option>
          ))}
          {area.kind === 'polygon' && <option value="polygon">{area.name}</option>}
          <option value="draw">Draw an area on the map…</option>
        </select>
      </label>
      {drawing && (
        <div className="programme-draw">
          <style>{JURIS_CSS}</style>
          <JurisdictionMap
            client={client}
            data={jurisdictions}
            editingId={null}
            drawing={{ draft, selected, onChange: (d) => (setRefusal(null), setDraft(d)), onSelect: setSelected, onRefused: setRefusal }}
          />
          <DrawTools draft={draft} selected={selected} refusal={refusal} onChange={setDraft} onSelect={setSelected} onRefused={setRefusal} />
          <label>
            Name <input value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
          </label>{' '}
          <button type="button" className="btn btn-small" disabled={problems.length > 0} onClick={use} data-testid="programme-use-drawn">
            Use this area
          </button>
        </div>
      )}
    </div>
  );
}
