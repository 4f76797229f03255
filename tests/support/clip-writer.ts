/**
 * A process that stores clips as fast as it can, for the kill -9 test of the clip store:
 * `node --import tsx clip-writer.ts --dir CLIPS --sources DIR --bytes N`. Odd clips go through
 * putFile (the import path: copied from a file in chunks), even ones through put (from memory).
 * Prints `writing <sha>` before each and `stored <sha>` after, until killed or 1000 clips.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClipStore } from '../../src/store/clip-store.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, sources: { type: 'string' }, bytes: { type: 'string' }, seed: { type: 'string' } } });
const store = new ClipStore(values.dir!);
mkdirSync(values.sources!, { recursive: true });
const size = Number(values.bytes);
let state = Number(values.seed ?? 1) >>> 0 || 1;

for (let i = 0; i < 1000; i++) {
  const bytes = Buffer.allocUnsafe(size);
  for (let k = 0; k < size; k += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes.writeUInt32LE(state >>> 0, k);
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (i % 2) {
    const source = join(values.sources!, `${i}.wav`);
    writeFileSync(source, bytes);
    process.stdout.write(`writing ${sha}\n`);
    await store.putFile(sha, source, { size });
  } else {
    process.stdout.write(`writing ${sha}\n`);
    store.put(sha, bytes);
  }
  process.stdout.write(`stored ${sha}\n`);
}
