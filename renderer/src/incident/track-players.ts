import type WaveSurfer from 'wavesurfer.js';

/**
 * The players of one incident's tracks, by sensor. Playing one pauses the others, so a
 * reviewer hears one sensor at a time; synchronised playback of all tracks builds on this.
 */
export class TrackPlayers {
  private readonly players = new Map<string, WaveSurfer>();

  add(sensorId: string, ws: WaveSurfer): () => void {
    this.players.set(sensorId, ws);
    return () => {
      if (this.players.get(sensorId) === ws) this.players.delete(sensorId);
    };
  }

  toggle(sensorId: string): void {
    const ws = this.players.get(sensorId);
    if (!ws) return;
    if (ws.isPlaying()) return ws.pause();
    for (const [id, other] of this.players) if (id !== sensorId && other.isPlaying()) other.pause();
    ws.play().catch((e: unknown) => console.warn(`cannot play ${sensorId}:`, e));
  }

  pauseAll(): void {
    for (const ws of this.players.values()) if (ws.isPlaying()) ws.pause();
  }
}
