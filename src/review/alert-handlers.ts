import { blindDetail } from '../audit/qa/blind-view.ts';
import { encodePeaks } from '../contract/index.ts';
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
    // 16-bit samples in one string, not JSON numbers: see peak-codec.ts.
    return {
      tracks: core.store.alerts.peaks(id).map((t) => ({ sensorId: t.sensorId, peaksPerSecond: t.peaksPerSecond, peaks: encodePeaks(t.peaks) })),
    };
  },
};
