import { blindDetail } from '../audit/qa/blind-view.ts';
import type { Handlers } from '../core/handlers.ts';
import { UserError } from '../util/errors.ts';

export const alertHandlers: Handlers<'listAlerts' | 'getAlert' | 'getPeaks'> = {
  listAlerts: ({ core }, { status, limit }) => ({ alerts: core.store.alerts.list(status, limit) }),
  getAlert: ({ core, blind }, { id }) => {
    const alert = core.store.alerts.detail(id);
    if (!alert) throw new UserError('not_found', `no alert ${id}`);
    return blind ? blindDetail(alert) : alert;
  },
  getPeaks: ({ core }, { id }) => {
    if (!core.store.alerts.summary(id)) throw new UserError('not_found', `no alert ${id}`);
    // Float32 precision is far finer than any screen pixel; four decimals keep the JSON small.
    return {
      tracks: core.store.alerts.peaks(id).map((t) => ({
        sensorId: t.sensorId,
        peaksPerSecond: t.peaksPerSecond,
        peaks: Array.from(t.peaks, (v) => Math.round(v * 1e4) / 1e4),
      })),
    };
  },
};
