// One person in one room: mediasoup-demo's RoomClient order of things over protoo
// (mediasoup-compat.md §2.6): router capabilities, a send and a receive transport, join, then
// open the `chat` and `bot` data producers and produce microphone and camera; consumers and data
// consumers arrive as server requests. Chat messages come and go through `dataChannels`.
//
// Events (for the view):
//   'state' (state, detail)   'connecting' | 'joining' | 'joined' | 'reconnecting' | 'closed' | 'left'
//   'problem' ({kind, message}) something the person should read: 'permission', 'missing', 'busy',
//                             'insecure', 'unreachable', 'room-full', 'closed', 'signaling', 'media',
//                             'chat'
//   'peer-added' (peer) 'peer-removed' (peerId) 'peer-updated' (peer)
//   'consumer-added' (consumer) 'consumer-removed' (consumer) 'consumer-updated' (consumer)
//   'local-media' ({mic, webcam, share, micMuted, webcamOff})
//   'transport-state' (direction, state)   'active-speaker' (peerId | null)
import { DataChannels } from './data-channels.js';
import { Device } from './device.js';
import { Emitter } from './emitter.js';
import { openCamera, openCameraAndMicrophone, openMicrophone, openScreen } from './local-media.js';
import { ProtooClient, SERVER_CLOSE_CODE } from './protoo-client.js';
import { RecvTransport } from './recv-transport.js';
import { rtpSummary } from './rtp-stats.js';
import { SendTransport } from './send-transport.js';

// The camera in three qualities, a quarter, half and full size, each with three temporal layers
// (mediasoup-demo's webcam encodings for VP8 and H264).
const WEBCAM_SIMULCAST_ENCODINGS = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 500000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 1000000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 5000000, scalabilityMode: 'L1T3' },
];

// How long a media path may stay 'disconnected' (a network change, a brief outage) before ICE is
// restarted: longer than a lost packet or two, well within the server's 30 s consent timeout.
const ICE_RESTART_GRACE_MS = 3000;

export class RoomClient extends Emitter {
  #protoo;
  #device = new Device();
  #session = 0; // bumped on every teardown, so work started for a dead connection stops
  #media; // the promise of the first getUserMedia
  #closedConsumerIds = new Set();
  // consumerPaused/consumerResumed that came while the consumer's negotiation ran: id → paused.
  #pendingPauseStates = new Map();
  // Sources whose producer is being made, so a click during the join makes no second one.
  #producing = new Set();
  // Bumped by every camera on/off choice: a camera that opens after a later choice is released.
  #webcamChoice = 0;
  // Peers that left (peerClosed): a consumer of theirs whose negotiation ends after it goes too.
  #departedPeerIds = new Set();
  // A microphone being opened again (one stopped, or one was plugged in): opened once at a time.
  #micReopening = false;
  #onDeviceChange = () => { this.#onDevicesChanged(); };

