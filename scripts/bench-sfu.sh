#!/usr/bin/env bash
# Benchmarks sfu-server through its REST API: builds sfu-server and sfu-bench in release mode,
# starts the server on loopback with WORKERS media workers (default 1), runs `sfu-bench server`
# over CONSUMERS (default 1,10,50,200,500), a fresh server each, prints the table and keeps it in
# bench/results/. Other arguments go to sfu-bench (--producers, --duration, --bitrate).
# SERVER_CPUS and BENCH_CPUS (taskset lists, e.g. 0 and 1) keep the two apart: latency then
# shows what the server adds rather than its wait for a core the benchmark holds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-packages.sh libssl-dev libsrtp2-dev libopus-dev libvpx-dev libusrsctp-dev pkg-config curl
swift build -c release --product sfu-server
swift build -c release --product sfu-bench

root="$PWD"
workers="${WORKERS:-1}"
consumers="${CONSUMERS:-1,10,50,200,500}"
port="${PORT:-14443}"
server_cpus="${SERVER_CPUS:-}"
bench_cpus="${BENCH_CPUS:-}"
workdir="$(mktemp -d)"
server=""
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$workdir"' EXIT

# A fresh server per consumer count: resident memory per consumer is a difference of RSS, which
# memory freed by an earlier run (and kept by malloc) would hide.
start_server() {
    (cd "$workdir" && SFU_HTTPS_LISTEN_IP=127.0.0.1 PROTOO_LISTEN_PORT="$port" MEDIASOUP_LISTEN_IP=127.0.0.1 \
        MEDIASOUP_ANNOUNCED_IP=127.0.0.1 MEDIASOUP_USE_WEBRTC_SERVER=false MEDIASOUP_NUM_WORKERS="$workers" \
        SFU_TURN_ENABLED=false SFU_LOG_LEVEL=error exec ${server_cpus:+taskset -c "$server_cpus"} \
        "$root/.build/release/sfu-server") &
    server=$!
    for _ in $(seq 1 100); do
        curl -skf "https://127.0.0.1:$port/readyz" >/dev/null && break
        sleep 0.2
    done
}

table=""
for count in ${consumers//,/ }; do
    start_server
    rows="$(${bench_cpus:+taskset -c "$bench_cpus"} .build/release/sfu-bench server --url "https://127.0.0.1:$port" \
        --consumers "$count" "$@")"
    kill "$server"
    wait "$server" 2>/dev/null || true
    # Each table repeats the header line; --json output has none.
    [ -n "$table" ] && [[ "$rows" == producers* ]] && rows="$(tail -n +2 <<<"$rows")"
    table="${table:+$table$'\n'}$rows"
done
echo "$table"

mkdir -p bench/results
# One file per run: a later run the same day gets -2, -3, ...
result="bench/results/$(date +%Y-%m-%d)-sfu.md"
run=1
while [ -e "$result" ]; do
    run=$((run + 1))
    result="bench/results/$(date +%Y-%m-%d)-sfu-$run.md"
done
{
    echo "# sfu-bench server, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Release build, $workers worker(s), loopback, SRTP VP8 producers (1 Mbps unless --bitrate says"
    echo "otherwise, 1100-byte packets; with --audio each also sends Opus, 50 packets/s), each to N plain"
    echo "SRTP consumers; host: $(nproc) cores, $(uname -r). Server CPU and RSS from"
    echo "its /metrics. Arguments: ${*:-none}. Server CPUs: ${server_cpus:-any}; benchmark CPUs: ${bench_cpus:-any}."
    echo
    echo '```'
    echo "$table"
    echo '```'
} >"$result"
echo "kept in $result"
