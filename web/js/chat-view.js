// The chat panel: what arrives on the room's data channels, under the sender's name, and an input
// that sends on Enter. "/bot <text>" goes to the room bot instead of to everyone, as
// mediasoup-demo's bot channel. The panel starts open beside the grid on wide screens and closed
// on phones, where it covers the grid; the Chat control toggles it and counts what arrived while
// it was closed.
const $ = (selector) => document.querySelector(selector);

const BOT_COMMAND = /^\/bot(?:\s+|$)/;
// Older lines are dropped: a day-long room must not grow the page without end.
const MAX_LINES = 500;

export class ChatView {
  #room;
  #unread = 0;

  constructor(room) {
    this.#room = room;
    this.#setOpen(!matchMedia('(max-width: 720px)').matches);
    $('#toggle-chat').addEventListener('click', () => this.#setOpen($('#chat').hidden, { focus: true }));
    $('#chat-close').addEventListener('click', () => this.#setOpen(false));
    $('#chat-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#send();
    });
    room.dataChannels.on('message', (message) => this.#receive(message));
    room.dataChannels.on('ready', (ready) => this.#setReady(ready));
  }

  // The lines shown, oldest first: [{from: 'self' | 'peer' | 'bot', name, text, toBot}].
  lines() {
    return [...document.querySelectorAll('#chat-messages .chat-message')].map((line) => ({
      from: line.dataset.from,
      name: line.querySelector('.chat-name').textContent,
      text: line.querySelector('.chat-text').textContent,
      toBot: line.dataset.to === 'bot',
    }));
  }

  #send() {
    const input = $('#chat-input');
    const text = input.value.trim();
    const toBot = BOT_COMMAND.test(text);
    const body = toBot ? text.replace(BOT_COMMAND, '') : text;
    if (!body) return;
    // Not sent (the channel closed a moment ago): the text stays for when it reopens.
    if (!this.#room.dataChannels.send(toBot ? 'bot' : 'chat', body)) return;
    input.value = '';
    // The server does not echo our own chat back; the bot's answer does come back, to everyone.
    this.#append({ from: 'self', name: 'You', text: body, toBot });
  }

  #receive({ peerId, label, text }) {
    // Only the channels this app opens: other mediasoup apps in the room may produce other labels.
    if (label !== 'chat' && label !== 'bot') return;
    const bot = peerId === null;
    // The name as it is now: the line keeps it after the peer has left the room.
    const name = bot ? 'bot' : this.#room.peers.get(peerId)?.displayName ?? peerId;
    this.#append({ from: bot ? 'bot' : 'peer', name, text });
    if ($('#chat').hidden) this.#setUnread(this.#unread + 1);
  }

  #append({ from, name, text, toBot = false }) {
    const list = $('#chat-messages');
    // Follow new lines only when the person is not reading further up.
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const line = document.createElement('li');
    line.className = `chat-message ${from}`;
    line.dataset.from = from;
    if (toBot) line.dataset.to = 'bot';
    const meta = document.createElement('div');
    meta.className = 'chat-meta';
    const who = document.createElement('span');
    who.className = 'chat-name';
    who.textContent = name;
    const now = new Date();
    const time = document.createElement('time');
    time.dateTime = now.toISOString();
    time.textContent = now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    meta.append(who);
    if (toBot) meta.append(Object.assign(document.createElement('span'), { textContent: 'to the bot' }));
    meta.append(time);
    const body = document.createElement('p');
    body.className = 'chat-text';
    body.textContent = text;
    line.append(meta, body);
    list.append(line);
    while (list.children.length > MAX_LINES) list.firstElementChild.remove();
    if (atBottom || from === 'self') list.scrollTop = list.scrollHeight;
  }

  #setReady(ready) {
    const input = $('#chat-input');
    input.disabled = !ready;
    $('#chat-send').disabled = !ready;
    input.placeholder = ready ? 'Message everyone' : 'Chat connects when you join…';
  }

  #setOpen(open, { focus = false } = {}) {
    $('#chat').hidden = !open;
    $('#toggle-chat').setAttribute('aria-pressed', String(open));
    if (!open) return;
    this.#setUnread(0);
    $('#chat-messages').scrollTop = $('#chat-messages').scrollHeight;
    if (focus && !$('#chat-input').disabled) $('#chat-input').focus();
  }

  #setUnread(count) {
    this.#unread = count;
    const badge = $('#chat-unread');
    badge.hidden = count === 0;
    badge.textContent = count > 99 ? '99+' : String(count);
    $('#toggle-chat').setAttribute('aria-label', count ? `Chat, ${count} unread` : 'Chat');
  }
}
