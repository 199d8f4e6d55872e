"""The built-in TURN server against real third-party clients: coturn's turnutils tools and
aioice (aiortc's ICE agent). Everything runs on loopback, which the server is told to allow."""
import asyncio
import os
import re
import signal
import socket
import subprocess
import threading
import time

import aioice
import pytest

from conftest import free_port

USER, PASSWORD, SECRET = "alice", "wonderland", "rest-api-secret"


@pytest.fixture
def turn(start_server):
    server = start_server(env={
        "SFU_TURN_LISTEN_IP": "127.0.0.1",
        "SFU_TURN_TLS_PORT": str(free_port()),
        "SFU_TURN_ALLOW_PEER": "127.0.0.0/8",
        "SFU_TURN_USERS": f"{USER}:{PASSWORD}",
        "SFU_TURN_SECRET": SECRET,
        "SFU_LOG_LEVEL": "info",
    })
    server.turn_port = int(server.env["SFU_TURN_PORT"])
    server.turn_tls_port = int(server.env["SFU_TURN_TLS_PORT"])
    return server


@pytest.fixture
def udp_peer():
    """coturn's echo peer, the destination turnutils_uclient relays to."""
    port = free_port(socket.SOCK_DGRAM)
    peer = subprocess.Popen(["turnutils_peer", "-L", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    yield port
    peer.kill()
    peer.wait()


# uclient binds a random channel number (one of 16 384) to the peer's port + 1, then a new random
# one to the peer itself: when the second draw repeats the first, a server must refuse it (RFC 8656
# §11.2), about once in 300 runs of 50 clients.
CHANNEL_DRAWN_TWICE = "channel bind: error 400 (Bad Request: the channel number is bound to another peer)"


def run_uclient(command):
    """uclient's output; run again if it gave up on drawing the same channel number twice."""
    for _ in range(2):
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        output = result.stdout + result.stderr
        if CHANNEL_DRAWN_TWICE not in output:
            break
    return output


def uclient(turn, peer_port, *flags, clients=50, messages=200, port=None, credentials=None, rtcp=False):
    """Without `rtcp`, uclient runs with -c: one allocation per client. With it, as it runs by
    default: an even relay port with the next one held (EVEN-PORT's R bit), and a second
    allocation for RTCP that presents the RESERVATION-TOKEN."""
    credentials = credentials or ["-u", USER, "-w", PASSWORD]
    command = ["turnutils_uclient", *flags, *credentials, "-p", str(port or turn.turn_port),
               "-e", "127.0.0.1", "-r", str(peer_port), "-m", str(clients), "-n", str(messages),
               "-l", "120", "-z", "5", *([] if rtcp else ["-c"]), "127.0.0.1"]
    output = run_uclient(command)
    sent = re.search(r"tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\n", output)
    lost = re.search(r"Total lost packets (\d+)", output)
    assert sent and lost, f"{' '.join(command)} did not finish:\n{output[-2000:]}\n{turn.output()[-2000:]}"
    return int(sent.group(1)), int(sent.group(2)), int(lost.group(1))


def refused_uclient(turn_port, peer_port, password):
    """The output of one uclient the server refuses; uclient retries a refused request for ever,
    so it gets a few seconds and is then stopped."""
    client = subprocess.Popen(
        ["turnutils_uclient", "-u", USER, "-w", password, "-p", str(turn_port), "-e", "127.0.0.1",
         "-r", str(peer_port), "-m", "1", "-n", "5", "-c", "127.0.0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = client.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        client.kill()
        output, _ = client.communicate()
    return output


def test_stunclient_gets_the_mapped_address(turn):
    result = subprocess.run(["turnutils_stunclient", "-p", str(turn.turn_port), "127.0.0.1"],
                            capture_output=True, text=True, timeout=30)
    match = re.search(r"UDP reflexive addr: 127\.0\.0\.1:(\d+)", result.stdout + result.stderr)
    assert match, result.stdout + result.stderr
    assert int(match.group(1)) > 0


def test_ipv4_and_ipv6_listeners_answer_stun(start_server):
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this host")
    server = start_server(env={"SFU_TURN_LISTEN_IP": "0.0.0.0"})
    port = server.env["SFU_TURN_PORT"]
    for address, family in [("127.0.0.1", "IPv4"), ("::1", "IPv6")]:
        result = subprocess.run(["turnutils_stunclient", "-p", port, address], capture_output=True, text=True, timeout=30)
        assert f"{family}. UDP reflexive addr: {address}:" in result.stdout + result.stderr, result.stdout + result.stderr


def test_a_wildcard_listener_answers_from_the_address_asked(start_server):
    """A client drops a STUN answer from another address than the one it asked: a wildcard
    listener binds each of the host's addresses, as coturn does."""
    addresses = ["127.0.0.1"] + [ip for ip in subprocess.run(["hostname", "-I"], capture_output=True, text=True)
                                 .stdout.split() if "." in ip]
    server = start_server(env={"SFU_TURN_LISTEN_IP": "0.0.0.0"})
    port = int(server.env["SFU_TURN_PORT"])
    for address in addresses:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.settimeout(5)
            transaction = os.urandom(12)
            client.sendto(b"\x00\x01\x00\x00\x21\x12\xa4\x42" + transaction, (address, port))
            answer, source = client.recvfrom(2048)
            assert answer[8:20] == transaction
            assert source == (address, port), f"asked {address}, answered from {source}"


@pytest.mark.parametrize("flags", [[], ["-s"], ["-t"], ["-t", "-s"]],
                         ids=["udp-channels", "udp-indications", "tcp-channels", "tcp-indications"])
def test_uclient_relays_without_loss(turn, udp_peer, flags):
    sent, received, lost = uclient(turn, udp_peer, *flags)
    assert sent == 50 * 200
    assert received == sent and lost == 0


@pytest.mark.parametrize("flags", [[], ["-t"]], ids=["udp", "tcp"])
def test_uclient_with_rtcp_allocations_on_reserved_ports(turn, udp_peer, flags):
    sent, received, lost = uclient(turn, udp_peer, *flags, clients=10, messages=50, rtcp=True)
    assert sent == 10 * 50 and received == sent and lost == 0
    allocations = re.search(r"^turn_allocations_total (\d+)", turn.get("/metrics").text, re.M)
    assert allocations and int(allocations.group(1)) > 10, "the RTCP allocations were made too"


def test_connections_that_never_allocate_are_closed(start_server, udp_peer):
    server = start_server(env={
        "SFU_TURN_LISTEN_IP": "127.0.0.1", "SFU_TURN_TLS_PORT": str(free_port()),
        "SFU_TURN_ALLOW_PEER": "127.0.0.0/8", "SFU_TURN_USERS": f"{USER}:{PASSWORD}",
        "SFU_TURN_MAX_ALLOCATE_TIMEOUT": "2",
    })
    server.turn_port = int(server.env["SFU_TURN_PORT"])
    idle = [socket.create_connection(("127.0.0.1", int(server.env[name])), timeout=10)
            for name in ("SFU_TURN_PORT", "SFU_TURN_TLS_PORT")]
    # Clients holding allocations keep their connections for a run longer than the timeout.
    started = time.monotonic()
    sent, received, lost = uclient(server, udp_peer, "-t", clients=5, messages=100)
    assert time.monotonic() - started > 3
    assert sent == 5 * 100 and received == sent and lost == 0
    for connection in idle:
        with connection:
            assert connection.recv(1) == b"", "an idle connection is closed by the server"


def test_a_draining_server_sends_new_clients_to_its_alternate(start_server, udp_peer):
    common = {"SFU_TURN_LISTEN_IP": "127.0.0.1", "SFU_TURN_TLS_PORT": "0", "SFU_TURN_ALLOW_PEER": "127.0.0.0/8",
              "SFU_TURN_USERS": f"{USER}:{PASSWORD}", "SFU_DRAIN_TIMEOUT": "60"}
    alternate = start_server(env=common)
    alternate.turn_port = int(alternate.env["SFU_TURN_PORT"])
    draining = start_server(env={**common, "SFU_TURN_ALTERNATE_SERVERS": f"127.0.0.1:{alternate.turn_port}"})
    draining.turn_port = int(draining.env["SFU_TURN_PORT"])
    # A client relaying through the first server keeps it draining rather than gone.
    staying = subprocess.Popen(
        ["turnutils_uclient", "-u", USER, "-w", PASSWORD, "-p", str(draining.turn_port), "-e", "127.0.0.1",
         "-r", str(udp_peer), "-m", "1", "-n", "3000", "-l", "120", "-c", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while "turn_allocations 1" not in draining.get("/metrics").text and time.monotonic() < deadline:
            time.sleep(0.2)
        draining.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        while "draining before shutdown" not in draining.output() and time.monotonic() < deadline:
            time.sleep(0.2)
        # New clients asking the draining server get 300 Try Alternate and relay through the other.
        sent, received, lost = uclient(draining, udp_peer, clients=4, messages=20)
        assert sent == 4 * 20 and received == sent and lost == 0
        created = re.search(r"^turn_allocations_total (\d+)", alternate.get("/metrics").text, re.M)
        assert created and int(created.group(1)) >= 4, "the new clients did not reach the alternate server"
    finally:
        staying.kill()
        staying.wait()


def test_turn_beside_the_sfu_relays_to_the_sfus_media_ports_only(start_server, udp_peer):
    """Without SFU_TURN_ALLOW_PEER, loopback and private peers are refused, but the SFU's own
    address (here 127.0.0.1, where its ICE candidates point) is where relayed media goes: its
    media ports, and nothing else there."""
    # The peer's port is an ephemeral one (below 61000), which the media ports must include; the
    # relay ports, left out of what is reachable, must not.
    env = {"SFU_TURN_LISTEN_IP": "127.0.0.1", "SFU_TURN_USERS": f"{USER}:{PASSWORD}",
           "SFU_TURN_MIN_PORT": "61100", "SFU_TURN_MAX_PORT": "61999"}
    # uclient also binds a channel to the peer's port + 1.
    server = start_server(env={**env, "MEDIASOUP_MIN_PORT": str(udp_peer), "MEDIASOUP_MAX_PORT": str(udp_peer + 1)})
    server.turn_port = int(server.env["SFU_TURN_PORT"])
    sent, received, lost = uclient(server, udp_peer, clients=4, messages=20)
    assert sent == 4 * 20 and received == sent and lost == 0

    # The same peer outside the SFU's media ports: refused.
    elsewhere = start_server(env={**env, "MEDIASOUP_MIN_PORT": str(udp_peer + 2), "MEDIASOUP_MAX_PORT": str(udp_peer + 2)})
    output = refused_uclient(int(elsewhere.env["SFU_TURN_PORT"]), udp_peer, PASSWORD)
    assert "403" in output, output[-2000:]


def test_uclient_over_tls(turn, udp_peer):
    sent, received, lost = uclient(turn, udp_peer, "-t", "-S", clients=10, messages=100, port=turn.turn_tls_port)
    assert sent == 10 * 100 and received == sent and lost == 0


@pytest.mark.parametrize("flags", [[], ["-t"]], ids=["udp", "tcp"])
def test_uclient_with_rest_api_secret(turn, udp_peer, flags):
    sent, received, lost = uclient(turn, udp_peer, *flags, clients=20, messages=100,
                                   credentials=["-W", SECRET, "-u", "bob"])
    assert sent == 20 * 100 and received == sent and lost == 0


def test_wrong_password_is_refused(turn, udp_peer):
    output = refused_uclient(turn.turn_port, udp_peer, "not-the-password")
    assert "Total lost packets" not in output
    metrics = turn.get("/metrics").text
    failures = re.search(r"^turn_auth_failures_total (\d+)", metrics, re.M)
    assert failures and int(failures.group(1)) >= 1, metrics


def test_garbage_flood_does_not_disturb_a_good_client(turn, udp_peer):
    stop = threading.Event()

    def flood():
        rng = __import__("random").Random(7)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            while not stop.is_set():
                for _ in range(200):
                    size = rng.randint(0, 300)
                    payload = bytes(rng.getrandbits(8) for _ in range(size))
                    if payload and rng.random() < 0.5:
                        # Make some look like STUN or ChannelData so they reach the parsers.
                        payload = bytes([rng.choice([0x00, 0x01, 0x40, 0x7f])]) + payload[1:]
                    sender.sendto(payload, ("127.0.0.1", turn.turn_port))
                time.sleep(0.01)

    flooder = threading.Thread(target=flood)
    flooder.start()
    try:
        sent, received, lost = uclient(turn, udp_peer, clients=10, messages=200)
    finally:
        stop.set()
        flooder.join()
    assert received == sent == 2000 and lost == 0
    assert turn.get("/healthz").status_code == 200
    dropped = re.findall(r'^turn_dropped_packets_total\{reason="malformed"\} (\d+)', turn.get("/metrics").text, re.M)
    assert dropped and int(dropped[0]) > 0


def test_aioice_connects_through_a_relay_candidate(turn):
    async def scenario():
        relayed = aioice.Connection(
            ice_controlling=True, turn_server=("127.0.0.1", turn.turn_port), turn_username=USER,
            turn_password=PASSWORD, transport_policy=aioice.TransportPolicy.RELAY, use_ipv6=False)
        direct = aioice.Connection(ice_controlling=False, use_ipv6=False)
        await relayed.gather_candidates()
        await direct.gather_candidates()
        relay_candidates = [c for c in relayed.local_candidates if c.type == "relay"]
        assert relay_candidates, relayed.local_candidates
        assert relay_candidates[0].host == "127.0.0.1"
        for candidate in relayed.local_candidates:
            await direct.add_remote_candidate(candidate)
        for candidate in direct.local_candidates:
            await relayed.add_remote_candidate(candidate)
        await relayed.add_remote_candidate(None)
        await direct.add_remote_candidate(None)
        relayed.remote_username, relayed.remote_password = direct.local_username, direct.local_password
        direct.remote_username, direct.remote_password = relayed.local_username, relayed.local_password
        await asyncio.wait_for(asyncio.gather(relayed.connect(), direct.connect()), 20)
        await relayed.send(b"through the relay")
        assert await asyncio.wait_for(direct.recv(), 5) == b"through the relay"
        await direct.send(b"and back")
        assert await asyncio.wait_for(relayed.recv(), 5) == b"and back"
        await relayed.close()
        await direct.close()

    asyncio.run(scenario())
    metrics = turn.get("/metrics").text
    assert re.search(r"^turn_allocations_total [1-9]", metrics, re.M), metrics


class WireClient:
    """A TURN client speaking raw STUN (aioice's codec) over UDP, to check error codes on the wire."""

    def __init__(self, port):
        from aioice import stun
        self.stun = stun
        self.address = ("127.0.0.1", port)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.settimeout(3)
        self.key = self.nonce = self.realm = None

    def request(self, method, attributes=None, authenticate=True):
        stun = self.stun
        message = stun.Message(message_method=method, message_class=stun.Class.REQUEST, attributes=attributes or {})
        if authenticate and self.nonce:
            message.attributes.update({"USERNAME": USER, "REALM": self.realm, "NONCE": self.nonce})
            message.add_message_integrity(self.key)
        self.socket.sendto(bytes(message), self.address)
        return stun.parse_message(self.socket.recv(2048))

    def error(self, method, attributes=None):
        response = self.request(method, attributes)
        return response.attributes["ERROR-CODE"][0] if "ERROR-CODE" in response.attributes else None

    def login(self):
        import hashlib
        challenge = self.request(self.stun.Method.ALLOCATE, {"REQUESTED-TRANSPORT": 17 << 24}, authenticate=False)
        assert challenge.attributes["ERROR-CODE"][0] == 401
        self.realm, self.nonce = challenge.attributes["REALM"], challenge.attributes["NONCE"]
        self.key = hashlib.md5(f"{USER}:{self.realm}:{PASSWORD}".encode()).digest()


def test_protocol_errors_on_the_wire_leave_a_good_client_untouched(turn, udp_peer):
    results = {}
    good = threading.Thread(target=lambda: results.update(good=uclient(turn, udp_peer, clients=10, messages=200)))
    good.start()
    client = WireClient(turn.turn_port)
    method = client.stun.Method
    try:
        client.login()
        assert client.error(method.REFRESH) == 437, "no allocation yet"
        assert client.error(method.ALLOCATE, {"REQUESTED-TRANSPORT": 6 << 24}) == 442
        assert client.error(method.ALLOCATE) == 400, "REQUESTED-TRANSPORT missing"
        allocated = client.request(method.ALLOCATE, {"REQUESTED-TRANSPORT": 17 << 24})
        assert "XOR-RELAYED-ADDRESS" in allocated.attributes, allocated
        assert client.error(method.ALLOCATE, {"REQUESTED-TRANSPORT": 17 << 24}) == 437, "second allocation"
        assert client.error(method.CHANNEL_BIND, {"CHANNEL-NUMBER": 0x4000, "XOR-PEER-ADDRESS": ("10.0.0.1", 9)}) == 403
        assert client.error(method.CREATE_PERMISSION, {"XOR-PEER-ADDRESS": ("192.168.1.1", 9)}) == 403
        assert client.error(method.CHANNEL_BIND, {"CHANNEL-NUMBER": 0x3000, "XOR-PEER-ADDRESS": ("127.0.0.1", 9)}) == 400
        client.nonce = b"0-forged"
        assert client.error(method.REFRESH) == 401, "forged nonce"
    finally:
        good.join()
    sent, received, lost = results["good"]
    assert received == sent == 2000 and lost == 0


def test_turn_subcommand_runs_alone_with_health_over_http(start_server):
    import requests
    health_port = free_port()
    server = start_server(args=["turn"], ready=False, env={
        "SFU_TURN_LISTEN_IP": "127.0.0.1", "SFU_TURN_HEALTH_PORT": str(health_port),
        "SFU_TURN_USERS": f"{USER}:{PASSWORD}"})
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{health_port}/readyz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.1)
    metrics = requests.get(f"http://127.0.0.1:{health_port}/metrics", timeout=5).text
    assert "turn_allocations" in metrics or "process_resident_memory_bytes" in metrics
    result = subprocess.run(["turnutils_stunclient", "-p", server.env["SFU_TURN_PORT"], "127.0.0.1"],
                            capture_output=True, text=True, timeout=30)
    assert "UDP reflexive addr: 127.0.0.1:" in result.stdout + result.stderr
    assert server.stop() == 0