  constructor({
    url, roomId, peerId, displayName, forceTcp = false, forceRelay = false, simulcast = false, forceH264 = false,
    forceVP9 = false, svc,
  }) {
    super();
    Object.assign(this, { roomId, peerId, displayName, forceTcp, forceRelay, simulcast, forceH264, forceVP9, svc });
    this.state = 'new';
    this.peers = new Map();
    this.consumers = new Map();
    this.producers = {};
    this.tracks = { mic: null, webcam: null, share: null };
    this.micMuted = false;
    this.webcamOff = false;
    this.sendTransport = null;
    this.recvTransport = null;
    this.dataChannels = new DataChannels();

    this.#protoo = new ProtooClient(url);
    this.#protoo.onRequest = (method, data) => this.#onServerRequest(method, data);
    this.#protoo.on('open', () => this.#join());
    this.#protoo.on('failed', (attempt, delay) => this.#setState('connecting', { attempt, delay }));
    this.#protoo.on('disconnected', () => {
      this.#teardown();
      this.#setState('reconnecting');
    });
    this.#protoo.on('close', (event) => this.#onClose(event));
    this.#protoo.on('notification', (method, data) => this.#onNotification(method, data));
  }

  // Asks for camera and microphone while the signaling connects: the permission prompt and the
  // WebSocket handshake overlap, and joining does not wait for the person to answer the prompt.
  start() {
    this.#setState('connecting', { attempt: 0 });
    this.#media = this.#openLocalMedia();
    navigator.mediaDevices?.addEventListener('devicechange', this.#onDeviceChange);
    this.#protoo.connect();
  }

  leave() {
    this.#setState('left');
    this.#protoo.close(1000, 'left');
    this.#teardown();
    this.#releaseLocalMedia();
  }

  async setMicMuted(muted) {
    this.micMuted = muted;
    if (this.tracks.mic) this.tracks.mic.enabled = !muted;
    this.#emitLocalMedia();
    const producer = this.producers.mic;
    // Without a microphone (one lost and none found) the producer stays paused: unmuting would
    // only send silence under an unmuted badge.
    if (producer && (muted || this.tracks.mic)) {
      await this.#request(muted ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
    }
  }

  // Camera off releases the camera (its light goes off) and pauses the producer, so the others
  // get consumerPaused and keep their m-section for when it comes back.
  async setWebcamOff(off) {
    if (off === this.webcamOff) return;
    this.webcamOff = off;
    const choice = ++this.#webcamChoice;
    if (off) {
      this.tracks.webcam?.stop();
      this.tracks.webcam = null;
      this.#emitLocalMedia();
      const producer = this.producers.webcam;
      if (producer && this.sendTransport) {
        await this.sendTransport.replaceTrack(producer, null);
        await this.#request('pauseProducer', { producerId: producer.id });
      }
      return;
    }
    let track;
    try {
      track = await openCamera();
    } catch (error) {
      if (choice !== this.#webcamChoice) return;
      this.webcamOff = true;
      this.#emitLocalMedia();
      this.emit('problem', { kind: error.kind ?? 'media', message: error.message });
      return;
    }
    // Turned off again (a double click) or the call ended while the camera opened: nothing of
    // it may be sent, and its light goes off.
    if (choice !== this.#webcamChoice || this.webcamOff || this.state === 'closed' || this.state === 'left') {
      track.stop();
      return;
    }
    this.tracks.webcam?.stop();
    this.#adoptTrack('webcam', track);
    this.#emitLocalMedia();
    // Looked up after the wait: a reconnect meanwhile made a new transport, without the producer.
    const producer = this.producers.webcam;
    if (producer && this.sendTransport) {
      await this.sendTransport.replaceTrack(producer, track);
      await this.#request('resumeProducer', { producerId: producer.id });
    } else if (this.state === 'joined') {
      await this.#produce('webcam', track);
    }
  }

  async startScreenShare() {
    if (this.tracks.share) return;
    let track;
    try {
      track = await openScreen();
    } catch (error) {
      this.emit('problem', { kind: error.kind ?? 'media', message: error.message });
      return;
    }
    if (!track) return;
    this.tracks.share = track;
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener('ended', () => this.stopScreenShare());
    this.#emitLocalMedia();
    if (this.state === 'joined') await this.#produce('share', track, { share: true });
  }

  async stopScreenShare() {
    const track = this.tracks.share;
    if (!track) return;
    this.tracks.share = null;
    track.stop();
    this.#emitLocalMedia();
    const producer = this.producers.share;
    delete this.producers.share;
    if (producer) {
      // mediasoup-demo order: close locally, then tell the server.
      await this.sendTransport.stopProducing(producer).catch(() => {});
      await this.#request('closeProducer', { producerId: producer.id });
    }
  }

  // Browser-side statistics of one peer's tracks: what this page receives from a remote peer, or
  // what it sends for itself. [{source, kind, codec, kbps, packetsLost, ...}]
  async peerStats(peerId, meter) {
    const entries = [];
    if (peerId === this.peerId) {
      for (const [source, producer] of Object.entries(this.producers)) {
        entries.push({ source, item: producer.transceiver.sender });
      }
    } else {
      for (const consumer of this.consumers.values()) {
        if (consumer.peerId !== peerId) continue;
        entries.push({ source: consumer.appData?.share ? 'share' : consumer.kind, item: consumer.receiver, consumer });
      }
    }
    const results = [];
    for (const { source, item, consumer } of entries) {
      const summary = await rtpSummary(item).catch(() => null);
      if (!summary) continue;
      const kbps = meter?.kbps(`${peerId}/${source}`, summary.bytes, summary.timestamp) ?? null;
      results.push({ source, ...summary, kbps, paused: consumer ? consumer.producerPaused : undefined });
    }
    return results;
  }

  // --- joining -------------------------------------------------------------------------------

  async #join() {
    const session = this.#session;
    this.#setState('joining');
    try {
      const routerRtpCapabilities = await this.#protoo.request('getRouterRtpCapabilities');
      await this.#device.load(routerRtpCapabilities);
      if (session !== this.#session) return;
      // An access token may leave out publishing or receiving (403): the call goes on with the
      // other direction.
      this.sendTransport = await this.#createPermittedTransport('send');
      this.recvTransport = await this.#createPermittedTransport('recv');
      if (session !== this.#session) return;
      if (!this.sendTransport && !this.recvTransport) throw new Error('the access token allows neither sending nor receiving');
      if (!this.sendTransport) {
        this.emit('problem', { kind: 'permission', message: 'You can watch and listen, but this room does not let you send.' });
      }
      // sctpCapabilities: the server offers us the others' chat and the bot (newDataConsumer). A
      // server that made the transports without SCTP (no data permission) leaves chat out.
      const { peers } = await this.#protoo.request('join', {
        displayName: this.displayName,
        device: this.#device.info,
        rtpCapabilities: this.#device.rtpCapabilities,
        sctpCapabilities: this.recvTransport?.sctpParameters ? this.#device.sctpCapabilities : undefined,
      });
      if (session !== this.#session) return;
      for (const peer of peers) this.#addPeer(peer);
      this.#setState('joined');

      if (!this.sendTransport) return;
      // Chat first: it does not wait for the person to answer the camera prompt.
      if (this.sendTransport.sctpParameters) await this.#openDataProducers();
      if (session !== this.#session) return;
      await this.#media;
      if (session !== this.#session) return;
      if (this.tracks.mic) await this.#produce('mic', this.tracks.mic);
      if (this.tracks.webcam && !this.webcamOff) await this.#produce('webcam', this.tracks.webcam);
      if (this.tracks.share) await this.#produce('share', this.tracks.share, { share: true });
    } catch (error) {
      if (session !== this.#session || this.#protoo.closed) return;
      console.error('join failed', error);
      this.emit('problem', { kind: 'signaling', message: `Could not join the room: ${error.message}` });
    }
  }

  // The transport, or null when the access token does not allow it.
  async #createPermittedTransport(direction) {
    try {
      return await this.#createTransport(direction);
    } catch (error) {
      if (error.code === 403) return null;
      throw error;
    }
  }

  async #createTransport(direction) {
    const producing = direction === 'send';
    const server = await this.#protoo.request('createWebRtcTransport', {
      forceTcp: this.forceTcp, producing, consuming: !producing, sctpCapabilities: this.#device.sctpCapabilities,
    });
    if (this.forceRelay) server.iceTransportPolicy = 'relay';
    const signalConnect = (dtlsParameters) =>
      this.#protoo.request('connectWebRtcTransport', { transportId: server.id, dtlsParameters });
    const transport = producing
      ? new SendTransport(server, this.#device, {
        signalConnect,
        signalProduce: async ({ kind, rtpParameters, appData }) =>
          (await this.#protoo.request('produce', { transportId: server.id, kind, rtpParameters, appData })).id,
        signalProduceData: async (parameters) =>
          (await this.#protoo.request('produceData', { transportId: server.id, ...parameters })).id,
      })
      : new RecvTransport(server, signalConnect);
    // Restarted on 'failed', and on 'disconnected' that lasts: Chrome says 'failed' only after
    // about 30 s, when the server, its consent expired, has closed the peer already.
    let restartTimer;
    transport.on('connectionstatechange', (state) => {
      this.emit('transport-state', direction, state);
      clearTimeout(restartTimer);
      if (state === 'failed') {
        this.restartIce(transport);
      } else if (state === 'disconnected') {
        restartTimer = setTimeout(() => this.restartIce(transport), ICE_RESTART_GRACE_MS);
      }
    });
    return transport;
  }

  // New ICE credentials from the server, then a renegotiation: how a media path that failed (a
  // network change, a NAT rebinding) is found again without rejoining. Both transports by default.
  async restartIce(transport) {
    if (!transport) {
      await Promise.all([this.sendTransport, this.recvTransport].filter(Boolean).map((each) => this.restartIce(each)));
      return;
    }
    if (!this.#protoo.connected || transport.closed) return;
    try {
      const iceParameters = await this.#protoo.request('restartIce', { transportId: transport.id });
      await transport.restartIce(iceParameters);
    } catch (error) {
      this.emit('problem', { kind: 'media', message: `Media connection lost and could not be restarted: ${error.message}` });
    }
  }

  async #produce(source, track, appData = {}) {
    if (!this.sendTransport || this.producers[source] || this.#producing.has(source)) return;
    const session = this.#session;
    this.#producing.add(source);
    try {
      const webcam = source === 'webcam';
      const codecMimeType = webcam && this.forceH264 ? 'video/H264' : webcam && this.forceVP9 ? 'video/VP9' : undefined;
      let encodings;
      if (webcam && this.simulcast) {
        encodings = codecMimeType === 'video/VP9'
          ? [{ maxBitrate: 5000000, scalabilityMode: this.svc || 'L3T3_KEY' }]
          : WEBCAM_SIMULCAST_ENCODINGS;
      }
      const transport = this.sendTransport;
      const producer = await transport.produce(track, { appData, encodings, codecMimeType });
      if (session !== this.#session) return;
      if (this.tracks[source] !== track) {
        // The track was stopped or replaced while its producer was being made: that producer
        // goes again, and a newer track gets one of its own.
        await transport.stopProducing(producer).catch(() => {});
        await this.#request('closeProducer', { producerId: producer.id });
        const current = this.tracks[source];
        this.#producing.delete(source);
        if (current && session === this.#session && !(source === 'webcam' && this.webcamOff)) {
          await this.#produce(source, current, appData);
        }
        return;
      }
      this.producers[source] = producer;
      if (source === 'mic' && this.micMuted) {
        await this.#request('pauseProducer', { producerId: producer.id });
      }
    } catch (error) {
      if (session !== this.#session) return;
      console.error(`producing ${source} failed`, error);
      this.emit('problem', { kind: 'media', message: `Could not send your ${source === 'mic' ? 'microphone' : source === 'webcam' ? 'camera' : 'screen'}: ${error.message}` });
    } finally {
      if (session === this.#session) this.#producing.delete(source);
    }
  }

  async #openDataProducers() {
    const session = this.#session;
    try {
      await this.dataChannels.produce(this.sendTransport, ['chat', 'bot']);
    } catch (error) {
      if (session !== this.#session) return;
      console.error('opening the chat failed', error);
      this.emit('problem', { kind: 'chat', message: `Chat is unavailable: ${error.message}` });
    }
  }

  async #openLocalMedia() {
    const choice = this.#webcamChoice;
    let result;
    try {
      result = await openCameraAndMicrophone();
    } catch (error) {
      result = { audio: null, video: null, errors: [error] };
    }
    if (this.state === 'closed' || this.state === 'left') {
      // The call ended while the person was answering the prompt: release what we just got.
      result.audio?.stop();
      result.video?.stop();
      return;
    }
    this.#adoptTrack('mic', result.audio);
    if (choice === this.#webcamChoice) {
      this.#adoptTrack('webcam', result.video);
      this.webcamOff = !result.video;
    } else {
      // The person turned the camera off (or on again) while answering the prompt: that stands.
      result.video?.stop();
    }
    if (this.tracks.mic) this.tracks.mic.enabled = !this.micMuted;
    this.#emitLocalMedia();
    for (const error of result.errors) this.emit('problem', { kind: error.kind ?? 'media', message: error.message });
  }

  // A local track of ours, watched for its end: a microphone or camera unplugged (or taken by the
  // system) is replaced by the one the browser now gives, so the call goes on without a click.
  #adoptTrack(source, track) {
    this.tracks[source] = track;
    track?.addEventListener('ended', () => this.#onTrackEnded(source, track), { once: true });
  }

  #onTrackEnded(source, track) {
    // A track we stopped ourselves does not end this way; one replaced meanwhile no longer counts.
    if (this.tracks[source] !== track || this.state === 'closed' || this.state === 'left') return;
    if (source === 'mic') this.#reopenMicrophone({ ended: track }).catch((error) => console.error(error));
    else this.#reopenCamera(track).catch((error) => console.error(error));
  }

  // A microphone again: after `ended` stopped, or because a device appeared while there was none.
  // The producer keeps going with the new track (the others' consumers stay); without a
  // microphone it is paused, so they see the muted badge rather than hear silence.
  async #reopenMicrophone({ ended = null } = {}) {
    if (this.#micReopening) return;
    this.#micReopening = true;
    let track;
    try {
      // Reported below when a microphone was lost; a device change that brings none is no news.
      track = await this.#reopenDevice('audioinput', openMicrophone);
    } finally {
      this.#micReopening = false;
    }
    if (this.tracks.mic !== ended || this.state === 'closed' || this.state === 'left') {
      track?.stop();
      return;
    }
    if (!track && !ended) return;
    this.#adoptTrack('mic', track);
    if (track) track.enabled = !this.micMuted;
    this.#emitLocalMedia();
    if (!track) {
      this.emit('problem', { kind: 'missing', message: 'Your microphone stopped (was it unplugged?) and no other was found. Others can\'t hear you.' });
      // One plugged in while this looked may have announced itself before the loss was known.
      this.#onDevicesChanged();
    }
    const producer = this.producers.mic;
    if (producer && this.sendTransport) {
      await this.sendTransport.replaceTrack(producer, track);
      if (!this.micMuted) await this.#request(track ? 'resumeProducer' : 'pauseProducer', { producerId: producer.id });
    } else if (track && this.state === 'joined') {
      await this.#produce('mic', track);
    }
  }

  // The camera again after it stopped; without one, as if the person had turned it off.
  async #reopenCamera(ended) {
    const choice = this.#webcamChoice;
    const track = await this.#reopenDevice('videoinput', openCamera);
    // The person turned the camera off or on meanwhile: that choice stands.
    if (choice !== this.#webcamChoice || this.tracks.webcam !== ended || this.state === 'closed' || this.state === 'left') {
      track?.stop();
      return;
    }
    if (!track) {
      this.emit('problem', { kind: 'missing', message: 'Your camera stopped (was it unplugged?) and no other was found.' });
      await this.setWebcamOff(true);
      return;
    }
    this.#adoptTrack('webcam', track);
    this.#emitLocalMedia();
    const producer = this.producers.webcam;
    if (producer && this.sendTransport) await this.sendTransport.replaceTrack(producer, track);
  }

  // A device plugged in while the call has no microphone (none at the start, or lost since).
  async #onDevicesChanged() {
    if (this.state === 'closed' || this.state === 'left' || this.state === 'new') return;
    // The first getUserMedia decides first: what it opens is the call's microphone.
    await this.#media;
    if (this.tracks.mic) return;
    await this.#reopenMicrophone().catch((error) => console.error(error));
  }

  // A device of `kind` opened again, or null. Only where the person has allowed such devices
  // (they have labels then): a lost device or a device change must not bring up a permission
  // prompt, nor retry one that was refused or revoked.
  async #reopenDevice(kind, open) {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    if (!devices.some((device) => device.kind === kind && device.label)) return null;
    try {
      return await open();
    } catch {
      return null;
    }
  }

  // Which quality of `peerId`'s camera to receive, when it is sent in several (simulcast):
  // `spatialLayer` 0 is the smallest. Resolves to whether the server took it.
  async setPreferredLayers(peerId, { spatialLayer, temporalLayer }) {
    const consumer = [...this.consumers.values()].find((c) => c.peerId === peerId && c.kind === 'video' && !c.appData.share);
    if (!consumer) return false;
    const data = { consumerId: consumer.id, spatialLayer, ...(temporalLayer === undefined ? {} : { temporalLayer }) };
    return (await this.#request('setConsumerPreferredLayers', data)) !== null;
  }

  // --- what the server says -----------------------------------------------------------------

  async #onServerRequest(method, data) {
    if (method === 'newDataConsumer') return this.#onNewDataConsumer(data);
    if (method !== 'newConsumer') throw Object.assign(new Error(`${method} is not supported`), { code: 403 });
    try {
      return await this.#onNewConsumer(data);
    } catch (error) {
      const peer = this.peers.get(data.peerId);
      this.emit('problem', { kind: 'media', message: `Could not receive ${peer?.displayName ?? data.peerId}'s ${data.kind ?? 'media'}: ${error.message}` });
      throw error;
    }
  }

  async #onNewConsumer(data) {
    const { peerId, producerId, id, kind, rtpParameters, appData = {} } = data;
    if (!this.recvTransport || !this.#device.canConsume(rtpParameters)) {
      throw Object.assign(new Error('cannot consume this producer'), { code: 403 });
    }
    const session = this.#session;
    const transport = this.recvTransport;
    const local = await transport.consume({
      id, kind, rtpParameters, streamId: appData.share ? `${peerId}-share` : `${peerId}-mic-webcam`,
    });
    // consumerPaused/consumerResumed may have come during the negotiation: the last one stands.
    const producerPaused = this.#pendingPauseStates.get(id) ?? data.producerPaused ?? false;
    this.#pendingPauseStates.delete(id);
    const consumer = { ...local, peerId, producerId, appData, producerPaused };
    // consumerClosed (or a teardown) may have overtaken the negotiation.
    if (session !== this.#session || this.#closedConsumerIds.has(id)) {
      transport.closeConsumer(consumer).catch(() => {});
      return {};
    }
    if (this.#departedPeerIds.has(peerId)) {
      // Its peer left while it was being set up (consumerClosed may still be on its way).
      transport.closeConsumer(consumer).catch(() => {});
      return {};
    }
    this.consumers.set(id, consumer);
    if (!this.peers.has(peerId)) this.#addPeer({ id: peerId, displayName: peerId });
    this.emit('consumer-added', consumer);
    // Answering lets the server resume the consumer: media starts flowing now.
    return {};
  }

  // Accepted once the negotiated channel exists on the server's stream id.
  async #onNewDataConsumer(data) {
    if (!this.recvTransport?.sctpParameters) {
      throw Object.assign(new Error('cannot consume data on this transport'), { code: 403 });
    }
    await this.dataChannels.consume(this.recvTransport, data);
    return {};
  }

  #onNotification(method, data) {
    switch (method) {
      case 'newPeer':
        this.#addPeer(data);
        break;
      case 'peerClosed':
      case 'peerLeft':
        this.#departedPeerIds.add(data.peerId);
        this.#removePeer(data.peerId);
        break;
      case 'peerDisplayNameChanged': {
        const peer = this.peers.get(data.peerId);
        if (peer) {
          peer.displayName = data.displayName;
          this.emit('peer-updated', peer);
        }
        break;
      }
      case 'consumerClosed':
        this.#closedConsumerIds.add(data.consumerId);
        this.#pendingPauseStates.delete(data.consumerId);
        this.#removeConsumer(data.consumerId);
        break;
      case 'dataConsumerClosed':
        this.dataChannels.closeConsumer(data.dataConsumerId);
        break;
      case 'consumerPaused':
      case 'consumerResumed': {
        const consumer = this.consumers.get(data.consumerId);
        if (consumer) {
          consumer.producerPaused = method === 'consumerPaused';
          this.emit('consumer-updated', consumer);
        } else {
          this.#pendingPauseStates.set(data.consumerId, method === 'consumerPaused');
        }
        break;
      }
      case 'activeSpeaker':
        this.emit('active-speaker', data.peerId ?? null);
        break;
      case 'downlinkBwe':
        // What the server may send this page: { desiredBitrate, effectiveDesiredBitrate, availableBitrate }.
        this.downlinkBwe = data;
        break;
      default:
        // mediasoup-version, consumerScore, producerScore, ...: nothing to show.
        break;
    }
  }

  #addPeer(peer) {
    this.#departedPeerIds.delete(peer.id);
    const known = this.peers.get(peer.id);
    if (known) {
      Object.assign(known, peer);
      this.emit('peer-updated', known);
      return;
    }
    const entry = { id: peer.id, displayName: peer.displayName || peer.id, device: peer.device };
    this.peers.set(peer.id, entry);
    this.emit('peer-added', entry);
  }

  #removePeer(peerId) {
    for (const consumer of [...this.consumers.values()]) {
      if (consumer.peerId === peerId) this.#removeConsumer(consumer.id);
    }
    if (this.peers.delete(peerId)) this.emit('peer-removed', peerId);
  }

  #removeConsumer(consumerId) {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) return;
    this.consumers.delete(consumerId);
    this.emit('consumer-removed', consumer);
    this.recvTransport?.closeConsumer(consumer).catch((error) => console.warn('closing a consumer failed', error));
  }

  #onClose({ code, reason }) {
    this.#teardown();
    if (this.state === 'left') return;
    // The problem first: the view reads it when it shows the end screen for 'closed'.
    if (code === 0) {
      this.emit('problem', { kind: 'unreachable', message: 'The server is unreachable. Check your connection and try again.' });
    } else if (code === SERVER_CLOSE_CODE && /full/i.test(reason)) {
      this.emit('problem', { kind: 'room-full', message: 'It has reached its maximum number of participants. Try again later or start a new room.' });
    } else {
      this.emit('problem', { kind: 'closed', message: `The server closed the connection${reason ? `: ${reason}` : '.'}` });
    }
    this.#releaseLocalMedia();
    this.#setState('closed', { code, reason });
  }

  // The call is over: camera and microphone lights go off.
  #releaseLocalMedia() {
    navigator.mediaDevices?.removeEventListener('devicechange', this.#onDeviceChange);
    for (const track of Object.values(this.tracks)) track?.stop();
    this.tracks = { mic: null, webcam: null, share: null };
    this.#emitLocalMedia();
  }

  // Drops everything tied to the signaling connection; local tracks stay for the rejoin.
  #teardown() {
    this.#session += 1;
    this.#departedPeerIds.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = this.recvTransport = null;
    this.producers = {};
    this.dataChannels.reset();
    for (const consumer of this.consumers.values()) this.emit('consumer-removed', consumer);
    this.consumers.clear();
    this.#closedConsumerIds.clear();
    this.#pendingPauseStates.clear();
    this.#producing.clear();
    for (const peerId of [...this.peers.keys()]) {
      this.peers.delete(peerId);
      this.emit('peer-removed', peerId);
    }
    this.emit('active-speaker', null);
  }

  // Requests whose failure the person should hear about, but that must not break the caller.
  async #request(method, data) {
    try {
      return await this.#protoo.request(method, data);
    } catch (error) {
      if (this.#protoo.connected) this.emit('problem', { kind: 'signaling', message: error.message });
      return null;
    }
  }

  #setState(state, detail = {}) {
    this.state = state;
    this.emit('state', state, detail);
  }

  #emitLocalMedia() {
    this.emit('local-media', { ...this.tracks, micMuted: this.micMuted, webcamOff: this.webcamOff });
  }
}
