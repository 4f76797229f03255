import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import type { AlertDetail } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { useKeys } from '../keys/useKeys.ts';
import { useElementWidth } from '../ui/useElementWidth.ts';
import { DeckToolbar } from './DeckToolbar.tsx';
import { followView, layoutDeck, panView, stepPulse, zoomView, type Alignment, type ViewWindow } from './deck.ts';
import { Playhead } from './Playhead.tsx';
import { MAX_GAIN_DB, MIN_GAIN_DB, stepRate } from './playback/mix.ts';
import { TimeRuler } from './TimeRuler.tsx';
import { trackRows } from './track-layout.ts';
import { useDeckPlayer } from './useDeckPlayer.ts';
import { useSeatPlayback } from './useSeatPlayback.ts';
import { WaveformTrack } from './WaveformTrack.tsx';
import { pickOf, placePick, toggleSensor } from '../relocate/draft.ts';
import { PickLayer } from '../relocate/PickLayer.tsx';
import { RelocationBar } from '../relocate/RelocationBar.tsx';
import { useRelocation, type Relocation } from '../relocate/useRelocation.ts';
import { useRelocationKeys } from '../relocate/useRelocationKeys.ts';

interface Props {
  alert: AlertDetail;
  /** Peaks by sensor, or null while they load. */
  peaks: ReadonlyMap<string, ArrayLike<number>> | null;
  /** The reviewer's picks of this alert: drawn on the tracks, moved by mouse and keys. Absent: picks shown, not editable (QA and audit views). */
  relocation?: Relocation;
}

const ignoreSaved = () => {};

/** How long a line the keys leave for the reviewer stays. */
const NOTICE_MS = 5000;
/**
 * Above this many sensors the rows go dense (incident.css): 40 px each, the mixer only on the
 * selected track, so ten sensors fit a 768-pixel screen without scrolling.
 */
const DENSE_ABOVE = 6;

const absolute = (url: string) => new URL(url, location.href).href;

/**
 * Every sensor's waveform on one timeline with one playhead: synchronised playback of all tracks
 * mixed (or one alone), solo, mute and gain per track, rate with pitch kept, a loop, zoom and
 * scroll shared by every track, alignment on absolute time or on first arrivals, spectrograms.
 */
