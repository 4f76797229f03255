import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportArchiveRequest, ExportResult } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import type { OutputTarget } from '../files/transfers.ts';
import { zipFolder } from '../files/zip.ts';
import { formatIsoMicros } from '../util/time.ts';
import { recordExport, writeExport } from './export.ts';
import type { JobControl } from './jobs.ts';
import { safeStem } from './names.ts';
import { readProject } from './projects.ts';

/**
 * A seat's export: the same files as the command line's folder, written in the core's own work
 * folder, zipped (one top folder inside), and delivered as a download of the seat or into the file
 * its desktop save dialog chose. Recorded once delivered; a cancel or an error leaves nothing.
 */
export async function exportDatasetArchive(
  core: CoreServices,
  actor: string,
  req: ExportArchiveRequest,
  target: OutputTarget,
  ctl: JobControl,
): Promise<ExportResult> {
  const project = await readProject(core, req.projectId);
  const work = core.files.workDir();
  try {
    const stamp = formatIsoMicros(core.clock.nowUs()).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    const name = `${safeStem(project.name)}-${req.format}-${stamp}`;
    const dir = join(work, name);
    mkdirSync(dir);
    const written = await writeExport(core, actor, req, dir, ctl);
    ctl.progress('zip', 0, written.files.length);
    const zipPath = join(work, `${name}.zip`);
    await zipFolder(dir, written.files, name, zipPath, new Date(written.exportedUs / 1000));
    await ctl.checkpoint();
    const archive = await target.deliver({ fileName: `${name}.zip`, contentType: 'application/zip', file: zipPath });
    await recordExport(core, actor, req, written, { archive: archive.fileName, archiveSha256: archive.sha256, to: archive.kind });
    return { ...written.result, outDir: null, archive };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
