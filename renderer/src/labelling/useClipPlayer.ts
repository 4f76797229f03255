import { useEffect, useState } from 'react';
import { DeckPlayer, type DeckPlayerState } from '../incident/playback/DeckPlayer.ts';

/**
 * The deck's player with a single track: one clip on a timeline of its own length, so the loop,
 * the rate with pitch kept and the playhead behave as they do on an incident.
 */
export function useClipPlayer(url: string, durationS: number) {
  const [player] = useState(() => new DeckPlayer(durationS));
  const [state, setState] = useState<DeckPlayerState>(player.getState());
  const [media, setMedia] = useState<HTMLAudioElement | null>(null);
  useEffect(() => {
    setMedia(player.addTrack('clip', url, 0, durationS));
    player.setPlacement('clip', 0, durationS);
    return () => player.removeTrack('clip');
  }, [player, url, durationS]);
  useEffect(() => player.onState(setState), [player]);
  useEffect(() => () => player.dispose(), [player]);
  return { player, state, media };
}
