import { z } from 'zod';
import { defineEvent, defineMethod } from './define.ts';
import { FileSource } from './files.ts';

/** {z}, {x} and {y} (or {-y} for TMS servers), optionally {s} for a subdomain; http or https only. */
export const TILE_URL_TEMPLATE = /^https?:\/\/[^\s]+$/;

/**
 * Where the map's base layer comes from. Review rooms are often offline, so an MBTiles file on
 * disk comes first; a centre with its own tile server gives a URL template; otherwise the map
 * is drawn plain (background and scale), which always works.
 */
export const BaseLayer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plain') }),
  z.object({ kind: z.literal('mbtiles'), path: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('url'),
    template: z
      .string()
      .max(2048)
      .regex(TILE_URL_TEMPLATE, 'an http(s) URL')
      .refine((t) => t.includes('{z}') && t.includes('{x}') && (t.includes('{y}') || t.includes('{-y}')), 'needs {z}, {x} and {y} (or {-y})'),
    subdomains: z
      .array(z.string().regex(/^[a-z0-9-]{1,32}$/i))
      .max(16)
      .default([]),
    attribution: z.string().max(500).default(''),
    maxZoom: z.number().int().min(0).max(24).default(19),
  }),
]);
export type BaseLayer = z.infer<typeof BaseLayer>;

/** A base layer as a seat names it: an MBTiles file by an upload or a desktop grant, never by a path. */
export const BaseLayerChoice = z.discriminatedUnion('kind', [
  BaseLayer.options[0],
  z.object({ kind: z.literal('mbtiles'), file: FileSource }),
  BaseLayer.options[2],
]);
export type BaseLayerChoice = z.infer<typeof BaseLayerChoice>;

export const TileFormat = z.enum(['png', 'jpg', 'webp']);

/** What the base layer offers, read from the MBTiles metadata or the settings, for the map to configure its layer. */
export const TileSourceInfo = z.object({
  /** False when the configured source cannot be used now (file gone or unreadable); `problem` says why. */
  available: z.boolean(),
  problem: z.string().nullable(),
  name: z.string(),
  attribution: z.string(),
  format: TileFormat.nullable(),
  minZoom: z.number().int().min(0).max(24),
  maxZoom: z.number().int().min(0).max(24),
  /** West, south, east, north in degrees, when the source says. */
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type TileSourceInfo = z.infer<typeof TileSourceInfo>;

export const MapSettings = z.object({ baseLayer: BaseLayer, source: TileSourceInfo });
export type MapSettings = z.infer<typeof MapSettings>;

export const Tile = z.object({ mime: z.string(), dataBase64: z.string() });
export type Tile = z.infer<typeof Tile>;

export const mapMethods = {
  getMapSettings: defineMethod({
    seal: { none: true },
    summary: 'The base layer of the map (MBTiles file, tile URL template or plain) and what it offers.',
    input: z.object({}).default({}),
    output: MapSettings,
  }),
  setMapSettings: defineMethod({
    seal: { none: true },
    summary:
      'Command line only: choose the base layer, an MBTiles file by its path on the core machine. The file is checked (raster tiles table) before it is kept; the change is audited.',
    input: z.object({ baseLayer: BaseLayer }),
    output: MapSettings,
    roles: ['admin'],
    local: true,
    seatVariant: 'setBaseLayer',
  }),
  setBaseLayer: defineMethod({
    seal: { none: true },
    summary:
      'Choose the base layer: plain, a tile server, or an MBTiles file uploaded (kept in the data folder) or chosen in the desktop dialog (a grant of purpose mbtiles). The file is checked before it is kept; the change is audited.',
    input: z.object({ baseLayer: BaseLayerChoice }),
    output: MapSettings,
    roles: ['admin'],
  }),
  getTile: defineMethod({
    seal: { none: true },
    summary: 'One base-layer tile in XYZ numbering (y from the top), as base64 bytes; null where the source has no tile.',
    input: z
      .object({ z: z.number().int().min(0).max(24), x: z.number().int().min(0), y: z.number().int().min(0) })
      .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, 'x and y must be below 2^z'),
    output: z.object({ tile: Tile.nullable() }),
  }),
};

export const mapEvents = {
  mapSettingsChanged: defineEvent({
    seal: { none: true },
    summary: 'The base layer changed; maps reload their tiles.',
    payload: MapSettings,
  }),
};
