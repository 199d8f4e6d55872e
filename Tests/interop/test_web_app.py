"""The web app served at `/`, in real headless Chromium with a fake camera and microphone: two pages
in one room hold a call (each decodes the other's video and audio), survive an ICE restart, turning
a camera off stops its frames on the other page, and leaving removes the tile; a page's send
bandwidth estimate holds (transport-cc feedback) within the server's cap (REMB); a simulcast camera
reaches the other page in the layer it prefers; pages rejoin by
themselves after the server restarts, chat included; a refused camera and a full room are
explained; and a page and a pymediasoup peer (the Python mediasoup-client) in one room see each
other. The chat itself is in test_web_chat.py."""
import asyncio
import base64
import hashlib
import hmac
import json
import signal
import time
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.keys import Keys

from browser_page import BrowserPage
from conftest import ROOT, RunningServer, free_udp_and_tcp_port
from protoo_room_client import RoomClient

WEB_ROOT = ROOT / "web"


@pytest.fixture
def start_web_server(start_server):
    def start(**env):
        return start_server(env={
            "MEDIASOUP_NUM_WORKERS": "1",
            "SFU_WEBRTC_SERVER_PORT": str(free_udp_and_tcp_port()),
            "SFU_WEB_ROOT": str(WEB_ROOT),
            **env,
        })
    return start


@pytest.fixture
def web_server(start_web_server):
    return start_web_server()


@pytest.fixture
def open_page(request):
    """Opens the web app in a new Chromium: `open_page(name, roomId=..., peerId=..., displayName=...)`;
    `server=` another server than `web_server`, `allow_media=False` to refuse camera and microphone."""
    pages = []

    def open_(name: str, server=None, allow_media: bool = True, **query) -> BrowserPage:
        server = server or request.getfixturevalue("web_server")
        page = BrowserPage(name, allow_media=allow_media)
        pages.append(page)
        page.open(f"{server.base_url}/?{urlencode(query)}")
        return page

    yield open_
    for page in pages:
        page.close()


def received(page: BrowserPage, peer_id: str, source: str, field: str) -> float:
    """A getStats number of what `page` receives from `peer_id` (`source` audio/video), 0 if none yet."""
    return ((page.receive_stats().get(peer_id) or {}).get(source) or {}).get(field) or 0


def wait_until_rising(page: BrowserPage, peer_id: str, source: str, field: str, step: float, timeout: float = 15) -> None:
    """Waits for `field` to start counting and then to grow by `step` more: media flowing now."""
    deadline = time.monotonic() + timeout
    baseline = None
    while time.monotonic() < deadline:
        value = received(page, peer_id, source, field)
        if baseline is None and value > 0:
            baseline = value
        elif baseline is not None and value >= baseline + step:
            return
        time.sleep(0.25)
    raise AssertionError(f"{page.name}: {field} of {peer_id}'s {source} did not rise by {step} "
                         f"(from {baseline}, now {received(page, peer_id, source, field)})\n{page.diagnostics()}")


def wait_until_still(page: BrowserPage, peer_id: str, source: str, field: str, window: float = 1.0, timeout: float = 6) -> None:
    """Waits for `field` to stay the same for `window` seconds: media stopped. Frames already in
    the network or the decoder's queue may still count up for a moment."""
    deadline = time.monotonic() + timeout
    value = received(page, peer_id, source, field)
    while time.monotonic() < deadline:
        time.sleep(window)
        now = received(page, peer_id, source, field)
        if now == value:
            return
        value = now
    raise AssertionError(f"{page.name}: {field} of {peer_id}'s {source} still rising ({value})\n{page.diagnostics()}")


def joined(page: BrowserPage) -> None:
    page.wait_for("return window.sfuApp && window.sfuApp.state === 'joined'", what="joined")


def tile_of(page: BrowserPage, peer_id: str) -> dict:
    return next((tile for tile in page.tiles() if tile["peerId"] == peer_id and tile["source"] == "camera"), None)