export function TrackDeck({ alert, peaks, relocation: given }: Props) {
  const client = useClient();
  const readOnly = useRelocation(alert, false, ignoreSaved);
  const relocation = given ?? readOnly;
  const [alignment, setAlignment] = useState<Alignment>('absolute');
  const [spectrograms, setSpectrograms] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const shots = useMemo(() => alert.solutions.at(-1)?.shots ?? [], [alert]);
  const rows = useMemo(() => trackRows(alert), [alert]);
  const layout = useMemo(
    () =>
      layoutDeck(
        rows,
        alignment,
        shots.map((s) => s.timeUs),
      ),
    [rows, alignment, shots],
  );
  const [view, setView] = useState<ViewWindow>({ startS: 0, endS: layout.spanS });
  const { player, state, media } = useDeckPlayer(layout, (sha) => absolute(client.clipUrl(sha)));
  const [lanes, laneWidth] = useElementWidth<HTMLDivElement>();

  // A new alignment changes the timeline: show all of it.
  useEffect(() => setView({ startS: 0, endS: layout.spanS }), [layout.spanS]);
  useSeatPlayback(player, state.playing);
  // When zoomed, the view follows the playhead a page at a time.
  useEffect(() => player.onTick((s) => setView((v) => followView(v, layout.spanS, s))), [player, layout.spanS]);

  const viewAxis = useMemo(
    () => ({ startUs: layout.axis.startUs + Math.round(view.startS * 1e6), endUs: layout.axis.startUs + Math.round(view.endS * 1e6) }),
    [layout.axis.startUs, view],
  );
  const order = layout.rows.map((r) => r.track.sensorId);
  const selectBy = (d: 1 | -1) =>
    setSelected((s) => order[s === null ? (d > 0 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, order.indexOf(s) + d))] ?? null);
  const mixOf = (id: string) => state.tracks[id] ?? { gainDb: 0, muted: false, solo: false };
  const gain = (d: number) => selected && player.setTrack(selected, { gainDb: Math.min(MAX_GAIN_DB, Math.max(MIN_GAIN_DB, mixOf(selected).gainDb + d)) });
  const step = (d: 1 | -1) => {
    const s = stepPulse(layout.pulses, player.positionS, d, selected);
    if (s !== null) {
      player.seek(s);
      setView((v) => followView(v, layout.spanS, s));
    }
  };

  // The re-location: a line for what the keys did, the reason sent with a decided alert's correction.
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (notice === null) return;
    const t = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice]);
  const [notes, setNotes] = useState('');
  const notesField = useRef<HTMLInputElement>(null);
  const save = () => {
    if (!relocation.dirty || relocation.saving) return;
    if (alert.status === 'decided' && notes.trim() === '') {
      setNotice('Say why the location changes first: the agencies that have it get an Update');
      notesField.current?.focus();
      return;
    }
    void relocation.save(notes.trim()).then((s) => {
      if (!s) return;
      setNotes('');
      setNotice(`Saved as version ${s.version}`);
      // The reason is written and sent: the seat's keys (N, J, Space) belong to the seat again.
      if (document.activeElement === notesField.current) notesField.current?.blur();
    });
  };
  const shot = relocation.shotIndex;
  useRelocationKeys({ relocation, layout, selected, select: setSelected, positionS: () => player.positionS, say: setNotice, save });

  useKeys({
    playPause: () => player.toggle(),
    prevPulse: () => step(-1),
    nextPulse: () => step(1),
    toStart: () => player.seek(view.startS),
    prevTrack: () => selectBy(-1),
    nextTrack: () => selectBy(1),
    playTrack: () => selected && player.playOnly(selected),
    solo: () => selected && player.setTrack(selected, { solo: !mixOf(selected).solo }),
    mute: () => selected && player.setTrack(selected, { muted: !mixOf(selected).muted }),
    gainUp: () => gain(3),
    gainDown: () => gain(-3),
    slower: () => player.setRate(stepRate(state.rate, -1)),
    faster: () => player.setRate(stepRate(state.rate, 1)),
    loopIn: () => player.setLoop({ startS: player.positionS, endS: state.loop?.endS ?? layout.spanS }),
    loopOut: () => player.setLoop({ startS: state.loop?.startS ?? 0, endS: player.positionS }),
    loop: () => player.toggleLoop(),
    zoomIn: () => setView((v) => zoomView(v, layout.spanS, player.positionS, 2)),
    zoomOut: () => setView((v) => zoomView(v, layout.spanS, player.positionS, 0.5)),
    panLeft: () => setView((v) => panView(v, layout.spanS, -0.25)),
    panRight: () => setView((v) => panView(v, layout.spanS, 0.25)),
    align: () => setAlignment((a) => (a === 'absolute' ? 'arrival' : 'absolute')),
    spectrogram: () => setSpectrograms((s) => !s),
  });

  // Pointer: a click puts the playhead there, a drag selects a loop, Ctrl + wheel zooms, the wheel scrolls when zoomed.
  const drag = useRef<{ x: number; s: number } | null>(null);
  const timeAt = useCallback(
    (clientX: number) => {
      const r = lanes.current?.getBoundingClientRect();
      if (!r || r.width === 0) return null;
      const f = (clientX - r.left) / r.width;
      return f < 0 || f > 1 ? null : view.startS + f * (view.endS - view.startS);
    },
    [lanes, view],
  );
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const s = timeAt(e.clientX);
    if (s === null || e.button !== 0) return;
    drag.current = { x: e.clientX, s };
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    const s = timeAt(e.clientX);
    if (!d || s === null) return;
    if (Math.abs(e.clientX - d.x) < 4) player.seek(s);
    else player.setLoop({ startS: d.s, endS: s });
  };
  useEffect(() => {
    const el = lanes.current?.parentElement;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const s = timeAt(e.clientX);
      if (s === null) return;
      if (e.ctrlKey) {
        e.preventDefault();
        setView((v) => zoomView(v, layout.spanS, s, e.deltaY < 0 ? 1.25 : 0.8));
      } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) {
        e.preventDefault();
        setView((v) => panView(v, layout.spanS, (e.deltaX || e.deltaY) / 1000));
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [lanes, timeAt, layout.spanS]);

  const zoom = layout.spanS / (view.endS - view.startS);
  return (
    <section
      className={`track-deck${spectrograms ? ' with-spectrograms' : ''}${layout.rows.length > DENSE_ABOVE ? ' is-dense' : ''}`}
      aria-label="Sensor tracks"
      data-testid="track-deck"
      data-alignment={alignment}
    >
      <DeckToolbar
        state={state}
        zoom={zoom}
        alignment={alignment}
        spectrograms={spectrograms}
        selected={selected}
        onPlay={() => player.toggle()}
        onRate={(r) => player.setRate(r)}
        onLoop={() => player.toggleLoop()}
        onZoom={(f) => setView((v) => zoomView(v, layout.spanS, player.positionS, f))}
        onAlign={() => setAlignment((a) => (a === 'absolute' ? 'arrival' : 'absolute'))}
        onSpectrograms={() => setSpectrograms((s) => !s)}
      />
      <TimeRuler
        axis={viewAxis}
        shotTimesUs={alignment === 'absolute' ? shots.map((s) => s.timeUs) : []}
        originUs={layout.axis.startUs}
        relative={alignment === 'arrival'}
        lane={lanes}
        width={laneWidth}
      />
      <div className="deck-body" onPointerDown={onPointerDown} onPointerUp={onPointerUp}>
        <div className="track-list">
          {layout.rows.map((r) => {
            const id = r.track.sensorId;
            const m = mixOf(id);
            return (
              <WaveformTrack
                key={id}
                row={r}
                peaks={peaks?.get(id) ?? null}
                media={media.get(id) ?? null}
                clipUrl={absolute(client.clipUrl(r.track.clip.sha256))}
                view={view}
                viewAxis={viewAxis}
                laneWidth={laneWidth}
                spectrogram={spectrograms}
                selected={selected === id}
                mix={{ ...m, playingAlone: state.playing && state.only === id }}
                onSelect={() => setSelected(id)}
                onPlayOnly={() => player.playOnly(id)}
                onMix={(change) => player.setTrack(id, change)}
                overlay={
                  <PickLayer
                    row={r}
                    viewAxis={viewAxis}
                    relocation={relocation}
                    selected={selected === id}
                    onSelect={(i) => {
                      setSelected(id);
                      relocation.setShotIndex(i);
                    }}
                  />
                }
                onLaneDoubleClick={
                  relocation.editable && shot !== null
                    ? (f) => {
                        // The lane's share to this track's own clip time, undoing the alignment's shift.
                        const offsetS = (viewAxis.startUs + f * (viewAxis.endUs - viewAxis.startUs) - r.shiftUs - r.track.clipStartUs) / 1e6;
                        setSelected(id);
                        if (offsetS < 0 || offsetS > r.track.clip.durationS) return setNotice(`That is outside ${id}\u2019s clip`);
                        relocation.setDraft((d) => placePick(d, shot, id, offsetS, r.track.clip.durationS));
                      }
                    : undefined
                }
                pickUse={
                  shot === null
                    ? undefined
                    : {
                        shotIndex: shot,
                        used: pickOf(relocation.draft, shot, id)?.used ?? null,
                        ...(relocation.editable ? { onToggle: () => relocation.setDraft((d) => toggleSensor(d, shot, id)) } : {}),
                      }
                }
              />
            );
          })}
        </div>
        <Playhead player={player} view={view} loop={state.loopOn ? state.loop : null} pendingLoop={state.loopOn ? null : state.loop} />
      </div>
      {given && (shot !== null || relocation.editable) && (
        <RelocationBar relocation={relocation} selected={selected} notice={notice} notes={notes} onNotes={setNotes} notesField={notesField} onSave={save} />
      )}
      <div className="deck-legend" aria-hidden="true">
        <span className="legend-pulse">picked pulse</span>
        {shot !== null && (
          <span className="legend-pick">
            pick of shot {shot}
            {relocation.editable ? ' (drag it)' : ''}
          </span>
        )}
        <span className="legend-predicted">arrival predicted by the fix</span>
        {layout.rows.some((r) => r.marks.some((m) => m.tag)) && (
          <span className="legend-set-aside">set aside by the locator (an echo, heard round a building, or a round it could not place)</span>
        )}
        {alignment === 'absolute' && <span className="legend-shot">shot time</span>}
        <span>
          {alignment === 'absolute' ? 'each track at its clip\u2019s own start time' : 'tracks aligned on their first arrivals'} · rows in order of arrival
        </span>
      </div>
    </section>
  );
}
