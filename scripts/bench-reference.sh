#!/usr/bin/env bash
# What fraction of this machine's best the media engine's fan-out reaches: runs
# bench/reference-forwarder.c (the same hot path in plain C) and `sfu-bench forward` with the
# same load, one after the other, for each consumer count, and prints both rates of egress
# packets per forwarding-thread CPU-second and their ratio.
# CONSUMERS (default 1,10,50,200), RATE (ingress packets/s, default 1000), RUN_SECONDS (default
# 5), REPEAT (runs of each, the median kept; default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-packages.sh libssl-dev libsrtp2-dev libopus-dev libvpx-dev libusrsctp-dev pkg-config
swift build -c release --product sfu-bench
mkdir -p .build
# The Swift toolchain brings clang; a machine with a system compiler has cc.
compiler="${CC:-$(command -v cc || command -v clang)}"
"$compiler" -O2 -Wall -o .build/reference-forwarder bench/reference-forwarder.c -lcrypto -lpthread

consumers="${CONSUMERS:-1,10,50,200}"
rate="${RATE:-1000}"
seconds="${RUN_SECONDS:-5}"
repeat="${REPEAT:-3}"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "ingress $rate packets/s of 1100 bytes, SRTP AES_CM_128_HMAC_SHA1_80, $seconds s per run, median of $repeat"
echo "consumers  C pkts/CPU-s  sfu-bench forward pkts/CPU-s  ratio"
for count in ${consumers//,/ }; do
    c_rates=()
    swift_rates=()
    for _ in $(seq 1 "$repeat"); do
        c_rates+=("$(.build/reference-forwarder "$count" "$rate" "$seconds" | awk 'NR == 2 { print $7 }')")
        swift_rates+=("$(.build/release/sfu-bench forward --consumers "$count" --rate "$rate" --seconds "$seconds" \
            | awk 'NR == 2 { print $7 }')")
    done
    c="$(printf '%s\n' "${c_rates[@]}" | median)"
    swift="$(printf '%s\n' "${swift_rates[@]}" | median)"
    awk -v n="$count" -v c="$c" -v s="$swift" 'BEGIN { printf "%9d  %12.0f  %28.0f  %5.2f\n", n, c, s, s / c }'
done