def test_web_app_is_served(web_server):
    index = web_server.get("/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="js/main.js">' in index.text
    module = web_server.get("/js/main.js")
    assert module.status_code == 200
    # Browsers refuse to run a module served with a non-JavaScript MIME type.
    assert "javascript" in module.headers["content-type"]


def test_two_pages_call(open_page, tmp_path):
    alice = open_page("alice", roomId="web-call", peerId="alice", displayName="Alice")
    bob = open_page("bob", roomId="web-call", peerId="bob", displayName="Bob")
    joined(alice)
    joined(bob)

    for page, other, name in ((alice, "bob", "Bob"), (bob, "alice", "Alice")):
        wait_until_rising(page, other, "video", "framesDecoded", step=10)
        wait_until_rising(page, other, "audio", "totalSamplesReceived", step=48000 // 2)
        tile = tile_of(page, other)
        assert tile == {"peerId": other, "source": "camera", "name": name, "showsVideo": True, "micMuted": False}
        assert received(page, other, "video", "codec") == "video/VP8"
    assert [tile["name"] for tile in alice.tiles()] == ["Alice (you)", "Bob"]

    # Statistics on demand: the stats button of Alice's tile on Bob's page.
    bob.click('.tile[data-peer-id="alice"] .stats-toggle')
    bob.wait_for("const text = document.querySelector('.tile[data-peer-id=\"alice\"] .stats').textContent;"
                 " return text.includes('VP8') && text.includes('kbit/s') && text.includes('opus')",
                 what="the stats panel")
    alice.screenshot(tmp_path)
    bob.screenshot(tmp_path)

    # An ICE restart (what the page does when a media path fails) keeps the call going.
    remote_ufrag = "return window.sfuApp.room.recvTransport.pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]"
    ufrag = bob.js(remote_ufrag)
    alice.js("return window.sfuApp.room.restartIce()")
    bob.js("return window.sfuApp.room.restartIce()")
    assert bob.js(remote_ufrag) != ufrag
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)

    # Alice turns her camera off: Bob's consumer is paused, his page stops decoding her frames and
    # shows her initials; on again, frames flow again.
    alice.click("#toggle-camera")
    bob.wait_for("return window.sfuApp.receiveStats().then(s => s.alice.video.paused)", what="Alice's video paused")
    bob.wait_for("return window.sfuApp.tiles().some(t => t.peerId === 'alice' && !t.showsVideo)", what="Alice's initials")
    wait_until_still(bob, "alice", "video", "framesDecoded")
    alice.click("#toggle-camera")
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)
    assert tile_of(bob, "alice")["showsVideo"]

    # Muting the microphone shows on the other page.
    alice.click("#toggle-mic")
    bob.wait_for("return window.sfuApp.tiles().some(t => t.peerId === 'alice' && t.micMuted)", what="Alice's muted badge")

    alice.click("#leave")
    alice.wait_for("return window.sfuApp.state === 'left' && !document.querySelector('#ended').hidden", what="left")
    bob.wait_for("return !window.sfuApp.tiles().some(t => t.peerId === 'alice')", what="Alice's tile removed")
    assert [tile["peerId"] for tile in bob.tiles()] == ["bob"]
    assert not [line for line in alice.console() + bob.console() if line.startswith("SEVERE")]


