"""mediasoup-demo's RoomClient on pymediasoup (mediasoup-client on aiortc), cut to a camera and a
microphone: the Python peer of the protoo call tests and of the web app's mixed call. It speaks
the classic (v3) demo's protoo messages, or with `typescript=True` the TypeScript demo's."""
import asyncio
import collections

import pymediasoup
from pymediasoup import AiortcHandler, Device
from pymediasoup.rtp_parameters import RtpCapabilities

from protoo_peer import ProtooError, ProtooPeer
from synthetic_tracks import FlatVideoTrack, ToneAudioTrack, mean_luma, rms

WIDTH, HEIGHT = 320, 240
# What a receiver decodes of each of a sender's tracks before it judges them.
VIDEO_FRAMES = 30
AUDIO_FRAMES = 25


class RoomClient:
    """mediasoup-demo's RoomClient, cut to a camera and a microphone: a pymediasoup Device whose
    signalling is one protoo socket."""

    def __init__(self, server, room_id: str, peer_id: str, luma: int, extra_query: dict = None,
                 typescript: bool = False):
        self.server, self.room_id, self.peer_id, self.luma = server, room_id, peer_id, luma
        self.extra_query = extra_query
        self.typescript = typescript
        self.device = Device(handlerFactory=AiortcHandler.createFactory())
        self.device_info = {"flag": "aiortc", "name": "pymediasoup", "version": pymediasoup.__version__}
        self.protoo = None
        self.send_transport = self.recv_transport = None
        self.producers = {}
        # Consumers by producer id, resolved as the server's newConsumer requests are accepted.
        self.consumers = collections.defaultdict(lambda: asyncio.get_running_loop().create_future())
        # mediasoup-client queues its transports' commands; pymediasoup leaves that to its user.
        self.commands = asyncio.Lock()
        self.joined = None

    async def join(self) -> None:
        self.protoo = await ProtooPeer.connect(
            self.server, self.room_id, self.peer_id, on_request=self.on_request, extra_query=self.extra_query)
        capabilities = await self.protoo.request("getRouterRtpCapabilities")
        if self.typescript:
            capabilities = capabilities["routerRtpCapabilities"]
        await self.device.load(RtpCapabilities(**capabilities))
        self.send_transport = await self.create_transport(producing=True)
        self.recv_transport = await self.create_transport(producing=False)
        self.joined = await self.protoo.request("join", {
            "displayName": self.peer_id, "device": self.device_info,
            "rtpCapabilities": self.device.rtpCapabilities.model_dump(exclude_none=True)})

    async def create_transport(self, producing: bool):
        if self.typescript:
            answer = await self.protoo.request(
                "createWebRtcTransport",
                {"forceTcp": False, "appData": {"direction": "producer" if producing else "consumer"}})
            answer["id"] = answer.pop("transportId")
        else:
            answer = await self.protoo.request(
                "createWebRtcTransport", {"forceTcp": False, "producing": producing, "consuming": not producing})
        create = self.device.createSendTransport if producing else self.device.createRecvTransport
        # No ICE servers: host candidates meet on loopback, and None would make aiortc add a
        # public STUN server.
        transport = create(
            id=answer["id"], iceParameters=answer["iceParameters"], dtlsParameters=answer["dtlsParameters"],
            iceCandidates=[c for c in answer["iceCandidates"] if c["protocol"] == "udp"],
            sctpParameters=None, iceServers=[])

        @transport.on("connect")
        async def connect(dtlsParameters):
            await self.protoo.request("connectWebRtcTransport", {
                "transportId": transport.id, "dtlsParameters": dtlsParameters.model_dump(exclude_none=True)})

        async def produce(kind, rtpParameters, appData):
            answer = await self.protoo.request("produce", {
                "transportId": transport.id, "kind": kind,
                "rtpParameters": rtpParameters.model_dump(exclude_none=True), "appData": appData})
            return answer["producerId" if self.typescript else "id"]

        if producing:
            transport.on("produce", produce)
        return transport

    async def produce_camera_and_microphone(self) -> None:
        async with self.commands:
            self.producers["video"] = await self.send_transport.produce(track=FlatVideoTrack(WIDTH, HEIGHT, self.luma))
            self.producers["audio"] = await self.send_transport.produce(track=ToneAudioTrack())

    async def on_request(self, method: str, data: dict) -> dict:
        if method != "newConsumer":
            raise ProtooError(method, 403, f"{method} is not handled by this client")
        if self.typescript:
            assert data["transportId"] == self.recv_transport.id and "consumerScore" in data, data
        async with self.commands:
            consumer = await self.recv_transport.consume(
                id=data["consumerId" if self.typescript else "id"], producerId=data["producerId"], kind=data["kind"], rtpParameters=data["rtpParameters"],
                streamId=f"{data['peerId']}-mic-webcam", appData={**data["appData"], "peerId": data["peerId"]})
        self.consumers[data["producerId"]].set_result(consumer)
        return {}

    async def consumer_of(self, producer) -> "pymediasoup.consumer.Consumer":
        return await asyncio.wait_for(asyncio.shield(self.consumers[producer.id]), 10)

    async def close(self) -> None:
        for transport in (self.send_transport, self.recv_transport):
            if transport is not None:
                await transport.close()
        if self.protoo is not None:
            await self.protoo.close()


async def receive(track, count: int) -> list:
    return [await track.recv() for _ in range(count)]


async def decode_from(receiver: RoomClient, sender: RoomClient) -> None:
    """The receiver decodes the sender's picture (its luma) and tone."""
    video = await receiver.consumer_of(sender.producers["video"])
    audio = await receiver.consumer_of(sender.producers["audio"])
    video_frames, audio_frames = await asyncio.gather(
        receive(video.track, VIDEO_FRAMES), receive(audio.track, AUDIO_FRAMES))
    assert {(frame.width, frame.height) for frame in video_frames} == {(WIDTH, HEIGHT)}
    assert abs(mean_luma(video_frames[-1]) - sender.luma) < 8, "the decoded picture is the sender's"
    # A sine's RMS is 0.7 of its peak; silence or noise would stay far below this.
    assert max(rms(frame) for frame in audio_frames) > ToneAudioTrack.AMPLITUDE / 4
