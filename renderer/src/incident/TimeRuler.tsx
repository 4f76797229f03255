import type { RefObject } from 'react';
import { formatUtcTime } from '../ui/format.ts';
import { axisFraction, percent, shotBadgeLabels, ticksFor, type TimeAxis } from './axis.ts';

/** Labels closer than this to a shot badge are left out, so the badge stays readable. */
const BADGE_CLEARANCE_PX = 36;

/**
 * The shared time axis above the tracks. With a located shot, seconds count from the shot time
 * (labels read as travel times) and the gutter shows that time in UTC; without one, from the
 * axis start.
 */
export function TimeRuler(props: {
  axis: TimeAxis;
  shotTimesUs: readonly number[];
  /** Where seconds count from when there is no shot time (the deck's start, so labels stay put while zooming). */
  originUs?: number;
  /** Tracks are shifted (first-arrival alignment): times are relative, not UTC. */
  relative?: boolean;
  lane: RefObject<HTMLDivElement | null>;
  width: number;
  /** What the gutter says instead of a UTC time (a clip with no time of its own counts from its first sample). */
  caption?: string;
}) {
  const { axis, shotTimesUs, lane, width } = props;
  const originUs = shotTimesUs[0] ?? props.originUs ?? axis.startUs;
  const badges = shotTimesUs.map((us) => axisFraction(axis, us));
  const badgeLabels = shotBadgeLabels(badges, width);
  const ticks = ticksFor(axis, width, originUs).map((t) =>
    t.label && badges.some((b) => Math.abs(b - t.fraction) * width < BADGE_CLEARANCE_PX) ? { ...t, label: '' } : t,
  );
  return (
    <div className="ruler" data-testid="time-ruler">
      <div
        className="ruler-gutter"
        title={props.caption ?? `${shotTimesUs.length ? 'time of the located shot' : 'start of the axis'}: ${formatUtcTime(originUs, 6)} UTC`}
      >
        {props.caption !== undefined ? (
          <span className="ruler-caption">{props.caption}</span>
        ) : props.relative ? (
          <span className="ruler-caption">aligned on arrivals</span>
        ) : (
          <>
            <span className="ruler-caption">{shotTimesUs.length ? 'shot' : 'UTC'}</span> {formatUtcTime(originUs, 3)}
          </>
        )}
      </div>
      <div className="ruler-lane" ref={lane}>
        {ticks.map((t) => (
          <span key={t.s} className={t.major ? 'tick tick-major' : 'tick'} style={{ left: percent(t.fraction) }}>
            {t.label && <span className="tick-label">{t.label}</span>}
          </span>
        ))}
        {badges.map(
          (f, i) =>
            f >= 0 &&
            f <= 1 && (
              <span key={`shot-${i}`} className="ruler-shot" style={{ left: percent(f) }} title={`shot ${i + 1} at ${formatUtcTime(shotTimesUs[i]!, 6)} UTC`}>
                {badgeLabels[i]}
              </span>
            ),
        )}
      </div>
    </div>
  );
}
