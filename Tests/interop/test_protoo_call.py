"""A real mediasoup-client call over protoo: two pymediasoup (aiortc) peers follow mediasoup-demo's
RoomClient — router capabilities, a send and a receive transport, join, produce — each accepts the
server's `newConsumer` requests for the other's camera and microphone and decodes them, and the
producer's pause, resume and close and the socket's close reach the other peer as notifications."""
import asyncio
import time

import pytest

from conftest import free_udp_and_tcp_port
from protoo_room_client import RoomClient, decode_from

ROOM = "protoo-call"

pytestmark = pytest.mark.usefixtures("loopback_host_candidates")


def new_consumer_index(peer: RoomClient, producer_peer_id: str) -> int:
    return next(index for index, (method, data) in enumerate(peer.protoo.received)
                if method == "newConsumer" and data["peerId"] == producer_peer_id)


async def call(server, extra_query: dict = None, while_connected=lambda: None) -> None:
    # B joins and produces first, so A hears of B's producers right after its join answer and B
    # hears of A through newPeer and then A's newConsumer requests.
    a = RoomClient(server, ROOM, "peer-a", luma=60, extra_query=extra_query)
    b = RoomClient(server, ROOM, "peer-b", luma=200, extra_query=extra_query)
    try:
        await b.join()
        assert b.joined == {"peers": []}
        await b.produce_camera_and_microphone()
        await a.join()
        assert [(peer["id"], peer["displayName"], peer["device"]) for peer in a.joined["peers"]] == \
            [("peer-b", "peer-b", b.device_info)]
        await a.produce_camera_and_microphone()

        await asyncio.wait_for(asyncio.gather(decode_from(a, b), decode_from(b, a)), 20)
        while_connected()
        for peer, other in ((a, b), (b, a)):
            assert peer.protoo.received[0] == ("mediasoup-version", {"version": "3.14.16"})
            offers = [data for method, data in peer.protoo.received if method == "newConsumer"]
            assert {(offer["producerId"], offer["kind"], offer["type"]) for offer in offers} == {
                (other.producers["video"].id, "video", "simple"), (other.producers["audio"].id, "audio", "simple")}
            assert {offer["rtpParameters"]["codecs"][0]["mimeType"] for offer in offers} == {"video/VP8", "audio/opus"}
            assert not peer.protoo.failures
        new_peer = await b.protoo.wait_for("newPeer")
        assert new_peer == {"id": "peer-a", "displayName": "peer-a", "device": a.device_info}
        assert b.protoo.methods().index("newPeer") < new_consumer_index(b, "peer-a"), b.protoo.methods()

        video_producer, audio_producer = a.producers["video"], a.producers["audio"]
        video_consumer_id = (await b.consumer_of(video_producer)).id
        audio_consumer_id = (await b.consumer_of(audio_producer)).id
        await a.protoo.request("pauseProducer", {"producerId": video_producer.id})
        await b.protoo.wait_for("consumerPaused", lambda data: data == {"consumerId": video_consumer_id})
        await a.protoo.request("resumeProducer", {"producerId": video_producer.id})
        await b.protoo.wait_for("consumerResumed", lambda data: data == {"consumerId": video_consumer_id})
        # The demo closes its producer locally, then tells the server.
        await video_producer.close()
        await a.protoo.request("closeProducer", {"producerId": video_producer.id})
        await b.protoo.wait_for("consumerClosed", lambda data: data == {"consumerId": video_consumer_id})

        await a.protoo.close()
        await b.protoo.wait_for("peerClosed", lambda data: data == {"peerId": "peer-a"})
        await b.protoo.wait_for("consumerClosed", lambda data: data == {"consumerId": audio_consumer_id})
    finally:
        await a.close()
        await b.close()


def test_two_peers_call_over_protoo(start_server):
    server = start_server(env={"MEDIASOUP_NUM_WORKERS": "1", "SFU_WEBRTC_SERVER_PORT": str(free_udp_and_tcp_port())})
    asyncio.run(call(server))
    deadline = time.monotonic() + 5
    while server.get("/rooms").json() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.get("/rooms").json() == [], "the room closes with its last peer"


def test_two_peers_call_through_pipe_transports(start_server):
    """mediasoup-demo-ts's `usePipeTransports=true` on two workers: the receiving transports
    live on a second router, fed over pipe transports, and the call works the same."""
    server = start_server(env={"MEDIASOUP_NUM_WORKERS": "2", "SFU_WEBRTC_SERVER_PORT": str(free_udp_and_tcp_port(2))})

    def two_routers_and_pipes():
        metrics = server.get("/metrics").text
        assert "\nsfu_routers 2" in metrics, "the room did not make its second router"
        # Four WebRTC transports and the pipe transport pair between the routers.
        assert "\nsfu_transports 6" in metrics, [line for line in metrics.splitlines() if "sfu_transports" in line]

    asyncio.run(call(server, extra_query={"usePipeTransports": "true"}, while_connected=two_routers_and_pipes))
