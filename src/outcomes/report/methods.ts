import { EVIDENCE_FINDINGS, FINDING_LABELS } from '../../contract/index.ts';

/**
 * How each figure is made, in words a council member can check: printed beside the figure in the
 * seat, in the HTML report and in the CSV. One text, so the three never disagree.
 */
export function methodTexts(o: { timeZone: string; cellM: number; k: number; areaName: string }): Record<string, string> {
  const evidence = EVIDENCE_FINDINGS.map((f) => FINDING_LABELS[f].toLowerCase()).join(', ');
  return {
    period: `Alerts detected from the first day's local midnight to the midnight after the last day, in ${o.timeZone}, in ${o.areaName}. An alert belongs to an area when the located position of its first shot (the newest location, after any reviewer correction) lies inside it; alerts with no located position count only for the whole network.`,
    alerts:
      'Every alert the sensor network raised in the period and area, whatever a reviewer decided. Research recordings in local metres are left out and counted.',
    confirmed:
      'An alert is a confirmed incident when its standing decision (the newest one not undone) is gunfire, single or multiple shots, and its incident was not withdrawn after publishing. Probable gunfire is not counted as confirmed. Decisions under blind quality review are sealed until that review is in: they are held out of every decided figure and their number is given.',
    share:
      'Confirmed incidents divided by decided alerts (alerts with a standing decision, sealed ones held out). Undecided alerts are not in the denominator; their number is given.',
    rounds:
      "Rounds of confirmed incidents: the reviewer's count where the reviewer gave one, otherwise the locator's count from the audio. Incidents with neither are counted apart.",
    nights: `A night runs from noon to the next noon, local time (${o.timeZone}), named by its evening; the first and last nights of the period lie only partly inside it. Each alert counts in the night and the hour of day it was detected.`,
    hours: `Hour of day of detection, local time (${o.timeZone}), summed over the period.`,
    publication:
      'From the located time of the first shot, as sent to agencies, to the moment the incident was first queued for an agency (published), and to the first delivery an agency acknowledged. Only confirmed incidents sent to an agency count.',
    outcomes: `What responding agencies reported, per confirmed incident sent to an agency: each agency's newest report (a late report adds a version, never replaces one), joined when several agencies reported. Evidence of gunfire means ${evidence}. Counts of arrests and firearms are the larger of the agencies' counts. Shares are given over the incidents with a report, and over every incident sent (counting those with no report as having none: a lower bound).`,
    missing:
      'Incidents sent to an agency with no outcome reported by any agency. They are never dropped: every outcome share says over how many incidents it is taken, and how many have no report.',
    cost: "The programme's yearly cost as the administrator entered it, prorated to the days of the period, divided by the number of confirmed incidents, incidents with evidence, arrests and firearms recovered. It says what each outcome cost the programme, not what it was worth.",
    map: `Confirmed incidents counted in cells of a fixed grid of ${o.cellM} m (rows of ${o.cellM} m of latitude from the equator, columns ${o.cellM} m wide at each row's middle latitude, from the Greenwich meridian); exact locations are never shown. Cells with fewer than ${o.k} incidents are left off the map (they stay in every total), and so are incidents with no located position. The same grid is used by every report of this cell size, so reports cannot be overlaid to narrow a location; comparing reports of overlapping periods can still reveal a change of a few incidents in a cell.`,
  };
}
