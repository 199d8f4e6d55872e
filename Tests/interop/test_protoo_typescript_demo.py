"""The TypeScript mediasoup-demo's protoo messages next to the classic demo's, in one call: a
pymediasoup peer speaking each, so each decodes the other. The TypeScript peer reads the router
capabilities under `routerRtpCapabilities`, names its transports' `direction`, gets
`transportId`, `producerId`, `consumerId` and `{stats}` where the classic peer gets `id` and
lists, and pauses and resumes with notifications; each hears of the other in its own form."""
import asyncio

import pytest

from conftest import free_udp_and_tcp_port
from data_channel_peers import DataRoomClient
from protoo_peer import ProtooError
from protoo_room_client import RoomClient, decode_from

ROOM = "protoo-dialects"

pytestmark = pytest.mark.usefixtures("loopback_host_candidates")


def start_call_server(start_server):
    # One worker, its WebRtcServer on free ports: other servers may be running on this machine.
    return start_server(env={"MEDIASOUP_NUM_WORKERS": "1", "SFU_WEBRTC_SERVER_PORT": str(free_udp_and_tcp_port())})


async def mixed_call(server) -> None:
    classic = RoomClient(server, ROOM, "classic", luma=60)
    typescript = RoomClient(server, ROOM, "typescript", luma=200, typescript=True)
    try:
        await classic.join()
        await classic.produce_camera_and_microphone()
        await typescript.join()
        assert typescript.joined == {"peers": [
            {"peerId": "classic", "displayName": "classic", "device": classic.device_info}]}
        await typescript.produce_camera_and_microphone()
        await asyncio.wait_for(asyncio.gather(decode_from(typescript, classic), decode_from(classic, typescript)), 20)

        assert await classic.protoo.wait_for("newPeer") == {
            "id": "typescript", "displayName": "typescript", "device": typescript.device_info}
        for peer, id_key, other_key in ((classic, "id", "consumerId"), (typescript, "consumerId", "id")):
            offers = [data for method, data in peer.protoo.received if method == "newConsumer"]
            assert len(offers) == 2 and all(id_key in offer and other_key not in offer for offer in offers), offers
            assert not peer.protoo.failures

        transport_stats = await typescript.protoo.request(
            "getTransportStats", {"transportId": typescript.send_transport.id})
        assert list(transport_stats) == ["stats"]
        assert transport_stats["stats"][0]["transportId"] == typescript.send_transport.id
        classic_stats = await classic.protoo.request("getTransportStats", {"transportId": classic.send_transport.id})
        assert isinstance(classic_stats, list) and classic_stats[0]["transportId"] == classic.send_transport.id

        video_producer = typescript.producers["video"]
        consumer_id = (await classic.consumer_of(video_producer)).id
        await typescript.protoo.notify("pauseProducer", {"producerId": video_producer.id})
        await classic.protoo.wait_for("consumerPaused", lambda data: data == {"consumerId": consumer_id})
        await typescript.protoo.notify("resumeProducer", {"producerId": video_producer.id})
        await classic.protoo.wait_for("consumerResumed", lambda data: data == {"consumerId": consumer_id})
        # A notification the server cannot carry out has no answer to fail: nothing changes and
        # the peer goes on.
        await typescript.protoo.notify("pauseProducer", {"producerId": "nope"})
        producer_stats = await typescript.protoo.request("getProducerStats", {"producerId": video_producer.id})
        assert isinstance(producer_stats["stats"], list)
        assert await typescript.protoo.request("getRtcStatsUrl") == {}, "no rtcstats server"
        assert typescript.protoo.methods().count("mediasoupVersion") == 1
        assert "mediasoupVersion" not in classic.protoo.methods()

        await classic.protoo.close()
        await typescript.protoo.wait_for("peerClosed", lambda data: data == {"peerId": "classic"})
    finally:
        await classic.close()
        await typescript.close()


def test_classic_and_typescript_demo_peers_call_each_other(start_server):
    server = start_call_server(start_server)
    asyncio.run(mixed_call(server))


def test_a_transport_direction_must_be_producer_or_consumer(start_server):
    server = start_call_server(start_server)

    async def ask():
        peer = RoomClient(server, ROOM, "typescript", luma=0, typescript=True)
        try:
            await peer.join()
            with pytest.raises(ProtooError) as refused:
                await peer.protoo.request("createWebRtcTransport", {"appData": {"direction": "sideways"}})
            assert "appData.direction" in str(refused.value)
        finally:
            await peer.close()

    asyncio.run(ask())


async def mixed_chat(server) -> None:
    """The TypeScript demo gives its SCTP capabilities with its transports, not in `join`: it
    still gets data consumers, in its own shape."""
    classic = DataRoomClient(server, "dialect-chat", "classic")
    typescript = DataRoomClient(server, "dialect-chat", "typescript", typescript=True)
    try:
        await classic.join()
        await typescript.join()
        classic_chat = await classic.produce_data("chat")
        typescript_chat = await typescript.produce_data("chat")
        typescript_hears = await typescript.data_consumer_of(classic_chat.id)
        classic_hears = await classic.data_consumer_of(typescript_chat.id)
        assert "dataConsumerId" in typescript.offers[typescript_hears.id]
        assert "id" in classic.offers[classic_hears.id] and "transportId" not in classic.offers[classic_hears.id]
        classic_chat.send("hello from classic")
        typescript_chat.send("hello from typescript")
        assert await typescript.inbox_of(typescript_hears).wait_for(1) == ["hello from classic"]
        assert await classic.inbox_of(classic_hears).wait_for(1) == ["hello from typescript"]
        await typescript.data_consumer_of("bot")
    finally:
        await classic.close()
        await typescript.close()


def test_classic_and_typescript_demo_peers_chat(start_server):
    server = start_call_server(start_server)
    asyncio.run(mixed_chat(server))
