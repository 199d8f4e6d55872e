"""Smoke run of `sfu-bench server` against the debug server, so the benchmark keeps working: it is
a benchmark, not a timed test, so only correctness is asserted (every packet forwarded to every
consumer, intact and in order), not speed."""
import json
import os
import subprocess

import pytest

from conftest import ROOT

CONSUMERS = 5
PRODUCERS = 2


def bench_binary():
    return os.environ.get("SFU_BENCH_BIN", str(ROOT / ".build" / "debug" / "sfu-bench"))


@pytest.mark.parametrize("check_every", [1, 4])
def test_sfu_bench_server_smoke_run(start_server, check_every):
    server = start_server(env={
        "MEDIASOUP_ANNOUNCED_IP": "127.0.0.1", "MEDIASOUP_USE_WEBRTC_SERVER": "false", "SFU_LOG_LEVEL": "warning"})
    run = subprocess.run(
        [bench_binary(), "server", "--url", server.base_url, "--consumers", str(CONSUMERS), "--producers", str(PRODUCERS),
         "--duration", "3", "--audio", "--check-every", str(check_every), "--json"],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr + server.output()[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(result)
    assert result["consumers"] == CONSUMERS and result["producers"] == PRODUCERS and result["audio"]
    # About 113 video and 50 audio packets a second per producer.
    assert result["sentPps"] > 140 * PRODUCERS
    # Loopback with a debug build: tolerate a little loss, never damage or reordering.
    assert result["loss"] < 0.05, result
    assert result["damaged"] == 0 and result["outOfOrder"] == 0, result
    assert result["egressPps"] > 0.95 * CONSUMERS * result["sentPps"] * (1 - result["loss"]) - 1
    assert result["serverCpuSeconds"] > 0 and result["serverResidentMiB"] > 0 and result["benchmarkCpuSeconds"] > 0
    assert 0 < result["latencyP50Ms"] <= result["latencyP99Ms"] <= result["latencyP999Ms"]
    # The benchmark cleans up after itself.
    assert server.get("/rooms").json() == []
