/**
 * The Content-Security-Policy of the UI, sent as a response header by the host and by the
 * Electron app:// protocol. Scripts only from the bundle; wavesurfer's shadow DOM needs inline styles.
 */
export function contentSecurityPolicy(opts: { connect: string[]; img?: string[]; media?: string[] }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${(opts.img ?? []).join(' ')}`.trim(),
    `media-src 'self' blob: ${(opts.media ?? []).join(' ')}`.trim(),
    `connect-src 'self' ${opts.connect.join(' ')}`.trim(),
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
