import type { MethodArgs, MethodName, MethodOutput } from '../contract/index.ts';
import type { Session } from './session.ts';
import type { CoreServices } from './services.ts';

export interface CallContext {
  session: Session;
  core: CoreServices;
  /**
   * The caller is outside the blind-review seal of the alert this call shows (methods whose seal
   * rule is `blind`): answer as for someone who has not seen its decision.
   */
  blind?: boolean;
}

export type Handler<M extends MethodName> = (ctx: CallContext, args: MethodArgs<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** Handlers for a group of methods; the core checks at compile time that every method has one. */
export type Handlers<K extends MethodName> = { [M in K]: Handler<M> };
export type HandlerMap = Handlers<MethodName>;

/** The actor's name, or a refusal for calls that reached a handler without one (the dispatcher prevents it). */
export function actorName(ctx: CallContext): string {
  if (!ctx.session.actor) throw new Error('handler reached without a signed-in actor');
  return ctx.session.actor.name;
}
