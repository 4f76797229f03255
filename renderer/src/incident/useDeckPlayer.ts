import { useEffect, useState } from 'react';
import { DeckPlayer, type DeckPlayerState } from './playback/DeckPlayer.ts';
import type { DeckLayout } from './deck.ts';

/**
 * The incident's player and one media element per track, made once per incident and freed with
 * it (elements emptied, nodes disconnected). Placement follows the alignment without reloading.
 */
export function useDeckPlayer(layout: DeckLayout, clipUrl: (sha256: string) => string) {
  // One player per incident view: the layout changes (alignment) move tracks, they never make a new player.
  const [player] = useState(() => new DeckPlayer(layout.spanS));
  const [state, setState] = useState<DeckPlayerState>(player.getState());
  const [media, setMedia] = useState<ReadonlyMap<string, HTMLAudioElement>>(new Map());

  const clips = layout.rows.map((r) => `${r.track.sensorId}:${r.track.clip.sha256}`).join('|');
  useEffect(() => {
    const made = new Map<string, HTMLAudioElement>();
    for (const r of layout.rows) made.set(r.track.sensorId, player.addTrack(r.track.sensorId, clipUrl(r.track.clip.sha256), r.startS, r.durationS));
    setMedia(made);
    return () => {
      for (const id of made.keys()) player.removeTrack(id);
    };
    // Keyed by the clips themselves: a new layout of the same clips (alignment) keeps the elements.
  }, [player, clips]);

  useEffect(() => {
    for (const r of layout.rows) player.setPlacement(r.track.sensorId, r.startS, layout.spanS);
  }, [player, layout]);

  useEffect(() => player.onState(setState), [player]);
  useEffect(() => () => player.dispose(), [player]);
  return { player, state, media };
}
