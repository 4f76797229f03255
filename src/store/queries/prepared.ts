import type { CompiledQuery, Compilable, QueryResult, RawBuilder } from 'kysely';
import type { StoreBackend } from '../../kernel/store-port.ts';
import type { QueryContext } from './context.ts';

/** Stands for a named argument while a query is built once. */
class Slot {
  constructor(readonly name: string) {}
}

/** What a prepared query's builder takes its arguments from: `p('alertId')` in place of a value. */
export type Params<A> = <K extends keyof A & string>(name: K) => A[K];

/**
 * A query built and compiled once per backend, then run with each call's arguments bound in
 * place: Kysely's building and compiling cost tens of microseconds a statement, several times
 * what SQLite takes to run a prepared one. The builder gets stand-ins, not values, so the
 * query's shape must never depend on the arguments (it may depend on the backend: each has its
 * own compiled text). Declare the arguments on `p`: `prepared((ctx, p: Params<{ id: number }>) => ...)`.
 */
export function prepared<A extends object, R>(
  build: (ctx: QueryContext, p: Params<A>) => Compilable<R> | RawBuilder<R>,
): (ctx: QueryContext, args: A) => Promise<QueryResult<R>> {
  const cache: Partial<Record<StoreBackend, { query: CompiledQuery<R>; bind: (Slot | { value: unknown })[] }>> = {};
  const slot = ((name: string) => new Slot(name)) as unknown as Params<A>;
  return async (ctx, args) => {
    let c = cache[ctx.backend];
    if (!c) {
      const built = build(ctx, slot);
      const query = 'isRawBuilder' in built ? built.compile(ctx.db) : built.compile();
      c = cache[ctx.backend] = { query, bind: query.parameters.map((v) => (v instanceof Slot ? v : { value: v })) };
    }
    const parameters = c.bind.map((b) => (b instanceof Slot ? (args as Record<string, unknown>)[b.name] : b.value));
    return ctx.db.executeQuery<R>({ ...c.query, parameters });
  };
}

/** Columns bound each to the argument of its name: `values(bound(p, ['alert_id', 'seat']))`. */
export function bound<A, K extends keyof A & string>(p: Params<A>, names: readonly K[]): { [N in K]: A[N] } {
  return Object.fromEntries(names.map((n) => [n, p(n)])) as { [N in K]: A[N] };
}
