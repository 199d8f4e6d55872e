"""The web app's chat over data channels, in real headless Chromium: two pages in one room each open
their `chat` and `bot` data producers on one m=application of the send PC and consume the other's
chat and the room bot on one m=application of the receive PC; what one types shows on the other
under the sender's name, "/bot <text>" is answered by the bot on both pages, a closed panel counts
unread lines, and a peer that leaves takes its data consumer with it (dataConsumerClosed)."""
import json
import time

from selenium.webdriver.common.keys import Keys

from browser_page import BrowserPage
from test_web_app import joined, open_page, start_web_server, web_server  # noqa: F401 (fixtures)


def chat_lines(page: BrowserPage) -> list:
    return page.js("return window.sfuApp.chatLines()")


def type_message(page: BrowserPage, text: str) -> None:
    """Types into the chat input and presses Enter, as a person would."""
    page.driver.find_element("css selector", "#chat-input").send_keys(text, Keys.ENTER)


def wait_for_line(page: BrowserPage, line: dict) -> None:
    """Waits for a chat line with these fields (others, such as toBot, may be anything)."""
    page.wait_for(f"const wanted = {json.dumps(line)};"
                  " return window.sfuApp.chatLines().some(l => Object.keys(wanted).every(key => l[key] === wanted[key]))",
                  timeout=10, what=f"the chat line {line}")


def consumed(page: BrowserPage) -> set:
    """(peerId, label) of the page's data consumers; the bot's peerId is None."""
    return {(consumer["peerId"], consumer["label"]) for consumer in page.js("return window.sfuApp.dataConsumers()")}


def wait_for_consumers(page: BrowserPage, expected: set, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while consumed(page) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"{page.name}: data consumers {consumed(page)}, expected {expected}\n{page.diagnostics()}")
        time.sleep(0.2)


def application_sections(page: BrowserPage, transport: str) -> list:
    """(protocol and format, mid) of each m=application of a transport's remote description. The
    port is left out: Chromium writes the selected candidate's port into it."""
    sdp = page.js(f"return window.sfuApp.room.{transport}.pc.remoteDescription.sdp")
    sections = [section.split("\r\n") for section in sdp.split("\r\nm=")[1:]]
    return [(" ".join(lines[0].split(" ")[2:]), next(line[6:] for line in lines if line.startswith("a=mid:")))
            for lines in sections if lines[0].startswith("application ")]


def test_two_pages_chat_and_talk_to_the_bot(open_page, tmp_path):
    alice = open_page("alice", roomId="web-chat", peerId="alice", displayName="Alice")
    bob = open_page("bob", roomId="web-chat", peerId="bob", displayName="Bob")
    for page in (alice, bob):
        joined(page)
        page.wait_for("return window.sfuApp.chatReady", what="the chat channels open")
    # Each page hears the other's chat and the bot; its own `bot` producer goes to the bot only.
    wait_for_consumers(alice, {("bob", "chat"), (None, "bot")})
    wait_for_consumers(bob, {("alice", "chat"), (None, "bot")})

    # One SCTP association per PC: a single m=application each, the receive one offered as
    # mediasoup-client does (mid "datachannel").
    for page in (alice, bob):
        send = application_sections(page, "sendTransport")
        recv = application_sections(page, "recvTransport")
        assert [protocol for protocol, _ in send] == ["UDP/DTLS/SCTP webrtc-datachannel"], send
        assert recv == [("UDP/DTLS/SCTP webrtc-datachannel", "datachannel")], recv

    # Alice types; Bob reads it under her name, and her page shows it as her own.
    type_message(alice, "Hello Bob — ünïcødé ✓")
    wait_for_line(bob, {"from": "peer", "name": "Alice", "text": "Hello Bob — ünïcødé ✓"})
    assert chat_lines(alice) == [{"from": "self", "name": "You", "text": "Hello Bob — ünïcødé ✓", "toBot": False}]
    assert alice.js("return document.querySelector('#chat-input').value") == ""

    # Bob answers with the panel closed on Alice's side: her Chat control counts it.
    alice.click("#chat-close")
    type_message(bob, "Hi Alice")
    wait_for_line(alice, {"from": "peer", "name": "Bob", "text": "Hi Alice"})
    assert alice.js("return document.querySelector('#chat-unread').textContent") == "1"
    alice.click("#toggle-chat")
    assert alice.js("return !document.querySelector('#chat').hidden && document.querySelector('#chat-unread').hidden")

    # "/bot <text>" goes to the room bot, which tells everyone.
    type_message(alice, "/bot hello")
    bot_line = {"from": "bot", "name": "bot", "text": 'Alice told me: "hello"'}
    for page in (alice, bob):
        wait_for_line(page, bot_line)
    assert {"from": "self", "name": "You", "text": "hello", "toBot": True} in chat_lines(alice)
    # The bot's words are not Alice's chat: Bob got nothing on her chat channel for them.
    assert [line for line in chat_lines(bob) if line["from"] == "peer"] == [
        {"from": "peer", "name": "Alice", "text": "Hello Bob — ünïcødé ✓", "toBot": False}]
    alice.screenshot(tmp_path)
    bob.screenshot(tmp_path)

    # Bob leaves: his chat producer closes, and Alice's data consumer of it with it.
    bob.click("#leave")
    wait_for_consumers(alice, {(None, "bot")})
    assert not [line for line in alice.console() + bob.console() if line.startswith("SEVERE")]
