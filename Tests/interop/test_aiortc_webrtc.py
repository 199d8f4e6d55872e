"""aiortc as a real WebRTC peer through the REST broadcaster API: pymediasoup (mediasoup-client on
aiortc) produces a synthetic picture and tone on one broadcaster's WebRtcTransport and consumes
them on other broadcasters' transports, and each receiver decodes what the SFU forwarded."""
import asyncio

import aioice
import pytest

from broadcaster_api import BroadcasterApi
from conftest import free_udp_and_tcp_port
from mediasoup_peer import MediasoupPeer
from synthetic_tracks import FlatVideoTrack, ToneAudioTrack, mean_luma, rms

ROOM = "aiortc"
WIDTH, HEIGHT, LUMA = 320, 240, 180
VIDEO_FRAMES = 30
AUDIO_FRAMES = 25
TRANSPORT_ANSWER_KEYS = {"id", "iceParameters", "iceCandidates", "dtlsParameters", "iceServers"}

pytestmark = pytest.mark.usefixtures("loopback_host_candidates")


async def receive(track, count: int) -> list:
    return [await track.recv() for _ in range(count)]


async def call(server, consumer_count: int = 1, protocol: str = "udp") -> list:
    """One producing peer and `consumer_count` consuming peers, all over ICE `protocol`. Returns
    the server's transport answers (the producer's first) once every consumer has decoded
    VIDEO_FRAMES video frames and AUDIO_FRAMES audio frames and they have been checked."""
    capabilities = await asyncio.to_thread(BroadcasterApi.router_rtp_capabilities, server, ROOM)
    producer = MediasoupPeer(server, ROOM, "aiortc producer")
    consumers = [MediasoupPeer(server, ROOM, f"aiortc consumer {index}") for index in range(consumer_count)]
    try:
        for peer in (producer, *consumers):
            await peer.join(capabilities)
        send_transport, send_answer = await producer.create_transport("send", protocol)
        video = await send_transport.produce(track=FlatVideoTrack(WIDTH, HEIGHT, LUMA))
        audio = await send_transport.produce(track=ToneAudioTrack())
        answers, receptions = [send_answer], []
        for consumer in consumers:
            transport, answer = await consumer.create_transport("recv", protocol)
            answers.append(answer)
            video_answer, video_track = await consumer.consume(transport, video.id)
            audio_answer, audio_track = await consumer.consume(transport, audio.id)
            assert (video_answer["producerId"], video_answer["kind"], video_answer["type"]) == (video.id, "video", "simple")
            assert video_answer["rtpParameters"]["codecs"][0]["mimeType"] == "video/VP8"
            assert (audio_answer["producerId"], audio_answer["kind"]) == (audio.id, "audio")
            receptions.append(asyncio.gather(receive(video_track, VIDEO_FRAMES), receive(audio_track, AUDIO_FRAMES)))
        received = await asyncio.wait_for(asyncio.gather(*receptions), 30)
    finally:
        for peer in (producer, *consumers):
            await peer.close()

    for video_frames, audio_frames in received:
        assert {(frame.width, frame.height) for frame in video_frames} == {(WIDTH, HEIGHT)}
        assert abs(mean_luma(video_frames[-1]) - LUMA) < 8, "the decoded picture is the one sent"
        # A sine's RMS is 0.7 of its peak; silence or noise would stay far below this.
        assert max(rms(frame) for frame in audio_frames) > ToneAudioTrack.AMPLITUDE / 4
    return answers


def candidates(answer: dict) -> set:
    return {(candidate["protocol"], candidate["port"], candidate["type"]) for candidate in answer["iceCandidates"]}


def test_shared_webrtc_server_port_over_udp(start_server):
    port = free_udp_and_tcp_port()
    server = start_server(env={"MEDIASOUP_NUM_WORKERS": "1", "SFU_WEBRTC_SERVER_PORT": str(port)})
    answers = asyncio.run(call(server))
    for answer in answers:
        assert TRANSPORT_ANSWER_KEYS <= answer.keys()
        assert answer["iceParameters"]["iceLite"] is True
        assert candidates(answer) == {("udp", port, "host"), ("tcp", port, "host")}


def test_per_transport_ports_without_webrtc_server(start_server):
    server = start_server(env={
        "MEDIASOUP_USE_WEBRTC_SERVER": "false", "MEDIASOUP_MIN_PORT": "42000", "MEDIASOUP_MAX_PORT": "42999"})
    answers = asyncio.run(call(server))
    udp_ports = [port for answer in answers for protocol, port, _ in candidates(answer) if protocol == "udp"]
    assert len(udp_ports) == len(set(udp_ports)) == len(answers), answers
    assert all(42000 <= port <= 42999 for port in udp_ports), udp_ports


def test_three_consumers_decode_through_the_shared_port(start_server):
    port = free_udp_and_tcp_port()
    server = start_server(env={"MEDIASOUP_NUM_WORKERS": "1", "SFU_WEBRTC_SERVER_PORT": str(port)})
    answers = asyncio.run(call(server, consumer_count=3))
    assert len(answers) == 4
    assert all(candidates(answer) == {("udp", port, "host"), ("tcp", port, "host")} for answer in answers)


async def aioice_gathers_tcp_candidates() -> bool:
    connection = aioice.Connection(ice_controlling=True, use_ipv6=False)
    await connection.gather_candidates()
    await connection.close()
    return any(candidate.transport.lower() == "tcp" for candidate in connection.local_candidates)


def test_ice_over_tcp_to_the_shared_port(start_server):
    if not asyncio.run(aioice_gathers_tcp_candidates()):
        pytest.skip(f"aioice {aioice.__version__} gathers only UDP host candidates and pairs only candidates of "
                    "the same transport: it has no ICE-TCP (RFC 6544), so aiortc cannot use the server's "
                    "passive TCP candidate")
    port = free_udp_and_tcp_port()
    server = start_server(env={"MEDIASOUP_NUM_WORKERS": "1", "SFU_WEBRTC_SERVER_PORT": str(port)})
    answers = asyncio.run(call(server, protocol="tcp"))
    assert all(("tcp", port, "host") in candidates(answer) for answer in answers)
