"""The TypeScript mediasoup-demo's broadcaster scripts against our REST API, step by step as they
make their calls: `gstreamer.sh` (broadcasters named by `peerId`, plain transports by `direction`,
an explicit `join`, then its gst-launch pipeline: rtpbin with RTCP on its own ports, vp8enc and
opusenc, with test sources instead of a media file), and `ffmpeg-receiver.sh` (consumer transports
connected to fixed local ports, its own RTP capabilities, the video consumer paused until ffmpeg
listens), whose static SDP ffmpeg decodes."""
import subprocess
import time

import requests

from ffmpeg_rtp import decoded_frame_sizes, decoder_command, free_udp_port_pair

ROOM = "dev"
RTP_PARAMETERS = {
    "audio": {"codecs": [{"mimeType": "audio/opus", "payloadType": 100, "clockRate": 48000, "channels": 2,
                          "parameters": {"sprop-stereo": 1}}],
              "encodings": [{"ssrc": 1111}]},
    "video": {"codecs": [{"mimeType": "video/vp8", "payloadType": 101, "clockRate": 90000,
                          "rtcpFeedback": [{"type": "nack"}, {"type": "nack", "parameter": "pli"},
                                           {"type": "ccm", "parameter": "fir"}]}],
              "encodings": [{"ssrc": 2222}]},
}
# ffmpeg-receiver.sh's capabilities: one codec each, at the payload types of its SDP.
RECEIVER_CAPABILITIES = {
    "audio": {"codecs": [{"kind": "audio", "mimeType": "audio/opus", "preferredPayloadType": 100, "clockRate": 48000,
                          "channels": 2, "parameters": {"useinbandfec": 1}}]},
    "video": {"codecs": [{"kind": "video", "mimeType": "video/VP8", "preferredPayloadType": 101, "clockRate": 90000,
                          "parameters": {}, "rtcpFeedback": [{"type": "nack"}]}]},
}
WIDTH, HEIGHT = 320, 240
VIDEO_FRAMES = 60
OPUS_FRAME_BYTES = 960 * 2 * 2


def call(server, method: str, path: str, status: int, **kwargs) -> requests.Response:
    response = requests.request(method, f"{server.base_url}/rooms/{ROOM}{path}", verify=False, timeout=10, **kwargs)
    assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
    return response


def gstreamer_command(audio: dict, video: dict) -> list:
    """gstreamer.sh's pipeline, its file source and decoders replaced by live test sources."""
    return [
        "gst-launch-1.0", "-q", "rtpbin", "name=rtpbin",
        "videotestsrc", "is-live=true", "!", f"video/x-raw,width={WIDTH},height={HEIGHT},framerate=30/1",
        "!", "videoconvert", "!", "vp8enc", "target-bitrate=1000000", "deadline=1", "cpu-used=4",
        "!", "rtpvp8pay", "pt=101", "ssrc=2222", "picture-id-mode=2", "!", "rtpbin.send_rtp_sink_0",
        "rtpbin.send_rtp_src_0", "!", "udpsink", f"host={video['ip']}", f"port={video['port']}",
        "rtpbin.send_rtcp_src_0", "!", "udpsink", f"host={video['ip']}", f"port={video['rtcpPort']}",
        "sync=false", "async=false",
        "audiotestsrc", "is-live=true", "freq=440", "!", "audioresample", "!", "audioconvert", "!", "opusenc",
        "!", "rtpopuspay", "pt=100", "ssrc=1111", "!", "rtpbin.send_rtp_sink_1",
        "rtpbin.send_rtp_src_1", "!", "udpsink", f"host={audio['ip']}", f"port={audio['port']}",
        "rtpbin.send_rtcp_src_1", "!", "udpsink", f"host={audio['ip']}", f"port={audio['rtcpPort']}",
        "sync=false", "async=false",
    ]


def receiver_sdp(ports: dict) -> str:
    """ffmpeg-receiver.sh's SDP."""
    return "\n".join([
        "v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=mediasoup", "c=IN IP4 127.0.0.1", "t=0 0",
        f"m=audio {ports['audio']} RTP/AVP 100", "a=rtpmap:100 opus/48000/2",
        f"m=video {ports['video']} RTP/AVP 101", "a=rtpmap:101 VP8/90000",
    ]) + "\n"


