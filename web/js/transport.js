// What the send and the receive transport share: one RTCPeerConnection per server
// WebRtcTransport, the remote SDP generated for it, one queue for its negotiations, and the
// one-time DTLS `connect` (browser-sdp.md §2.1, §2.3).
import { Emitter } from './emitter.js';
import { RemoteSdp } from './remote-sdp.js';
import { SerialQueue } from './serial-queue.js';
import { localFingerprint } from './sdp-reader.js';

export class Transport extends Emitter {
  #signalConnect;

  // `server` is the createWebRtcTransport answer; `signalConnect(dtlsParameters)` sends
  // connectWebRtcTransport and resolves when the server has answered.
  constructor(server, signalConnect) {
    super();
    this.id = server.id;
    this.#signalConnect = signalConnect;
    this.pc = new RTCPeerConnection({
      // The server's TURN servers (ephemeral credentials): the way in from networks that block
      // UDP to the media port. Host candidates are still tried first.
      iceServers: server.iceServers ?? [],
      iceTransportPolicy: server.iceTransportPolicy ?? 'all',
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
    });
    this.remoteSdp = new RemoteSdp(server);
    // {port, OS, MIS, maxMessageSize}, or undefined when the server made the transport without SCTP.
    this.sctpParameters = server.sctpParameters;
    this.queue = new SerialQueue();
    this.dtlsConnected = false;
    this.closed = false;
    // The browser's own candidates are never signalled: the server is ICE-lite and learns the
    // browser's addresses from its connectivity checks.
    this.pc.onconnectionstatechange = () => this.emit('connectionstatechange', this.pc.connectionState);
  }

  // First negotiation only: tell the server our fingerprint and role before the DTLS handshake
  // can start, and wait for its answer (a ClientHello before it would be dropped).
  async connectDtls(localSdp, role) {
    if (this.dtlsConnected) return;
    await this.#signalConnect({ role, fingerprints: [localFingerprint(localSdp)] });
    this.dtlsConnected = true;
  }

  // New ICE credentials from the server's restartIce: every section gets them, then the PCs
  // renegotiate (the send side with an ICE-restart offer, §4).
  restartIce(iceParameters) {
    return this.queue.push(async () => {
      this.remoteSdp.updateIceParameters(iceParameters);
      if (this.pc.remoteDescription) await this.renegotiate({ iceRestart: true });
    });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.pc.close();
    this.emit('connectionstatechange', 'closed');
  }

  // Subclasses: one offer/answer round with the current remote SDP.
  async renegotiate() {
    throw new Error('not implemented');
  }
}