def test_page_keeps_its_send_bandwidth(start_web_server, open_page):
    """The server tells a page which of its packets arrived and when (transport-cc feedback), which
    is all Chromium's send-side bandwidth estimate has to go on. Without it Chromium takes the
    silence for congestion: within about ten seconds its estimate fell from 1 Mbit/s to 70 kbit/s,
    and its camera from 1280x720 to 640x360. A cap on what a transport may bring in
    (SFU_MAX_INCOMING_BITRATE, mediasoup-demo's maxIncomingBitrate) reaches the browser in REMB."""
    server = start_web_server(SFU_MAX_INCOMING_BITRATE="1200000")
    alice = open_page("alice", server=server, roomId="web-bwe", peerId="alice", displayName="Alice")
    joined(alice)
    send_stats = """return (async () => {
        const stats = await window.sfuApp.room.sendTransport.pc.getStats();
        const found = {available: 0, limits: [], framesSent: 0};
        for (const s of stats.values()) {
          if (s.type === 'candidate-pair' && s.nominated) found.available = s.availableOutgoingBitrate || 0;
          if (s.type === 'outbound-rtp' && s.kind === 'video') {
            found.limits.push(s.qualityLimitationReason);
            found.framesSent += s.framesSent || 0;
          }
        }
        return found; })()"""
    alice.wait_for(send_stats.replace("return found; })()", "return found.framesSent > 0 ? found : null; })()"),
                   what="video sent")
    time.sleep(12)
    stats = alice.js(send_stats)
    assert stats["available"] >= 1_000_000, f"Chromium's send bandwidth estimate fell to {stats}\n{alice.diagnostics()}"
    assert stats["available"] <= 1_200_000, f"Chromium ignores the server's 1.2 Mbit/s cap: {stats}"
    assert "bandwidth" not in stats["limits"], f"Chromium limits its video for bandwidth: {stats}"


def wait_for_width(page: BrowserPage, peer_id: str, width: int, timeout: float = 15) -> None:
    """Waits until `page` decodes `peer_id`'s camera `width` pixels wide."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if received(page, peer_id, "video", "width") == width:
            return
        time.sleep(0.25)
    raise AssertionError(f"{page.name}: {peer_id}'s video is {received(page, peer_id, 'video', 'width')} wide, "
                         f"not {width}\n{page.diagnostics()}")


def decoded_frame_rate(page: BrowserPage, peer_id: str, seconds: float = 3) -> float:
    """Frames of `peer_id`'s camera `page` decodes per second, over `seconds`."""
    before = received(page, peer_id, "video", "framesDecoded")
    time.sleep(seconds)
    return (received(page, peer_id, "video", "framesDecoded") - before) / seconds


def wait_for_frame_rate(page: BrowserPage, peer_id: str, minimum: float, what: str, timeout: float = 20) -> None:
    """Waits until `page` decodes `peer_id`'s camera at `minimum` frames/s or more (over 2 s): on a
    busy machine the server's downlink estimate may hold a lower layer for a while."""
    deadline = time.monotonic() + timeout
    rate = 0.0
    while time.monotonic() < deadline:
        rate = decoded_frame_rate(page, peer_id, seconds=2)
        if rate >= minimum:
            return
    raise AssertionError(f"{page.name}: {what} ({rate} frames/s, not {minimum})\n{page.diagnostics()}")


def assert_temporal_layer_zero_keeps_a_quarter_of_the_frames(page: BrowserPage, peer_id: str) -> None:
    """Preferring temporal layer 0 of the best spatial layer (of L1T3 encodings or an L3T3
    stream) lowers the frame rate `page` decodes to about a quarter; every layer brings it back."""
    full_rate = decoded_frame_rate(page, peer_id)
    assert page.js("return window.sfuApp.room.setPreferredLayers(arguments[0], {spatialLayer: 2, temporalLayer: 0})", peer_id)
    time.sleep(1)
    base_rate = decoded_frame_rate(page, peer_id)
    assert 0 < base_rate < 0.6 * full_rate, f"temporal layer 0 decodes {base_rate} frames/s, all layers {full_rate}"
    assert page.js("return window.sfuApp.room.setPreferredLayers(arguments[0], {spatialLayer: 2, temporalLayer: 2})", peer_id)
    wait_for_frame_rate(page, peer_id, 0.8 * full_rate, "the frame rate did not come back with every layer")


