#!/usr/bin/env bash
# Benchmarks the built-in TURN server against coturn with the same turnutils_uclient workload.
# Installs coturn if missing, builds sfu-server in release mode, prints one table.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-packages.sh coturn libssl-dev libsrtp2-dev libopus-dev libvpx-dev libusrsctp-dev pkg-config
swift build -c release --product sfu-server
exec python3 scripts/bench-turn.py --server .build/release/sfu-server "$@"
