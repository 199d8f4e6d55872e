// Runs async tasks one at a time, in the order they were pushed. A PeerConnection must never
// run two offer/answer negotiations at once (browser-sdp.md §2.1), and a transport's produce,
// consume, close and ICE-restart all negotiate, so each transport funnels them through one queue.
export class SerialQueue {
  #tail = Promise.resolve();

  push(task) {
    const result = this.#tail.then(task);
    // The next task waits for this one to settle, whether it succeeded or not.
    this.#tail = result.catch(() => {});
    return result;
  }
}
