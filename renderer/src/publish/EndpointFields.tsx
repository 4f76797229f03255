import type { EndpointChange, EndpointInput, PublishFormat } from '../../../src/contract/index.ts';

/** A PEM text read from a file the administrator picked (the core parses and checks it). */
export interface PemFile {
  name: string;
  text: string;
}

/**
 * TLS options as the form holds them: undefined keeps what the endpoint has, null removes it, a
 * value sets it. A new endpoint has nothing to keep, so undefined and null mean the same there.
 */
export interface TlsDraft {
  clientCert?: PemFile | null;
  clientKey?: PemFile | null;
  ca?: PemFile | null;
  proxy?: string | null;
}

export interface EndpointDraft {
  /** Set for an endpoint in use: url empty keeps it, secret empty keeps its secret. */
  id?: number;
  shown?: string;
  /** What the endpoint in use has (never the PEM texts: they are not read back). */
  current?: { mutualTls: boolean; privateCa: boolean; proxy: string | null };
  url: string;
  format: PublishFormat;
  secret: string;
  tls: TlsDraft;
}

/** The contract's limit on one PEM text; a larger file is refused here before it is read. */
const PEM_MAX_BYTES = 64 * 1024;

export const emptyEndpoint = (): EndpointDraft => ({ url: 'https://', format: 'cap', secret: '', tls: {} });

const pemOrNull = (f: PemFile | null | undefined) => (f === undefined ? undefined : (f?.text ?? null));

type TlsChange = Pick<EndpointChange, 'clientCertPem' | 'clientKeyPem' | 'caPem' | 'proxy'>;

/** The TLS part of an endpoint as the contract takes it: only what the form changed. */
function tlsChange(tls: TlsDraft): TlsChange {
  const change: TlsChange = {};
  const cert = pemOrNull(tls.clientCert);
  const key = pemOrNull(tls.clientKey);
  const ca = pemOrNull(tls.ca);
  if (cert !== undefined) change.clientCertPem = cert;
  if (key !== undefined) change.clientKeyPem = key;
  if (ca !== undefined) change.caPem = ca;
  if (tls.proxy !== undefined) change.proxy = tls.proxy === null || tls.proxy.trim() === '' ? null : tls.proxy.trim();
  return change;
}

/** A new endpoint for addAgency: removals mean nothing there, so only values go. */
export function endpointInput(e: EndpointDraft): EndpointInput {
  const t = tlsChange(e.tls);
  return {
    url: e.url,
    format: e.format,
    secret: e.secret,
    ...(t.clientCertPem ? { clientCertPem: t.clientCertPem } : {}),
    ...(t.clientKeyPem ? { clientKeyPem: t.clientKeyPem } : {}),
    ...(t.caPem ? { caPem: t.caPem } : {}),
    ...(t.proxy ? { proxy: t.proxy } : {}),
  };
}

/** An endpoint for updateAgency: an id alone keeps it, anything typed or picked changes it. */
export function endpointChange(e: EndpointDraft, wasFormat: PublishFormat | undefined): EndpointChange {
  if (e.id === undefined) return endpointInput(e);
  return {
    id: e.id,
    ...(e.url.trim() ? { url: e.url.trim(), format: e.format } : e.format !== wasFormat ? { format: e.format } : {}),
    ...(e.secret ? { secret: e.secret } : {}),
    ...tlsChange(e.tls),
  };
}

function PemPicker({
  label,
  value,
  onPick,
  onError,
}: {
  label: string;
  value: PemFile | null | undefined;
  onPick: (f: PemFile | undefined) => void;
  onError: (text: string) => void;
}) {
  const read = async (f: File | undefined) => {
    if (!f) return onPick(undefined);
    if (f.size > PEM_MAX_BYTES) return onError(`${f.name} has ${f.size} bytes; a PEM file may hold at most ${PEM_MAX_BYTES}.`);
    onPick({ name: f.name, text: await f.text() });
  };
  return (
    <label>
      {label} <input type="file" aria-label={label} accept=".pem,.crt,.cer,.key,application/x-pem-file" onChange={(ev) => void read(ev.target.files?.[0])} />
      {value && <span className="dim">{value.name}</span>}
    </label>
  );
}

