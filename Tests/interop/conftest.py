"""Shared fixtures: the sfu-server binary under test and a running server on free ports."""
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import aioice
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def server_binary() -> Path:
    path = Path(os.environ.get("SFU_SERVER_BIN", ROOT / ".build" / "debug" / "sfu-server"))
    if not path.exists():
        pytest.fail(f"{path} does not exist: build it first (make build) or set SFU_SERVER_BIN")
    return path


def free_port(kind=socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_udp_and_tcp_port(count: int = 1) -> int:
    """The first of `count` consecutive ports free for both UDP and TCP, as a WebRtcServer
    listens on both and each worker's on the next port."""
    for _ in range(100):
        port = free_port()
        if all(bindable(port + offset, kind) for offset in range(count)
               for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM)):
            return port
    raise AssertionError(f"no {count} consecutive ports free for both UDP and TCP on 127.0.0.1")


def bindable(port: int, kind) -> bool:
    with socket.socket(socket.AF_INET, kind) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class RunningServer:
    """An sfu-server process in its own working directory, listening on loopback."""

    def __init__(self, workdir: Path, env: dict, args: list):
        self.workdir = workdir
        self.https_port = free_port()
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "SFU_HTTPS_LISTEN_IP": "127.0.0.1",
            "PROTOO_LISTEN_PORT": str(self.https_port),
            "MEDIASOUP_LISTEN_IP": "127.0.0.1",
            # TURN listens on UDP and TCP: a port free for TCP alone may be taken for UDP.
            "SFU_TURN_PORT": str(free_udp_and_tcp_port()),
            # Not the default 44444 and up: those lie in the ephemeral range, where a socket
            # another test left open (an ICE agent's, say) can hold one for a while.
            "SFU_WEBRTC_SERVER_PORT": str(free_udp_and_tcp_port(count=self.worker_count(env))),
            "SFU_TURN_TLS_PORT": "0",
            "SFU_LOG_LEVEL": "debug",
            **env,
        }
        self.log_path = workdir / "server.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(server_binary()), *args], cwd=workdir, env=self.env,
            stdout=self.log, stderr=subprocess.STDOUT)

    @staticmethod
    def worker_count(env: dict) -> int:
        """The media workers the server starts (one per core unless the test says), each with
        a WebRtcServer port of its own."""
        return int(env.get("MEDIASOUP_NUM_WORKERS") or os.cpu_count() or 1)

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.base_url + path, verify=False, timeout=5, **kwargs)

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}:\n{self.output()}")
            try:
                if self.get("/readyz").status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server not ready after {timeout}s:\n{self.output()}")

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout: float = 40) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


@pytest.fixture
def start_server(tmp_path):
    """Starts servers on demand (`start_server(env={...}, args=[...])`) and stops them after the test."""
    started = []

    def start(env=None, args=None, ready=True) -> RunningServer:
        # The ports are picked free, yet in the ephemeral range: a connection another process
        # opens meanwhile can take one before the server binds it. Then it starts on new ports.
        for attempt in range(3):
            server = RunningServer(tmp_path, env or {}, args or [])
            started.append(server)
            if not ready:
                return server
            try:
                server.wait_ready()
                return server
            except AssertionError:
                if attempt == 2 or server.process.poll() is None or "Address already in use" not in server.output():
                    raise
                server.stop(signal.SIGKILL)

    yield start
    for server in started:
        server.stop(signal.SIGKILL)


@pytest.fixture
def loopback_host_candidates(monkeypatch):
    """aioice leaves 127.0.0.1 out of its host candidates and offers the machine's other
    addresses; the server listens on loopback, so offer exactly loopback and keep every packet
    on it whatever interfaces the machine has."""
    monkeypatch.setattr(aioice.ice, "get_host_addresses", lambda use_ipv4, use_ipv6: ["127.0.0.1"])
