"""mediasoup-demo's `broadcasters/ffmpeg.sh`, unchanged, against our REST API: ffmpeg sends a test
pattern and a tone over plain RTP, a second broadcaster consumes both producers on a plain
transport, and ffmpeg decodes what the SFU forwards."""
import subprocess

import pytest

from broadcaster_api import BroadcasterApi
from ffmpeg_rtp import consumer_sdp, decoded_frame_sizes, decoder_command, free_udp_port_pair, sender_command
from ssrc_relay import SsrcRelay

ROOM = "ffmpeg-broadcast"
SSRCS = {"audio": 1111, "video": 2222}
PAYLOAD_TYPES = {"audio": 100, "video": 101}
AUDIO_RTP_PARAMETERS = {
    "codecs": [{"mimeType": "audio/opus", "payloadType": PAYLOAD_TYPES["audio"], "clockRate": 48000, "channels": 2,
                "parameters": {"sprop-stereo": 1}}],
    "encodings": [{"ssrc": SSRCS["audio"]}],
}
VIDEO_RTP_PARAMETERS = {
    "codecs": [{"mimeType": "video/vp8", "payloadType": PAYLOAD_TYPES["video"], "clockRate": 90000}],
    "encodings": [{"ssrc": SSRCS["video"]}],
}
WIDTH, HEIGHT = 320, 240
VIDEO_FRAMES = 60
# ffmpeg's Opus decoder gives 20 ms frames; framecrc writes them as 16-bit stereo PCM.
OPUS_FRAME_BYTES = 960 * 2 * 2


@pytest.fixture
def ffmpeg_sender(tmp_path):
    """Starts the broadcasting ffmpeg (`start(command)` returns its log's path) and kills it
    after the test."""
    started = []

    def start(command):
        path = tmp_path / "ffmpeg-sender.log"
        log = open(path, "wb")
        started.append((subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log))
        return path

    yield start
    for process, log in started:
        process.kill()
        process.wait()
        log.close()


def test_ffmpeg_broadcast_is_consumed_over_plain_rtp_and_decodes(start_server, ffmpeg_sender, tmp_path):
    server = start_server(env={"SFU_LOG_LEVEL": "info"})
    router_capabilities = BroadcasterApi.router_rtp_capabilities(server, ROOM)

    broadcaster = BroadcasterApi(server, ROOM, "Broadcaster", "FFmpeg")
    assert broadcaster.joined == {"peers": []}
    transports = {kind: broadcaster.create_transport(type="plain", comedia=True, rtcpMux=False)
                  for kind in ("audio", "video")}
    for transport in transports.values():
        assert transport.keys() == {"id", "ip", "port", "rtcpPort"}
        assert transport["ip"] == "127.0.0.1" and transport["port"] != transport["rtcpPort"]
    producer_ids = {
        "audio": broadcaster.produce(transports["audio"]["id"], "audio", AUDIO_RTP_PARAMETERS),
        "video": broadcaster.produce(transports["video"]["id"], "video", VIDEO_RTP_PARAMETERS),
    }
    sender_log = ffmpeg_sender(sender_command(
        transports["audio"], transports["video"], SSRCS, PAYLOAD_TYPES, size=f"{WIDTH}x{HEIGHT}", seconds=40))

    receiver = BroadcasterApi(server, ROOM, "Receiver", "FFmpeg", rtp_capabilities=router_capabilities)
    [peer] = receiver.joined["peers"]
    assert peer["id"] == broadcaster.id and peer["device"] == {"flag": "broadcaster", "name": "FFmpeg"}
    assert {producer["kind"]: producer["id"] for producer in peer["producers"]} == producer_ids

    with SsrcRelay() as relay:
        transport = receiver.create_transport(type="plain", comedia=False, rtcpMux=True)
        assert "rtcpPort" not in transport
        receiver.connect(transport["id"], ip="127.0.0.1", port=relay.port)
        consumers = [receiver.consume(transport["id"], producer_ids[kind]) for kind in ("audio", "video")]
        for consumer, kind in zip(consumers, ("audio", "video")):
            assert consumer.keys() == {"id", "producerId", "kind", "rtpParameters", "type"}
            assert consumer["producerId"] == producer_ids[kind] and consumer["kind"] == kind
            assert consumer["type"] == "simple"
        assert consumers[0]["rtpParameters"]["codecs"][0]["mimeType"] == "audio/opus"
        assert consumers[1]["rtpParameters"]["codecs"][0]["mimeType"] == "video/VP8"

        ports = {kind: free_udp_port_pair() for kind in ("audio", "video")}
        for consumer in consumers:
            relay.route(consumer["rtpParameters"]["encodings"][0]["ssrc"], ports[consumer["kind"]])
        sdp = tmp_path / "consumer.sdp"
        sdp.write_text(consumer_sdp(consumers, ports))
        # ffmpeg ignores the SFU's PLI, so the picture starts at libvpx's next periodic key frame
        # (every 128 frames, about 4 s): the decoder needs several seconds, not a few frames' worth.
        decoded = subprocess.run(decoder_command(sdp, VIDEO_FRAMES), capture_output=True, text=True, timeout=30)

    frames = decoded_frame_sizes(decoded.stdout)
    context = (f"decoder: {decoded.stderr[-2000:]}\nrelay: {relay.forwarded}\n"
               f"sender: {sender_log.read_text(errors='replace')[-1500:]}\n"
               f"server:\n{server.output()[-3000:]}")
    assert len(frames[0]) >= VIDEO_FRAMES, context
    assert set(frames[0]) == {WIDTH * HEIGHT * 3 // 2}, context
    assert len(frames[1]) >= 20 and set(frames[1]) == {OPUS_FRAME_BYTES}, context
    assert relay.rtcp_packets > 0, "the SFU sends RTCP sender reports for its consumers"

    assert receiver.delete() == "broadcaster deleted"
    assert broadcaster.delete() == "broadcaster deleted"
    late_receiver = BroadcasterApi(server, ROOM, "Late", "FFmpeg", rtp_capabilities=router_capabilities)
    assert late_receiver.joined == {"peers": []}
