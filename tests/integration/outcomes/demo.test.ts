import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { Rng } from '../../../src/ingest/demo/rng.ts';
import { DEMO_SHARES, simulateOutcome, startDemoOutcomes } from '../../../src/outcomes/demo.ts';
import { checkFindings } from '../../../src/outcomes/findings.ts';
import { addAgency, decide, seedAlert, session } from '../../support/publish-fixtures.ts';
import { ManualClock } from '../../support/clock.ts';
import { tempDir } from '../../support/temp.ts';

describe("the demo's simulated responders", () => {
  it('draw the Chicago OIG shares: about a sixth never reported, about a tenth of the reported with evidence, every draw a valid report', () => {
    const rng = Rng.of('test-demo-outcomes');
    const n = 20_000;
    let missing = 0,
      reported = 0,
      evidence = 0;
    for (let i = 0; i < n; i++) {
      const s = simulateOutcome(rng);
      if (s.kind === 'missing') {
        missing++;
        continue;
      }
      reported++;
      // Each simulated report passes the same check a CAD's or an officer's does.
      expect(checkFindings(s.first)).toEqual(s.first);
      if (s.later) expect(checkFindings(s.later)).toEqual(s.later);
      if (s.first.findings.includes('shell_casings')) evidence++;
    }
    // Binomial standard errors at n = 20,000 are under 0.3 points; allow four of them.
    expect(Math.abs(missing / n - DEMO_SHARES.missing)).toBeLessThan(0.011);
    expect(Math.abs(evidence / reported - DEMO_SHARES.evidence)).toBeLessThan(0.011);
  });

  describe('answering published incidents', () => {
    const clock = new ManualClock(Date.parse('2026-06-01T22:00:00Z') * 1000);
    let tmp: ReturnType<typeof tempDir>;
    let core: Core;
    let realIncident: number;
    beforeAll(async () => {
      tmp = tempDir();
      core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
      await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/cap' });
      for (let i = 0; i < 40; i++) await decide(core, await seedAlert(core), 'gunfire_multiple', 3);
      // One alert of a real network: the demo never answers for it.
      const real = await seedAlert(core);
      await testSql(core).run("UPDATE alerts SET source = 'city-network' WHERE id = ?", real);
      await decide(core, real, 'gunfire_multiple', 3);
      realIncident = (await core.call(session(core), 'getIncident', { alertId: real }))!.id;
    }, 60_000);
    afterAll(async () => {
      await core.close();
      tmp.cleanup();
    });

    it('answer after their delay, once, only for the demo source, and late finds add a second version', async () => {
      const responders = startDemoOutcomes(core, { source: 'test-network', delayS: [60, 120], laterS: 600, pollMs: 3_600_000 });
      try {
        expect(await responders.tick()).toBe(0);
        clock.advanceSeconds(121);
        const first = await responders.tick();
        const rows = async () => (await testSql(core).value("SELECT count(*) FROM outcomes WHERE channel = 'demo'")) as number;
        expect(first).toBe(await rows());
        // About 5 of 6 are answered.
        expect(first).toBeGreaterThan(25);
        expect(first).toBeLessThan(40);
        expect(await responders.tick()).toBe(0);
        clock.advanceSeconds(601);
        await responders.tick();
        expect(await core.storePort.read((tx) => tx.outcomes.forIncident(realIncident))).toEqual([]);
        expect(await testSql(core).value("SELECT count(*) FROM audit_log WHERE action = 'outcome.reported'")).toBe(await rows());
      } finally {
        responders.stop();
      }
    });
  });
});
