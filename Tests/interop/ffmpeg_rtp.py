"""ffmpeg on both ends of plain RTP, as mediasoup-demo's broadcaster scripts run it: a sender of
a synthetic test pattern and tone, and a decoder of the streams an SDP file describes."""
import re
import socket
from collections import defaultdict

from conftest import free_port


def sender_command(audio: dict, video: dict, ssrcs: dict, payload_types: dict,
                   size: str, seconds: int) -> list:
    """`broadcasters/ffmpeg.sh`'s ffmpeg command with lavfi sources instead of a media file.
    `audio` and `video` are the plain-transport answers; the tee outputs carry the SSRCs and
    payload types the producers were created with."""
    def output(kind, transport):
        # tee's stream selector: "a" or "v".
        return (f"[select={kind[0]}:f=rtp:ssrc={ssrcs[kind]}:payload_type={payload_types[kind]}]"
                f"rtp://{transport['ip']}:{transport['port']}?rtcpport={transport['rtcpPort']}&pkt_size=1200")

    return [
        "ffmpeg", "-nostdin", "-v", "info",
        "-re", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=30",
        "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-map", "1:a:0", "-acodec", "libopus", "-ab", "128k", "-ac", "2", "-ar", "48000",
        "-map", "0:v:0", "-pix_fmt", "yuv420p", "-c:v", "libvpx", "-b:v", "1000k",
        "-deadline", "realtime", "-cpu-used", "4",
        "-t", str(seconds),
        "-f", "tee", output("audio", audio) + "|" + output("video", video),
    ]


def free_udp_port_pair() -> int:
    """An even port p with p and p + 1 free: ffmpeg's SDP input takes RTP on p and RTCP on p + 1."""
    for _ in range(100):
        port = free_port(socket.SOCK_DGRAM) & ~1
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rtp, \
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rtcp:
            try:
                rtp.bind(("127.0.0.1", port))
                rtcp.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise AssertionError("no free pair of UDP ports on 127.0.0.1")


def consumer_sdp(consumers: list, ports: dict) -> str:
    """An SDP that receives each consumer's media codec on `ports[kind]` (the receiver side of
    mediasoup-demo's `ffmpeg-receiver.sh`)."""
    lines = ["v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=sfu-server consumer", "c=IN IP4 127.0.0.1", "t=0 0"]
    for consumer in consumers:
        codec = consumer["rtpParameters"]["codecs"][0]
        encoding = codec["mimeType"].split("/")[1] + f"/{codec['clockRate']}"
        if "channels" in codec:
            encoding += f"/{codec['channels']}"
        lines += [f"m={consumer['kind']} {ports[consumer['kind']]} RTP/AVP {codec['payloadType']}",
                  f"a=rtpmap:{codec['payloadType']} {encoding}"]
    return "\n".join(lines) + "\n"


def decoder_command(sdp_path, video_frames: int) -> list:
    """Decodes the SDP's video (output stream 0) and audio (stream 1) and writes one framecrc line
    per decoded frame, stopping after `video_frames` video frames."""
    return ["ffmpeg", "-nostdin", "-v", "error", "-protocol_whitelist", "file,udp,rtp", "-i", str(sdp_path),
            "-map", "0:v", "-map", "0:a", "-frames:v", str(video_frames), "-f", "framecrc", "-"]


def decoded_frame_sizes(framecrc: str) -> dict:
    """Output stream index → the byte size of each decoded (raw) frame, from framecrc lines
    `stream, dts, pts, duration, size, crc`."""
    sizes = defaultdict(list)
    for match in re.finditer(r"^(\d+),\s*-?\d+,\s*-?\d+,\s*\d+,\s*(\d+),", framecrc, re.M):
        sizes[int(match.group(1))].append(int(match.group(2)))
    return sizes
