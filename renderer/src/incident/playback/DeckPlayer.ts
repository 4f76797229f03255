import { elementAction, linearGain, type MixTrack } from './mix.ts';

/** One AudioContext for the whole seat: browsers limit how many a page may hold, and each keeps a thread. */
let sharedContext: AudioContext | null | undefined;
function audioContext(): AudioContext | null {
  if (sharedContext === undefined) {
    try {
      sharedContext = new AudioContext({ latencyHint: 'interactive' });
    } catch {
      sharedContext = null; // no Web Audio: element volume still mutes and solos, without gain above 0 dB
    }
  }
  return sharedContext;
}

/**
 * Makes the seat's AudioContext ahead of the first incident. Chromium takes a long while to open
 * one (over 400 ms on the bench machine, an audio thread and device started), which otherwise fell
 * inside the first alert opened after sign-in. Called when the seat has nothing better to do.
 */
export function prepareAudio(): void {
  if (sharedContext !== undefined) return;
  audioContext();
  performance.mark('ew:audio-ready');
}

interface PlayerTrack extends MixTrack {
  media: HTMLAudioElement;
  startS: number;
  durationS: number;
  node: { source: MediaElementAudioSourceNode; gain: GainNode } | null;
  starting: boolean;
  /** The element reported an error: it is left alone (the track says so). */
  failed: boolean;
  offError(): void;
}

export interface DeckPlayerState {
  playing: boolean;
  rate: number;
  loop: { startS: number; endS: number } | null;
  loopOn: boolean;
  /** A sensor playing alone (its own play button), or null. */
  only: string | null;
  tracks: Record<string, { gainDb: number; muted: boolean; solo: boolean }>;
}

/**
 * Synchronised playback of an incident's tracks: one playhead (deck seconds) across all of them.
 * Each track streams its clip through a media element (so nothing is decoded to play, and the
 * playback rate keeps the pitch), routed through its own gain into one mix by Web Audio. A clock
 * runs the playhead; every animation frame each element is started, corrected or stopped so that
 * it plays the part of its clip under the playhead.
 */
export class DeckPlayer {
  private readonly ctx = audioContext();
  private readonly tracks = new Map<string, PlayerTrack>();
  private state: DeckPlayerState = { playing: false, rate: 1, loop: null, loopOn: false, only: null, tracks: {} };
  private anchor = { positionS: 0, atMs: 0 };
  private stopAtS: number | null = null;
  private frame = 0;
  private readonly stateListeners = new Set<(s: DeckPlayerState) => void>();
  private readonly tickListeners = new Set<(positionS: number) => void>();

  constructor(private endS: number) {}

  /** A media element for a clip, in the mix. The caller hands it to wavesurfer; the player owns it and frees it. */
  addTrack(id: string, url: string, startS: number, durationS: number, gainDb = 0): HTMLAudioElement {
    this.removeTrack(id);
    const media = new Audio();
    // Cross-origin clip URLs (clip:// in the desktop app) must be CORS-enabled, or Web Audio hears silence.
    media.crossOrigin = 'anonymous';
    media.preload = 'metadata';
    media.preservesPitch = true;
    media.src = url;
    media.playbackRate = this.state.rate;
    let node: PlayerTrack['node'] = null;
    if (this.ctx) {
      const source = this.ctx.createMediaElementSource(media);
      const gain = this.ctx.createGain();
      source.connect(gain).connect(this.ctx.destination);
      node = { source, gain };
    }
    const track: PlayerTrack = {
      id,
      media,
      startS,
      durationS,
      gainDb,
      muted: false,
      solo: false,
      node,
      starting: false,
      failed: false,
      offError: () => undefined,
    };
    const onError = () => (track.failed = true);
    media.addEventListener('error', onError);
    track.offError = () => media.removeEventListener('error', onError);
    this.tracks.set(id, track);
    this.applyGains();
    this.emit();
    return media;
  }

  removeTrack(id: string): void {
    const t = this.tracks.get(id);
    if (!t) return;
    this.tracks.delete(id);
    t.offError();
    t.media.pause();
    t.node?.source.disconnect();
    t.node?.gain.disconnect();
    // Drop the element's buffers now, not at some later collection.
    t.media.removeAttribute('src');
    t.media.load();
  }

  setPlacement(id: string, startS: number, endS: number): void {
    const t = this.tracks.get(id);
    if (t) t.startS = startS;
    this.endS = endS;
    this.sync();
  }

  get positionS(): number {
    if (!this.state.playing) return this.anchor.positionS;
    return this.anchor.positionS + ((performance.now() - this.anchor.atMs) / 1000) * this.state.rate;
  }

  getState(): DeckPlayerState {
    return this.state;
  }

  onState(f: (s: DeckPlayerState) => void): () => void {
    this.stateListeners.add(f);
    return () => this.stateListeners.delete(f);
  }

  onTick(f: (positionS: number) => void): () => void {
    this.tickListeners.add(f);
    return () => this.tickListeners.delete(f);
  }

