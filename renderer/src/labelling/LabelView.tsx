import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ContractError, LabelClass, Project, ProjectClip } from '../../../src/contract/index.ts';
import type { ViewWindow } from '../incident/deck.ts';
import { Playhead } from '../incident/Playhead.tsx';
import { stepRate } from '../incident/playback/mix.ts';
import { TimeRuler } from '../incident/TimeRuler.tsx';
import { useSeatPlayback } from '../incident/useSeatPlayback.ts';
import { useKeys } from '../keys/useKeys.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { useElementWidth } from '../ui/useElementWidth.ts';
import { ClipGutter } from './ClipGutter.tsx';
import { ClipHeader } from './ClipHeader.tsx';
import { hotkeyText, LABEL_BINDINGS, type LabelKeyAction } from './keymap.ts';
import { LabelList } from './LabelList.tsx';
import { LabelToolbar } from './LabelToolbar.tsx';
import { LabelTrack } from './LabelTrack.tsx';
import { SelectionPanel } from './SelectionPanel.tsx';
import { TaxonomyBar } from './TaxonomyBar.tsx';
import {
  EMPTY_DRAFT,
  fitView,
  keepInView,
  minViewS,
  moveSpan,
  nudgeEdge,
  pulseAt,
  spanOf,
  stepSamples,
  stepTo,
  toSample,
  withEdge,
  zoomClipView,
  type Draft,
  type Span,
} from './timeline.ts';
import { useClipPlayer } from './useClipPlayer.ts';
import { useClipSignal } from './useClipSignal.ts';
import { useClipLabels } from './useDataset.ts';
import { useLabelEditing } from './useLabelEditing.ts';

interface Props {
  project: Project;
  clip: ProjectClip;
  position: { index: number; count: number };
  editable: boolean;
  onStepClip(direction: 1 | -1): void;
  /** This trainer's state of the clip, and marking it (resolves to a notice to show, or null when another clip opened). */
  clipState: 'todo' | 'done' | 'skipped';
  onClipState(state: 'done' | 'skipped'): Promise<string | null>;
  /** Opens the next clip still to do; returns a notice when none is left. */
  onNextToDo(): string | null;
  onTaxonomy(): void;
  onExport(): void;
}

/** Spectrogram height in the labelling view: tall enough to draw a band on. */
const SPECTROGRAM_PX = 150;
const absolute = (url: string) => new URL(url, location.href).href;
const READ_ONLY = 'Labelling needs the trainer or administrator role.';

/**
 * One clip to label: its track (waveform over spectrogram) with the labels in their class colours,
 * a cursor the keyboard moves in whole samples, a selection set at the cursor, on a detected pulse
 * or by dragging, and the project's classes on keys 1-9. Everything here has a key (see `?`).
 */
