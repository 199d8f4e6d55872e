"""Data-channel peers for the data channel interop tests: mediasoup-demo's RoomClient on pymediasoup
(mediasoup-client on aiortc) with data channels only — `chat` and `bot` data producers and the
server's `newDataConsumer` requests — and a REST broadcaster whose WebRTC transports carry SCTP."""
import asyncio
import collections

import pymediasoup
from pymediasoup import AiortcHandler, Device
from pymediasoup.rtp_parameters import RtpCapabilities
from pymediasoup.sctp_parameters import SctpParameters, SctpStreamParameters

from broadcaster_api import BroadcasterApi
from protoo_peer import ProtooError, ProtooPeer

OPEN_TIMEOUT = 10


class Inbox:
    """The messages one data consumer received, in arrival order, with a wait for the next ones."""

    def __init__(self):
        self.messages = []
        self.arrived = asyncio.Condition()

    def add(self, message) -> None:
        self.messages.append(message)

        async def notify():
            async with self.arrived:
                self.arrived.notify_all()

        asyncio.get_running_loop().create_task(notify())

    async def wait_for(self, count: int, timeout: float = 10) -> list:
        """The first `count` messages, waiting for them."""
        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: len(self.messages) >= count), timeout)
        return self.messages[:count]

    async def wait_until(self, matches, timeout: float = 10):
        """The first message that `matches`, waiting for it."""
        def found():
            return next((message for message in self.messages if matches(message)), None)

        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: found() is not None), timeout)
        return found()


async def opened(channel_owner) -> None:
    """Waits until a pymediasoup DataProducer's or DataConsumer's channel is open."""
    if channel_owner.readyState == "open":
        return
    future = asyncio.get_running_loop().create_future()

    def on_open():
        if not future.done():
            future.set_result(None)

    channel_owner.once("open", on_open)
    if channel_owner.readyState == "open":
        return
    await asyncio.wait_for(future, OPEN_TIMEOUT)


def fix_partial_reliability(data_producer, max_retransmits) -> None:
    """pymediasoup 1.5.0 tells the server `maxRetransmits` but creates its aiortc channel without
    it (it passes only `maxPacketLifeTime`), so the client would retransmit forever; give the
    aiortc channel the value the server was told."""
    channel = data_producer._dataChannel
    channel._RTCDataChannel__parameters.maxRetransmits = max_retransmits
    assert channel.maxRetransmits == max_retransmits


