"""Churn over protoo: hundreds of peers connect, make their transports, join, produce and leave
(half with `leaveRoom`, half by dropping the socket), a few at a time in a few shared rooms, and
the server is left as it was: no rooms, no extra file descriptors or sockets, bounded memory, and
its room gauges back at zero."""
import asyncio
import os
import statistics
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pymediasoup import AiortcHandler, Device
from pymediasoup.rtp_parameters import RtpCapabilities

from conftest import free_udp_and_tcp_port
from protoo_peer import ProtooPeer

WARM_UP_CYCLES = 20
CYCLES = 200
CONCURRENT_PEERS = 4
ROOMS = 3
WORKERS = 2
FD_TOLERANCE = 5
# Measured on the debug build with 2 cores: 200 cycles after the warm-up grow the resident set by
# 2.4-3.4 MiB (first use of allocator arenas and caches; later blocks of 200 add about 0.6 MiB).
# 10 MiB leaves 3x headroom for that noise; a leak of 50 KiB or more per cycle (a peer's
# transports with their receive buffers) goes over it.
RSS_GROWTH_LIMIT_MIB = 10
ROOM_GAUGES = ("sfu_rooms", "sfu_peers", "sfu_transports", "sfu_producers", "sfu_consumers")
ZERO_GAUGES = dict.fromkeys(ROOM_GAUGES, 0)


def opus_rtp_parameters(ssrc: int) -> dict:
    """What a browser's microphone sends: Opus on one SSRC."""
    return {
        "mid": "0",
        "codecs": [{"mimeType": "audio/opus", "payloadType": 111, "clockRate": 48000, "channels": 2,
                    "parameters": {"minptime": 10, "useinbandfec": 1}, "rtcpFeedback": [{"type": "transport-cc"}]}],
        "headerExtensions": [{"uri": "urn:ietf:params:rtp-hdrext:sdes:mid", "id": 1}],
        "encodings": [{"ssrc": ssrc, "dtx": False}],
        "rtcp": {"cname": f"churn-{ssrc}", "reducedSize": True},
    }


class Churn:
    """Peers cycling through one server; `capabilities` are a loaded Device's, as a client joins with."""

    def __init__(self, server):
        self.server = server
        self.capabilities = None
        self.cycle_seconds = []

    async def load_device(self) -> None:
        peer = await ProtooPeer.connect(self.server, "churn-device", "churn-device")
        device = Device(handlerFactory=AiortcHandler.createFactory())
        await device.load(RtpCapabilities(**await peer.request("getRouterRtpCapabilities")))
        await peer.close()
        self.capabilities = device.rtpCapabilities.model_dump(exclude_none=True)

    async def cycle(self, index: int) -> None:
        started = time.monotonic()
        peer = await ProtooPeer.connect(self.server, f"churn-{index % ROOMS}", f"churn-peer-{index}")
        await peer.request("getRouterRtpCapabilities")
        send = await peer.request("createWebRtcTransport", {"forceTcp": False, "producing": True, "consuming": False})
        await peer.request("createWebRtcTransport", {"forceTcp": False, "producing": False, "consuming": True})
        await peer.request("join", {
            "displayName": f"churn {index}", "device": {"flag": "python", "name": "churn"},
            "rtpCapabilities": self.capabilities})
        produced = await peer.request("produce", {
            "transportId": send["id"], "kind": "audio", "rtpParameters": opus_rtp_parameters(1_000_000 + index),
            "appData": {}})
        assert produced["id"]
        if index % 2:
            await peer.request("leaveRoom")
            code, _ = await peer.closed_by_server()
            assert code == 4000, "leaveRoom ends the session as protoo-server closes a peer"
        await peer.close()
        assert not peer.failures
        self.cycle_seconds.append(time.monotonic() - started)

    async def run(self, first: int, count: int) -> None:
        """Cycles `first`…`first + count - 1`, CONCURRENT_PEERS at a time."""
        indices = iter(range(first, first + count))

        async def worker():
            for index in indices:
                await self.cycle(index)

        await asyncio.gather(*(worker() for _ in range(CONCURRENT_PEERS)))


