import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';

/** Every file of a zip, by its name in the zip, read with yauzl (which checks names and sizes as it goes). */
export function readZip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err: Error | null, zip: ZipFile) => {
      if (err) return reject(err);
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Unpacks a zip whose files all sit in one top folder into `dir`, without that folder; returns the top folder's name. */
export async function unzipTop(bytes: Buffer, dir: string): Promise<string> {
  const files = await readZip(bytes);
  const tops = new Set([...files.keys()].map((n) => n.split('/')[0]!));
  if (tops.size !== 1) throw new Error(`expected one top folder in the zip, found ${[...tops].join(', ')}`);
  const top = [...tops][0]!;
  for (const [name, data] of files) {
    const target = join(dir, ...name.split('/').slice(1));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  return top;
}
