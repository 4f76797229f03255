import { describe, expect, it } from 'vitest';
import { auditEntryDigest, auditEntryDigestOfCanonical, GENESIS_HASH } from '../../../src/kernel/store-port.ts';
import { CanonicalText, canonicalJson } from '../../../src/util/canonical.ts';

const PAYLOADS: unknown[] = [
  null,
  {},
  [],
  { b: 1, a: [1, 2, { z: 'é', y: null }], c: 'line\nbreak "quoted" \u2028' },
  { attested: [{ table: 'accounts', key: '1', digest: 'ab'.repeat(32) }], n: -0.5e-7, big: 2 ** 53 - 1 },
  'a string payload',
  42,
];

describe('the audit entry digest from canonical text', () => {
  it('is the digest of the entry, for payloads of every shape', () => {
    for (const payload of PAYLOADS) {
      const payloadJson = canonicalJson(payload);
      const e = { seq: 7, atUs: 1_763_600_000_123_456, actor: 'ada', action: 'decision.made', entity: 'alert:3' };
      expect(auditEntryDigestOfCanonical(GENESIS_HASH, e, payloadJson)).toBe(auditEntryDigest(GENESIS_HASH, { ...e, payloadJson }));
    }
  });

  it('places canonical text into a larger value as it is, and only there', () => {
    expect(canonicalJson({ b: new CanonicalText('{"x":1}'), a: 2 })).toBe('{"a":2,"b":{"x":1}}');
    expect(canonicalJson([new CanonicalText('"s"')])).toBe('["s"]');
    // A payload whose stored bytes are not canonical still hashes as its canonical form would.
    const e = { seq: 1, atUs: 1, actor: 'a', action: 'x.y', entity: 'e' };
    expect(auditEntryDigest(GENESIS_HASH, { ...e, payloadJson: ' {"b":1, "a":2}' })).toBe(auditEntryDigestOfCanonical(GENESIS_HASH, e, '{"a":2,"b":1}'));
  });
});