@pytest.mark.parametrize("codec", ["vp8", "h264"])
def test_simulcast_camera_layers_follow_the_preferred_layer(open_page, codec):
    """mediasoup-demo's `simulcast=true` (with `forceH264=true` in H264): Chromium sends its camera
    as three rid-named encodings (320, 640 and 1280 wide). The receiving page gets the best one,
    and the one it prefers with setConsumerPreferredLayers, switching at a key frame. When the
    sender turns its best encoding off (as Chromium does when its bandwidth falls) the receiver
    moves to the next one, and back when it returns, decoding all along: the server keeps the VP8
    picture numbering continuous across the switches (before it did, frames stopped after half of
    the switches back up). In VP8 a preferred temporal layer of 0 keeps a quarter of the frames
    (the encodings are L1T3); H264 packets carry no temporal layer index the server could read."""
    room = f"web-simulcast-{codec}"
    camera = {"forceH264": "true"} if codec == "h264" else {}
    alice = open_page("alice", roomId=room, peerId="alice", displayName="Alice", simulcast="true", **camera)
    bob = open_page("bob", roomId=room, peerId="bob", displayName="Bob")
    joined(alice)
    joined(bob)
    sending = """return (async () => {
        const stats = await window.sfuApp.room.producers.webcam.transceiver.sender.getStats();
        const rids = [...stats.values()].filter(s => s.type === 'outbound-rtp' && s.framesEncoded > 0).map(s => s.rid);
        return rids.length === 3 ? rids.sort() : null; })()"""
    # Chromium sends its best encoding once its send estimate allows it; on a loaded 2-core
    # machine that can take some seconds.
    alice.wait_for(sending, timeout=40, what="three encodings sent")
    assert alice.js(sending) == ["r0", "r1", "r2"]
    assert alice.js("return window.sfuApp.room.producers.webcam.rtpParameters.codecs[0].mimeType").lower() == f"video/{codec}"
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)
    # Chromium turns its best encoding on once its bandwidth estimate has grown enough.
    wait_for_width(bob, "alice", 1280, timeout=30)

    assert bob.js("return window.sfuApp.room.setPreferredLayers('alice', {spatialLayer: 0})")
    wait_for_width(bob, "alice", 320)
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)
    assert bob.js("return window.sfuApp.room.setPreferredLayers('alice', {spatialLayer: 1})")
    wait_for_width(bob, "alice", 640)

    assert bob.js("return window.sfuApp.room.setPreferredLayers('alice', {spatialLayer: 2})")
    # Back up to the top layer the estimate must allow its bitrate again, which takes as long as
    # at the start when two browsers share the CI machine's two cores with the server.
    wait_for_width(bob, "alice", 1280, timeout=30)
    set_best_encoding = """return (async () => {
        const sender = window.sfuApp.room.producers.webcam.transceiver.sender;
        const parameters = sender.getParameters();
        parameters.encodings[2].active = arguments[0];
        await sender.setParameters(parameters);
        return true; })()"""
    for _ in range(2):
        alice.js(set_best_encoding, False)
        wait_for_width(bob, "alice", 640)
        wait_until_rising(bob, "alice", "video", "framesDecoded", step=20)
        alice.js(set_best_encoding, True)
        wait_for_width(bob, "alice", 1280)
        wait_until_rising(bob, "alice", "video", "framesDecoded", step=20, timeout=5)

    if codec == "vp8":
        assert_temporal_layer_zero_keeps_a_quarter_of_the_frames(bob, "alice")
    assert not [line for line in alice.console() + bob.console() if line.startswith("SEVERE")]


