// Entry point: read (or make up) room, peer and name from the URL, and join at once with camera
// and microphone, as mediasoup-demo does. The address bar keeps the room (and the name and peer
// when given there); the peer id made up here is kept in the tab's sessionStorage, so a reload
// rejoins as the same peer while the address, copied to invite someone, brings in a new one.
// (A browser's "Duplicate tab" copies that storage: such a copy replaces the first in the room.)
import { CallView } from './call-view.js';
import { ChatView } from './chat-view.js';
import { RoomClient } from './room-client.js';

function randomId(length = 8) {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789'; // no 0/o, 1/l: ids get read aloud
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

// Storage may be refused (a privacy mode): the page then works without it.
function remembered(key, make) {
  try {
    const value = sessionStorage.getItem(key) || make();
    sessionStorage.setItem(key, value);
    return value;
  } catch {
    return make();
  }
}

const params = new URLSearchParams(location.search);
const roomId = params.get('roomId') || randomId();
const peerId = params.get('peerId') || remembered(`sfu-peer-id:${roomId}`, randomId);
const displayName = params.get('displayName') || `Guest ${peerId.slice(0, 4)}`;
// mediasoup-demo's switch for networks that block UDP: ICE over TCP only.
const forceTcp = ['true', '1'].includes(params.get('forceTcp'));
// Media only through the TURN servers the server hands out (relay candidates): how a network that
// lets nothing else through behaves, to try one's TURN set-up.
const forceRelay = ['true', '1'].includes(params.get('forceRelay'));
// mediasoup-demo's switch for sending the camera in three qualities (simulcast), here off unless
// asked for: the server forwards the best one to every receiver until it estimates their bandwidth.
const simulcast = ['true', '1'].includes(params.get('simulcast'));
// mediasoup-demo's switches for sending the camera in H264 or VP9; with simulcast, VP9 goes as one
// SVC stream of the layers `svc` names (L3T3_KEY unless given).
const forceH264 = ['true', '1'].includes(params.get('forceH264'));
const forceVP9 = ['true', '1'].includes(params.get('forceVP9'));
const svc = params.get('svc') || undefined;
// An access token from the application backend, when the server requires one (SFU_JWT_SECRET).
const token = params.get('token');
params.set('roomId', roomId);
history.replaceState(null, '', `${location.pathname}?${params}`);
document.title = `${roomId} · Call`;

// Relative to the page, so a server behind a reverse proxy at a path prefix (/call/) is reached
// there too; the server takes the upgrade at any path.
const signaling = new URL('./', location.href);
signaling.protocol = location.protocol === 'http:' ? 'ws:' : 'wss:';
signaling.search = new URLSearchParams({ roomId, peerId, ...(token ? { token } : {}) }).toString();

const room = new RoomClient({
  url: signaling.href, roomId, peerId, displayName, forceTcp, forceRelay, simulcast, forceH264, forceVP9, svc,
});
const view = new CallView(room);
const chat = new ChatView(room);
room.start();

// A small hook for automated tests and for poking at a call from the console.
window.sfuApp = {
  room,
  view,
  chat,
  get state() {
    return room.state;
  },
  // Whether the chat can send: the `chat` and `bot` data channels are open.
  get chatReady() {
    return room.dataChannels.ready;
  },
  // The chat panel's lines, oldest first: [{from: 'self'|'peer'|'bot', name, text, toBot}].
  chatLines() {
    return chat.lines();
  },
  // The open data consumers: [{id, peerId (null for the bot), label}].
  dataConsumers() {
    return room.dataChannels.consumers;
  },
  // Tiles in the grid: [{peerId, source: 'camera'|'screen', name, showsVideo, micMuted}].
  tiles() {
    return [...document.querySelectorAll('#grid .tile')].map((tile) => ({
      peerId: tile.dataset.peerId,
      source: tile.dataset.source,
      name: tile.querySelector('.name').textContent,
      showsVideo: !tile.classList.contains('no-video'),
      micMuted: !tile.querySelector('.mic-off').hidden,
    }));
  },
  // What this page receives from each remote peer: {peerId: {audio, video}} with getStats numbers
  // (framesDecoded, totalSamplesReceived, ...) and whether the sender paused it.
  async receiveStats() {
    const result = {};
    for (const peerId of room.peers.keys()) {
      result[peerId] = {};
      for (const entry of await room.peerStats(peerId)) result[peerId][entry.source] = entry;
    }
    return result;
  },
};
