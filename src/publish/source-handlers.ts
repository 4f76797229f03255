import type { Source } from '../contract/index.ts';
import { actorName, type Handlers } from '../core/handlers.ts';
import type { SourceRecord } from '../store/sources.ts';
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
  listSources: ({ core }) => ({ sources: core.store.sources.list().map(sourceView) }),

  setSourceStatus: (ctx, { source, status, note }) => {
    const { store, clock } = ctx.core;
    const who = actorName(ctx);
    if (!PRINTABLE.test(source)) throw new UserError('invalid_input', 'a source name is printable text');
    if (status === 'live' && isSimulatedSource(source)) {
      throw new UserError(
        'invalid_input',
        `${source} is a simulated network (its name starts with "demo-"): its alerts sit at real places but nothing happened there, so it is never live`,
      );
    }
    const now = clock.nowUs();
    store.tx(() => {
      const before = store.sources.get(source);
      store.sources.set(source, status, note?.trim() || null, now, who);
      store.audit.append({
        atUs: now,
        actor: who,
        action: 'source.status_set',
        entity: `source:${source}`,
        payload: { source, status, note: note?.trim() || null, previous: before?.status ?? null, publishesAs: capStatusFor(source, status) },
      });
    });
    return sourceView(store.sources.list().find((s) => s.source === source)!);
  },
};