def test_vp9_svc_camera_layers_follow_the_preferred_layer(open_page):
    """mediasoup-demo's `forceVP9=true` with `simulcast=true`: Chromium sends its camera as one VP9
    K-SVC stream (L3T3_KEY: 320, 640 and 1280 wide spatial layers). The server forwards every
    layer, and from the key frame it asks for only those the receiving page prefers with
    setConsumerPreferredLayers: the page decodes 320, 640 and 1280 wide pictures in turn, and a
    quarter of the frames with temporal layer 0."""
    alice = open_page("alice", roomId="web-svc", peerId="alice", displayName="Alice", simulcast="true",
                      forceVP9="true")
    bob = open_page("bob", roomId="web-svc", peerId="bob", displayName="Bob")
    joined(alice)
    joined(bob)
    sending = """return (async () => {
        const stats = [...(await window.sfuApp.room.producers.webcam.transceiver.sender.getStats()).values()];
        const rtp = stats.find(s => s.type === 'outbound-rtp' && s.framesEncoded > 0);
        const codec = rtp && stats.find(s => s.id === rtp.codecId);
        return rtp && codec ? [codec.mimeType, rtp.scalabilityMode] : null; })()"""
    alice.wait_for(sending, timeout=40, what="the camera sent")
    assert alice.js(sending) == ["video/VP9", "L3T3_KEY"]
    assert alice.js("return window.sfuApp.room.producers.webcam.rtpParameters.encodings[0].scalabilityMode") == "L3T3_KEY"
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)
    # Chromium adds its upper spatial layers as its bandwidth estimate grows.
    wait_for_width(bob, "alice", 1280, timeout=40)

    for layer, width in [(0, 320), (1, 640), (2, 1280)]:
        assert bob.js("return window.sfuApp.room.setPreferredLayers('alice', {spatialLayer: arguments[0]})", layer)
        wait_for_width(bob, "alice", width)
        wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)

    assert_temporal_layer_zero_keeps_a_quarter_of_the_frames(bob, "alice")
    assert not [line for line in alice.console() + bob.console() if line.startswith("SEVERE")]


