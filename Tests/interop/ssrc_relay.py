"""Splits the streams of one RTP port by SSRC onto separate local ports."""
import socket
import struct
import threading


class SsrcRelay:
    """Receives a plain transport's RTP and RTCP on one UDP port (rtcpMux) and forwards each RTP
    stream, chosen by SSRC, to its own port on 127.0.0.1: ffmpeg's SDP input listens on one
    port per m-line, while a mediasoup transport sends all its consumers to one address.
    RTCP is counted and not forwarded. Use as a context manager."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.routes = {}
        self.forwarded = {}
        self.rtcp_packets = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def route(self, ssrc: int, port: int) -> None:
        self.routes[ssrc] = port
        self.forwarded[ssrc] = 0

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()
        self.socket.close()

    def _run(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            while not self._stop.is_set():
                try:
                    packet = self.socket.recv(2048)
                except socket.timeout:
                    continue
                if len(packet) < 12:
                    continue
                # RFC 5761 section 4: RTCP packet types 192-223 occupy the second byte.
                if 192 <= packet[1] <= 223:
                    self.rtcp_packets += 1
                    continue
                ssrc = struct.unpack_from("!I", packet, 8)[0]
                port = self.routes.get(ssrc)
                if port is not None:
                    self.forwarded[ssrc] += 1
                    sender.sendto(packet, ("127.0.0.1", port))
