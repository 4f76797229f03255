import { useEffect, useRef } from 'react';
import type { ViewWindow } from './deck.ts';
import type { DeckPlayer } from './playback/DeckPlayer.ts';

interface Props {
  player: DeckPlayer;
  view: ViewWindow;
  /** The loop playing now, shaded; a selected loop that is off, outlined. */
  loop: { startS: number; endS: number } | null;
  pendingLoop: { startS: number; endS: number } | null;
}

const share = (s: number, v: ViewWindow) => (s - v.startS) / (v.endS - v.startS);

/** The one playhead over every track, moved each frame without re-rendering React, and the loop. */
export function Playhead({ player, view, loop, pendingLoop }: Props) {
  const line = useRef<HTMLDivElement>(null);
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
    place(player.positionS);
  });
  const place = (s: number) => {
    const el = line.current;
    if (!el) return;
    const f = share(s, viewRef.current);
    el.style.left = `${(f * 100).toFixed(4)}%`;
    el.style.visibility = f < 0 || f > 1 ? 'hidden' : 'visible';
    el.dataset.positionS = s.toFixed(4);
  };
  // place reads only refs: subscribing once per player is enough.
  useEffect(() => player.onTick(place), [player]);
  const region = (r: { startS: number; endS: number }, cls: string) => {
    const a = Math.max(0, share(r.startS, view));
    const b = Math.min(1, share(r.endS, view));
    return b > a ? <div className={cls} style={{ left: `${a * 100}%`, width: `${(b - a) * 100}%` }} /> : null;
  };
  return (
    <div className="deck-overlay" aria-hidden="true">
      {loop && region(loop, 'deck-loop')}
      {pendingLoop && region(pendingLoop, 'deck-selection')}
      <div ref={line} className="deck-playhead" data-testid="playhead" />
    </div>
  );
}
