"""The server's estimate of what it can send to a page (GoogCC on the page's transport-cc
feedback), in real headless Chromium: a page receiving a camera sent in layers (three VP8
simulcast encodings, or one VP9 K-SVC stream) gets the best layer sent over an open path; when
the path to it narrows (a Linux traffic shaper on loopback, limiting only the packets to that
page's port) the estimate falls and the page gets a lower spatial layer or a lower frame rate,
still decoding; once the path opens again, probes find the room and the layers and frame rate
come back. The page hears the estimate in mediasoup-demo's `downlinkBwe`
notification.

Shaping needs root and the kernel's htb and u32 modules; without them the test is skipped."""
import subprocess
import time

import pytest

from test_web_app import (  # noqa: F401 (fixtures)
    decoded_frame_rate, joined, open_page, received, start_web_server, wait_for_frame_rate, wait_until_rising, web_server)


class LoopbackShaper:
    """An htb class on `lo` at `rate` for UDP packets to one port; everything else unlimited."""

    def __init__(self):
        self.active = False

    @staticmethod
    def available() -> bool:
        probe = "tc qdisc add dev lo root handle 1: htb default 20 && tc qdisc del dev lo root"
        busy = subprocess.run("tc qdisc show dev lo | grep -q htb", shell=True).returncode == 0
        return not busy and subprocess.run(probe, shell=True, capture_output=True).returncode == 0

    def limit(self, port: int, rate: str) -> None:
        commands = [
            "tc qdisc add dev lo root handle 1: htb default 20 r2q 1000",
            f"tc class add dev lo parent 1: classid 1:10 htb rate {rate} ceil {rate}",
            "tc class add dev lo parent 1: classid 1:20 htb rate 10gbit",
            f"tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dport {port} 0xffff flowid 1:10",
        ]
        self.active = True
        for command in commands:
            subprocess.run(command, shell=True, check=True, capture_output=True)

    def clear(self) -> None:
        if self.active:
            subprocess.run("tc qdisc del dev lo root", shell=True, capture_output=True)
            self.active = False


@pytest.fixture
def shaper():
    if not LoopbackShaper.available():
        pytest.skip("no traffic shaping on loopback here (needs root, tc, and the htb and u32 kernel modules)")
    shaper = LoopbackShaper()
    yield shaper
    shaper.clear()


def downlink_estimate(page) -> int:
    return (page.js("return window.sfuApp.room.downlinkBwe || null") or {}).get("availableBitrate", 0)


def wait_for_estimate(page, condition, what: str, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        estimate = downlink_estimate(page)
        if condition(estimate):
            return estimate
        time.sleep(0.25)
    raise AssertionError(f"{page.name}: downlink estimate {downlink_estimate(page)}, not {what}\n{page.diagnostics()}")


def wait_for_width_at_least(page, peer_id: str, width: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = received(page, peer_id, "video", "width")
        if current >= width:
            return current
        time.sleep(0.25)
    raise AssertionError(f"{page.name}: {peer_id}'s video is {received(page, peer_id, 'video', 'width')} wide, "
                         f"not {width} or more\n{page.diagnostics()}")


def wait_for_less(page, peer_id: str, width: int, frame_rate: float, timeout: float = 20) -> None:
    """Waits until `page` gets `peer_id`'s camera narrower than `width`, or at the same width at
    less than 60% of `frame_rate` (a lower temporal layer), still decoding."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rate = decoded_frame_rate(page, peer_id, seconds=2)
        current = received(page, peer_id, "video", "width")
        if rate > 0 and (0 < current < width or rate < 0.6 * frame_rate):
            return
    raise AssertionError(f"{page.name}: {peer_id}'s video still {received(page, peer_id, 'video', 'width')} wide "
                         f"at {decoded_frame_rate(page, peer_id, seconds=2)} frames/s\n{page.diagnostics()}")


@pytest.mark.parametrize("codec", ["vp8-simulcast", "vp9-svc"])
def test_camera_layers_follow_the_downlink_estimate(open_page, shaper, codec):
    room = f"web-downlink-{codec}"
    camera = {"forceVP9": "true"} if codec == "vp9-svc" else {}
    alice = open_page("alice", roomId=room, peerId="alice", displayName="Alice", simulcast="true", **camera)
    bob = open_page("bob", roomId=room, peerId="bob", displayName="Bob")
    joined(alice)
    joined(bob)
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)
    # Probes lift the estimate from mediasoup's initial 600 kbit/s. Which layers Alice sends is
    # her Chromium's choice (its best one waits for its own send estimate): Bob gets the best of
    # them, at least the middle one.
    wait_for_estimate(bob, lambda estimate: estimate > 2_000_000, "above 2 Mbit/s")
    width = wait_for_width_at_least(bob, "alice", 640, timeout=30)
    frame_rate = decoded_frame_rate(bob, "alice")

    port = bob.js("""return (async () => {
        const stats = await window.sfuApp.room.recvTransport.pc.getStats();
        const pair = [...stats.values()].find(s => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
        return pair ? stats.get(pair.localCandidateId).port : null; })()""")
    assert port, "no selected candidate pair on Bob's receiving transport"
    shaper.limit(port, "250kbit")
    wait_for_estimate(bob, lambda estimate: 0 < estimate < 300_000, "below 300 kbit/s")
    # A lower spatial layer, or a lower temporal layer (mediasoup's order of layers), still
    # decoding.
    wait_for_less(bob, "alice", width, frame_rate)

    shaper.clear()
    # Upgrades wait 10 s after a downgrade (mediasoup's conservative period).
    wait_for_estimate(bob, lambda estimate: estimate > 2_000_000, "above 2 Mbit/s again")
    wait_for_width_at_least(bob, "alice", 640, timeout=25)
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=20)
    wait_for_frame_rate(bob, "alice", 0.8 * frame_rate, "the frame rate did not come back")
    assert not [line for line in alice.console() + bob.console() if line.startswith("SEVERE")]
