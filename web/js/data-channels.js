// The room's data channels, used as mediasoup-demo's app uses them (mediasoup-compat.md §2.4, §2.6
// step 8): the page sends on its own data producers (`chat`, whose messages the server hands to
// every other peer, and `bot`, whose messages the room bot answers to everyone) and receives on the
// data consumers the server offers: one per other peer's `chat` producer and one for the bot's.
//
// Events:
//   'message' ({peerId, label, text})  text received on a data consumer; peerId is null for the bot
//   'ready' (ready)                    whether every data producer's channel is open, on each change
import { Emitter } from './emitter.js';

export class DataChannels extends Emitter {
  #producers = new Map(); // label → {id, label, channel, sctpStreamParameters}
  #consumers = new Map(); // data consumer id → {id, peerId, label, channel}
  #closedConsumerIds = new Set();
  #generation = 0; // bumped by reset(): work started for closed transports is dropped

  get ready() {
    const producers = [...this.#producers.values()];
    return producers.length > 0 && producers.every((producer) => producer.channel.readyState === 'open');
  }

  // [{id, peerId, label}] of the open data consumers.
  get consumers() {
    return [...this.#consumers.values()].map(({ id, peerId, label }) => ({ id, peerId, label }));
  }

  // Opens one data producer per label on a new send transport (each is a produceData round trip;
  // the first also negotiates the SCTP association).
  async produce(transport, labels) {
    const generation = this.#generation;
    for (const label of labels) {
      const producer = await transport.produceData({ label });
      if (generation !== this.#generation) {
        producer.channel.close();
        return;
      }
      this.#producers.set(label, producer);
      for (const event of ['open', 'close']) producer.channel.addEventListener(event, () => this.#emitReady());
    }
    // A channel that opened while the next one was being negotiated fired 'open' unheard.
    this.#emitReady();
  }

  // A server `newDataConsumer`: resolves once its channel exists, which is when the request may be
  // accepted (the server may send on the stream from then on).
  async consume(transport, { peerId, id, sctpStreamParameters, label, protocol }) {
    const generation = this.#generation;
    const consumer = { ...(await transport.consumeData({ id, sctpStreamParameters, label, protocol })), peerId };
    // dataConsumerClosed (or a teardown) may have overtaken the negotiation.
    if (generation !== this.#generation || this.#closedConsumerIds.has(id)) {
      consumer.channel.close();
      return;
    }
    consumer.channel.addEventListener('message', ({ data }) => {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
      this.emit('message', { peerId, label, text });
    });
    this.#consumers.set(id, consumer);
  }

  // `dataConsumerClosed`: the data producer behind it is gone (its peer left, for one).
  closeConsumer(id) {
    this.#closedConsumerIds.add(id);
    const consumer = this.#consumers.get(id);
    if (!consumer) return;
    this.#consumers.delete(id);
    consumer.channel.close();
  }

  // Sends text on the data producer labelled `label`; false when its channel is not open.
  send(label, text) {
    const channel = this.#producers.get(label)?.channel;
    if (channel?.readyState !== 'open') return false;
    channel.send(text);
    return true;
  }

  // The transports are gone (left, or the signaling dropped): every channel closed with its PC.
  reset() {
    this.#generation += 1;
    this.#producers.clear();
    this.#consumers.clear();
    this.#closedConsumerIds.clear();
    this.#emitReady();
  }

  #emitReady() {
    this.emit('ready', this.ready);
  }
}
