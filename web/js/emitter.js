// A minimal event emitter. EventTarget would do, but CustomEvent's `detail` indirection makes
// every listener noisier; the modules here only need on/off/emit with plain arguments.
export class Emitter {
  #listeners = new Map();

  on(event, listener) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return () => this.off(event, listener);
  }

  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
  }

  emit(event, ...args) {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        // One broken listener must not stop the others (or the signaling loop that emitted).
        console.error(`listener for "${event}" failed`, error);
      }
    }
  }
}