interface EndpointFieldsProps {
  endpoint: EndpointDraft;
  removable: boolean;
  onChange: (patch: Partial<EndpointDraft>) => void;
  onRemove: () => void;
  onError: (text: string) => void;
}

/** One endpoint's row: URL, format, signing secret, and (folded) its TLS options and proxy. */
export function EndpointFields({ endpoint: e, removable, onChange, onRemove, onError }: EndpointFieldsProps) {
  const setTls = (patch: Partial<TlsDraft>) => onChange({ tls: { ...e.tls, ...patch } });
  const cur = e.current;
  const mutualTls = e.tls.clientCert === undefined ? (cur?.mutualTls ?? false) : e.tls.clientCert !== null;
  const privateCa = e.tls.ca === undefined ? (cur?.privateCa ?? false) : e.tls.ca !== null;
  const proxy = e.tls.proxy === undefined ? (cur?.proxy ?? null) : e.tls.proxy;
  const summary = [mutualTls ? 'client certificate' : null, privateCa ? 'private CA' : null, proxy ? `proxy ${proxy}` : null].filter((s) => s !== null);
  return (
    <div className="endpoint" data-testid="endpoint-fields">
      <div className="row">
        {e.id !== undefined ? (
          <>
            <span className="mono" title="in use">
              {e.shown}
            </span>
            <label>
              New URL <input type="url" size={30} value={e.url} placeholder="(keep)" onChange={(ev) => onChange({ url: ev.target.value })} />
            </label>
          </>
        ) : (
          <label>
            URL <input type="url" size={42} value={e.url} onChange={(ev) => onChange({ url: ev.target.value })} />
          </label>
        )}
        <label>
          Format
          <select value={e.format} onChange={(ev) => onChange({ format: ev.target.value as PublishFormat })}>
            <option value="cap">CAP 1.2 XML</option>
            <option value="json">JSON</option>
          </select>
        </label>
        <label>
          {e.id !== undefined ? 'New secret' : 'Signing secret'}
          <input
            type="password"
            autoComplete="off"
            value={e.secret}
            onChange={(ev) => onChange({ secret: ev.target.value })}
            placeholder={e.id !== undefined ? '(keep)' : '16+ characters'}
          />
        </label>
        {removable && <button onClick={onRemove}>Remove endpoint</button>}
      </div>
      <details className="endpoint-tls">
        <summary>
          TLS and proxy: <span data-testid="endpoint-tls-summary">{summary.length ? summary.join(', ') : 'system CAs, direct'}</span>
        </summary>
        <p className="note">
          For an agency whose receiver asks for a client certificate (mutual TLS), whose certificate comes from its own CA, or that is reached through a proxy.
          Certificates and keys are stored for the delivery worker and never shown again; the key must not be encrypted.
        </p>
        <div className="row">
          <PemPicker label="Client certificate (PEM)" value={e.tls.clientCert} onPick={(f) => setTls({ clientCert: f })} onError={onError} />
          <PemPicker label="Client key (PEM)" value={e.tls.clientKey} onPick={(f) => setTls({ clientKey: f })} onError={onError} />
          {cur?.mutualTls && e.tls.clientCert !== null && (
            <button onClick={() => setTls({ clientCert: null, clientKey: null })}>Remove client certificate</button>
          )}
        </div>
        <div className="row">
          <PemPicker label="Private CA (PEM)" value={e.tls.ca} onPick={(f) => setTls({ ca: f })} onError={onError} />
          {cur?.privateCa && e.tls.ca !== null && <button onClick={() => setTls({ ca: null })}>Use the system CAs</button>}
        </div>
        <div className="row">
          <label>
            Proxy{' '}
            <input
              type="url"
              size={30}
              value={e.tls.proxy ?? ''}
              placeholder={cur?.proxy ? `(keep ${cur.proxy})` : 'http://proxy.example:3128'}
              onChange={(ev) => setTls({ proxy: ev.target.value === '' ? undefined : ev.target.value })}
            />
          </label>
          {cur?.proxy && e.tls.proxy !== null && <button onClick={() => setTls({ proxy: null })}>Connect directly</button>}
        </div>
      </details>
    </div>
  );
}
