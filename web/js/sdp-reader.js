// Reading the browser's own SDP (its offers on the send side, its answers on the receive side):
// only what mediasoup needs from it — codecs, header extensions, SSRCs, the DTLS fingerprint.
// A full SDP grammar would be bigger than everything else here together; these line formats are
// the few RFC 8866/8829 ones browsers write (browser-sdp.md §1.1, §2.3, §2.6).

// Splits an SDP into its session lines and its media sections.
// A section is {kind, port, protocol, formats, lines} where lines are its "a="/"c=" lines.
export function parseSdp(text) {
  const session = [];
  const media = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    if (line.startsWith('m=')) {
      const [kind, port, protocol, ...formats] = line.slice(2).split(' ');
      media.push({ kind, port: Number(port), protocol, formats, lines: [] });
    } else {
      (media.length ? media[media.length - 1].lines : session).push(line);
    }
  }
  return { session, media };
}

// The values of every "a=<name>:<value>" line (or "" for a flag "a=<name>").
export function attributeValues(lines, name) {
  const values = [];
  for (const line of lines) {
    if (line === `a=${name}`) values.push('');
    else if (line.startsWith(`a=${name}:`)) values.push(line.slice(name.length + 3));
  }
  return values;
}

export function attribute(lines, name) {
  return attributeValues(lines, name)[0];
}

export function sectionMid(section) {
  return attribute(section.lines, 'mid');
}

// "a=fmtp" values become numbers when they look like numbers — except profile-level-id, a hex
// string that happens to be numeric sometimes (e.g. "640032").
export function parseFmtp(text) {
  const parameters = {};
  for (const pair of text.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    const key = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    parameters[key] = key !== 'profile-level-id' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return parameters;
}

// The codecs and header extensions a browser section offers, in mediasoup's RtpCapabilities
// shape with the browser's payload types and extension ids (browser-sdp.md §1.1).
export function nativeCapabilities(section, { addOpusNack }) {
  const kind = section.kind;
  const codecs = new Map();
  for (const value of attributeValues(section.lines, 'rtpmap')) {
    const [payload, encoding] = value.split(' ');
    const [name, rate, channels] = encoding.split('/');
    const codec = {
      kind, mimeType: `${kind}/${name}`, preferredPayloadType: Number(payload), clockRate: Number(rate),
      parameters: {}, rtcpFeedback: [],
    };
    if (kind === 'audio') codec.channels = channels ? Number(channels) : 1;
    codecs.set(Number(payload), codec);
  }
  for (const value of attributeValues(section.lines, 'fmtp')) {
    const space = value.indexOf(' ');
    const codec = codecs.get(Number(value.slice(0, space)));
    if (codec) codec.parameters = parseFmtp(value.slice(space + 1));
  }
  for (const value of attributeValues(section.lines, 'rtcp-fb')) {
    const [payload, type, parameter = ''] = value.split(' ');
    const targets = payload === '*' ? [...codecs.values()].filter((c) => !isRtx(c)) : [codecs.get(Number(payload))];
    for (const codec of targets) codec?.rtcpFeedback.push({ type, parameter });
  }
  if (addOpusNack) {
    // libwebrtc retransmits Opus on NACK but does not say so (browser-sdp.md §1.1 step 4).
    for (const codec of codecs.values()) {
      if (/^audio\/(multi)?opus$/i.test(codec.mimeType) && !codec.rtcpFeedback.some((fb) => fb.type === 'nack' && !fb.parameter)) {
        codec.rtcpFeedback.push({ type: 'nack', parameter: '' });
      }
    }
  }
  const headerExtensions = [];
  for (const value of attributeValues(section.lines, 'extmap')) {
    const [idAndDirection, uri] = value.split(' ');
    if (uri === 'urn:ietf:params:rtp-hdrext:encrypt') continue;
    headerExtensions.push({ kind, uri, preferredId: Number(idAndDirection.split('/')[0]) });
  }
  return { codecs: [...codecs.values()], headerExtensions };
}

export function isRtx(codec) {
  return /\/rtx$/i.test(codec.mimeType);
}

// DTLS fingerprint of a local description: session level first, else the first live section.
export function localFingerprint(parsed) {
  const live = parsed.media.find((section) => section.port !== 0);
  const value = attribute(parsed.session, 'fingerprint') ?? (live && attribute(live.lines, 'fingerprint'));
  if (!value) throw new Error('the local SDP has no a=fingerprint');
  const [algorithm, fingerprint] = value.split(' ');
  return { algorithm, value: fingerprint.toUpperCase() };
}

// The encodings of a browser send section: its media SSRC paired with its RTX SSRC through
// "a=ssrc-group:FID" (browser-sdp.md §2.6), plus the RTCP cname. A simulcast section
// ("a=simulcast:send") names its encodings by rid instead: the `requested` ones the browser
// offered, in their order, whose SSRCs the server learns from the rid in each packet.
export function sendEncodings(section, requested = []) {
  const ssrcLines = attributeValues(section.lines, 'ssrc');
  const cnameLine = ssrcLines.find((value) => value.includes(' cname:'));
  const cname = cnameLine?.slice(cnameLine.indexOf(' cname:') + 7);
  const offeredRids = attributeValues(section.lines, 'rid')
    .map((value) => value.split(' '))
    .filter(([, direction]) => direction === 'send')
    .map(([rid]) => rid);
  if (offeredRids.length > 1) {
    const encodings = requested.filter((encoding) => offeredRids.includes(encoding.rid)).map((encoding) => {
      const { rid, maxBitrate, scalabilityMode, scaleResolutionDownBy } = encoding;
      return { rid, ...(maxBitrate ? { maxBitrate } : {}), ...(scalabilityMode ? { scalabilityMode } : {}),
        ...(scaleResolutionDownBy ? { scaleResolutionDownBy } : {}) };
    });
    return { encodings, cname };
  }
  if (!ssrcLines.length) throw new Error('no a=ssrc lines found');
  const rtxOf = new Map();
  for (const group of attributeValues(section.lines, 'ssrc-group')) {
    const [semantics, media, rtx] = group.split(' ');
    if (semantics === 'FID') rtxOf.set(Number(media), Number(rtx));
  }
  const rtxSsrcs = new Set(rtxOf.values());
  const mediaSsrc = Number(ssrcLines.map((value) => value.split(' ')[0]).find((ssrc) => !rtxSsrcs.has(Number(ssrc))));
  // One encoding (an SVC stream): its scalabilityMode and maxBitrate are the requested ones.
  const { maxBitrate, scalabilityMode } = requested.length === 1 ? requested[0] : {};
  const encoding = { ssrc: mediaSsrc, ...(maxBitrate ? { maxBitrate } : {}), ...(scalabilityMode ? { scalabilityMode } : {}) };
  if (rtxOf.has(mediaSsrc)) encoding.rtx = { ssrc: rtxOf.get(mediaSsrc) };
  return { encodings: [encoding], cname };
}
