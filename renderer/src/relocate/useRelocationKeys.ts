import type { DeckLayout } from '../incident/deck.ts';
import { useKeys } from '../keys/useKeys.ts';
import { nudgePick, pickOf, placePick, toggleSensor } from './draft.ts';
import type { Relocation } from './useRelocation.ts';

interface Options {
  relocation: Relocation;
  layout: DeckLayout;
  selected: string | null;
  select(sensorId: string): void;
  /** The playhead, deck seconds. */
  positionS(): number;
  say(message: string): void;
  save(): void;
}

/**
 * The keys of the re-location: choose the shot, move the selected pick by one sample or one
 * millisecond, pick at the playhead, drop or take back a sensor, save, discard. The selected pick
 * is the current shot's on the selected track; with no track selected, the first track that has
 * a pick for the shot is selected and the key acts on it.
 */
export function useRelocationKeys({ relocation, layout, selected, select, positionS, say, save }: Options): void {
  const { draft, shotIndex: shot, editable } = relocation;
  const rows = layout.rows;
  const rowOf = (id: string | null) => rows.find((r) => r.track.sensorId === id);

  const target = () => {
    if (shot === null) return null;
    const row = rowOf(selected) ?? rows.find((r) => pickOf(draft, shot, r.track.sensorId) !== undefined);
    if (row && row.track.sensorId !== selected) select(row.track.sensorId);
    return row ?? null;
  };
  const stepShot = (d: 1 | -1) => {
    const order = draft.shots.map((s) => s.index);
    if (order.length === 0) return;
    const i = shot === null ? -1 : order.indexOf(shot);
    const next = order[(i + d + order.length) % order.length]!;
    relocation.setShotIndex(next);
    say(`Shot ${next} of ${order.length}`);
  };
  const nudge = (by: 'sample' | 'ms', d: 1 | -1) => {
    const row = target();
    if (!row || shot === null) return;
    if (!pickOf(draft, shot, row.track.sensorId)) return say(`${row.track.sensorId} has no pick for shot ${shot}: press A to pick it at the playhead`);
    const stepS = by === 'sample' ? 1 / row.track.clip.sampleRate : 0.001;
    relocation.setDraft((x) => nudgePick(x, shot, row.track.sensorId, d * stepS, row.track.clip.durationS));
  };

  useKeys({
    nextShot: () => stepShot(1),
    prevShot: () => stepShot(-1),
    ...(editable && shot !== null
      ? {
          nudgeEarlier: () => nudge('sample', -1),
          nudgeLater: () => nudge('sample', 1),
          nudgeEarlierMs: () => nudge('ms', -1),
          nudgeLaterMs: () => nudge('ms', 1),
          pickAtPlayhead: () => {
            const row = rowOf(selected);
            if (!row) return say('Select a track first (↑ ↓), then press A to pick it at the playhead');
            // Deck seconds to this track's own clip time: undo the alignment's shift.
            const offsetS = (layout.axis.startUs + positionS() * 1e6 - row.shiftUs - row.track.clipStartUs) / 1e6;
            if (offsetS < 0 || offsetS > row.track.clip.durationS) return say(`The playhead is outside ${row.track.sensorId}\u2019s clip`);
            relocation.setDraft((x) => placePick(x, shot, row.track.sensorId, offsetS, row.track.clip.durationS));
          },
          toggleSensor: () => {
            const row = target();
            if (!row) return;
            const p = pickOf(draft, shot, row.track.sensorId);
            if (!p) return say(`${row.track.sensorId} has no pick for shot ${shot}: press A to pick it at the playhead`);
            relocation.setDraft((x) => toggleSensor(x, shot, row.track.sensorId));
            say(`${row.track.sensorId} ${p.used ? 'dropped from' : 'taken back into'} shot ${shot}`);
          },
          saveRelocation: save,
          discardRelocation: () => relocation.dirty && relocation.discard(),
        }
      : {}),
  });
}
