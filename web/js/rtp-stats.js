// Per-track numbers from RTCPeerConnection getStats, reduced to what a person (or a test) asks:
// codec, bitrate, packets lost, frames. Bitrate is a rate, so a meter remembers the last sample.

// The inbound-rtp (receiver) or outbound-rtp (sender) entry of one track, with its codec.
export async function rtpSummary(receiverOrSender) {
  const report = await receiverOrSender.getStats();
  let rtp = null;
  report.forEach((entry) => {
    if (!rtp && (entry.type === 'inbound-rtp' || entry.type === 'outbound-rtp')) rtp = entry;
  });
  if (!rtp) return null;
  const codec = rtp.codecId ? report.get(rtp.codecId) : undefined;
  const inbound = rtp.type === 'inbound-rtp';
  return {
    kind: rtp.kind,
    direction: inbound ? 'in' : 'out',
    codec: codec?.mimeType ?? null,
    bytes: (inbound ? rtp.bytesReceived : rtp.bytesSent) ?? 0,
    packets: (inbound ? rtp.packetsReceived : rtp.packetsSent) ?? 0,
    packetsLost: rtp.packetsLost ?? 0,
    jitterMs: rtp.jitter !== undefined ? Math.round(rtp.jitter * 1000) : null,
    framesDecoded: rtp.framesDecoded ?? null,
    framesEncoded: rtp.framesEncoded ?? null,
    framesPerSecond: rtp.framesPerSecond ?? null,
    width: rtp.frameWidth ?? null,
    height: rtp.frameHeight ?? null,
    totalSamplesReceived: rtp.totalSamplesReceived ?? null,
    timestamp: rtp.timestamp,
  };
}

export class BitrateMeter {
  #previous = new Map();

  // kbit/s since the previous sample with the same key (null on the first).
  kbps(key, bytes, timestamp) {
    const previous = this.#previous.get(key);
    this.#previous.set(key, { bytes, timestamp });
    if (!previous || timestamp <= previous.timestamp) return null;
    return Math.round(((bytes - previous.bytes) * 8) / (timestamp - previous.timestamp));
  }
}
