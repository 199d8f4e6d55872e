// One tile of the grid: a person's camera (or a screen share), their name, a muted-microphone
// badge, the audio elements that play them, and a statistics panel shown on demand.

function initials(name) {
  // Words that start with a letter or digit: "Dave (you)" is "D", "Ada Lovelace" is "AL".
  const words = name.trim().split(/\s+/).filter((word) => /^[\p{L}\p{N}]/u.test(word));
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?')[0];
  return letters.toUpperCase();
}

function formatStats(entries) {
  const rows = [];
  for (const entry of entries) {
    const what = { mic: 'Microphone', webcam: 'Camera', share: 'Screen', audio: 'Audio', video: 'Video' }[entry.source] ?? entry.source;
    const rate = entry.kbps === null ? '…' : `${entry.kbps} kbit/s`;
    rows.push([what, `${entry.codec?.split('/')[1] ?? '?'} · ${rate}${entry.paused ? ' · paused' : ''}`]);
    if (entry.direction === 'in') {
      rows.push(['  lost', `${entry.packetsLost} of ${entry.packets + entry.packetsLost} packets`]);
      if (entry.jitterMs !== null) rows.push(['  jitter', `${entry.jitterMs} ms`]);
    } else {
      rows.push(['  sent', `${entry.packets} packets`]);
    }
    if (entry.kind === 'video' && entry.width) {
      rows.push(['  frames', `${entry.width}×${entry.height} · ${Math.round(entry.framesPerSecond ?? 0)} fps`]);
    }
  }
  return rows.length ? rows : [['', 'nothing received yet']];
}

export class PeerTile {
  #audio = new Map();

  // `key` names the tile in the grid; peerId and source ("camera" or "screen") are written as
  // data attributes so that tests and styles can find a person's tile.
  constructor(template, { key, peerId, name, self = false, screen = false, onStatsToggle }) {
    this.key = key;
    this.peerId = peerId;
    this.element = template.content.firstElementChild.cloneNode(true);
    this.element.dataset.peerId = peerId;
    this.element.dataset.source = screen ? 'screen' : 'camera';
    this.element.classList.toggle('self', self && !screen);
    this.element.classList.toggle('screen', screen);
    this.video = this.element.querySelector('video');
    this.statsPanel = this.element.querySelector('.stats');
    this.statsButton = this.element.querySelector('.stats-toggle');
    this.statsButton.addEventListener('click', () => {
      const open = this.statsPanel.hidden;
      this.statsPanel.hidden = !open;
      this.statsButton.setAttribute('aria-pressed', String(open));
      onStatsToggle?.(this, open);
    });
    this.screen = screen;
    this.setName(name);
    this.setVideo(null);
  }

  get statsOpen() {
    return !this.statsPanel.hidden;
  }

  setName(name) {
    this.name = name;
    this.element.querySelector('.name').textContent = name;
    this.element.querySelector('.initials').textContent = initials(name);
    this.element.setAttribute('aria-label', name);
  }

  // Shows a video track, or the initials when there is none or it is paused.
  setVideo(track, { paused = false } = {}) {
    if (track) {
      if (this.video.srcObject?.getVideoTracks()[0] !== track) this.video.srcObject = new MediaStream([track]);
      this.video.play().catch(() => {}); // muted video may always autoplay; a failure only delays the picture
    } else if (this.video.srcObject) {
      this.video.srcObject = null;
    }
    this.element.classList.toggle('no-video', !track || paused);
  }

  setMicMuted(muted) {
    this.element.querySelector('.mic-off').hidden = !muted;
  }

  setSpeaking(speaking) {
    this.element.classList.toggle('speaking', speaking);
  }

  // Plays a remote audio track. Resolves false when the browser's autoplay policy blocked it; the
  // view then asks for a click.
  async addAudio(id, track) {
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.srcObject = new MediaStream([track]);
    this.#audio.set(id, audio);
    this.element.append(audio);
    try {
      await audio.play();
      return true;
    } catch {
      return false;
    }
  }

  hasAudio(id) {
    return this.#audio.has(id);
  }

  removeAudio(id) {
    const audio = this.#audio.get(id);
    if (!audio) return;
    audio.srcObject = null;
    audio.remove();
    this.#audio.delete(id);
  }

  get audioElements() {
    return [...this.#audio.values()];
  }

  renderStats(entries) {
    const items = formatStats(entries).flatMap(([term, detail]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = detail;
      return [dt, dd];
    });
    this.statsPanel.replaceChildren(...items);
  }

  remove() {
    for (const id of [...this.#audio.keys()]) this.removeAudio(id);
    this.video.srcObject = null;
    this.element.remove();
  }
}