def test_typescript_demo_scripts_broadcast_and_receive(start_server, tmp_path):
    server = start_server(env={"SFU_LOG_LEVEL": "info"})
    call(server, "GET", "", 200)

    # gstreamer.sh
    call(server, "POST", "/broadcasters", 201,
         json={"peerId": "gst", "displayName": "GStreamer", "device": {"name": "GStreamer", "flag": "gstreamer"}})
    send_transports = {}
    for kind in ("audio", "video"):
        answer = call(server, "POST", "/broadcasters/gst/transports", 201,
                      json={"direction": "producer", "comedia": True, "rtcpMux": False}).json()
        assert answer.keys() == {"transportId", "ip", "port", "rtcpPort"}
        send_transports[kind] = answer
    call(server, "POST", "/broadcasters/gst/join", 200)
    for kind in ("audio", "video"):
        call(server, "POST", f"/broadcasters/gst/transports/{send_transports[kind]['transportId']}/producers", 200,
             json={"kind": kind, "rtpParameters": RTP_PARAMETERS[kind], "appData": {"source": kind}})
    sender_log = tmp_path / "sender.log"
    with open(sender_log, "wb") as log:
        sender = subprocess.Popen(gstreamer_command(send_transports["audio"], send_transports["video"]),
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        # ffmpeg-receiver.sh, with the producers it is given taken from peerProducersInfos.
        call(server, "POST", "/broadcasters", 201,
             json={"peerId": "receiver", "displayName": "FFmpeg", "device": {"name": "FFmpeg", "flag": "ffmpeg"}})
        ports = {kind: free_udp_port_pair() for kind in ("audio", "video")}
        receive_transports, consumer_ids = {}, {}
        for kind in ("audio", "video"):
            transport_id = call(server, "POST", "/broadcasters/receiver/transports", 201,
                                json={"direction": "consumer", "comedia": False, "rtcpMux": False}).json()["transportId"]
            receive_transports[kind] = transport_id
            call(server, "POST", f"/broadcasters/receiver/transports/{transport_id}/connect", 200,
                 json={"ip": "127.0.0.1", "port": ports[kind], "rtcpPort": ports[kind] + 1})
            if kind == "audio":
                call(server, "POST", "/broadcasters/receiver/join", 200)
                infos = call(server, "GET", "/broadcasters/receiver/peerProducersInfos", 200).json()
                [gst] = infos["peerProducersInfos"]
                producer_ids = {producer["source"]: producer["producerId"] for producer in gst["producers"]}
                assert gst["peerId"] == "gst" and producer_ids.keys() == {"audio", "video"}
            answer = call(server, "POST", f"/broadcasters/receiver/transports/{transport_id}/consume", 201,
                          json={"producerId": producer_ids[kind], "paused": kind == "video",
                                "rtpCapabilities": RECEIVER_CAPABILITIES[kind]}).json()
            consumer_ids[kind] = answer["consumerId"]

        sdp = tmp_path / "ffmpeg.sdp"
        sdp.write_text(receiver_sdp(ports))
        decoder = subprocess.Popen(decoder_command(sdp, VIDEO_FRAMES), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        call(server, "POST", f"/broadcasters/receiver/transports/{receive_transports['video']}/resume", 200,
             json={"consumerId": consumer_ids["video"]})
        try:
            stdout, stderr = decoder.communicate(timeout=30)
        finally:
            decoder.kill()
    finally:
        sender.kill()
        sender.wait()

    frames = decoded_frame_sizes(stdout)
    context = (f"decoder: {stderr[-2000:]}\nsender: {sender_log.read_text(errors='replace')[-1500:]}\n"
               f"server:\n{server.output()[-3000:]}")
    assert len(frames[0]) >= VIDEO_FRAMES, context
    assert set(frames[0]) == {WIDTH * HEIGHT * 3 // 2}, context
    assert len(frames[1]) >= 20 and set(frames[1]) == {OPUS_FRAME_BYTES}, context

    call(server, "DELETE", "/broadcasters/receiver", 204)
    call(server, "DELETE", "/broadcasters/gst", 204)
