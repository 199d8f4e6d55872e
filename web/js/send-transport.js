// The send PC: the browser offers, the server's side answers (browser-sdp.md §2). Each producer is
// one sendonly transceiver and one m-section; all data producers share one m=application (§2.9).
import { extendedCapabilities, sendHeaderExtensions, sendRtpParameters } from './ortc.js';
import { sendAnswerSection, sendApplicationSection } from './remote-sdp.js';
import { nativeCapabilities, parseSdp, sectionMid, sendEncodings } from './sdp-reader.js';
import { Transport } from './transport.js';

export class SendTransport extends Transport {
  #device;
  #signalProduce;
  #signalProduceData;
  // All producers share one MediaStream, hence one msid stream id (§2.1).
  #stream = new MediaStream();
  #extmapAllowMixed = false;
  #hasDataSection = false;
  #nextStreamId = 0;

  // `signalProduce({kind, rtpParameters, appData})` sends `produce` and resolves to the producer id;
  // `signalProduceData({sctpStreamParameters, label, protocol, appData})` sends `produceData` and
  // resolves to the data producer id.
  constructor(server, device, { signalConnect, signalProduce, signalProduceData }) {
    super(server, signalConnect);
    this.#device = device;
    this.#signalProduce = signalProduce;
    this.#signalProduceData = signalProduceData;
  }

