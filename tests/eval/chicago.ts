/**
 * `npm run eval -- chicago [DIR]`: the locator on ShotSpotter's public Chicago example (four
 * sensor WAVs with smj0 metadata, MIT licence). There is no surveyed truth: a good solution uses
 * all four sensors with residuals of a few milliseconds, which this prints per sensor.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { prepareAlert } from '../../src/ingest/prepare.ts';
import { readAlertFolder } from '../../src/ingest/readers.ts';
import { formatIsoMicros } from '../../src/util/time.ts';

export async function main(args: string[]): Promise<number> {
  const dir = resolve(args[0] ?? '../shared/data/shotspotter-wav/chicago-incident-556267');
  if (!existsSync(dir)) {
    process.stderr.write(`chicago: ${dir} is absent (the example lives in ../shared/data/shotspotter-wav)\n`);
    return 2;
  }
  const incoming = readAlertFolder(dir);
  const t0 = performance.now();
  const { located, solution } = prepareAlert(incoming, { defaultTemperatureC: 15, nowUs: 0 });
  const ms = performance.now() - t0;
  const lines = [
    `Chicago incident 556267 (${dir}); ShotSpotter example data, MIT licence`,
    `${incoming.sensors.length} sensors; temperature ${located.temperatureC} C (${located.temperatureSource}), c = ${located.speedOfSoundMs.toFixed(1)} m/s; import+locate ${ms.toFixed(0)} ms`,
    `rounds ${located.rounds}, located ${solution?.shots.length ?? 0}`,
  ];
  for (const s of solution?.shots ?? []) {
    const p = 'lat' in s.position ? `${s.position.lat.toFixed(6)}, ${s.position.lon.toFixed(6)}` : `${s.position.x}, ${s.position.y}`;
    lines.push(
      `shot ${s.index} at ${formatIsoMicros(s.timeUs)}: ${p}; ${s.sensorsUsed.length} of ${incoming.sensors.length} sensors; residual rms ${s.residualRmsMs?.toFixed(2)} ms; ` +
        `95 % ellipse ${s.ellipse95 ? `${s.ellipse95.semiMajorM.toFixed(1)} x ${s.ellipse95.semiMinorM.toFixed(1)} m` : 'none'}; GDOP ${s.gdop?.toFixed(2) ?? '-'}`,
    );
    for (const [id, r] of Object.entries(s.residualsMs)) lines.push(`  ${id.padEnd(20)} residual ${r.toFixed(2).padStart(7)} ms`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
