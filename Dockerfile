# syntax=docker/dockerfile:1
#
# sfu-server image: WebRTC SFU (mediasoup-compatible signalling) + built-in TURN server.
#
#   docker build -t sfu-server .
#   docker run --network host sfu-server          # see docker-compose.yml for why host networking
#
# Build stage needs the C libraries the SFU links against (see Package.swift system libraries):
#   libssl-dev libsrtp2-dev libopus-dev libvpx-dev libusrsctp-dev pkg-config
# Run stage needs only their runtime packages. The Swift runtime is linked statically
# (--static-swift-stdlib), so no /usr/lib/swift/linux/*.so is copied.
#
# Both stages are Debian bookworm so the -dev packages in the build stage and the runtime
# packages below (libvpx7, libsrtp2-1, ...) are the same library versions.
# Hummingbird needs Swift tools 6.2 or newer; the project is developed with 6.3.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ------------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build

RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
        libssl-dev libsrtp2-dev libopus-dev libvpx-dev libusrsctp-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Resolve dependencies first so this layer is cached while only Sources/ change.
# (Package.resolved is optional: it is git-ignored in this repo.)
COPY Package.swift Package.resolved* ./
RUN swift package resolve

# SwiftPM checks that every declared target's folder exists, test targets included.
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product sfu-server --static-swift-stdlib

# Stage what the run image needs: the binary, any SwiftPM resource bundles, the static
# backtracer (readable crash reports).
WORKDIR /staging
RUN BIN_DIR="$(swift build --package-path /build -c release --show-bin-path)" \
 && cp "${BIN_DIR}/sfu-server" ./ \
 && find -L "${BIN_DIR}/" -maxdepth 1 -regex '.*\.resources$' -exec cp -Ra {} ./ \; \
 && if [ -x /usr/libexec/swift/linux/swift-backtrace-static ]; then \
        cp /usr/libexec/swift/linux/swift-backtrace-static ./; fi

# ------------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}

# Runtime libraries only (no compilers, no -dev packages); curl is for HEALTHCHECK.
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
        libssl3 libsrtp2-1 libopus0 libvpx7 libusrsctp2 libstdc++6 \
        ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/*

# Non-root user; /app/certs is where the self-signed certificate is written on first run,
# so it must be writable by that user (a named volume mounted there inherits this ownership).
RUN groupadd --system --gid 10001 sfu \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin sfu \
 && mkdir -p /app/certs \
 && chown -R sfu:sfu /app

WORKDIR /app
COPY --from=build --chown=sfu:sfu /staging /app
# The browser app (static files, no build step), served at https://host:4443/.
COPY --chown=sfu:sfu web /app/web

ENV PROTOO_LISTEN_PORT=4443 \
    SFU_WEB_ROOT=/app/web \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static

USER sfu:sfu
VOLUME ["/app/certs"]

# 4443/tcp        HTTPS: web app, protoo WebSocket, REST API, /healthz /readyz /metrics
# 3478/udp+tcp    STUN/TURN            5349/tcp  TURN over TLS
# 44444+/udp+tcp  WebRtcServer (all WebRTC transports of worker n on port 44444 + n,
#                 MEDIASOUP_USE_WEBRTC_SERVER=true; up to 16 workers exposed here)
# 40000-49999/udp per-transport ports (MEDIASOUP_MIN_PORT..MEDIASOUP_MAX_PORT, WebRtcServer off)
# 50000-65535/udp TURN relay ports (SFU_TURN_MIN_PORT..SFU_TURN_MAX_PORT)
EXPOSE 4443/tcp 3478/udp 3478/tcp 5349/tcp 44444-44459/udp 44444-44459/tcp 40000-49999/udp 50000-65535/udp

# The server drains on SIGTERM (SFU_DRAIN_TIMEOUT, 30 s): give `docker stop` -t 40.
STOPSIGNAL SIGTERM

# `turn` mode (args: turn) serves health over plain HTTP on SFU_TURN_HEALTH_PORT (8080) instead;
# override the health check for such containers.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -kfs -o /dev/null "https://127.0.0.1:${PROTOO_LISTEN_PORT:-4443}/healthz" || exit 1

ENTRYPOINT ["/app/sfu-server"]
