import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkClips } from '../../../src/audit/clips-check.ts';
import { RecordsCollector } from '../../../src/audit/records-check.ts';
import { verifyAudit } from '../../../src/audit/verify.ts';
import { populatedCore } from '../../support/audit-fixtures.ts';
import type { BenchSuite } from '../types.ts';

/**
 * How fast `audit verify` walks the chain and re-hashes clips, beside the bare SHA-256 of the
 * same bytes: the ratio says what canonical JSON, the SQLite read and the checks cost on top.
 */
export const suite: BenchSuite = {
  name: 'audit',
  async run(ctx) {
    const { core } = await populatedCore(ctx.workDir, ctx.quick ? 20 : 100);
    try {
      const extra = ctx.quick ? 2_000 : 30_000;
      core.store.tx(() => {
        for (let i = 0; i < extra; i++) {
          core.store.audit.append({
            atUs: i,
            actor: 'bench',
            action: 'bench.entry',
            entity: `alert:${1 + (i % 20)}`,
            payload: { i, note: 'a payload of typical size', values: [i, i * 2, i * 3] },
          });
        }
      });
      const entries = core.store.audit.count();
      ctx.log(`${entries} entries`);
      await verifyAudit(core, { clips: false, records: false }); // once untimed: the first walk is mostly the JIT compiling it
      let t = performance.now();
      const chain = await verifyAudit(core, { clips: false, records: false });
      const chainS = (performance.now() - t) / 1000;
      if (!chain.ok) throw new Error('bench chain does not verify');
      t = performance.now();
      for (const r of core.store.audit.iterate()) createHash('sha256').update(`${r.prev_hash}\n${r.payload_json}`).digest('hex');
      const bareChainS = (performance.now() - t) / 1000;
      const clips = core.store.auditReads.clips();
      const bytes = clips.reduce((s, c) => s + c.bytes, 0);
      const full = await verifyAudit(core, { records: false });
      if (!full.ok) throw new Error('bench clips do not verify');
      // The clip step alone (what verify runs after its read transaction), timed on its own: the
      // difference of two whole verifications was mostly noise on a shared machine.
      const records = new RecordsCollector();
      for (const r of core.store.audit.iterate()) records.visit(r);
      const rows = { clips, sensors: core.store.auditReads.sensors() };
      t = performance.now();
      const checked = await checkClips(rows, core.clips, records.clipSeq);
      const clipS = (performance.now() - t) / 1000;
      if (checked.problems.length > 0 || checked.checked !== clips.length) throw new Error('bench clips do not verify');
      t = performance.now();
      for (const c of clips)
        createHash('sha256')
          .update(readFileSync(core.clips.path(c.sha256)))
          .digest('hex');
      const bareClipS = (performance.now() - t) / 1000;
      return [
        {
          name: 'audit.verify_chain_entries_per_s',
          value: entries / chainS,
          unit: 'entries/s',
          baseline: entries / bareChainS,
          baselineLabel: 'bare SHA-256 of each entry',
          higherIsBetter: true,
        },
        {
          name: 'audit.verify_clips_mb_per_s',
          value: bytes / 1e6 / Math.max(clipS, 1e-6),
          unit: 'MB/s',
          baseline: bytes / 1e6 / bareClipS,
          baselineLabel: 'read + SHA-256 of each clip',
          higherIsBetter: true,
        },
      ];
    } finally {
      await core.close();
    }
  },
};
