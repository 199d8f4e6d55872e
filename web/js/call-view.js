// The page: turns RoomClient events into tiles, the connection line, notices and control states,
// and control clicks into RoomClient calls. It holds no call state of its own beyond the DOM.
import { PeerTile } from './peer-tile.js';
import { BitrateMeter } from './rtp-stats.js';

const $ = (selector) => document.querySelector(selector);

export class CallView {
  #room;
  #tiles = new Map();
  #template = $('#tile-template');
  #signal = { state: 'connecting', detail: {} };
  #transports = { send: 'new', recv: 'new' };
  #statsTimer = null;
  #meter = new BitrateMeter();
  #blockedAudio = new Set();
  #lastProblem = null;

  constructor(room) {
    this.#room = room;
    $('#room-id').textContent = room.roomId;
    this.#selfTile();
    this.#bindControls();
    this.#bindRoom();
    new ResizeObserver(() => this.#layout()).observe($('#grid'));
  }

  tile(peerId, source = 'camera') {
    return this.#tiles.get(`${source}:${peerId}`);
  }

  #selfTile() {
    const room = this.#room;
    this.#addTile({ key: `camera:${room.peerId}`, peerId: room.peerId, name: `${room.displayName} (you)`, self: true });
  }

  #addTile(options) {
    const tile = new PeerTile(this.#template, { ...options, onStatsToggle: () => this.#updateStatsTimer() });
    this.#tiles.set(options.key, tile);
    const grid = $('#grid');
    // Screen shares go first: they are what people look at.
    if (options.screen) grid.prepend(tile.element);
    else grid.append(tile.element);
    this.#layout();
    return tile;
  }

