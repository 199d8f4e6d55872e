"""The server's estimate of what it can send to a page (GoogCC on the page's transport-cc
feedback), in real headless Chromium: a page receiving a simulcast camera gets the best encoding
over an open path; when the path to it narrows (a Linux traffic shaper on loopback, limiting only
the packets to that page's port) the estimate falls and the page gets the lowest encoding, still
decoding; once the path opens again, probes find the room and the best encoding comes back. The
page hears the estimate in mediasoup-demo's `downlinkBwe` notification.

Shaping needs root and the kernel's htb and u32 modules; without them the test is skipped."""
import subprocess
import time

import pytest

from test_web_app import joined, open_page, received, start_web_server, wait_for_width, wait_until_rising, web_server  # noqa: F401 (fixtures)


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


def test_simulcast_encoding_follows_the_downlink_estimate(open_page, shaper):
    alice = open_page("alice", roomId="web-downlink", peerId="alice", displayName="Alice", simulcast="true")
    bob = open_page("bob", roomId="web-downlink", peerId="bob", displayName="Bob")
    joined(alice)
    joined(bob)
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=10)
    # Probes lift the estimate from mediasoup's initial 600 kbit/s; Chromium turns its best
    # encoding on once its own send estimate allows it.
    wait_for_estimate(bob, lambda estimate: estimate > 2_000_000, "above 2 Mbit/s")
    wait_for_width(bob, "alice", 1280, timeout=30)

    port = bob.js("""return (async () => {
        const stats = await window.sfuApp.room.recvTransport.pc.getStats();
        const pair = [...stats.values()].find(s => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
        return pair ? stats.get(pair.localCandidateId).port : null; })()""")
    assert port, "no selected candidate pair on Bob's receiving transport"
    shaper.limit(port, "400kbit")
    wait_for_estimate(bob, lambda estimate: 0 < estimate < 400_000, "below 400 kbit/s")
    wait_for_width(bob, "alice", 320)
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=20)

    shaper.clear()
    # Upgrades wait 10 s after a downgrade (mediasoup's conservative period).
    wait_for_estimate(bob, lambda estimate: estimate > 2_000_000, "above 2 Mbit/s again")
    wait_for_width(bob, "alice", 1280, timeout=20)
    wait_until_rising(bob, "alice", "video", "framesDecoded", step=20)
    assert not [line for line in alice.console() + bob.console() if line.startswith("SEVERE")]
