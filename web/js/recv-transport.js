// The receive PC: the server's side offers, the browser answers (browser-sdp.md §3). Each consumer
// is one m-section whose mid the server chose; its track is found by that mid afterwards. All data
// consumers share one m=application, added for the first of them (§3.6).
import { receiveApplicationSection, receiveOfferSection } from './remote-sdp.js';
import { attribute, parseSdp } from './sdp-reader.js';
import { Transport } from './transport.js';

// Chromium decodes Opus as mono unless its answer asks for stereo; do so when the sender said it
// sends stereo (sprop-stereo), as mediasoup-client's applyCodecParameters does (§3.2, pitfall 9).
function withOpusStereo(sdp, mid, rtpParameters) {
  const opus = rtpParameters.codecs.find((codec) => codec.mimeType.toLowerCase() === 'audio/opus');
  if (!opus || opus.parameters?.['sprop-stereo'] === undefined) return sdp;
  const stereo = opus.parameters['sprop-stereo'] ? 1 : 0;
  const sections = sdp.split(/\r\n(?=m=)/);
  const index = sections.findIndex((section) => section.includes(`\r\na=mid:${mid}\r\n`));
  if (index < 0) return sdp;
  const fmtp = new RegExp(`^a=fmtp:${opus.payloadType} (.*)$`, 'm');
  const section = sections[index];
  sections[index] = fmtp.test(section)
    ? section.replace(fmtp, (line, value) => `a=fmtp:${opus.payloadType} ${value.replace(/;?stereo=\d/, '')};stereo=${stereo}`)
    : section.replace(/(a=rtpmap:.*\r\n)(?!a=rtpmap)/, `$1a=fmtp:${opus.payloadType} stereo=${stereo}\r\n`);
  return sections.join('\r\n');
}

export class RecvTransport extends Transport {
  #hasDataSection = false;

  // Adds a consumer's section to the remote offer and negotiates it. `streamId` groups tracks for
  // lip sync (one per sending peer's mic+camera; screen shares apart, pitfall 6).
  // Resolves to {id, kind, mid, track, receiver, rtpParameters}.
  consume({ id, kind, rtpParameters, streamId }) {
    return this.queue.push(async () => {
      const mid = String(rtpParameters.mid);
      let index = this.remoteSdp.reusableIndex(kind);
      if (index < 0) index = this.remoteSdp.sections.length;
      const previous = this.remoteSdp.sections[index];
      this.remoteSdp.setSection(index, receiveOfferSection({ kind, rtpParameters, streamId, trackId: id }));
      try {
        await this.#negotiate((sdp) => withOpusStereo(sdp, mid, rtpParameters));
      } catch (error) {
        if (previous) this.remoteSdp.setSection(index, previous);
        else this.remoteSdp.sections.length = index;
        if (this.pc.signalingState === 'have-remote-offer') await this.pc.setRemoteDescription({ type: 'rollback' });
        throw error;
      }
      const transceiver = this.pc.getTransceivers().find((candidate) => candidate.mid === mid);
      return { id, kind, mid, track: transceiver.receiver.track, receiver: transceiver.receiver, rtpParameters };
    });
  }

  // Opens the negotiated data channel of a server data consumer, on the stream id the server chose
  // (the browser must never pick it); resolves to {id, label, channel}.
  consumeData({ id, sctpStreamParameters, label, protocol }) {
    if (!this.sctpParameters) return Promise.reject(new Error('the server made this transport without SCTP'));
    return this.queue.push(async () => {
      const { streamId, ordered = true, maxPacketLifeTime, maxRetransmits } = sctpStreamParameters;
      const channel = this.pc.createDataChannel(label, {
        negotiated: true, id: streamId, ordered, maxPacketLifeTime, maxRetransmits, protocol,
      });
      // Messages arrive as ArrayBuffer rather than Blob: readable at once, without a promise.
      channel.binaryType = 'arraybuffer';
      if (!this.#hasDataSection) {
        const index = this.remoteSdp.sections.length;
        this.remoteSdp.setSection(index, receiveApplicationSection(this.sctpParameters));
        try {
          await this.#negotiate();
        } catch (error) {
          this.remoteSdp.sections.length = index;
          if (this.pc.signalingState === 'have-remote-offer') await this.pc.setRemoteDescription({ type: 'rollback' });
          channel.close();
          throw error;
        }
        this.#hasDataSection = true;
      }
      return { id, label, channel };
    });
  }

  // Rejects the consumer's section (port 0) so the browser stops its transceiver (§3.4).
  closeConsumer(consumer) {
    return this.queue.push(async () => {
      if (this.closed) return;
      this.remoteSdp.closeSection(consumer.mid);
      await this.#negotiate();
    });
  }

  renegotiate() {
    return this.#negotiate();
  }

  async #negotiate(mungeAnswer = (sdp) => sdp) {
    // Receive offers always allow mixed one- and two-byte header extensions (pitfall 3).
    await this.pc.setRemoteDescription({ type: 'offer', sdp: this.remoteSdp.toString({ extmapAllowMixed: true }) });
    const answer = await this.pc.createAnswer();
    const sdp = mungeAnswer(answer.sdp);
    const parsed = parseSdp(sdp);
    // Chromium answers our actpass with "active": it is the DTLS client.
    const setup = attribute(parsed.media[0]?.lines ?? [], 'setup') ?? attribute(parsed.session, 'setup');
    await this.connectDtls(parsed, setup === 'passive' ? 'server' : 'client');
    await this.pc.setLocalDescription({ type: 'answer', sdp });
  }
}
