import { useEffect } from 'react';
import { useSeat } from '../seat/SeatContext.tsx';
import type { DeckPlayer } from './playback/DeckPlayer.ts';

/** A player in the seat: paused when the seat locks; while it plays, listening counts as working for the idle lock. */
export function useSeatPlayback(player: DeckPlayer, playing: boolean): void {
  const seat = useSeat();
  useEffect(() => {
    if (seat.state.locked) player.pause();
  }, [seat.state.locked, player]);
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => seat.noteActivity(), 5000);
    return () => clearInterval(t);
  }, [playing, seat]);
}
