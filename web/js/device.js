// The browser as a mediasoup "device": what it can receive, learnt once from a throwaway offer
// and matched against the router's capabilities (browser-sdp.md §1). The send side does not use
// these numbers: payload types and extension ids are per PeerConnection, so each produce()
// re-derives them from its own offer (§1.6, pitfall 2).
import { extendedCapabilities, receiveCapabilities } from './ortc.js';
import { nativeCapabilities, parseSdp } from './sdp-reader.js';

// What `join` reports as `device` ({flag, name, version}, mediasoup-compat.md §2.2).
export function describeBrowser(userAgent = navigator.userAgent) {
  const patterns = [
    ['edge', 'Edge', /Edg\/([\d.]+)/],
    ['opera', 'Opera', /OPR\/([\d.]+)/],
    ['chrome', 'Chrome', /(?:Chrome|Chromium|CriOS)\/([\d.]+)/],
    ['firefox', 'Firefox', /(?:Firefox|FxiOS)\/([\d.]+)/],
    ['safari', 'Safari', /Version\/([\d.]+).*Safari/],
  ];
  for (const [flag, name, pattern] of patterns) {
    const match = userAgent.match(pattern);
    if (match) return { flag, name, version: match[1] };
  }
  return { flag: 'unknown', name: 'unknown', version: '' };
}

export class Device {
  constructor() {
    this.info = describeBrowser();
    // libwebrtc browsers (all but Firefox) NACK Opus without advertising it (§1.1 step 4).
    this.addOpusNack = this.info.flag !== 'firefox';
    // SCTP streams each way, sent in createWebRtcTransport and join (§1.5). The server must be able
    // to open its data consumers' streams up front: libwebrtc cannot add streams to a running
    // association, so OS is the full 1024, as mediasoup-client's Chromium handler says.
    this.sctpCapabilities = { numStreams: { OS: 1024, MIS: 1024 } };
    this.loaded = false;
  }

  async load(routerRtpCapabilities) {
    this.routerRtpCapabilities = routerRtpCapabilities;
    const native = await this.#nativeCapabilities();
    this.extended = extendedCapabilities(native, routerRtpCapabilities);
    this.rtpCapabilities = receiveCapabilities(this.extended);
    this.loaded = true;
  }

  canProduce(kind) {
    return this.extended.codecs.some((codec) => codec.kind === kind);
  }

  // The server picked the consumer's codec from our receive capabilities; anything else means the
  // capabilities changed under it (e.g. a different browser reusing the same peer).
  canConsume(rtpParameters) {
    const payloadType = rtpParameters.codecs?.[0]?.payloadType;
    return this.extended.codecs.some((codec) => codec.remotePayloadType === payloadType);
  }

  async #nativeCapabilities() {
    const pc = new RTCPeerConnection({ iceServers: [], iceTransportPolicy: 'all', bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    try {
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
      const offer = parseSdp((await pc.createOffer()).sdp);
      const codecs = [];
      const headerExtensions = [];
      for (const kind of ['audio', 'video']) {
        const section = offer.media.find((candidate) => candidate.kind === kind);
        if (!section) continue;
        const capabilities = nativeCapabilities(section, { addOpusNack: this.addOpusNack });
        codecs.push(...capabilities.codecs);
        headerExtensions.push(...capabilities.headerExtensions);
      }
      return { codecs, headerExtensions };
    } finally {
      pc.close();
    }
  }
}
