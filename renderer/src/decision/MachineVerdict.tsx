import type { AlertDetail } from '../../../src/contract/index.ts';
import { unlocatedRounds } from '../map/unlocated.ts';
import { formatConfidence, formatLabel, formatMetres } from '../ui/format.ts';

/** What the machine said: the sensor network's classification, and what the locator made of the audio. */
export function MachineVerdict({ alert }: { alert: AlertDetail }) {
  const m = alert.machine;
  const solution = alert.solutions.at(-1);
  const shot = solution?.shots[0];
  // Rounds whose times fit only a line: how many, and which way (the map draws the line).
  const line = unlocatedRounds(alert.solutions)[0];
  return (
    <dl className="verdict" data-testid="machine-verdict">
      <div>
        <dt>Machine</dt>
        <dd>
          <span className="verdict-label">{m ? formatLabel(m.label) : 'no classification'}</span>
          {m && <span className="verdict-conf">{formatConfidence(m.confidence)}</span>}
          {m?.rounds !== null && m?.rounds !== undefined && (
            <span className="muted">
              {' '}
              · {m.rounds} round{m.rounds === 1 ? '' : 's'}
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>Located</dt>
        <dd>
          {shot ? (
            <>
              {solution.shots.length} shot{solution.shots.length === 1 ? '' : 's'}
              {shot.ellipse95 && (
                <span className="muted">
                  {' '}
                  · 95 % within {formatMetres(2 * shot.ellipse95.semiMajorM)} by {formatMetres(2 * shot.ellipse95.semiMinorM)}
                </span>
              )}
              <span className="muted">
                {' '}
                · {shot.sensorsUsed.length}/{alert.tracks.length} sensors
                {shot.residualRmsMs !== null && ` · rms ${shot.residualRmsMs.toFixed(1)} ms`}
              </span>
            </>
          ) : (
            <span className="muted" data-testid="no-fix">
              no fix
              {line
                ? ` · ${line.rounds} round${line.rounds === 1 ? '' : 's'} heard, not located: near a line beyond ${line.from} (on the map)`
                : solution
                  ? ` (${solution.rounds} pulse group${solution.rounds === 1 ? '' : 's'} heard)`
                  : ''}
            </span>
          )}
        </dd>
      </div>
    </dl>
  );
}
