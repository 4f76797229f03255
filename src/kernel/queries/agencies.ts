import type { DecisionClass, PublishFormat } from '../../contract/index.ts';
import type { CapStatusName } from './incidents.ts';

/** How an endpoint is reached beyond its URL. The client key is a secret, like the signing secret. */
export interface EndpointTls {
  clientCertPem: string | null;
  clientKeyPem: string | null;
  caPem: string | null;
  proxyUrl: string | null;
}

export const NO_TLS: EndpointTls = { clientCertPem: null, clientKeyPem: null, caPem: null, proxyUrl: null };

/** An endpoint as anyone may see it: whether TLS options are set, never the key (nor the certificate, which is kept like one). */
export interface EndpointRecord {
  id: number;
  url: string;
  format: PublishFormat;
  mutualTls: boolean;
  privateCa: boolean;
  proxyUrl: string | null;
}

export interface NewAgency {
  name: string;
  classes: DecisionClass[];
  /** The CAP statuses it accepts; Actual only when not given. */
  accepts?: CapStatusName[];
  /** The validated jurisdiction, as GeoJSON MultiPolygon text. */
  jurisdictionJson: string;
  bbox: [number, number, number, number];
  sourceType: 'Polygon' | 'MultiPolygon';
  polygons: number;
  holes: number;
  vertices: number;
  endpoints: { url: string; format: PublishFormat; secret: string; tls?: EndpointTls }[];
  createdUs: number;
  createdBy: string;
}

/** An agency as stored, without its endpoints' secrets. */
export interface AgencyRecord {
  id: number;
  name: string;
  classes: DecisionClass[];
  /** The CAP statuses it accepts; a message of another status is withheld from it, with the reason. */
  accepts: CapStatusName[];
  sourceType: 'Polygon' | 'MultiPolygon';
  polygons: number;
  holes: number;
  vertices: number;
  bbox: [number, number, number, number];
  createdUs: number;
  createdBy: string;
  updatedUs: number | null;
  updatedBy: string | null;
  removedUs: number | null;
  /** Grows by one each time the jurisdiction changes: parsed copies cached elsewhere compare it. */
  jurisdictionRev: number;
  /** The endpoints in use (retired ones stay in the table for the deliveries that went there). */
  endpoints: EndpointRecord[];
}

/** A new or changed jurisdiction, validated, as stored. */
export type StoredJurisdiction = Pick<NewAgency, 'jurisdictionJson' | 'bbox' | 'sourceType' | 'polygons' | 'holes' | 'vertices'>;

/** What the delivery worker needs to send: the only read of a secret in the code base (the client key is one too). */
export interface EndpointForSending extends EndpointTls {
  id: number;
  url: string;
  format: PublishFormat;
  secret: string;
}

/** Agencies, their jurisdictions and endpoints. Active names are unique regardless of ASCII case. */
export interface AgencyQueries {
  /** Adds an agency with its endpoints; returns its id. */
  insert(a: NewAgency): Promise<number>;
  /** Active agencies by name (ASCII case folded), then id. */
  active(): Promise<AgencyRecord[]>;
  get(id: number): Promise<AgencyRecord | undefined>;
  activeIdByName(name: string): Promise<number | undefined>;
  /** The stored jurisdiction: a GeoJSON MultiPolygon. */
  jurisdictionJson(id: number): Promise<string | undefined>;
  endpointForSending(endpointId: number): Promise<EndpointForSending | undefined>;
  remove(id: number, atUs: number, by: string): Promise<boolean>;
  /** Sets name, classes and (when given) the statuses it accepts, and stamps the change. */
  update(id: number, a: { name: string; classes: DecisionClass[]; accepts?: CapStatusName[]; atUs: number; by: string }): Promise<boolean>;
  /** Replaces the jurisdiction and bumps its revision. */
  setJurisdiction(id: number, j: StoredJurisdiction): Promise<boolean>;
  addEndpoint(agencyId: number, e: { url: string; format: PublishFormat; secret: string; tls?: EndpointTls }): Promise<number>;
  /** Takes an endpoint out of use; its row stays for the deliveries that name it. */
  retireEndpoint(agencyId: number, endpointId: number, atUs: number): Promise<boolean>;
  /** A new signing key for an endpoint in use (a rotation): queued deliveries are signed with it. */
  setEndpointSecret(agencyId: number, endpointId: number, secret: string): Promise<boolean>;
  /** New TLS options for an endpoint in use (certificate, key, CA, proxy), as a whole. */
  setEndpointTls(agencyId: number, endpointId: number, tls: EndpointTls): Promise<boolean>;
}
