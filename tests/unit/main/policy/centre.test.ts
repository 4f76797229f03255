import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreNavigationAllowed, centreRequestAllowed, trustedByCentreCa } from '../../../../main/policy/centre.ts';
import { CentreOrigin } from '../../../../src/contract/index.ts';
import { centreCertificates } from '../../../support/centre-tls.ts';
import { tempDir } from '../../../support/temp.ts';

const ORIGIN = 'https://review.example:8443';

describe('a centre address', () => {
  it('is an https origin, normalised; anything else is refused with the reason', () => {
    expect(CentreOrigin.parse(' https://Review.Example:8443/ ')).toBe(ORIGIN);
    expect(CentreOrigin.parse('https://127.0.0.1:9443')).toBe('https://127.0.0.1:9443');
    const refused = (s: string) => {
      const r = CentreOrigin.safeParse(s);
      return r.success ? null : r.error.issues[0]!.message;
    };
    expect(refused('http://review.example')).toMatch(/https only/);
    expect(refused('https://ada:pw@review.example')).toMatch(/no name or password/);
    expect(refused('https://review.example/seat')).toMatch(/without a path/);
    expect(refused('https://review.example/?next=evil')).toMatch(/without a path/);
    expect(refused('javascript:alert(1)')).toMatch(/https only/);
    expect(refused('review.example')).toMatch(/not a web address/);
    expect(refused(`https://${'a'.repeat(3000)}.example`)).not.toBeNull();
  });
});

describe('the centre seat may go to the centre and nowhere else', () => {
  it('navigates within the origin only', () => {
    for (const u of [`${ORIGIN}/`, `${ORIGIN}/index.html?x=1#k`]) expect(centreNavigationAllowed(u, ORIGIN), u).toBe(true);
    for (const u of [
      'https://review.example/',
      'https://review.example:8444/',
      'http://review.example:8443/',
      'https://review.example.evil.test:8443/',
      'https://user:pw@review.example:8443/',
      'app://app/index.html',
      'file:///etc/passwd',
      'not a url',
    ])
      expect(centreNavigationAllowed(u, ORIGIN), u).toBe(false);
  });

  it('requests its origin, its event socket, data and blob URLs; nothing else', () => {
    for (const u of [`${ORIGIN}/api/getQueue`, 'wss://review.example:8443/api/events', 'data:image/png;base64,AA', `blob:${ORIGIN}/1234`])
      expect(centreRequestAllowed(u, ORIGIN), u).toBe(true);
    for (const u of [
      'https://tiles.example/1/2/3.png',
      'ws://review.example:8443/api/events',
      'wss://review.example:9999/api/events',
      'http://review.example:8443/api/getQueue',
      'https://review.example/api/getQueue',
      'https://user:pw@review.example:8443/',
      'clip://audio/x',
      'app://app/index.html',
      'file:///etc/passwd',
    ])
      expect(centreRequestAllowed(u, ORIGIN), u).toBe(false);
  });
});

describe("the centre's private CA", () => {
  let dir: ReturnType<typeof tempDir>;
  let centre: ReturnType<typeof centreCertificates>;
  let otherCa: string;
  // Taken once the certificates exist: they are valid from the second openssl made them, which on a
  // busy machine comes after this file was loaded (the test failed so once in CI).
  let now = 0;

  beforeAll(() => {
    dir = tempDir('earwitness-centre-ca-');
    centre = centreCertificates(dir.dir);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'o.key',
        '-out',
        'o.pem',
        '-subj',
        '/CN=Other CA',
        '-days',
        '2',
      ],
      {
        cwd: dir.dir,
        stdio: 'pipe',
      },
    );
    otherCa = readFileSync(join(dir.dir, 'o.pem'), 'utf8');
    now = Date.now();
  });
  afterAll(() => dir.cleanup());

  it("vouches for the centre's certificate, for the host it names, while it is valid", () => {
    expect(trustedByCentreCa([centre.certPem], centre.caPem, 'localhost', now)).toBe(true);
    expect(trustedByCentreCa([centre.certPem], centre.caPem, '127.0.0.1', now)).toBe(true);
    expect(trustedByCentreCa([centre.certPem, centre.caPem], centre.caPem, 'localhost', now)).toBe(true);
  });

  it('does not vouch for another host, another CA, a time outside the validity, or garbage', () => {
    expect(trustedByCentreCa([centre.certPem], centre.caPem, 'evil.test', now)).toBe(false);
    expect(trustedByCentreCa([centre.certPem], otherCa, 'localhost', now)).toBe(false);
    expect(trustedByCentreCa([centre.certPem], centre.caPem, 'localhost', now + 10 * 86_400_000)).toBe(false);
    expect(trustedByCentreCa([centre.certPem], centre.caPem, 'localhost', now - 10 * 86_400_000)).toBe(false);
    // The server's own certificate given as "the CA" vouches for nothing: it is not a CA.
    expect(trustedByCentreCa([centre.certPem], centre.certPem, 'localhost', now)).toBe(false);
    expect(trustedByCentreCa([], centre.caPem, 'localhost', now)).toBe(false);
    expect(trustedByCentreCa(['not a certificate'], centre.caPem, 'localhost', now)).toBe(false);
    expect(trustedByCentreCa([centre.certPem], 'not a certificate', 'localhost', now)).toBe(false);
  });
});
