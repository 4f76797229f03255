/**
 * How waveforms are drawn: from the peaks the core computed at import (the seat's way: nothing is
 * fetched or decoded to draw), or by letting wavesurfer fetch and decode each clip itself
 * (`?waveform=decode` in the address: the baseline the bench compares against, and a check of the
 * peaks by eye).
 */
export type WaveformSource = 'peaks' | 'decode';

export function waveformSource(search: string): WaveformSource {
  return new URLSearchParams(search).get('waveform') === 'decode' ? 'decode' : 'peaks';
}
