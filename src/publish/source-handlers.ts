import type { Source } from '../contract/index.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import type { SourceRecord } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { capStatusFor, isSimulatedSource } from './source-status.ts';

const sourceView = (r: SourceRecord): Source => ({
  source: r.source,
  status: r.status,
  publishesAs: capStatusFor(r.source, r.status),
  simulated: isSimulatedSource(r.source),
  note: r.note,
  setUs: r.setUs,
  setBy: r.setBy,
  alerts: r.alerts,
  newestUs: r.newestUs,
});

// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

export const sourceHandlers: Handlers<'listSources' | 'setSourceStatus'> = {
  listSources: ({ core }) => core.storePort.read(async (tx) => ({ sources: (await tx.sources.list()).map(sourceView) })),

  setSourceStatus: async (ctx, { source, status, note }) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    if (!PRINTABLE.test(source)) throw new UserError('invalid_input', 'a source name is printable text');
    if (status === 'live' && isSimulatedSource(source)) {
      throw new UserError(
        'invalid_input',
        `${source} is a simulated network (its name starts with "demo-"): its alerts sit at real places but nothing happened there, so it is never live`,
      );
    }
    const now = clock.nowUs();
    return storePort.write(async (tx) => {
      // The previous status in the entry is the one this write replaced, whichever server set it.
      await tx.lock(`source:${source}`);
      const before = await tx.sources.get(source);
      await tx.sources.set(source, status, note?.trim() || null, now, who);
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'source.status_set',
        entity: `source:${source}`,
        payload: { source, status, note: note?.trim() || null, previous: before?.status ?? null, publishesAs: capStatusFor(source, status) },
      });
      return sourceView((await tx.sources.list()).find((s) => s.source === source)!);
    });
  },
};
