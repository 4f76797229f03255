import type { LocateOptions, LocateOutput, SensorAudio } from './types.ts';
import { speedOfSound } from './types.ts';

export * from './types.ts';

/**
 * Audio to shots: pick pulses per sensor, associate them across sensors, solve each shot.
 * FOUNDATION PLACEHOLDER: returns no pulses and no shots until the picker and solver land.
 */
export function locateFromAudio(_sensors: readonly SensorAudio[], options: LocateOptions): LocateOutput {
  const temperatureC = options.temperatureC ?? options.defaultTemperatureC;
  return {
    temperatureC,
    temperatureSource: options.temperatureC === null ? 'default' : 'weather',
    speedOfSoundMs: speedOfSound(temperatureC),
    rounds: 0,
    shots: [],
    pulses: [],
  };
}
