import { createHash } from 'node:crypto';
import { basename, join, relative } from 'node:path';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { importFolders } from '../ingest/import.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { readCentreCa } from './centre-ca.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import type { DesktopBridge, Workplace } from '../kernel/desktop-bridge.ts';

function need(bridge: DesktopBridge | null): DesktopBridge {
  if (!bridge)
    throw new UserError(
      'unavailable',
      'native file dialogs exist only in the desktop app; on the web, send the files (uploads) and take the results as downloads',
    );
  return bridge;
}

export const desktopHandlers = (bridge: () => DesktopBridge | null): Handlers<'chooseImport' | 'choosePath' | 'setWorkplace'> => ({
  // Public, so the first run (no account yet) can choose a centre; from then on an administrator's.
  // Everything is checked, and the CA read, before the audit entry and the choice are kept.
  setWorkplace: async (ctx, choice) => {
    const b = bridge();
    if (ctx.session.transport !== 'electron' || !b?.setWorkplace || !b.chooseCentreCa)
      throw new UserError('unavailable', "only the desktop app chooses where it works; a browser simply opens the centre's address");
    const firstRun = (await ctx.core.storePort.read((tx) => tx.accounts.count())) === 0;
    const admin = ctx.session.actor?.roles.includes('admin') === true && !ctx.session.locked;
    if (!firstRun && !admin) throw new UserError('forbidden', 'only an administrator changes where this desktop app works');
    let workplace: Workplace = { kind: 'local' };
    if (choice.kind === 'centre') {
      let caPem: string | null = null;
      if (choice.privateCa) {
        const path = await b.chooseCentreCa(ctx.session);
        if (path === null) return { cancelled: true, restarting: false };
        caPem = readCentreCa(path);
      }
      workplace = { kind: 'centre', origin: choice.origin, caPem };
    }
    await ctx.core.storePort.write(async (tx) => {
      await tx.audit.append({
        atUs: ctx.core.clock.nowUs(),
        actor: ctx.session.actor?.name ?? 'first run',
        action: 'workplace.changed',
        entity: 'workplace',
        payload:
          workplace.kind === 'local'
            ? { kind: 'local' }
            : { kind: 'centre', origin: workplace.origin, privateCaSha256: workplace.caPem === null ? null : sha256Hex(workplace.caPem) },
      });
    });
    await b.setWorkplace(workplace);
    return { cancelled: false, restarting: true };
  },
  chooseImport: async (ctx, { kind }) => {
    const paths = await need(bridge()).chooseOpenPaths(ctx.session, kind);
    if (!paths || paths.length === 0) return { cancelled: true, outcomes: [] };
    const actor = actorName(ctx);
    // The page is told each folder's name and outcome, never where it is on the disk.
    const shown = (p: string, o: { path: string; status: 'imported' | 'duplicate' | 'refused'; alertId: number | null; message: string }) => {
      const name = o.path === p ? basename(p) : join(basename(p), relative(p, o.path));
      return { ...o, path: name, message: o.message.replaceAll(o.path, name).replaceAll(p, basename(p)) };
    };
    const outcomes = [];
    for (const p of paths) {
      try {
        checkOutsideDataFolder(ctx.core.config.dataDir, p, 'walk');
      } catch (e) {
        if (!isUserError(e)) throw e;
        outcomes.push(shown(p, { path: p, status: 'refused', alertId: null, message: e.message }));
        continue;
      }
      // A folder of alert folders is imported one alert at a time.
      for (const o of await importFolders(ctx.core, [p], actor)) outcomes.push(shown(p, o));
    }
    return { cancelled: false, outcomes };
  },
  choosePath: async (ctx, args) => {
    const b = need(bridge());
    const paths =
      args.mode === 'open'
        ? await b.chooseOpenPaths(ctx.session, args.purpose)
        : await b.chooseSavePath(ctx.session, args).then((p) => (p === null ? null : [p]));
    if (!paths || paths.length === 0) return { cancelled: true, grantId: null, names: [] };
    const { grantId, names } = ctx.core.files.grant(ctx.session.id, args.mode, args.purpose, paths);
    return { cancelled: false, grantId, names };
  },
});

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