  #removeTile(key) {
    const tile = this.#tiles.get(key);
    if (!tile) return;
    tile.remove();
    this.#tiles.delete(key);
    this.#layout();
    this.#updateStatsTimer();
  }

  // Picks the column count that makes 16:9 tiles largest while all of them fit the grid's box:
  // one big tile alone, side by side for two on a wide screen, stacked on a phone held upright.
  #layout() {
    const grid = $('#grid');
    const style = getComputedStyle(grid);
    const gap = parseFloat(style.columnGap) || 0;
    const width = grid.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const height = grid.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const count = Math.max(this.#tiles.size, 1);
    let best = { columns: 1, tileWidth: 0 };
    for (let columns = 1; columns <= count; columns += 1) {
      const rows = Math.ceil(count / columns);
      const tileWidth = Math.min((width - gap * (columns - 1)) / columns, ((height - gap * (rows - 1)) / rows) * (16 / 9));
      if (tileWidth > best.tileWidth) best = { columns, tileWidth };
    }
    // Below a readable size, scroll rather than shrink further.
    const tileWidth = Math.max(Math.floor(best.tileWidth), Math.min(width, 160));
    grid.style.setProperty('--columns', String(best.columns));
    grid.style.setProperty('--tile-width', `${tileWidth}px`);
  }

  #bindControls() {
    const room = this.#room;
    $('#toggle-mic').addEventListener('click', () => room.setMicMuted(!room.micMuted));
    $('#toggle-camera').addEventListener('click', () => room.setWebcamOff(!room.webcamOff));
    $('#toggle-share').addEventListener('click', () => (room.tracks.share ? room.stopScreenShare() : room.startScreenShare()));
    $('#leave').addEventListener('click', () => room.leave());
    $('#rejoin').addEventListener('click', () => location.reload());
    $('#invite').addEventListener('click', () => this.#copyInvite());
  }

  #bindRoom() {
    const room = this.#room;
    room.on('state', (state, detail) => {
      this.#signal = { state, detail };
      if (state !== 'joined') this.#transports = { send: 'new', recv: 'new' };
      this.#renderConnection();
      if (state === 'left' || state === 'closed') this.#showEnded(state);
    });
    room.on('transport-state', (direction, state) => {
      this.#transports[direction] = state;
      this.#renderConnection();
    });
    room.on('problem', (problem) => this.#showProblem(problem));
    room.on('local-media', (media) => this.#renderLocalMedia(media));
    room.on('peer-added', (peer) => {
      if (!this.tile(peer.id)) this.#addTile({ key: `camera:${peer.id}`, peerId: peer.id, name: peer.displayName });
    });
    room.on('peer-updated', (peer) => {
      this.tile(peer.id)?.setName(peer.displayName);
      this.tile(peer.id, 'screen')?.setName(`${peer.displayName}'s screen`);
    });
    room.on('peer-removed', (peerId) => {
      this.#removeTile(`camera:${peerId}`);
      this.#removeTile(`screen:${peerId}`);
    });
    room.on('consumer-added', (consumer) => this.#showConsumer(consumer));
    room.on('consumer-updated', (consumer) => this.#showConsumer(consumer));
    room.on('consumer-removed', (consumer) => this.#hideConsumer(consumer));
    room.on('active-speaker', (peerId) => {
      for (const tile of this.#tiles.values()) tile.setSpeaking(peerId !== null && tile.peerId === peerId && !tile.screen);
    });
  }

  #showConsumer(consumer) {
    const peer = this.#room.peers.get(consumer.peerId);
    const name = peer?.displayName ?? consumer.peerId;
    if (consumer.appData?.share) {
      const key = `screen:${consumer.peerId}`;
      const tile = this.#tiles.get(key) ?? this.#addTile({ key, peerId: consumer.peerId, name: `${name}'s screen`, screen: true });
      // Another client may share a tab with its sound: that plays, beside the picture.
      if (consumer.kind === 'audio') {
        if (!tile.hasAudio(consumer.id)) {
          tile.addAudio(consumer.id, consumer.track).then((playing) => {
            if (!playing) this.#soundBlocked(tile);
          });
        }
      } else {
        tile.setVideo(consumer.track, { paused: consumer.producerPaused });
      }
      return;
    }
    const tile = this.tile(consumer.peerId)
      ?? this.#addTile({ key: `camera:${consumer.peerId}`, peerId: consumer.peerId, name });
    if (consumer.kind === 'video') {
      tile.setVideo(consumer.track, { paused: consumer.producerPaused });
    } else {
      tile.setMicMuted(consumer.producerPaused);
      if (!tile.hasAudio(consumer.id)) {
        tile.addAudio(consumer.id, consumer.track).then((playing) => {
          if (!playing) this.#soundBlocked(tile);
        });
      }
    }
  }

  #hideConsumer(consumer) {
    if (consumer.appData?.share) {
      if (consumer.kind === 'audio') this.#tiles.get(`screen:${consumer.peerId}`)?.removeAudio(consumer.id);
      else this.#removeTile(`screen:${consumer.peerId}`);
      return;
    }
    const tile = this.tile(consumer.peerId);
    if (!tile) return;
    if (consumer.kind === 'video') tile.setVideo(null);
    else {
      tile.removeAudio(consumer.id);
      tile.setMicMuted(false);
    }
  }

  #renderLocalMedia({ mic, webcam, share, micMuted, webcamOff }) {
    const self = this.tile(this.#room.peerId);
    self.setVideo(webcamOff ? null : webcam);
    self.setMicMuted(micMuted || !mic);
    this.#setControl('#toggle-mic', micMuted, micMuted ? 'Unmute' : 'Mute');
    $('#toggle-mic').disabled = !mic;
    this.#setControl('#toggle-camera', webcamOff, webcamOff ? 'Start camera' : 'Stop camera');
    this.#setControl('#toggle-share', Boolean(share), share ? 'Stop sharing' : 'Share screen');
    const key = `screen:${this.#room.peerId}`;
    if (share && !this.#tiles.has(key)) {
      this.#addTile({ key, peerId: this.#room.peerId, name: 'Your screen', screen: true }).setVideo(share);
    } else if (!share) {
      this.#removeTile(key);
    }
  }

  #setControl(selector, pressed, label) {
    const button = $(selector);
    button.setAttribute('aria-pressed', String(pressed));
    button.querySelector('.control-label').textContent = label;
  }

  #renderConnection() {
    const { state, detail } = this.#signal;
    const media = Object.values(this.#transports);
    let text;
    let look = 'connecting';
    switch (state) {
      case 'connecting':
        text = detail.attempt ? `Cannot reach the server — retrying (attempt ${detail.attempt})…` : 'Connecting…';
        break;
      case 'joining':
        text = 'Joining…';
        break;
      case 'joined':
        if (media.includes('failed')) [text, look] = ['Media connection failed — retrying…', 'failed'];
        else if (media.includes('disconnected')) text = 'Media interrupted — reconnecting…';
        else if (media.includes('connecting')) text = 'Connecting media…';
        else [text, look] = ['Connected', 'connected'];
        break;
      case 'reconnecting':
        text = 'Connection lost — reconnecting…';
        break;
      case 'left':
        [text, look] = ['Left the room', 'closed'];
        break;
      default:
        [text, look] = ['Disconnected', 'closed'];
    }
    const element = $('#connection');
    element.dataset.state = look;
    element.title = `signaling: ${state}, send: ${this.#transports.send}, receive: ${this.#transports.recv}`;
    $('#connection-text').textContent = text;
  }

  #showProblem(problem) {
    this.#lastProblem = problem;
    // Problems that end the call are shown on the end screen instead.
    if (['unreachable', 'room-full', 'closed'].includes(problem.kind)) return;
    this.#notice(problem.kind, problem.message);
  }

  #notice(kind, message, { action, info = false } = {}) {
    const notices = $('#notices');
    notices.querySelector(`[data-kind="${kind}"]`)?.remove();
    const notice = document.createElement('div');
    notice.className = `notice${info ? ' info' : ''}`;
    notice.dataset.kind = kind;
    const text = document.createElement('p');
    text.textContent = message;
    notice.append(text);
    if (action) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = action.label;
      button.addEventListener('click', () => {
        action.run();
        notice.remove();
      });
      notice.append(button);
    }
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.textContent = 'Dismiss';
    dismiss.addEventListener('click', () => notice.remove());
    notice.append(dismiss);
    notices.append(notice);
  }

  // Browsers may refuse to start sound before the person has interacted with the page.
  #soundBlocked(tile) {
    this.#blockedAudio.add(tile);
    this.#notice('sound', 'Your browser blocked the sound of this call.', {
      info: true,
      action: {
        label: 'Turn on sound',
        run: () => {
          for (const blocked of this.#blockedAudio) for (const audio of blocked.audioElements) audio.play().catch(() => {});
          this.#blockedAudio.clear();
        },
      },
    });
  }

  #showEnded(state) {
    const problem = this.#lastProblem;
    const titles = { 'room-full': 'This room is full', unreachable: "Can't reach the server", closed: 'Disconnected' };
    $('#ended-title').textContent = state === 'left' ? 'You left the room' : titles[problem?.kind] ?? 'Disconnected';
    $('#ended-text').textContent = state === 'left' ? '' : problem?.message ?? '';
    $('#rejoin').textContent = state === 'left' ? 'Rejoin' : 'Try again';
    $('#ended').hidden = false;
    for (const key of [...this.#tiles.keys()]) if (!key.endsWith(`:${this.#room.peerId}`)) this.#removeTile(key);
  }

  // The invite carries only the room: a shared peerId would replace the sender in the room.
  async #copyInvite() {
    const link = `${location.origin}${location.pathname}?roomId=${encodeURIComponent(this.#room.roomId)}`;
    const button = $('#invite');
    try {
      await navigator.clipboard.writeText(link);
      button.textContent = 'Link copied';
    } catch {
      window.prompt('Copy this link:', link);
    }
    setTimeout(() => (button.textContent = 'Copy invite link'), 2000);
  }

  #updateStatsTimer() {
    const open = [...this.#tiles.values()].some((tile) => tile.statsOpen);
    if (open && !this.#statsTimer) {
      this.#refreshStats();
      this.#statsTimer = setInterval(() => this.#refreshStats(), 1000);
    } else if (!open && this.#statsTimer) {
      clearInterval(this.#statsTimer);
      this.#statsTimer = null;
    }
  }

  async #refreshStats() {
    for (const tile of this.#tiles.values()) {
      if (!tile.statsOpen) continue;
      const entries = await this.#room.peerStats(tile.peerId, this.#meter);
      tile.renderStats(entries.filter((entry) => (entry.source === 'share') === tile.screen));
    }
  }
}
