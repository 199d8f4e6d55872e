"""A mediasoup-client peer (pymediasoup on aiortc) whose signalling is the REST broadcaster API."""
import asyncio

from pymediasoup import AiortcHandler, Device
from pymediasoup.rtp_parameters import RtpCapabilities

from broadcaster_api import BroadcasterApi


class MediasoupPeer:
    """One broadcaster driven by a pymediasoup Device. The blocking REST calls run in a thread so
    aiortc keeps answering ICE and DTLS meanwhile."""

    def __init__(self, server, room_id: str, display_name: str):
        self.server, self.room_id, self.display_name = server, room_id, display_name
        self.device = Device(handlerFactory=AiortcHandler.createFactory())
        self.api = None
        self.transports = []

    async def join(self, router_rtp_capabilities: dict) -> None:
        """Loads the device and joins as a broadcaster with the device's receive capabilities."""
        await self.device.load(RtpCapabilities(**router_rtp_capabilities))
        capabilities = self.device.rtpCapabilities.model_dump(exclude_none=True)
        self.api = await asyncio.to_thread(
            BroadcasterApi, self.server, self.room_id, self.display_name, "aiortc", capabilities)

    async def create_transport(self, direction: str, protocol: str = "udp"):
        """A send or receive WebRtcTransport offering only the server's `protocol` candidates.
        Returns the pymediasoup transport and the server's answer."""
        answer = await asyncio.to_thread(self.api.create_transport, type="webrtc")
        create = self.device.createSendTransport if direction == "send" else self.device.createRecvTransport
        # No ICE servers: host candidates meet on loopback, and None would make aiortc add a
        # public STUN server.
        transport = create(
            id=answer["id"], iceParameters=answer["iceParameters"], dtlsParameters=answer["dtlsParameters"],
            iceCandidates=[c for c in answer["iceCandidates"] if c["protocol"] == protocol],
            sctpParameters=None, iceServers=[])

        @transport.on("connect")
        async def connect(dtlsParameters):
            await asyncio.to_thread(
                self.api.connect, answer["id"], dtlsParameters=dtlsParameters.model_dump(exclude_none=True))

        async def produce(kind, rtpParameters, appData):
            return await asyncio.to_thread(
                self.api.produce, answer["id"], kind, rtpParameters.model_dump(exclude_none=True))

        if direction == "send":
            transport.on("produce", produce)
        self.transports.append(transport)
        return transport, answer

    async def consume(self, transport, producer_id: str):
        """Consumes `producer_id` on `transport`; returns the consumer answer and the track."""
        answer = await asyncio.to_thread(self.api.consume, transport.id, producer_id)
        consumer = await transport.consume(
            id=answer["id"], producerId=answer["producerId"], kind=answer["kind"],
            rtpParameters=answer["rtpParameters"])
        return answer, consumer.track

    async def close(self) -> None:
        for transport in self.transports:
            await transport.close()
        if self.api is not None:
            assert await asyncio.to_thread(self.api.delete) == "broadcaster deleted"