class ProcessFigures:
    """What the kernel says about the server process."""

    def __init__(self, pid: int):
        fd_directory = f"/proc/{pid}/fd"
        links = []
        for name in os.listdir(fd_directory):
            try:
                links.append(os.readlink(f"{fd_directory}/{name}"))
            except FileNotFoundError:
                pass  # closed while listing
        self.fds = len(links)
        self.sockets = sum(link.startswith("socket:") for link in links)
        with open(f"/proc/{pid}/status") as status:
            self.rss_kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

    def __str__(self) -> str:
        return f"fds {self.fds}, sockets {self.sockets}, RSS {self.rss_kib / 1024:.1f} MiB"


def room_gauges(server) -> dict:
    families = {family.name: family for family in text_string_to_metric_families(server.get("/metrics").text)}
    return {name: sum(sample.value for sample in families[name].samples) if name in families else None
            for name in ROOM_GAUGES}


def settle(server, baseline: ProcessFigures, timeout: float = 10) -> ProcessFigures:
    """Waits until the server has no rooms, zero room gauges and its baseline descriptors."""
    deadline = time.monotonic() + timeout
    while True:
        figures = ProcessFigures(server.process.pid)
        settled = server.get("/rooms").json() == [] and figures.fds <= baseline.fds + FD_TOLERANCE \
            and figures.sockets <= baseline.sockets + FD_TOLERANCE and room_gauges(server) == ZERO_GAUGES
        if settled or time.monotonic() > deadline:
            return figures
        time.sleep(0.2)


def shared_port() -> dict:
    """Each worker's WebRtcServer takes every transport on one port."""
    return {"SFU_WEBRTC_SERVER_PORT": str(free_udp_and_tcp_port(count=WORKERS))}


def port_per_transport() -> dict:
    """Every transport binds its own UDP and TCP ports. The range is narrow so that random picks
    often hit a port a live transport holds and the bind retries hundreds of times."""
    return {"MEDIASOUP_USE_WEBRTC_SERVER": "false", "MEDIASOUP_MIN_PORT": "43100", "MEDIASOUP_MAX_PORT": "43139"}


@pytest.mark.parametrize("media_ports", [shared_port, port_per_transport])
def test_join_leave_churn_leaves_nothing_behind(start_server, media_ports):
    # Two workers, so that rooms live on different event loops whatever the machine's cores.
    server = start_server(env={**media_ports(), "MEDIASOUP_NUM_WORKERS": str(WORKERS), "SFU_LOG_LEVEL": "info"})
    churn = Churn(server)
    asyncio.run(churn.load_device())
    asyncio.run(churn.run(0, WARM_UP_CYCLES))
    baseline = settle(server, ProcessFigures(server.process.pid))
    assert server.get("/rooms").json() == []

    started = time.monotonic()
    churn.cycle_seconds.clear()
    asyncio.run(churn.run(WARM_UP_CYCLES, CYCLES))
    elapsed = time.monotonic() - started
    during = ProcessFigures(server.process.pid)
    after = settle(server, baseline)

    rss_growth_mib = (after.rss_kib - baseline.rss_kib) / 1024
    print(f"\n{CYCLES} cycles, {CONCURRENT_PEERS} at a time, in {elapsed:.1f} s "
          f"(cycle median {statistics.median(churn.cycle_seconds) * 1000:.0f} ms, "
          f"max {max(churn.cycle_seconds) * 1000:.0f} ms)\n"
          f"baseline: {baseline}\nright after the cycles: {during}\nsettled: {after}\n"
          f"RSS growth {rss_growth_mib:+.1f} MiB")
    assert server.get("/rooms").json() == []
    assert after.fds <= baseline.fds + FD_TOLERANCE, f"file descriptors left open: {baseline} -> {after}"
    assert after.sockets <= baseline.sockets + FD_TOLERANCE, f"sockets left open: {baseline} -> {after}"
    assert rss_growth_mib < RSS_GROWTH_LIMIT_MIB, f"resident memory grew by {rss_growth_mib:.1f} MiB"
    assert room_gauges(server) == ZERO_GAUGES
