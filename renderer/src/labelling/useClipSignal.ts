import { useEffect, useMemo, useState } from 'react';
import type { ContractError, ProjectClip } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { detectPulses, detectPulsesInPeaks, mergePulses } from './pulses.ts';

/**
 * What the labelling view reads of a clip's audio: the peaks of the channel labelled (the waveform
 * before anything is decoded), the decoded samples once the track has them, and the pulses to step
 * through: found in the samples to the sample (in the peaks until then), plus, for alert tracks,
 * the pulses the sensor network picked.
 */
export function useClipSignal(clip: ProjectClip, channel: number, onError: (e: ContractError) => void) {
  const { client } = useSeat();
  const { sampleRate: sr, frames } = clip.clip;
  const [peaks, setPeaks] = useState<number[] | null>(null);
  const [decoded, setDecoded] = useState<AudioBuffer | null>(null);
  const [machine, setMachine] = useState<number[]>([]);

  useEffect(() => {
    let live = true;
    setPeaks(null);
    void client.call('getProjectClipPeaks', { clipId: clip.id, channel }).then((r) => live && (r.ok ? setPeaks(r.value.peaks) : onError(r.error)));
    return () => void (live = false);
  }, [client, clip.id, channel, onError]);

  useEffect(() => {
    if (clip.alertId === null || clip.sensorId === null) return;
    let live = true;
    void client.call('getAlert', { id: clip.alertId }).then((r) => {
      if (live && r.ok) setMachine(r.value.pulses.filter((q) => q.sensorId === clip.sensorId).map((q) => Math.round(q.offsetS * sr)));
    });
    return () => void (live = false);
  }, [client, clip.alertId, clip.sensorId, sr]);

  const pulses = useMemo(() => {
    // Samples decoded at another rate would put pulses off by the ratio: the peaks are safer then.
    const found =
      decoded && channel < decoded.numberOfChannels && decoded.sampleRate === sr
        ? detectPulses(decoded.getChannelData(channel), sr)
        : peaks
          ? detectPulsesInPeaks(peaks, frames, sr)
          : [];
    return mergePulses(found, machine, Math.round(0.02 * sr), frames);
  }, [decoded, peaks, machine, channel, sr, frames]);

  return { peaks, pulses, decoded, setDecoded };
}