  play(): void {
    void this.ctx?.resume().catch(() => undefined);
    let from = this.positionS;
    const loop = this.activeLoop();
    if (loop && (from < loop.startS || from >= loop.endS)) from = loop.startS;
    if (!loop && from >= this.endS - 0.01) from = 0;
    this.anchor = { positionS: from, atMs: performance.now() };
    this.set({ playing: true });
    this.run();
  }

  pause(): void {
    if (!this.state.playing) return;
    this.anchor = { positionS: this.positionS, atMs: performance.now() };
    this.stopAtS = null;
    const restore = this.state.only !== null;
    this.set({ playing: false, ...(restore ? { only: null } : {}) });
    if (restore) this.applyGains();
    this.sync();
  }

  toggle(): void {
    if (this.state.playing) this.pause();
    else this.play();
  }

  seek(positionS: number): void {
    this.anchor = { positionS: Math.min(Math.max(0, positionS), this.endS), atMs: performance.now() };
    for (const t of this.tracks.values()) if (!t.media.paused) t.media.pause();
    this.sync();
    this.tick();
  }

  /** Plays one sensor alone, from the playhead when it is inside that clip, else from the clip's start, to the clip's end. */
  playOnly(id: string): void {
    const t = this.tracks.get(id);
    if (!t) return;
    if (this.state.playing && this.state.only === id) return this.pause();
    const pos = this.positionS;
    const from = pos >= t.startS && pos < t.startS + t.durationS - 0.01 ? pos : t.startS;
    this.pause();
    this.anchor = { positionS: from, atMs: performance.now() };
    this.stopAtS = t.startS + t.durationS;
    this.set({ only: id });
    this.applyGains();
    this.play();
  }

  setRate(rate: number): void {
    // Re-anchor first, so the playhead does not jump when the clock's speed changes.
    this.anchor = { positionS: this.positionS, atMs: performance.now() };
    for (const t of this.tracks.values()) {
      t.media.preservesPitch = true;
      t.media.playbackRate = rate;
    }
    this.set({ rate });
  }

  setTrack(id: string, change: Partial<Pick<MixTrack, 'gainDb' | 'muted' | 'solo'>>): void {
    const t = this.tracks.get(id);
    if (!t) return;
    Object.assign(t, change);
    this.applyGains();
    this.emit();
  }

  setLoop(loop: { startS: number; endS: number } | null, on = loop !== null): void {
    const ordered = loop && loop.endS < loop.startS ? { startS: loop.endS, endS: loop.startS } : loop;
    this.set({ loop: ordered && ordered.endS - ordered.startS > 0.005 ? ordered : null, loopOn: on && ordered !== null });
  }

  toggleLoop(): void {
    if (this.state.loop) this.set({ loopOn: !this.state.loopOn });
  }

  /** Stops and frees every track (the view is going away). */
  dispose(): void {
    this.pause();
    cancelAnimationFrame(this.frame);
    for (const id of [...this.tracks.keys()]) this.removeTrack(id);
  }

  private activeLoop() {
    return this.state.loopOn ? this.state.loop : null;
  }

  private set(change: Partial<DeckPlayerState>): void {
    this.state = { ...this.state, ...change };
    this.emit();
  }

  private emit(): void {
    const tracks: DeckPlayerState['tracks'] = {};
    for (const t of this.tracks.values()) tracks[t.id] = { gainDb: t.gainDb, muted: t.muted, solo: t.solo };
    this.state = { ...this.state, tracks };
    for (const f of this.stateListeners) f(this.state);
  }

  private applyGains(): void {
    const all = [...this.tracks.values()];
    for (const t of all) {
      const g = linearGain(t, all, this.state.only);
      if (t.node) t.node.gain.gain.value = g;
      else t.media.volume = Math.min(1, g);
    }
  }

  private tick(): void {
    const p = this.positionS;
    for (const f of this.tickListeners) f(p);
  }

  private run(): void {
    cancelAnimationFrame(this.frame);
    const step = () => {
      if (!this.state.playing) return;
      const loop = this.activeLoop();
      const pos = this.positionS;
      if (loop && pos >= loop.endS) this.seek(loop.startS);
      else if (pos >= (this.stopAtS ?? this.endS)) {
        this.anchor = { positionS: Math.min(pos, this.stopAtS ?? this.endS), atMs: performance.now() };
        this.pause();
        this.tick();
        return;
      }
      this.sync();
      this.tick();
      this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  /** Starts, corrects or stops every element for the playhead. */
  private sync(): void {
    const pos = this.positionS;
    for (const t of this.tracks.values()) {
      if (t.starting || t.failed) continue;
      const action = elementAction(
        { startS: t.startS, durationS: t.durationS, currentTime: t.media.currentTime, paused: t.media.paused },
        this.state.playing,
        pos,
      );
      if (action.kind === 'stop') t.media.pause();
      else if (action.kind === 'correct') t.media.currentTime = action.at;
      else if (action.kind === 'start') {
        t.media.currentTime = action.at;
        t.starting = true;
        t.media
          .play()
          .catch((e: unknown) => {
            if ((e as Error).name !== 'AbortError') console.warn(`cannot play ${t.id}:`, e);
          })
          .finally(() => (t.starting = false));
      }
    }
  }
}
