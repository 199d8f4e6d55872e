// The server's side of each PeerConnection, written as SDP: the remote ANSWER of the send PC and
// the remote OFFER of the receive PC (browser-sdp.md §2.4–§2.5, §2.9, §3.1, §3.6). The server is
// ICE-lite and never sends SDP; everything here is generated from its transport parameters (ICE,
// candidates, DTLS, SCTP) and the RTP parameters of each producer/consumer. Line order follows
// sdp-transform, which is what mediasoup-client writes and what Chromium 156 was checked to accept.

// One m-section. `head` holds the codec and extmap lines, `tail` the ssrc (or rid and simulcast)
// lines; the ICE block between them is rendered from the transport's current ICE parameters, so
// an ICE restart rewrites every section at once.
class MediaSection {
  constructor({ kind, mid, protocol = 'UDP/TLS/RTP/SAVPF', payloads, head, setup, msid, direction, tail = [] }) {
    Object.assign(this, { kind, mid, protocol, payloads, head, setup, msid, direction, tail });
    this.closed = false;
  }

  // Port 0 rejects the section; it stays in place because m-lines never move or disappear.
  close() {
    this.closed = true;
    this.direction = 'inactive';
    this.head = this.head.filter((line) => !line.startsWith('a=extmap:'));
    this.tail = [];
  }

  render(ice) {
    const lines = [
      `m=${this.kind} ${this.closed ? 0 : 7} ${this.protocol} ${this.payloads.join(' ')}`,
      'c=IN IP4 127.0.0.1',
      ...this.head,
      `a=setup:${this.setup}`,
      `a=mid:${this.mid}`,
    ];
    if (this.msid && !this.closed) lines.push(`a=msid:${this.msid}`);
    lines.push(`a=${this.direction}`, ...ice, ...this.tail, 'a=rtcp-mux', 'a=rtcp-rsize');
    return lines;
  }
}

// The one m=application section of a PC: the SCTP association every data channel of that transport
// shares (browser-sdp.md §2.9, §3.6). It is created once and never closed, so it has no direction,
// codecs or RTCP lines, only the server's SCTP port and message size limit.
class ApplicationSection {
  constructor({ mid, protocol, setup, sctpParameters }) {
    Object.assign(this, { kind: 'application', mid, protocol, setup, sctpParameters });
    this.closed = false;
  }

  render(ice) {
    return [
      `m=application 7 ${this.protocol} webrtc-datachannel`,
      'c=IN IP4 127.0.0.1',
      `a=setup:${this.setup}`,
      `a=mid:${this.mid}`,
      ...ice,
      `a=sctp-port:${this.sctpParameters.port}`,
      `a=max-message-size:${this.sctpParameters.maxMessageSize}`,
    ];
  }
}

// Values other participants chose (codec parameters, cnames, peer ids) go into SDP lines only
// without line breaks or other control characters, which would start lines of their choosing.
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/;

function fmtpValue(parameters) {
  return Object.entries(parameters ?? {})
    .filter(([key, value]) => !CONTROL_CHARACTERS.test(key) && !CONTROL_CHARACTERS.test(String(value)))
    .map(([key, value]) => `${key}=${value}`).join(';');
}