def hs256_token(secret: str, claims: dict) -> str:
    """An access token as an application backend signs it (SFU_JWT_SECRET)."""
    def encode(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    signed = encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + encode(json.dumps(claims).encode())
    return signed + "." + encode(hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest())


def test_tokens_without_sending_or_chat_and_a_peer_id_with_a_space(start_web_server, open_page):
    secret = "a-secret-of-at-least-thirty-two-bytes"
    server = start_web_server(SFU_JWT_SECRET=secret)
    room, expiry = "web-tokens", int(time.time()) + 600

    def open_with(name, peer_id, permissions=None):
        claims = {"roomId": room, "peerId": peer_id, "exp": expiry}
        if permissions is not None:
            claims["permissions"] = permissions
        return open_page(name, server=server, roomId=room, peerId=peer_id, displayName=name,
                         token=hs256_token(secret, claims))

    # A peer id with a space goes into the others' SDP (msid), which must still be valid.
    alice = open_with("alice", "alice smith")
    viewer = open_with("viewer", "viewer", ["subscribe"])
    carol = open_with("carol", "carol", ["publish", "subscribe"])
    for page in (alice, viewer, carol):
        joined(page)
    for page, other in ((viewer, "alice smith"), (viewer, "carol"), (alice, "carol"), (carol, "alice smith")):
        wait_until_rising(page, other, "video", "framesDecoded", step=10)
    assert "not let you send" in viewer.js("return document.body.textContent")


SELECTED_CANDIDATE_TYPE = """
const stats = await window.sfuApp.room[arguments[0]].pc.getStats();
const byId = new Map([...stats.values()].map((report) => [report.id, report]));
const transport = [...stats.values()].find((report) => report.type === 'transport');
const pair = transport && byId.get(transport.selectedCandidatePairId);
return pair ? byId.get(pair.localCandidateId).candidateType : null;
"""


def test_two_pages_call_through_the_built_in_turn_server(open_page):
    """Relay candidates only: the media of both pages goes through the TURN server the SFU hands
    out, which relays to the SFU's own address."""
    alice = open_page("alice", roomId="web-relay", peerId="alice", forceRelay="true")
    bob = open_page("bob", roomId="web-relay", peerId="bob", forceRelay="true")
    joined(alice)
    joined(bob)
    for page, other in ((alice, "bob"), (bob, "alice")):
        wait_until_rising(page, other, "video", "framesDecoded", step=10, timeout=25)
        for transport in ("sendTransport", "recvTransport"):
            assert page.js(SELECTED_CANDIDATE_TYPE, transport) == "relay", f"{page.name} {transport}"


def test_two_pages_call_over_ice_tcp(open_page):
    """mediasoup-demo's `forceTcp=true`: transports offer only TCP candidates (RFC 4571 framing on
    the server's TCP port) and media flows both ways over them."""
    alice = open_page("alice", roomId="web-tcp", peerId="alice", displayName="Alice", forceTcp="true")
    bob = open_page("bob", roomId="web-tcp", peerId="bob", displayName="Bob", forceTcp="true")
    joined(alice)
    joined(bob)
    for page, other in ((alice, "bob"), (bob, "alice")):
        wait_until_rising(page, other, "video", "framesDecoded", step=10)
        wait_until_rising(page, other, "audio", "totalSamplesReceived", step=48000 // 2)
    selected_protocols = """
        const protocols = [];
        for (const transport of [window.sfuApp.room.sendTransport, window.sfuApp.room.recvTransport]) {
          const stats = await transport.pc.getStats();
          const pair = [...stats.values()].find(s => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
          protocols.push(pair ? stats.get(pair.remoteCandidateId).protocol : null);
        }
        return protocols;"""
    for page in (alice, bob):
        assert page.js("return (async () => {" + selected_protocols + "})()") == ["tcp", "tcp"]


def test_pages_rejoin_after_the_server_restarts(web_server, open_page, tmp_path):
    alice = open_page("alice", roomId="web-restart", peerId="alice", displayName="Alice")
    bob = open_page("bob", roomId="web-restart", peerId="bob", displayName="Bob")
    joined(alice)
    joined(bob)
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)

    web_server.stop(signal.SIGKILL)
    bob.wait_for("return ['reconnecting', 'connecting'].includes(window.sfuApp.state)", what="reconnecting")
    assert bob.js("return document.querySelector('#connection').dataset.state") == "connecting"
    # The same address again (the pages keep retrying it with backoff); a new process knows nothing
    # of the old room, so the pages must join it afresh.
    (tmp_path / "restarted").mkdir()
    restarted = RunningServer(tmp_path / "restarted", {**web_server.env, "SFU_WEBRTC_SERVER_PORT": str(free_udp_and_tcp_port())}, [])
    try:
        restarted.https_port = web_server.https_port
        restarted.wait_ready()
        joined(alice)
        joined(bob)
        for page, other in ((alice, "bob"), (bob, "alice")):
            wait_until_rising(page, other, "video", "framesDecoded", step=10)
            wait_until_rising(page, other, "audio", "totalSamplesReceived", step=48000 // 2)
        assert [tile["peerId"] for tile in bob.tiles()] == ["bob", "alice"]
        # The chat is back too: new data producers and consumers on the new transports.
        bob.wait_for("return window.sfuApp.dataConsumers().some(c => c.peerId === 'alice' && c.label === 'chat')",
                     what="Alice's chat consumed again")
        alice.wait_for("return window.sfuApp.chatReady", what="the chat reopened")
        alice.driver.find_element("css selector", "#chat-input").send_keys("back again", Keys.ENTER)
        bob.wait_for("return window.sfuApp.chatLines().some(l => l.name === 'Alice' && l.text === 'back again')",
                     what="Alice's chat line after the restart")
    finally:
        restarted.stop(signal.SIGKILL)


def test_refused_camera_and_full_room_are_explained(start_web_server, open_page):
    server = start_web_server(SFU_MAX_PEER_COUNT="2")
    alice = open_page("alice", server=server, roomId="web-errors", peerId="alice", displayName="Alice")
    joined(alice)

    # No camera or microphone: Dave still joins and watches, and is told why nobody sees him.
    dave = open_page("dave", server=server, allow_media=False, roomId="web-errors", peerId="dave", displayName="Dave")
    joined(dave)
    notice = dave.wait_for("return document.querySelector('.notice[data-kind=\"permission\"] p')?.textContent",
                           what="the permission notice")
    assert "denied" in notice, notice
    wait_until_rising(dave, "alice", "video", "framesDecoded", step=10)
    assert tile_of(dave, "dave") == {"peerId": "dave", "source": "camera", "name": "Dave (you)", "showsVideo": False, "micMuted": True}
    alice.wait_for("return window.sfuApp.tiles().some(t => t.peerId === 'dave' && !t.showsVideo)", what="Dave's initials")

    # A third person is turned away by the room's limit, and told so.
    carol = open_page("carol", server=server, roomId="web-errors")
    title = carol.wait_for("return !document.querySelector('#ended').hidden && document.querySelector('#ended-title').textContent",
                           what="the end screen")
    assert title == "This room is full"
    assert carol.js("return window.sfuApp.state") == "closed"
    # The call is over for Carol: her camera and microphone are released.
    carol.wait_for("return Object.values(window.sfuApp.room.tracks).every(track => track === null)", what="tracks released")
    # The address names the room only, so a copied link brings in another person; her generated
    # peer id stays with the tab, so a reload rejoins as her.
    query = carol.js("return Object.fromEntries(new URLSearchParams(location.search))")
    assert query == {"roomId": "web-errors"}
    assert carol.js("return sessionStorage.getItem('sfu-peer-id:web-errors')") == carol.js("return window.sfuApp.room.peerId")


def test_unplugged_microphone_and_camera_are_replaced_or_reported(open_page):
    alice = open_page("alice", roomId="web-devices", peerId="alice", displayName="Alice")
    bob = open_page("bob", roomId="web-devices", peerId="bob", displayName="Bob")
    joined(alice)
    joined(bob)
    alice.wait_for("const p = window.sfuApp.room.producers; return p.mic && p.webcam", what="Alice's producers")
    wait_until_rising(bob, "alice", "audio", "totalSamplesReceived", step=48000 // 2)
    mic_producer = alice.js("return window.sfuApp.room.producers.mic.id")
    # A track ends on its own when its device goes (unplugged, taken by the system): the event
    # is what the browser fires then.
    end_track = "window.sfuApp.room.tracks[arguments[0]].dispatchEvent(new Event('ended'))"
    no_devices = """
        window.realGetUserMedia ??= navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('none', 'NotFoundError'));"""

    # Another microphone is there: the producer goes on with it, Bob keeps hearing Alice.
    old_mic = alice.js("return window.sfuApp.room.tracks.mic.id")
    alice.js(end_track, "mic")
    alice.wait_for(f"const room = window.sfuApp.room; return room.tracks.mic && room.tracks.mic.id !== '{old_mic}'"
                   " && room.producers.mic.transceiver.sender.track === room.tracks.mic",
                   what="a new microphone track sent")
    assert alice.js("return window.sfuApp.room.producers.mic.id") == mic_producer
    wait_until_rising(bob, "alice", "audio", "totalSamplesReceived", step=48000 // 2)

    # No microphone left: Alice is told, Bob sees her muted; one plugged in later is taken up.
    alice.js(no_devices)
    alice.js(end_track, "mic")
    notice = alice.wait_for("return document.querySelector('.notice[data-kind=\"missing\"] p')?.textContent",
                            what="the missing microphone notice")
    assert "microphone" in notice, notice
    assert alice.js("return window.sfuApp.room.tracks.mic") is None
    bob.wait_for("return window.sfuApp.tiles().some(t => t.peerId === 'alice' && t.micMuted)", what="Alice's muted badge")
    alice.js("navigator.mediaDevices.getUserMedia = window.realGetUserMedia;"
             " navigator.mediaDevices.dispatchEvent(new Event('devicechange'))")
    alice.wait_for("return window.sfuApp.room.tracks.mic?.readyState === 'live'", what="the plugged-in microphone")
    bob.wait_for("return window.sfuApp.tiles().some(t => t.peerId === 'alice' && !t.micMuted)", what="Alice unmuted")
    assert alice.js("return window.sfuApp.room.producers.mic.id") == mic_producer
    wait_until_rising(bob, "alice", "audio", "totalSamplesReceived", step=48000 // 2)

    # The camera goes with no other: as if Alice had turned it off, and she can turn it on again.
    alice.js(no_devices)
    alice.js(end_track, "webcam")
    alice.wait_for("return window.sfuApp.room.webcamOff && window.sfuApp.room.tracks.webcam === null", what="camera off")
    bob.wait_for("return window.sfuApp.receiveStats().then(s => s.alice.video.paused)", what="Alice's video paused")
    alice.js("navigator.mediaDevices.getUserMedia = window.realGetUserMedia")
    alice.click("#toggle-camera")
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)


# The page's picture as the peer sent it: draw the video element into a small canvas and average.
MEAN_GRAY_OF_TILE = """
const video = document.querySelector(`.tile[data-peer-id="${arguments[0]}"] video`);
if (!video || video.videoWidth === 0) return null;
const canvas = Object.assign(document.createElement('canvas'), {width: 32, height: 24});
const context = canvas.getContext('2d');
context.drawImage(video, 0, 0, 32, 24);
const pixels = context.getImageData(0, 0, 32, 24).data;
const sums = [0, 0, 0];
for (let i = 0; i < pixels.length; i += 4) for (let c = 0; c < 3; c += 1) sums[c] += pixels[i + c];
return sums.map((sum) => sum / (pixels.length / 4));
"""


def test_page_and_pymediasoup_peer_see_each_other(web_server, open_page, loopback_host_candidates):
    asyncio.run(mixed_call(web_server, open_page))


async def mixed_call(server, open_page) -> None:
    room = "web-mixed"
    peer = RoomClient(server, room, "python-peer", luma=180)
    try:
        await peer.join()
        await peer.produce_camera_and_microphone()
        # Selenium blocks; aiortc must keep answering ICE and decoding meanwhile, so the page's
        # calls run in a thread.
        page = await asyncio.to_thread(open_page, "browser", roomId=room, peerId="browser", displayName="Browser")
        await asyncio.to_thread(joined, page)

        # The page decodes the peer's flat picture and tone.
        await asyncio.to_thread(wait_until_rising, page, "python-peer", "video", "framesDecoded", 10)
        await asyncio.to_thread(wait_until_rising, page, "python-peer", "audio", "totalSamplesReceived", 48000 // 2)
        rgb = await asyncio.to_thread(page.js, MEAN_GRAY_OF_TILE, "python-peer")
        expected = (180 - 16) * 255 / 219  # limited-range luma 180, neutral chroma, as RGB
        assert rgb and all(abs(channel - expected) < 25 for channel in rgb), rgb
        assert tile_of(page, "python-peer")["name"] == "python-peer"

        # The peer decodes the page's camera and microphone.
        producers = await asyncio.to_thread(
            page.wait_for, "const p = window.sfuApp.room.producers;"
                           " return p.webcam && p.mic && {video: p.webcam.id, audio: p.mic.id}")
        video = await peer.consumer_of(SimpleNamespace(id=producers["video"]))
        audio = await peer.consumer_of(SimpleNamespace(id=producers["audio"]))
        video_frames = [await asyncio.wait_for(video.track.recv(), 10) for _ in range(15)]
        audio_frames = [await asyncio.wait_for(audio.track.recv(), 5) for _ in range(10)]
        assert all(frame.width >= 320 and frame.height >= 180 for frame in video_frames), \
            {(frame.width, frame.height) for frame in video_frames}
        assert {frame.sample_rate for frame in audio_frames} == {48000}
        assert not peer.protoo.failures
    finally:
        await peer.close()
