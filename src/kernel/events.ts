import type { EventName, EventPayload } from '../contract/index.ts';
import { log } from '../util/log.ts';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Core events, fanned out to every transport's subscribers. A failing listener never stops the others. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch (e) {
        log.error({ event, err: e }, 'an event listener failed');
      }
    }
  }
}
