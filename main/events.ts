/**
 * Events from main to the window (contract/contract.ts `events`). Services emit; the transports
 * (Electron's webContents.send, the bridge's event stream) subscribe. A payload that does not
 * match the contract is a bug in main: it throws at the emitter instead of reaching the window.
 */
import { events, type AppEvent, type ContractEvent, type EventListener, type EventPayload } from '../contract/contract.ts';

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<K extends ContractEvent>(name: K, payload: EventPayload<K>): void {
    const event = { name, payload: events[name].parse(payload) } as AppEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken transport (a closed window, a dropped stream) must not stop the others.
      }
    }
  }

  /** Whether anyone listens (a window is open). */
  hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
