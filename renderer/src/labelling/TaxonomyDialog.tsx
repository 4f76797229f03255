import { useState, type FormEvent } from 'react';
import type { ContractError, Project } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { ALL_HOTKEYS, hotkeyText } from './keymap.ts';
import { taxonomyProblems, type ClassRow } from './names.ts';

/** Colours new classes take in turn: distinct on the dark and the light theme. */
const PALETTE = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c', '#fabebe', '#008080', '#e6beff'];

/**
 * The project's classes: name, colour and key, in the order the bar shows them. Saved in one step;
 * renaming a class relabels its labels, and a class still in use cannot be removed (the core says so).
 */
export function TaxonomyDialog({ project, onClose }: { project: Project; onClose(): void }) {
  const { client } = useSeat();
  const [rows, setRows] = useState<ClassRow[]>(() => project.classes.map((c) => ({ id: c.id, name: c.name, colour: c.colour, hotkey: c.hotkey })));
  const [error, setError] = useState<ContractError | null>(null);
  const [saving, setSaving] = useState(false);
  const problems = taxonomyProblems(rows);
  const change = (i: number, c: Partial<ClassRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...c } : r)));
  const move = (i: number, d: -1 | 1) =>
    setRows((rs) => {
      const j = i + d;
      if (j < 0 || j >= rs.length) return rs;
      const next = [...rs];
      [next[i], next[j]] = [next[j]!, next[i]!];
      return next;
    });
  const add = () => {
    const used = new Set(rows.map((r) => r.hotkey));
    setRows((rs) => [...rs, { name: '', colour: PALETTE[rs.length % PALETTE.length]!, hotkey: ALL_HOTKEYS.find((k) => !used.has(k)) ?? null }]);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (problems.length) return;
    setSaving(true);
    const r = await client.call('updateTaxonomy', {
      projectId: project.id,
      classes: rows.map((x) => ({ ...(x.id !== undefined ? { id: x.id } : {}), name: x.name.trim(), colour: x.colour, hotkey: x.hotkey })),
    });
    setSaving(false);
    if (!r.ok) return setError(r.error);
    onClose();
  };
  return (
    <Dialog title={`Classes of ${project.name}`} onClose={onClose} testId="taxonomy-dialog">
      <form onSubmit={(e) => void save(e)}>
        <table className="people-table taxonomy-table">
          <thead>
            <tr>
              <th>key</th>
              <th>name</th>
              <th>colour</th>
              <th>order</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.id ?? `new-${i}`} data-testid="taxonomy-row">
                <td>
                  <select
                    value={r.hotkey ?? ''}
                    onChange={(e) => change(i, { hotkey: e.target.value === '' ? null : Number(e.target.value) })}
                    aria-label={`Key of ${r.name || 'the new class'}`}
                  >
                    <option value="">—</option>
                    {ALL_HOTKEYS.map((k) => (
                      <option key={k} value={k}>
                        {hotkeyText(k)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input value={r.name} onChange={(e) => change(i, { name: e.target.value })} maxLength={64} aria-label={`Name of class ${i + 1}`} required />
                </td>
                <td>
                  <input
                    type="color"
                    value={r.colour}
                    onChange={(e) => change(i, { colour: e.target.value })}
                    aria-label={`Colour of ${r.name || 'the new class'}`}
                  />
                </td>
                <td>
                  <button type="button" className="tool" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move ${r.name} up`}>
                    ↑
                  </button>
                  <button type="button" className="tool" onClick={() => move(i, 1)} disabled={i === rows.length - 1} aria-label={`Move ${r.name} down`}>
                    ↓
                  </button>
                </td>
                <td>
                  <button
                    type="button"
                    className="tool"
                    onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                    aria-label={`Remove ${r.name || 'the new class'}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-row">
          <button type="button" className="btn" onClick={add}>
            Add a class
          </button>
          <span className="topbar-spacer" />
          <button type="submit" className="btn" disabled={saving || problems.length > 0} data-testid="taxonomy-save">
            Save classes
          </button>
        </div>
        {problems.map((p) => (
          <div key={p} className="error-note" role="alert">
            {p}
          </div>
        ))}
        <ErrorNote error={error} />
        <p className="muted">Renaming a class relabels its labels. A class that labels use cannot be removed: relabel them first.</p>
      </form>
    </Dialog>
  );
}
