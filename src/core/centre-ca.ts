import { openSync, closeSync, fstatSync, readSync } from 'node:fs';
import { certificates, expiredOrNotYet } from '../publish/endpoint-tls.ts';
import { UserError } from '../util/errors.ts';

/** A CA file is a few kilobytes; anything this large is not one. */
const MAX_CA_BYTES = 256 * 1024;

/**
 * The private CA a centre's certificate is signed by, read from the PEM file the person chose in
 * the native dialog, checked before the desktop app trusts it for anything: a regular file of a
 * sane size, PEM certificates that parse, each a CA (basicConstraints CA:TRUE), none expired.
 * Returns the PEM text of the CA certificates alone (nothing else the file held).
 */
export function readCentreCa(path: string, nowMs = Date.now()): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UserError('invalid_input', `the CA file could not be opened: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserError('invalid_input', 'the CA must be a file (a PEM certificate), not a folder or device');
    if (st.size > MAX_CA_BYTES) throw new UserError('invalid_input', `the CA file is ${st.size} bytes: a PEM certificate is a few kilobytes`);
    const bytes = Buffer.alloc(st.size);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) break;
      got += n;
    }
    text = bytes.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const cas = certificates(text, 'CA file');
  for (const c of cas) {
    const name = c.subject.replace(/\n/g, ', ');
    if (!c.ca)
      throw new UserError('invalid_input', `${name} is not a CA certificate (basicConstraints CA:TRUE): choose the centre's CA, not its server certificate`);
    expiredOrNotYet(c, `CA certificate ${name}`, nowMs);
  }
  return cas.map((c) => c.toString()).join('');
}