  // Sends `track` (in the codec `codecMimeType` names, else the first both sides have); resolves to
  // {id, kind, track, transceiver, rtpParameters, appData}.
  produce(track, { appData = {}, encodings, codecMimeType } = {}) {
    if (!this.#device.canProduce(track.kind)) return Promise.reject(new Error(`cannot produce ${track.kind}`));
    return this.queue.push(async () => {
      const transceiver = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.#stream], sendEncodings: encodings });
      let slot = null;
      let rtpParameters;
      try {
        const offer = await this.pc.createOffer();
        const parsedOffer = parseSdp(offer.sdp);
        if (parsedOffer.session.includes('a=extmap-allow-mixed')) this.#extmapAllowMixed = true;
        // We are the DTLS client; the server (role "auto") takes the other side.
        await this.connectDtls(parsedOffer, 'client');
        await this.pc.setLocalDescription(offer);

        // Find our section by mid rather than predicting its slot: Chromium recycles a stopped
        // m-line, Firefox appends, and both end up here.
        const mid = transceiver.mid;
        const local = parseSdp(this.pc.localDescription.sdp);
        const index = local.media.findIndex((section) => sectionMid(section) === mid);
        const section = local.media[index];
        // Payload types and extension ids of THIS offer, not the device's throwaway one (§1.6).
        const native = nativeCapabilities(section, { addOpusNack: this.#device.addOpusNack });
        const extended = extendedCapabilities(native, this.#device.routerRtpCapabilities);
        const { encodings: parsedEncodings, cname } = sendEncodings(section, encodings);
        const chosen = sendRtpParameters({ extended, kind: track.kind, mid, encodings: parsedEncodings, cname, codecMimeType });
        rtpParameters = chosen.rtpParameters;

        slot = { index, previous: this.remoteSdp.sections[index] };
        this.remoteSdp.setSection(index, sendAnswerSection({
          offerSection: section, mid, codec: chosen.codec,
          extensions: sendHeaderExtensions(extended, track.kind),
          offeredUris: native.headerExtensions.map((ext) => ext.uri),
          rids: parsedEncodings.map((encoding) => encoding.rid).filter(Boolean),
        }));
        await this.pc.setRemoteDescription({ type: 'answer', sdp: this.#answer() });
      } catch (error) {
        if (slot) await this.#undoOffer(slot);
        transceiver.stop();
        throw error;
      }

      // Negotiated: from here on a failure undoes the producer with the stop-sending flow.
      let id;
      try {
        id = await this.#signalProduce({ kind: track.kind, rtpParameters, appData });
      } catch (error) {
        await this.#stopSending(transceiver);
        throw error;
      }
      return { id, kind: track.kind, track, transceiver, rtpParameters, appData };
    });
  }

  // Opens a data channel to the server; resolves to {id, label, channel, sctpStreamParameters}.
  // The channel is negotiated (both sides agree on the stream id out of band, no DCEP): the server
  // learns the id from `produceData`. The channel is created inside the queue so that no media
  // offer made meanwhile carries an m=application the remote answer does not have yet.
  produceData({ label, protocol = '', ordered = true, appData = {} }) {
    if (!this.sctpParameters) return Promise.reject(new Error('the server made this transport without SCTP'));
    return this.queue.push(async () => {
      // Ids count up from 0 and wrap at what the server accepts, as mediasoup-client does.
      const streamId = this.#nextStreamId;
      this.#nextStreamId = (streamId + 1) % this.sctpParameters.MIS;
      const channel = this.pc.createDataChannel(label, { negotiated: true, id: streamId, ordered, protocol });
      const sctpStreamParameters = { streamId, ordered };
      try {
        if (!this.#hasDataSection) await this.#negotiateDataSection();
        const id = await this.#signalProduceData({ sctpStreamParameters, label, protocol, appData });
        return { id, label, channel, sctpStreamParameters };
      } catch (error) {
        channel.close();
        throw error;
      }
    });
  }

  // Swaps the track without renegotiating (a camera turned back on, a muted mic's track).
  replaceTrack(producer, track) {
    return producer.transceiver.sender.replaceTrack(track);
  }

  // Stops a producer's transceiver and renegotiates its section away (§2.8).
  stopProducing(producer) {
    return this.queue.push(() => this.#stopSending(producer.transceiver));
  }

  async renegotiate({ iceRestart = false } = {}) {
    const offer = await this.pc.createOffer({ iceRestart });
    await this.pc.setLocalDescription(offer);
    await this.pc.setRemoteDescription({ type: 'answer', sdp: this.#answer() });
  }

  // The first data channel adds the offer's m=application; its answer carries the server's SCTP
  // port and message size. Later channels only open streams on the same association.
  async #negotiateDataSection() {
    const offer = await this.pc.createOffer();
    const parsedOffer = parseSdp(offer.sdp);
    if (parsedOffer.session.includes('a=extmap-allow-mixed')) this.#extmapAllowMixed = true;
    await this.connectDtls(parsedOffer, 'client');
    await this.pc.setLocalDescription(offer);
    const local = parseSdp(this.pc.localDescription.sdp);
    const index = local.media.findIndex((section) => section.kind === 'application');
    const slot = { index, previous: this.remoteSdp.sections[index] };
    this.remoteSdp.setSection(index, sendApplicationSection({
      offerSection: local.media[index], mid: sectionMid(local.media[index]), sctpParameters: this.sctpParameters,
    }));
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp: this.#answer() });
    } catch (error) {
      await this.#undoOffer(slot);
      throw error;
    }
    this.#hasDataSection = true;
  }

  async #stopSending(transceiver) {
    if (this.closed) return;
    const mid = transceiver.mid;
    await transceiver.sender.replaceTrack(null);
    this.pc.removeTrack(transceiver.sender);
    this.remoteSdp.closeSection(mid);
    // The first section carries the BUNDLE transport: it is only made inactive, never stopped.
    if (this.remoteSdp.sections[0]?.mid !== mid) transceiver.stop();
    await this.renegotiate();
  }

  // setRemoteDescription failed with our section in place: put the remote SDP back as it was and
  // return the PC to "stable".
  async #undoOffer({ index, previous }) {
    if (previous) this.remoteSdp.setSection(index, previous);
    else this.remoteSdp.sections.length = index;
    if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
  }

  #answer() {
    return this.remoteSdp.toString({ extmapAllowMixed: this.#extmapAllowMixed });
  }
}
