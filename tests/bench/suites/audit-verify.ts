import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
      let t = performance.now();
      const chain = await verifyAudit(core, { clips: false, records: false });
      const chainS = (performance.now() - t) / 1000;
      if (!chain.ok) throw new Error('bench chain does not verify');
      t = performance.now();
      for (const r of core.store.audit.iterate()) createHash('sha256').update(`${r.prev_hash}\n${r.payload_json}`).digest('hex');
      const bareChainS = (performance.now() - t) / 1000;
      const clips = core.store.auditReads.clips();
      const bytes = clips.reduce((s, c) => s + c.bytes, 0);
      t = performance.now();
      const full = await verifyAudit(core, { records: false });
      const clipS = (performance.now() - t) / 1000 - chainS;
      t = performance.now();
      for (const c of clips)
        createHash('sha256')
          .update(readFileSync(core.clips.path(c.sha256)))
          .digest('hex');
      const bareClipS = (performance.now() - t) / 1000;
      if (!full.ok) throw new Error('bench clips do not verify');
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
