import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { ExportReceipt } from '../contract/audit.ts';
import type { CoreServices } from '../kernel/services.ts';
import { GENESIS_HASH } from '../kernel/queries/audit.ts';
import { formatIsoMicros } from '../util/time.ts';
import { recordAnchor } from './anchors.ts';
import { checkTarget, tempNameFor } from '../files/save-file.ts';

export const EXPORT_FORMAT = 'earwitness-audit-export/1';
export const DIGEST_RULE =
  'hash = sha256_hex(prevHash + "\\n" + canonical), canonical = {"action":A,"actor":B,"atUs":C,"entity":D,"payload":PAYLOADJSON,"seq":E} with A, B, D as JSON strings and PAYLOADJSON verbatim';

/**
 * Writes the whole chain to `path`: a header, one line per entry (the payload as the exact
 * canonical text that was hashed, so a verifier never re-serialises JSON), and a final head
 * line. Written to a temporary file, fsynced, then renamed, so a half-written export never
 * stands under the name. The head is then recorded as an anchor, and the export as an entry.
 */
export async function exportAudit(
  core: CoreServices,
  actor: string,
  o: { path: string; format: 'jsonl' | 'json'; overwrite: boolean },
): Promise<ExportReceipt> {
  const target = checkTarget(o.path, o.overwrite);
  const { storePort, clock } = core;
  const generatedUs = clock.nowUs();
  const tmp = tempNameFor(target);
  const fd = openSync(tmp, 'wx', 0o644);
  const hash = createHash('sha256');
  let bytes = 0;
  let buffer = '';
  const out = (text: string) => {
    buffer += text;
    if (buffer.length > 1 << 20) flush();
  };
  const flush = () => {
    const b = Buffer.from(buffer, 'utf8');
    writeSync(fd, b);
    hash.update(b);
    bytes += b.byteLength;
    buffer = '';
  };
  let head = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  try {
    // One read transaction (a snapshot on PostgreSQL): the file is a consistent cut of the chain,
    // read page by page, so a centre's millions of entries never sit in memory at once.
    await storePort.read(async (tx) => {
      const header = {
        type: 'header',
        format: EXPORT_FORMAT,
        software: `earwitness ${core.version}`,
        generatedUs,
        generatedAt: formatIsoMicros(generatedUs),
        genesisHash: GENESIS_HASH,
        digest: DIGEST_RULE,
        entries: await tx.audit.count(),
      };
      const json = o.format === 'json';
      out(json ? `{"header":${JSON.stringify(header)},\n"entries":[\n` : `${JSON.stringify(header)}\n`);
      for await (const r of tx.audit.iterate()) {
        const line = JSON.stringify({
          type: 'entry',
          seq: r.seq,
          atUs: r.at_us,
          at: formatIsoMicros(r.at_us),
          actor: r.actor,
          action: r.action,
          entity: r.entity,
          payloadJson: r.payload_json,
          prevHash: r.prev_hash,
          hash: r.hash,
        });
        out(json ? `${entries > 0 ? ',\n' : ''}${line}` : `${line}\n`);
        head = { seq: r.seq, hash: r.hash };
        entries++;
      }
      const tail = { type: 'head', seq: head.seq, hash: head.hash, entries };
      out(json ? `\n],\n"head":${JSON.stringify(tail)}}\n` : `${JSON.stringify(tail)}\n`);
    });
    flush();
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, target);
  const receipt: ExportReceipt = {
    format: 'earwitness-audit-receipt/1',
    path: target,
    fileSha256: hash.digest('hex'),
    bytes,
    entries,
    headSeq: head.seq,
    headHash: head.hash,
    generatedUs,
  };
  await storePort.write((tx) =>
    tx.audit.append({
      atUs: generatedUs,
      actor,
      action: 'audit.exported',
      entity: 'audit:chain',
      payload: { file: basename(target), fileSha256: receipt.fileSha256, headSeq: head.seq, headHash: head.hash, entries, format: o.format },
    }),
  );
  recordAnchor(core.config.dataDir, { seq: head.seq, hash: head.hash, atUs: generatedUs, reason: `export ${basename(target)}` });
  return receipt;
}
