import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { StoreBackend } from '../../kernel/store-port.ts';
import type { PortAttestations } from '../port/attested.ts';
import type { Schema } from '../schema.ts';

/** What a query group runs on: Kysely bound to one transaction's connection, and which SQL dialect that is. */
export interface QueryContext {
  readonly db: Kysely<Schema>;
  readonly backend: StoreBackend;
  /** The rows this transaction changed in the attested tables (attested.ts), for the audit entry that records them. */
  readonly attested: PortAttestations;
}

/**
 * `column IN (values)` as one parameter whatever the list's length (SQLite: json_each over a JSON
 * array; PostgreSQL: = ANY of an array), so 100,000 ids never exceed a parameter limit, and an
 * empty list is valid SQL that matches nothing (PostgreSQL refuses `IN ()`).
 */
export function inList(ctx: QueryContext, column: string, values: readonly (number | string)[], type: 'bigint' | 'text'): RawBuilder<boolean> {
  return ctx.backend === 'sqlite'
    ? sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`
    : sql<boolean>`${sql.ref(column)} = ANY(${[...values]}::${sql.raw(type)}[])`;
}

/** `column NOT IN (values)`, one parameter; an empty list excludes nothing. */
export function notInList(ctx: QueryContext, column: string, values: readonly (number | string)[], type: 'bigint' | 'text'): RawBuilder<boolean> {
  return ctx.backend === 'sqlite'
    ? sql<boolean>`${sql.ref(column)} NOT IN (SELECT value FROM json_each(${JSON.stringify(values)}))`
    : sql<boolean>`${sql.ref(column)} <> ALL(${[...values]}::${sql.raw(type)}[])`;
}

/** A list as `inList`'s one parameter, for queries prepared once (see prepared.ts). */
export const listParam = (ctx: QueryContext, values: readonly (number | string)[]): unknown =>
  ctx.backend === 'sqlite' ? JSON.stringify(values) : [...values];

/** `column NOT IN` the list a `listParam` holds. */
export function notInListParam(ctx: QueryContext, column: string, param: unknown, type: 'bigint' | 'text'): RawBuilder<boolean> {
  return ctx.backend === 'sqlite'
    ? sql<boolean>`${sql.ref(column)} NOT IN (SELECT value FROM json_each(${param}))`
    : sql<boolean>`${sql.ref(column)} <> ALL(${param}::${sql.raw(type)}[])`;
}

/**
 * SQLite's NOCASE: ASCII letters folded, every other character compared as it is. PostgreSQL
 * gets the same rule from the `nocase` function of migration 20 (lower() would fold all of
 * Unicode, and two names SQLite keeps apart would collide).
 */
export function nocase(ctx: QueryContext, value: Expression<string> | string): RawBuilder<string> {
  const v = typeof value === 'string' ? sql.val(value) : value;
  return ctx.backend === 'sqlite' ? sql<string>`(${v} COLLATE NOCASE)` : sql<string>`nocase(${v})`;
}

/**
 * When the alert `alias` began to wait: the earlier of its detection time and the centre's clock
 * at import (waitingSinceUs in the contract says why). SQLite's two-argument min() is PostgreSQL's LEAST().
 */
export function waitingSince(ctx: QueryContext, alias = 'a'): RawBuilder<number> {
  const [detected, imported] = [sql.ref(`${alias}.detected_us`), sql.ref(`${alias}.imported_us`)];
  return ctx.backend === 'sqlite' ? sql<number>`min(${detected}, ${imported})` : sql<number>`LEAST(${detected}, ${imported})`;
}

/**
 * LIMIT 1 written into the SQL rather than bound: SQLite plans `ORDER BY ... DESC LIMIT ?` as a
 * scan it cannot stop early (20 times slower on a 30,000-entry audit log), `LIMIT 1` as one step.
 */
export const ONE = sql.lit(1);

/** Whether a write changed exactly one row, from Kysely's result of an UPDATE, DELETE or INSERT. */
export const changedOne = (r: { numAffectedRows?: bigint; numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint }): boolean =>
  (r.numUpdatedRows ?? r.numDeletedRows ?? r.numInsertedOrUpdatedRows ?? r.numAffectedRows ?? 0n) === 1n;

/** A Float32Array as the bytes a BLOB or BYTEA column keeps, and back. */
export const floatBytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
export const bytesFloats = (b: Buffer): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