// An msid id is 1*64 token-char (RFC 8830): other characters, which a peer id may hold, become '_'.
function msidToken(text) {
  return String(text).replace(/[^A-Za-z0-9!#$%&'*+\-.^_`{|}~]/g, '_').slice(0, 64) || '-';
}

// rtpmap lines first, then fmtp, then rtcp-fb, each in codec order.
function codecLines(codecs) {
  const lines = [];
  for (const codec of codecs) {
    const name = codec.mimeType.split('/')[1];
    lines.push(`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${codec.channels > 1 ? `/${codec.channels}` : ''}`);
  }
  for (const codec of codecs) {
    const value = fmtpValue(codec.parameters);
    if (value) lines.push(`a=fmtp:${codec.payloadType} ${value}`);
  }
  for (const codec of codecs) {
    for (const fb of codec.rtcpFeedback ?? []) {
      lines.push(`a=rtcp-fb:${codec.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`);
    }
  }
  return lines;
}

// Keep one bandwidth-estimation feedback: transport-cc if its extension is negotiated, else REMB
// with abs-send-time, else neither (browser-sdp.md §2.5 step 2).
function reduceFeedbackForBwe(feedback, uris) {
  if (uris.includes('http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01')) {
    return feedback.filter((fb) => fb.type !== 'goog-remb');
  }
  if (uris.includes('http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time')) {
    return feedback.filter((fb) => fb.type !== 'transport-cc');
  }
  return feedback.filter((fb) => fb.type !== 'goog-remb' && fb.type !== 'transport-cc');
}

const DEPENDENCY_DESCRIPTOR = 'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension';

// The answer section for one producer on the send PC. The browser's payload types and extension
// ids, because the browser sends with them; the router's codec parameters, because they are what
// the server will accept (§2.5).
export function sendAnswerSection({ offerSection, mid, codec, extensions, offeredUris, rids = [] }) {
  const usable = extensions.filter((ext) => offeredUris.includes(ext.uri)
    && (ext.uri !== DEPENDENCY_DESCRIPTOR || /\/(av1|h264)$/i.test(codec.mimeType)));
  const codecs = [{
    mimeType: codec.mimeType, payloadType: codec.localPayloadType, clockRate: codec.clockRate, channels: codec.channels,
    parameters: codec.remoteParameters, rtcpFeedback: reduceFeedbackForBwe(codec.rtcpFeedback, usable.map((ext) => ext.uri)),
  }];
  if (codec.localRtxPayloadType !== undefined) {
    codecs.push({ mimeType: `${codec.kind}/rtx`, payloadType: codec.localRtxPayloadType, clockRate: codec.clockRate, parameters: { apt: codec.localPayloadType } });
  }
  return new MediaSection({
    kind: offerSection.kind,
    mid,
    protocol: offerSection.protocol,
    payloads: codecs.map((c) => c.payloadType),
    head: [...codecLines(codecs), ...usable.map((ext) => `a=extmap:${ext.sendId} ${ext.uri}`)],
    // The browser is the DTLS client (we tell the server so in connectWebRtcTransport).
    setup: 'passive',
    direction: 'recvonly',
    // Simulcast: each offered rid is received (RFC 8851, RFC 8853).
    tail: rids.length > 1 ? [...rids.map((rid) => `a=rid:${rid} recv`), `a=simulcast:recv ${rids.join(';')}`] : [],
  });
}

// The offer section for one consumer on the receive PC: the consumer's RTP parameters verbatim
// (router payload types and ids, the server-chosen mid), one SSRC (+ RTX) bound by cname (§3.1).
export function receiveOfferSection({ kind, rtpParameters, streamId, trackId }) {
  const { codecs, headerExtensions = [], encodings, rtcp } = rtpParameters;
  const cname = String(rtcp?.cname ?? '').replace(new RegExp(CONTROL_CHARACTERS, 'g'), '') || '-';
  const { ssrc, rtx } = encodings[0];
  const tail = [`a=ssrc:${ssrc} cname:${cname}`];
  if (rtx?.ssrc) tail.push(`a=ssrc:${rtx.ssrc} cname:${cname}`, `a=ssrc-group:FID ${ssrc} ${rtx.ssrc}`);
  return new MediaSection({
    kind,
    mid: String(rtpParameters.mid),
    payloads: codecs.map((c) => c.payloadType),
    head: [...codecLines(codecs), ...headerExtensions.map((ext) => `a=extmap:${ext.id} ${ext.uri}`)],
    setup: 'actpass',
    msid: `${msidToken(streamId ?? cname)} ${msidToken(trackId)}`,
    direction: 'sendonly',
    tail,
  });
}

// The answer to the send PC's m=application: the browser's mid and protocol, the server's SCTP.
export function sendApplicationSection({ offerSection, mid, sctpParameters }) {
  return new ApplicationSection({ mid, protocol: offerSection.protocol, setup: 'passive', sctpParameters });
}

// The receive PC's m=application, offered by "the server": mid "datachannel", as mediasoup-client.
export function receiveApplicationSection(sctpParameters) {
  return new ApplicationSection({ mid: 'datachannel', protocol: 'UDP/DTLS/SCTP', setup: 'actpass', sctpParameters });
}

export class RemoteSdp {
  #sections = [];
  #version = 0;

  constructor({ iceParameters, iceCandidates, dtlsParameters }) {
    this.iceParameters = iceParameters;
    this.iceCandidates = iceCandidates;
    this.dtlsParameters = dtlsParameters;
  }

  get sections() {
    return this.#sections;
  }

  // Puts a section at m-line `index`: replaces a recycled (closed) slot or appends.
  setSection(index, section) {
    this.#sections[index] = section;
  }

  // The first closed slot a new section of `kind` may take, or -1. Same kind only: Firefox
  // refuses a recycled m-line that changes media type (browser-sdp.md pitfall 5).
  reusableIndex(kind) {
    return this.#sections.findIndex((section) => section.closed && section.kind === kind);
  }

  // Closes a section, except the first: it carries the BUNDLE transport and Chromium refuses an
  // answer that removes it from the group, so it is only made inactive.
  closeSection(mid) {
    const section = this.#sections.find((candidate) => candidate.mid === mid);
    if (!section) return;
    if (section === this.#sections[0]) section.direction = 'inactive';
    else section.close();
  }

  updateIceParameters(iceParameters) {
    this.iceParameters = iceParameters;
  }

  // The SDP text; each call is a new version of the description (the o= line counts them).
  toString({ extmapAllowMixed }) {
    this.#version += 1;
    const { iceParameters, dtlsParameters } = this;
    const fingerprint = dtlsParameters.fingerprints[dtlsParameters.fingerprints.length - 1];
    const live = this.#sections.filter((section) => !section.closed);
    const lines = ['v=0', `o=mediasoup-client 10000 ${this.#version} IN IP4 0.0.0.0`, 's=-', 't=0 0'];
    if (extmapAllowMixed) lines.push('a=extmap-allow-mixed');
    if (iceParameters.iceLite) lines.push('a=ice-lite');
    lines.push(
      `a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`,
      'a=ice-options:ice2',
      'a=msid-semantic: WMS *');
    if (live.length) lines.push(`a=group:BUNDLE ${live.map((section) => section.mid).join(' ')}`);
    const ice = this.#iceLines();
    for (const section of this.#sections) lines.push(...section.render(ice));
    return `${lines.join('\r\n')}\r\n`;
  }

  #iceLines() {
    const lines = [`a=ice-ufrag:${this.iceParameters.usernameFragment}`, `a=ice-pwd:${this.iceParameters.password}`];
    for (const candidate of this.iceCandidates) {
      const address = candidate.address ?? candidate.ip;
      let line = `a=candidate:${candidate.foundation} 1 ${candidate.protocol} ${candidate.priority} ${address} ${candidate.port} typ ${candidate.type}`;
      if (candidate.tcpType) line += ` tcptype ${candidate.tcpType}`;
      lines.push(line);
    }
    lines.push('a=end-of-candidates', 'a=ice-options:renomination');
    return lines;
  }
}
