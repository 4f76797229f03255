import { UserError } from '../util/errors.ts';

/**
 * Checks an agency endpoint URL and returns its normal form. Only http and https: a file:,
 * data: or ftp: URL would let a configuration read or reach what it should not. No
 * user:password@ (credentials in a URL end up in logs and screens; the HMAC secret is the
 * credential), no fragment (never sent anyway), no whitespace or control characters.
 */
export function checkEndpointUrl(text: string): string {
  const raw = text.trim();
  if (raw.length === 0) throw new UserError('invalid_input', 'an endpoint needs a URL');
  if (raw.length > 2048) throw new UserError('invalid_input', 'the endpoint URL is longer than 2048 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) throw new UserError('invalid_input', 'the endpoint URL holds whitespace or control characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError('invalid_input', `not a URL: ${JSON.stringify(raw.slice(0, 80))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError('invalid_input', `only http:// and https:// endpoints are allowed, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new UserError('invalid_input', 'the endpoint URL must not carry a user name or password; deliveries are authenticated by the signing secret');
  }
  if (raw.includes('#')) throw new UserError('invalid_input', 'the endpoint URL must not have a #fragment');
  if (!url.hostname) throw new UserError('invalid_input', 'the endpoint URL has no host');
  return url.href;
}

/** The URL to show: query values (which may hold tokens) replaced by an ellipsis. */
export function redactUrl(href: string): string {
  try {
    const url = new URL(href);
    if (!url.search) return url.href;
    const names = [...url.searchParams.keys()];
    url.search = '';
    return `${url.href}?${names.map((n) => `${encodeURIComponent(n)}=…`).join('&')}`;
  } catch {
    return '(invalid URL)';
  }
}

/** A signing secret: long enough to resist guessing, printable, without surrounding spaces. */
export function checkSecret(secret: string): string {
  if (secret.length < 16) throw new UserError('invalid_input', 'a signing secret needs at least 16 characters');
  if (secret.length > 512) throw new UserError('invalid_input', 'a signing secret may have at most 512 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(secret) || secret.trim() !== secret) {
    throw new UserError('invalid_input', 'a signing secret must be printable, without leading or trailing spaces');
  }
  return secret;
}

/** The formats the outbox renders; EIDO is in the contract's enum for the agencies to come, but not rendered yet, so refused. */
export function checkFormat<F extends string>(format: F): F {
  if (format === 'eido') throw new Error('NENA EIDO is not published yet: use cap or json');
  return format;
}