export function LabelView({ project, clip, position, editable, onStepClip, clipState, onClipState, onNextToDo, onTaxonomy, onExport }: Props) {
  const { client } = useSeat();
  const info = clip.clip;
  const sr = info.sampleRate;
  const frames = info.frames;
  const spanS = info.durationS;
  const { player, state, media } = useClipPlayer(absolute(client.clipUrl(info.sha256)), spanS);
  const [channel, setChannel] = useState(clip.channel);
  const [view, setView] = useState<ViewWindow>({ startS: 0, endS: spanS });
  const [spectrogram, setSpectrogram] = useState(spanS <= 600);
  const [cursor, setCursorState] = useState(0);
  const [draft, setDraftState] = useState<Draft>(EMPTY_DRAFT);
  const [chosenId, setChosenState] = useState<number | null>(null);
  const secondBank = useRef(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const { peaks, pulses, decoded, setDecoded } = useClipSignal(clip, channel, setError);
  const [ruler, laneWidth] = useElementWidth<HTMLDivElement>();
  // Keys can come faster than renders: what they act on is read from refs, set with the state.
  const cursorRef = useRef(0);
  const draftRef = useRef<Draft>(EMPTY_DRAFT);
  const chosenRef = useRef<number | null>(null);

  const { labels, put, drop, reload } = useClipLabels(project.id, clip.id);
  const editing = useLabelEditing({ clip, labels, put, drop, reload, onError: setError });
  const classes = useMemo(() => new Map(project.classes.map((c) => [c.id, c])), [project.classes]);
  const shown = useMemo(() => (labels ?? []).filter((l) => l.channel === channel), [labels, channel]);
  const chosen = labels?.find((l) => l.id === chosenId) ?? null;
  const step = stepSamples(view, laneWidth, sr);
  const minWidthS = minViewS(sr, spanS);

  const say = useCallback((m: string | null) => {
    setNotice(m);
    setError(null);
  }, []);
  const setDraft = (d: Draft) => {
    draftRef.current = d;
    setDraftState(d);
  };
  const choose = (id: number | null) => {
    chosenRef.current = id;
    setChosenState(id);
    if (id !== null) setDraft(EMPTY_DRAFT);
  };
  const setCursor = (sample: number, seek = true) => {
    const s = Math.min(frames, Math.max(0, Math.round(sample)));
    cursorRef.current = s;
    setCursorState(s);
    if (seek) player.seek(s / sr);
    setView((v) => keepInView(v, spanS, s / sr));
  };
  useSeatPlayback(player, state.playing);
  // A chosen label another seat deleted is let go.
  useEffect(() => {
    if (chosenId !== null && labels && !labels.some((l) => l.id === chosenId)) choose(null);
  }, [labels, chosenId]);
  // Pausing leaves the cursor where playback stopped, so a trainer can stop on a sound and mark it.
  const wasPlaying = useRef(false);
  // Runs on a change of playing only: the cursor follows a pause, not every render.
  useEffect(() => {
    if (wasPlaying.current && !state.playing) setCursor(toSample(player.positionS, sr), false);
    wasPlaying.current = state.playing;
  }, [state.playing]);

  /** The chosen label's span, or the selection being made. */
  const target = (): Span | null => {
    const id = chosenRef.current;
    const l = id === null ? undefined : labels?.find((x) => x.id === id);
    return l ? { startSample: l.startSample, endSample: l.endSample } : spanOf(draftRef.current);
  };
  const needsEdit = () => (editable ? true : (say(READ_ONLY), false));

  const edgeAtCursor = (edge: 'start' | 'end') => {
    const c = cursorRef.current;
    const id = chosenRef.current;
    if (id === null) return setDraft(withEdge(draftRef.current, edge, c));
    if (!needsEdit()) return;
    void editing.update(id, (l) => {
      const s = withEdge({ startSample: l.startSample as number | null, endSample: l.endSample as number | null }, edge, c);
      if (s.startSample === null || s.endSample === null) {
        say('A label cannot be empty: put the cursor elsewhere first.');
        return null;
      }
      return { startSample: s.startSample, endSample: s.endSample };
    });
  };
  const reshape = (how: (s: Span) => Span) => {
    const id = chosenRef.current;
    if (id !== null) {
      if (needsEdit()) void editing.update(id, (l) => how(l));
      return;
    }
    const s = spanOf(draftRef.current);
    if (!s) return say('Nothing selected: S selects the pulse at the cursor; I and O set the edges.');
    setDraft({ ...draftRef.current, ...how(s) });
  };
  const applyClass = (cls: LabelClass) => {
    if (!needsEdit()) return;
    const id = chosenRef.current;
    if (id !== null) return void editing.update(id, (l) => (l.classId === cls.id ? null : { classId: cls.id }));
    const d = draftRef.current;
    const s = spanOf(d);
    if (!s) return say('Select a range first: ] to a pulse and S, or I and O at the cursor, or drag on the track.');
    void editing.create({ classId: cls.id, channel, ...s, lowHz: d.lowHz, highHz: d.highHz });
    setDraft(EMPTY_DRAFT);
    say(null);
  };
  const stepLabel = (direction: 1 | -1) => {
    const list = [...shown].sort((a, b) => a.startSample - b.startSample || a.id - b.id);
    const at = list.findIndex((l) => l.id === chosenRef.current);
    const c = cursorRef.current;
    const next = at >= 0 ? list[at + direction] : direction > 0 ? list.find((l) => l.startSample >= c) : list.findLast((l) => l.startSample < c);
    if (!next) return say(direction > 0 ? 'No label after this one.' : 'No label before this one.');
    choose(next.id);
    setCursor(next.startSample);
    say(null);
  };
  const loopTarget = () => {
    if (state.loopOn) {
      player.setLoop(null);
      player.pause();
      return;
    }
    const s = target();
    if (!s) return say('Nothing to loop: select a range or choose a label first.');
    player.setLoop({ startS: s.startSample / sr, endS: s.endSample / sr });
    player.seek(s.startSample / sr);
    player.play();
  };

  const handlers: Partial<Record<LabelKeyAction, () => void>> = {
    leave: () => {
      if (chosenRef.current !== null) choose(null);
      else if (draftRef.current.startSample !== null || draftRef.current.endSample !== null) setDraft(EMPTY_DRAFT);
      else if (state.loopOn) player.setLoop(null);
      say(null);
    },
    playPause: () => player.toggle(),
    loopSelection: loopTarget,
    slower: () => player.setRate(stepRate(state.rate, -1)),
    faster: () => player.setRate(stepRate(state.rate, 1)),
    cursorBack: () => setCursor(cursorRef.current - step),
    cursorForward: () => setCursor(cursorRef.current + step),
    cursorBackFar: () => setCursor(cursorRef.current - 10 * step),
    cursorForwardFar: () => setCursor(cursorRef.current + 10 * step),
    toStart: () => setCursor(0),
    toEnd: () => setCursor(frames),
    prevPulse: () => {
      const q = stepTo(pulses, cursorRef.current, -1);
      if (q) setCursor(q.startSample);
      else say(pulses.length ? 'No pulse before the cursor.' : 'No pulses detected in this clip.');
    },
    nextPulse: () => {
      const q = stepTo(pulses, cursorRef.current, 1);
      if (q) setCursor(q.startSample);
      else say(pulses.length ? 'No pulse after the cursor.' : 'No pulses detected in this clip.');
    },
    prevLabel: () => stepLabel(-1),
    nextLabel: () => stepLabel(1),
    startAtCursor: () => edgeAtCursor('start'),
    endAtCursor: () => edgeAtCursor('end'),
    selectPulse: () => {
      const q = pulseAt(pulses, cursorRef.current, 2 * step);
      if (!q) return say('No detected pulse at the cursor: ] goes to the next one.');
      choose(null);
      setDraft({ startSample: q.startSample, endSample: q.endSample, lowHz: null, highHz: null });
      say(null);
    },
    cursorToStart: () => {
      const at = target()?.startSample ?? draftRef.current.startSample;
      if (at !== null) setCursor(at);
    },
    cursorToEnd: () => {
      const at = target()?.endSample ?? draftRef.current.endSample;
      if (at !== null) setCursor(at);
    },
    startEarlier: () => reshape((s) => nudgeEdge(s, 'start', -step, frames)),
    startLater: () => reshape((s) => nudgeEdge(s, 'start', step, frames)),
    endEarlier: () => reshape((s) => nudgeEdge(s, 'end', -step, frames)),
    endLater: () => reshape((s) => nudgeEdge(s, 'end', step, frames)),
    moveEarlier: () => reshape((s) => moveSpan(s, -step, frames)),
    moveLater: () => reshape((s) => moveSpan(s, step, frames)),
    band: () => {
      const field = document.querySelector<HTMLInputElement>('[data-testid=band-low]');
      if (field) field.focus();
      else say('Select a range or choose a label first, then B types its band.');
    },
    deleteLabel: () => {
      const id = chosenRef.current;
      if (id === null) return say('Choose a label first (↑ ↓), then Del deletes it.');
      if (!needsEdit()) return;
      void editing.remove(id);
      choose(null);
    },
    undo: () =>
      void editing.undo().then((r) => {
        say(r ? `Undone: ${r.what}.` : 'Nothing to undo.');
        if (r?.labelId) choose(r.labelId);
      }),
    redo: () =>
      void editing.redo().then((r) => {
        say(r ? `Redone: ${r.what}.` : 'Nothing to redo.');
        if (r?.labelId) choose(r.labelId);
      }),
    secondBank: () => {
      secondBank.current = true;
      say('Second bank: 1-9 label with classes 10-18.');
    },
    nextToDo: () => say(onNextToDo()),
    clipDone: () => {
      if (!needsEdit()) return;
      void onClipState('done').then((n) => n && say(n));
    },
    clipSkipped: () => {
      if (!needsEdit()) return;
      void onClipState('skipped').then((n) => n && say(n));
    },
    zoomIn: () => setView((v) => zoomClipView(v, spanS, cursorRef.current / sr, 2, minWidthS)),
    zoomOut: () => setView((v) => zoomClipView(v, spanS, cursorRef.current / sr, 0.5, minWidthS)),
    fit: () => {
      const s = target();
      setView(s ? fitView(s.startSample / sr, s.endSample / sr, spanS, minWidthS) : { startS: 0, endS: spanS });
    },
    spectrogram: () => setSpectrogram((x) => !x),
    nextClip: () => onStepClip(1),
    prevClip: () => onStepClip(-1),
    taxonomy: onTaxonomy,
    export: onExport,
  };
  for (const d of [1, 2, 3, 4, 5, 6, 7, 8, 9] as const) {
    handlers[`hotkey${d}`] = () => {
      // After 0, a digit is the second bank's: classes 10-18.
      const key = secondBank.current ? d + 9 : d;
      const cls = project.classes.find((c) => c.hotkey === key);
      if (cls) applyClass(cls);
      else say(`No class is on key ${hotkeyText(key)}: T edits the classes and their keys.`);
    };
  }
  // The second bank lasts one key: whatever comes after 0 ends it.
  const keyed = Object.fromEntries(
    Object.entries(handlers).map(([action, run]) => [
      action,
      action === 'secondBank'
        ? run
        : () => {
            try {
              run!();
            } finally {
              secondBank.current = false;
            }
          },
    ]),
  ) as typeof handlers;
  useKeys<LabelKeyAction>(keyed, { table: LABEL_BINDINGS });

  const span = chosen ? { startSample: chosen.startSample, endSample: chosen.endSample } : spanOf(draft);
  return (
    <section
      className="label-view"
      aria-label="Labelling"
      data-testid="label-view"
      data-clip-id={clip.id}
      data-cursor-sample={cursor}
      data-step-samples={step}
      data-pulses={pulses.length}
      data-chosen-label={chosenId ?? ''}
      tabIndex={-1}
      data-focus-home
    >
      <ClipHeader clip={clip} position={position} labels={labels?.length ?? null} state={clipState} onStep={onStepClip} />
      <TaxonomyBar classes={project.classes} editable={editable} onApply={applyClass} />
      <div className="track-deck label-deck">
        <LabelToolbar
          state={state}
          zoom={spanS / (view.endS - view.startS)}
          spectrogram={spectrogram}
          cursor={cursor}
          step={step}
          sampleRate={sr}
          pulses={pulses}
          samplesDecoded={decoded !== null}
          canLoop={span !== null || state.loopOn}
          onPlay={() => player.toggle()}
          onLoop={loopTarget}
          onRate={(r) => player.setRate(r)}
          onZoom={(f) => setView((v) => zoomClipView(v, spanS, cursorRef.current / sr, f, minWidthS))}
          onFit={handlers.fit!}
          onSpectrogram={() => setSpectrogram((x) => !x)}
        />
        <TimeRuler
          axis={{ startUs: view.startS * 1e6, endUs: view.endS * 1e6 }}
          shotTimesUs={[]}
          originUs={0}
          lane={ruler}
          width={laneWidth}
          caption="s from clip start"
        />
        <div className="deck-body">
          <LabelTrack
            clip={clip}
            peaks={peaks}
            media={media}
            clipUrl={absolute(client.clipUrl(info.sha256))}
            view={view}
            laneWidth={laneWidth}
            spectrogram={spectrogram}
            spectrogramPx={SPECTROGRAM_PX}
            labels={shown}
            classes={classes}
            chosenId={chosenId}
            draft={draft}
            pulses={pulses}
            editable={editable}
            gutter={<ClipGutter clip={clip} channel={channel} onChannel={setChannel} />}
            onDecoded={setDecoded}
            onCursor={(s) => {
              setDraft(EMPTY_DRAFT);
              setCursor(s);
            }}
            onDraft={(d) => {
              choose(null);
              setDraft(d);
            }}
            onChoose={choose}
            onReshape={(id, s) => editable && void editing.update(id, () => s)}
          />
          <Playhead player={player} view={view} loop={state.loopOn ? state.loop : null} pendingLoop={null} />
        </div>
      </div>
      {(notice || error) && (
        <div className="label-notice" role="status" data-testid="label-notice">
          {notice}
          <ErrorNote error={error} />
        </div>
      )}
      <SelectionPanel
        clip={clip}
        chosen={chosen}
        draft={draft}
        classes={project.classes}
        editable={editable}
        onDraft={setDraft}
        onUpdate={(change) => chosen && void editing.update(chosen.id, () => change)}
        onDelete={handlers.deleteLabel!}
        onLoop={loopTarget}
        onError={say}
      />
      <LabelList
        labels={labels}
        classes={classes}
        sampleRate={sr}
        channels={info.channels}
        chosenId={chosenId}
        onChoose={(l) => (choose(l.id), setCursor(l.startSample))}
      />
    </section>
  );
}