class DataRoomClient:
    """mediasoup-demo's RoomClient with data channels and no media: a pymediasoup Device whose
    signalling is one protoo socket, a send and a receive transport created with the device's
    `sctpCapabilities`, and `join` with them, so the server offers it (`newDataConsumer`) every
    other peer's data producers and the room bot's. `inboxes` holds each data consumer's messages
    by data consumer id; `data_consumers` resolves each data consumer by its data producer id
    (the bot's under `"bot"`)."""

    def __init__(self, server, room_id: str, peer_id: str, display_name: str = None, typescript: bool = False):
        self.server, self.room_id, self.peer_id = server, room_id, peer_id
        # The TypeScript demo's message shapes; its join leaves out the SCTP capabilities.
        self.typescript = typescript
        self.display_name = display_name or peer_id
        self.device = Device(handlerFactory=AiortcHandler.createFactory())
        self.device_info = {"flag": "aiortc", "name": "pymediasoup", "version": pymediasoup.__version__}
        self.protoo = None
        self.send_transport = self.recv_transport = None
        self.offers = {}
        self.inboxes = collections.defaultdict(Inbox)
        self.data_consumers = collections.defaultdict(lambda: asyncio.get_running_loop().create_future())
        # mediasoup-client queues its transports' commands; pymediasoup leaves that to its user.
        self.commands = asyncio.Lock()
        self.joined = None

    @property
    def sctp_capabilities(self) -> dict:
        return self.device.sctpCapabilities.model_dump(exclude_none=True)

    async def join(self) -> None:
        self.protoo = await ProtooPeer.connect(self.server, self.room_id, self.peer_id, on_request=self.on_request)
        capabilities = await self.protoo.request("getRouterRtpCapabilities")
        if self.typescript:
            capabilities = capabilities["routerRtpCapabilities"]
        await self.device.load(RtpCapabilities(**capabilities))
        self.send_transport = await self.create_transport(producing=True)
        self.recv_transport = await self.create_transport(producing=False)
        join = {"displayName": self.display_name, "device": self.device_info,
                "rtpCapabilities": self.device.rtpCapabilities.model_dump(exclude_none=True)}
        if not self.typescript:
            join["sctpCapabilities"] = self.sctp_capabilities
        self.joined = await self.protoo.request("join", join)

    async def create_transport(self, producing: bool):
        if self.typescript:
            answer = await self.protoo.request("createWebRtcTransport", {
                "forceTcp": False, "appData": {"direction": "producer" if producing else "consumer"},
                "sctpCapabilities": self.sctp_capabilities})
            answer["id"] = answer.pop("transportId")
        else:
            answer = await self.protoo.request("createWebRtcTransport", {
                "forceTcp": False, "producing": producing, "consuming": not producing,
                "sctpCapabilities": self.sctp_capabilities})
        assert answer.get("sctpParameters"), f"no sctpParameters in {answer}"
        create = self.device.createSendTransport if producing else self.device.createRecvTransport
        # No ICE servers: host candidates meet on loopback, and None would make aiortc add a
        # public STUN server.
        transport = create(
            id=answer["id"], iceParameters=answer["iceParameters"], dtlsParameters=answer["dtlsParameters"],
            iceCandidates=[c for c in answer["iceCandidates"] if c["protocol"] == "udp"],
            sctpParameters=SctpParameters(**answer["sctpParameters"]), iceServers=[])
        transport.answer = answer

        @transport.on("connect")
        async def connect(dtlsParameters):
            await self.protoo.request("connectWebRtcTransport", {
                "transportId": transport.id, "dtlsParameters": dtlsParameters.model_dump(exclude_none=True)})

        async def produce_data(sctpStreamParameters, label, protocol, appData):
            answer = await self.protoo.request("produceData", {
                "transportId": transport.id,
                "sctpStreamParameters": sctpStreamParameters.model_dump(exclude_none=True),
                "label": label, "protocol": protocol, "appData": appData})
            return answer["dataProducerId" if self.typescript else "id"]

        if producing:
            transport.on("producedata", produce_data)
        return transport

    async def produce_data(self, label: str, **options):
        """A data producer on the send transport (mediasoup-client's `produceData`), open."""
        async with self.commands:
            data_producer = await self.send_transport.produceData(label=label, protocol="", **options)
        if options.get("maxRetransmits") is not None:
            fix_partial_reliability(data_producer, options["maxRetransmits"])
        await opened(data_producer)
        return data_producer

    async def on_request(self, method: str, data: dict) -> dict:
        if method != "newDataConsumer":
            raise ProtooError(method, 403, f"{method} is not handled by this client")
        async with self.commands:
            if self.typescript:
                assert data["transportId"] == self.recv_transport.id, data
            data_consumer = await self.recv_transport.consumeData(
                id=data["dataConsumerId" if self.typescript else "id"], dataProducerId=data["dataProducerId"],
                sctpStreamParameters=SctpStreamParameters(**data["sctpStreamParameters"]),
                label=data["label"], protocol=data["protocol"], appData={**data["appData"], "peerId": data["peerId"]})
        inbox = self.inboxes[data_consumer.id]
        data_consumer.on("message", inbox.add)
        self.offers[data_consumer.id] = data
        key = "bot" if data["peerId"] is None else data["dataProducerId"]
        self.data_consumers[key].set_result(data_consumer)
        return {}

    async def data_consumer_of(self, data_producer_id: str, timeout: float = 10):
        """The open data consumer of `data_producer_id` ("bot" for the room bot's)."""
        data_consumer = await asyncio.wait_for(asyncio.shield(self.data_consumers[data_producer_id]), timeout)
        await opened(data_consumer)
        return data_consumer

    def inbox_of(self, data_consumer) -> Inbox:
        return self.inboxes[data_consumer.id]

    async def close(self) -> None:
        for transport in (self.send_transport, self.recv_transport):
            if transport is not None and not transport.closed:
                await transport.close()
        if self.protoo is not None:
            await self.protoo.close()


