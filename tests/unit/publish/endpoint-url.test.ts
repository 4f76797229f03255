import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, checkFormat, checkSecret, redactUrl } from '../../../src/publish/endpoint-url.ts';

describe('endpoint URLs and secrets', () => {
  it('accepts http and https', () => {
    expect(checkEndpointUrl(' https://dispatch.example/cap ')).toBe('https://dispatch.example/cap');
    expect(checkEndpointUrl('http://127.0.0.1:8080/in?x=1')).toBe('http://127.0.0.1:8080/in?x=1');
  });

  it.each([
    ['file:///etc/passwd', /only http/],
    ['ftp://example.com/x', /only http/],
    ['javascript:alert(1)', /only http/],
    ['data:text/plain,hi', /only http/],
    ['https://user:pass@dispatch.example/', /user name or password/],
    ['https://token@dispatch.example/', /user name or password/],
    ['https://dispatch.example/#frag', /fragment/],
    ['https://dispatch.example/a b', /whitespace/],
    ['https://dispatch.example/\u0000', /control/],
    ['notaurl', /not a URL/],
    [`https://dispatch.example/${'a'.repeat(2100)}`, /longer than 2048/],
    ['', /needs a URL/],
  ])('refuses %s', (url, pattern) => {
    expect(() => checkEndpointUrl(url)).toThrow(pattern);
  });

  it('hides query values, which may be tokens', () => {
    expect(redactUrl('https://d.example/in?token=abc&x=1')).toBe('https://d.example/in?token=…&x=…');
  });

  it('wants long printable secrets', () => {
    expect(() => checkSecret('short')).toThrow(/16 characters/);
    expect(() => checkSecret(' padded-secret-value ')).toThrow(/printable/);
    expect(() => checkSecret('line\nbreak-secret-value')).toThrow(/printable/);
    expect(checkSecret('a-long-enough-secret')).toBe('a-long-enough-secret');
  });
});

describe('endpoint formats', () => {
  it('takes cap and json, and refuses eido until EIDO is rendered', () => {
    expect(checkFormat('cap')).toBe('cap');
    expect(checkFormat('json')).toBe('json');
    expect(() => checkFormat('eido')).toThrow(/NENA EIDO is not published yet/);
  });
});
