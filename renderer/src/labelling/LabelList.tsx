import { useEffect, useRef } from 'react';
import type { Label, LabelClass } from '../../../src/contract/index.ts';

interface Props {
  labels: readonly Label[] | null;
  classes: ReadonlyMap<number, LabelClass>;
  sampleRate: number;
  channels: number;
  chosenId: number | null;
  onChoose(l: Label): void;
}

/** Every label of the clip in time order: the chosen one highlighted and kept in sight (↑ ↓ walk it). */
export function LabelList({ labels, classes, sampleRate, channels, chosenId, onChoose }: Props) {
  const body = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    body.current?.querySelector('.is-chosen')?.scrollIntoView({ block: 'nearest' });
  }, [chosenId]);
  if (labels === null) return <div className="label-list muted">Reading the labels…</div>;
  if (labels.length === 0)
    return (
      <div className="label-list muted" data-testid="label-list">
        No labels on this clip yet.
      </div>
    );
  const s = (n: number) => (n / sampleRate).toFixed(6);
  return (
    <div className="label-list" data-testid="label-list">
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>class</th>
            <th>start s</th>
            <th>end s</th>
            <th>length</th>
            <th>band Hz</th>
            {channels > 1 && <th>ch</th>}
            <th>by</th>
          </tr>
        </thead>
        <tbody ref={body}>
          {labels.map((l, i) => (
            <tr key={l.id} className={l.id === chosenId ? 'is-chosen' : undefined} onClick={() => onChoose(l)} data-testid="label-row" data-label-id={l.id}>
              <td className="muted">{i + 1}</td>
              <td>
                <span className="swatch" style={{ background: classes.get(l.classId)?.colour }} /> {l.label}
              </td>
              <td>{s(l.startSample)}</td>
              <td>{s(l.endSample)}</td>
              <td>{(((l.endSample - l.startSample) / sampleRate) * 1000).toFixed(1)} ms</td>
              <td>{l.lowHz === null ? '—' : `${l.lowHz}–${l.highHz}`}</td>
              {channels > 1 && <td>{l.channel + 1}</td>}
              <td className="muted">{l.annotator}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
