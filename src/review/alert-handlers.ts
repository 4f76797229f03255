import { blindDetail } from '../audit/qa/blind-view.ts';
import { encodePeaks } from '../contract/index.ts';
import type { Handlers } from '../kernel/handlers.ts';
import { UserError } from '../util/errors.ts';

/** Alert reads run on the store port (src/kernel/store-port.ts): on a centre, every server shows the alerts its PostgreSQL database holds. */
export const alertHandlers: Handlers<'listAlerts' | 'getAlert' | 'getPeaks'> = {
  listAlerts: async ({ core }, { status, limit }) => ({ alerts: await core.storePort.read((tx) => tx.alerts.list(status, limit)) }),
  getAlert: async ({ core, blind }, { id }) => {
    const alert = await core.storePort.read((tx) => tx.alerts.detail(id));
    if (!alert) throw new UserError('not_found', `no alert ${id}`);
    return blind ? blindDetail(alert) : alert;
  },
  getPeaks: async ({ core }, { id }) => {
    const tracks = await core.storePort.read(async (tx) => ((await tx.alerts.summary(id)) ? tx.alerts.peaks(id) : undefined));
    if (!tracks) throw new UserError('not_found', `no alert ${id}`);
    // 16-bit samples in one string, not JSON numbers: see peak-codec.ts.
    return { tracks: tracks.map((t) => ({ sensorId: t.sensorId, peaksPerSecond: t.peaksPerSecond, peaks: encodePeaks(t.peaks) })) };
  },
};
