import { z } from 'zod';

/** Integer microseconds since the Unix epoch (see src/util/time.ts). */
export const Micros = z.number().int().describe('integer microseconds since 1970-01-01T00:00:00Z');
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
export const Id = z.number().int().positive();

export const Coordinates = z.enum(['wgs84', 'local']);
export type Coordinates = z.infer<typeof Coordinates>;

/** A position in the alert's frame: WGS84 degrees, or metres in a local frame (research data). */
export const Position = z.union([
  z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), elevationM: z.number().optional() }),
  z.object({ x: z.number(), y: z.number(), z: z.number().optional() }),
]);
export type Position = z.infer<typeof Position>;