class DataBroadcasterApi(BroadcasterApi):
    """The broadcaster API plus mediasoup-demo's data routes."""

    def produce_data(self, transport_id: str, sctp_stream_parameters: dict, label: str, protocol: str,
                     app_data: dict) -> str:
        answer = self._call("POST", f"/broadcasters/{self.id}/transports/{transport_id}/produce/data", json={
            "sctpStreamParameters": sctp_stream_parameters, "label": label, "protocol": protocol,
            "appData": app_data})
        return answer["id"]

    def consume_data(self, transport_id: str, data_producer_id: str) -> dict:
        return self._call("POST", f"/broadcasters/{self.id}/transports/{transport_id}/consume/data",
                          json={"dataProducerId": data_producer_id})


class DataBroadcaster:
    """A REST broadcaster with data channels, driven by a pymediasoup Device as the media
    broadcaster of test_aiortc_webrtc.py: the blocking REST calls run in a thread so aiortc keeps
    answering ICE, DTLS and SCTP meanwhile."""

    def __init__(self, server, room_id: str, display_name: str):
        self.server, self.room_id, self.display_name = server, room_id, display_name
        self.device = Device(handlerFactory=AiortcHandler.createFactory())
        self.api = None
        self.transports = []
        self.inboxes = collections.defaultdict(Inbox)

    async def join(self, router_rtp_capabilities: dict) -> None:
        await self.device.load(RtpCapabilities(**router_rtp_capabilities))
        capabilities = self.device.rtpCapabilities.model_dump(exclude_none=True)
        self.api = await asyncio.to_thread(
            DataBroadcasterApi, self.server, self.room_id, self.display_name, "aiortc", capabilities)

    async def create_transport(self, direction: str):
        """A send or receive WebRtcTransport with SCTP; returns it and the server's answer."""
        answer = await asyncio.to_thread(
            self.api.create_transport, type="webrtc",
            sctpCapabilities=self.device.sctpCapabilities.model_dump(exclude_none=True))
        create = self.device.createSendTransport if direction == "send" else self.device.createRecvTransport
        transport = create(
            id=answer["id"], iceParameters=answer["iceParameters"], dtlsParameters=answer["dtlsParameters"],
            iceCandidates=[c for c in answer["iceCandidates"] if c["protocol"] == "udp"],
            sctpParameters=SctpParameters(**answer["sctpParameters"]), iceServers=[])

        @transport.on("connect")
        async def connect(dtlsParameters):
            await asyncio.to_thread(
                self.api.connect, answer["id"], dtlsParameters=dtlsParameters.model_dump(exclude_none=True))

        async def produce_data(sctpStreamParameters, label, protocol, appData):
            return await asyncio.to_thread(
                self.api.produce_data, answer["id"], sctpStreamParameters.model_dump(exclude_none=True),
                label, protocol, appData)

        if direction == "send":
            transport.on("producedata", produce_data)
        self.transports.append(transport)
        return transport, answer

    async def consume_data(self, transport, data_producer_id: str, label: str):
        """`POST …/consume/data` and the matching negotiated channel; returns the answer and the
        open data consumer."""
        answer = await asyncio.to_thread(self.api.consume_data, transport.id, data_producer_id)
        data_consumer = await transport.consumeData(
            id=answer["id"], dataProducerId=data_producer_id,
            sctpStreamParameters=SctpStreamParameters(streamId=answer["streamId"], ordered=True),
            label=label, protocol="")
        data_consumer.on("message", self.inboxes[data_consumer.id].add)
        await opened(data_consumer)
        return answer, data_consumer

    async def close(self) -> None:
        for transport in self.transports:
            await transport.close()
        if self.api is not None:
            assert await asyncio.to_thread(self.api.delete) == "broadcaster deleted"
