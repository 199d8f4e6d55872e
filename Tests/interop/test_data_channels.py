"""Data channels with real third-party peers: pymediasoup (mediasoup-client on aiortc) peers over
protoo exchange chat messages through the server both ways — strings, binary and empty, on an
ordered and on an unordered partially reliable channel, a 200 000-byte message intact — and talk to
the room bot; a REST broadcaster produces and consumes data over its WebRTC transports; and a peer
sending on streams that have no data producer, or a malformed DCEP message, disturbs nobody."""
import asyncio
import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from broadcaster_api import BroadcasterApi
from conftest import free_udp_and_tcp_port
from data_channel_peers import DataBroadcaster, DataRoomClient, opened

pytestmark = pytest.mark.usefixtures("loopback_host_candidates")

BIG = bytes(index * 7 % 251 for index in range(200_000))
SCTP_PARAMETERS = {"port": 5000, "maxMessageSize": 262144}
WEBRTC_DCEP = 50
WEBRTC_BINARY = 53


def chat_messages(sender: str) -> list:
    """What each peer sends on its ordered chat channel, in this order."""
    return [f"hello from {sender}", f"{sender} ünïcødé ✓".encode(), "", BIG, f"{sender} after the big one"]


async def exchange(sender_channel, receiver, receiver_consumer, messages: list) -> list:
    inbox = receiver.inbox_of(receiver_consumer)
    already = len(inbox.messages)
    for message in messages:
        sender_channel.send(message)
    received = await inbox.wait_for(already + len(messages), timeout=15)
    return received[already:]


def assert_same_messages(received: list, sent: list) -> None:
    """Same messages, same order, and strings stay strings and binary stays binary."""
    assert [type(message) for message in received] == [type(message) for message in sent]
    for index, (got, expected) in enumerate(zip(received, sent)):
        assert got == expected, f"message {index}: {len(got)} bytes/chars received, {len(expected)} sent"


def assert_offer(offer: dict, peer_id, label: str, **stream) -> None:
    assert offer["peerId"] == peer_id
    assert offer["label"] == label
    assert offer["protocol"] == ""
    for key, value in stream.items():
        assert offer["sctpStreamParameters"].get(key) == value, (key, offer["sctpStreamParameters"])


def assert_sctp_parameters(answer: dict) -> None:
    parameters = answer["sctpParameters"]
    assert {key: parameters[key] for key in SCTP_PARAMETERS} == SCTP_PARAMETERS
    assert parameters["OS"] >= 1 and parameters["MIS"] >= 1


def start_data_server(start_server):
    # A WebRtcServer on free ports: other servers may be running on this machine.
    return start_server(env={"MEDIASOUP_NUM_WORKERS": "1", "SFU_WEBRTC_SERVER_PORT": str(free_udp_and_tcp_port())})


# 1. Two protoo peers ----------------------------------------------------------------------------


async def two_peer_chat(server) -> None:
    alice = DataRoomClient(server, "data-chat", "alice", "Alice")
    bob = DataRoomClient(server, "data-chat", "bob", "Bob")
    try:
        await alice.join()
        await bob.join()
        assert [peer["id"] for peer in bob.joined["peers"]] == ["alice"]
        for peer in (alice, bob):
            assert_sctp_parameters(peer.send_transport.answer)
            assert_sctp_parameters(peer.recv_transport.answer)

        # Ordered chat both ways.
        alice_chat = await alice.produce_data("chat")
        bob_chat = await bob.produce_data("chat")
        bob_hears_alice = await bob.data_consumer_of(alice_chat.id)
        alice_hears_bob = await alice.data_consumer_of(bob_chat.id)
        assert_offer(bob.offers[bob_hears_alice.id], "alice", "chat", ordered=True)
        assert_offer(alice.offers[alice_hears_bob.id], "bob", "chat", ordered=True)
        assert bob_hears_alice.sctpStreamParameters.streamId is not None

        assert_same_messages(await exchange(alice_chat, bob, bob_hears_alice, chat_messages("alice")),
                             chat_messages("alice"))
        assert_same_messages(await exchange(bob_chat, alice, alice_hears_bob, chat_messages("bob")),
                             chat_messages("bob"))

        # An unordered channel without retransmissions; on loopback nothing is lost, and order
        # is not promised.
        alice_lossy = await alice.produce_data("chat", ordered=False, maxRetransmits=0)
        bob_lossy = await bob.produce_data("chat", ordered=False, maxRetransmits=0)
        bob_hears_alice_lossy = await bob.data_consumer_of(alice_lossy.id)
        alice_hears_bob_lossy = await alice.data_consumer_of(bob_lossy.id)
        for offer in (bob.offers[bob_hears_alice_lossy.id], alice.offers[alice_hears_bob_lossy.id]):
            assert offer["sctpStreamParameters"]["ordered"] is False
            assert offer["sctpStreamParameters"]["maxRetransmits"] == 0
        for sender, channel, receiver, consumer in ((alice, alice_lossy, bob, bob_hears_alice_lossy),
                                                    (bob, bob_lossy, alice, alice_hears_bob_lossy)):
            sent = [f"{sender.peer_id} unordered {index}" for index in range(10)]
            sent += [f"{sender.peer_id} binary {index}".encode() for index in range(10)]
            received = await exchange(channel, receiver, consumer, sent)
            assert sorted(received, key=repr) == sorted(sent, key=repr)
        # An unordered channel with a packet lifetime instead.
        alice_timed = await alice.produce_data("chat", ordered=False, maxPacketLifeTime=500)
        bob_hears_alice_timed = await bob.data_consumer_of(alice_timed.id)
        timed_offer = bob.offers[bob_hears_alice_timed.id]["sctpStreamParameters"]
        assert (timed_offer["ordered"], timed_offer["maxPacketLifeTime"]) == (False, 500)
        assert timed_offer.get("maxRetransmits") is None
        sent = [f"timed {index}" for index in range(5)]
        assert sorted(await exchange(alice_timed, bob, bob_hears_alice_timed, sent)) == sent
        # The ordered channel still delivers after the unordered ones were used.
        assert await exchange(alice_chat, bob, bob_hears_alice, ["still ordered"]) == ["still ordered"]

        # The bot: each peer was offered the bot's data producer at join (peerId null), and
        # answers text on a peer's `bot` channel to everyone.
        alice_bot_inbox = alice.inbox_of(await alice.data_consumer_of("bot"))
        bob_bot_inbox = bob.inbox_of(await bob.data_consumer_of("bot"))
        bot_offer = next(offer for offer in alice.offers.values() if offer["peerId"] is None)
        assert_offer(bot_offer, None, "bot")
        assert bot_offer["dataProducerId"] == next(
            offer for offer in bob.offers.values() if offer["peerId"] is None)["dataProducerId"]
        alice_bot = await alice.produce_data("bot")
        bob_bot = await bob.produce_data("bot")
        # As the demo's bot, texts over 512 bytes, empty texts and binary are not answered.
        alice_bot.send("x" * 513)
        alice_bot.send("")
        alice_bot.send(b"binary")
        alice_bot.send("hi bot")
        bob_bot.send("ünïcødé bot")
        for inbox in (alice_bot_inbox, bob_bot_inbox):
            await inbox.wait_until(lambda message: message == 'Alice told me: "hi bot"')
            await inbox.wait_until(lambda message: message == 'Bob told me: "ünïcødé bot"')
        assert [message for message in alice_bot_inbox.messages if "Alice" in message] == ['Alice told me: "hi bot"']
        # A `bot` data producer is the bot's, not offered to the other peers.
        assert alice_bot.id not in bob.data_consumers and bob_bot.id not in alice.data_consumers

        # Stats count what went through.
        [producer_stats] = await alice.protoo.request("getDataProducerStats", {"dataProducerId": alice_chat.id})
        assert producer_stats["type"] == "data-producer" and producer_stats["label"] == "chat"
        assert producer_stats["messagesReceived"] == len(chat_messages("alice")) + 1
        assert producer_stats["bytesReceived"] >= len(BIG)
        [consumer_stats] = await bob.protoo.request("getDataConsumerStats", {"dataConsumerId": bob_hears_alice.id})
        assert consumer_stats["type"] == "data-consumer" and consumer_stats["label"] == "chat"
        assert consumer_stats["messagesSent"] == len(chat_messages("alice")) + 1
        assert consumer_stats["bytesSent"] >= len(BIG)

        # Alice's socket closes: Bob's consumers of her data producers close.
        await alice.protoo.close()
        for consumer in (bob_hears_alice, bob_hears_alice_lossy):
            await bob.protoo.wait_for("dataConsumerClosed", lambda data, id=consumer.id: data["dataConsumerId"] == id)
        await bob.protoo.wait_for("peerClosed", lambda data: data["peerId"] == "alice")
        # Bob's own bot still answers him.
        bob_bot.send("alone")
        await bob_bot_inbox.wait_until(lambda message: message == 'Bob told me: "alone"')
        assert not alice.protoo.failures and not bob.protoo.failures
    finally:
        for peer in (alice, bob):
            await peer.close()


def test_two_protoo_peers_chat_both_ways_and_talk_to_the_bot(start_server):
    server = start_data_server(start_server)
    asyncio.run(two_peer_chat(server))


# 2. A REST broadcaster and a protoo peer --------------------------------------------------------


async def broadcaster_chat(server) -> None:
    capabilities = await asyncio.to_thread(BroadcasterApi.router_rtp_capabilities, server, "data-rest")
    carol = DataRoomClient(server, "data-rest", "carol", "Carol")
    caster = DataBroadcaster(server, "data-rest", "Caster")
    try:
        await carol.join()
        await caster.join(capabilities)

        # The broadcaster produces: Carol is offered its data producer and receives.
        send_transport, send_answer = await caster.create_transport("send")
        assert_sctp_parameters(send_answer)
        caster_chat = await send_transport.produceData(label="chat", protocol="")
        await opened(caster_chat)
        carol_hears_caster = await carol.data_consumer_of(caster_chat.id)
        assert_offer(carol.offers[carol_hears_caster.id], caster.api.id, "chat", ordered=True)
        sent = ["from the broadcaster", b"\x00\x01\x02\xff", BIG]
        assert_same_messages(await exchange(caster_chat, carol, carol_hears_caster, sent), sent)

        # The broadcaster consumes Carol's data producer through POST …/consume/data.
        carol_chat = await carol.produce_data("chat")
        recv_transport, recv_answer = await caster.create_transport("recv")
        assert_sctp_parameters(recv_answer)
        answer, caster_hears_carol = await caster.consume_data(recv_transport, carol_chat.id, "chat")
        assert set(answer) == {"id", "streamId"} and isinstance(answer["streamId"], int)
        sent = ["to the broadcaster", b"binary for the broadcaster", BIG]
        inbox = caster.inboxes[caster_hears_carol.id]
        for message in sent:
            carol_chat.send(message)
        assert_same_messages(await inbox.wait_for(len(sent), timeout=15), sent)

        # The broadcaster's `bot` channel is answered under its display name to everyone.
        carol_bot_inbox = carol.inbox_of(await carol.data_consumer_of("bot"))
        caster_bot = await send_transport.produceData(label="bot", protocol="")
        await opened(caster_bot)
        caster_bot.send("hello bot")
        await carol_bot_inbox.wait_until(lambda message: message == 'Caster told me: "hello bot"')

        # Deleting the broadcaster closes Carol's consumer of its chat.
        for transport in caster.transports:
            await transport.close()
        caster.transports = []
        await caster.close()
        caster.api = None
        await carol.protoo.wait_for("dataConsumerClosed", lambda data: data["dataConsumerId"] == carol_hears_caster.id)
        assert not carol.protoo.failures
    finally:
        await caster.close()
        await carol.close()


def test_rest_broadcaster_produces_and_consumes_data(start_server):
    server = start_data_server(start_server)
    asyncio.run(broadcaster_chat(server))


# 3. Messages the server has no data producer for ------------------------------------------------


def dropped_messages(server) -> float:
    response = server.get("/metrics")
    assert response.status_code == 200, response.text
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == "sfu_sctp_dropped_messages_total":
                return sample.value
    return 0.0


async def eventually_dropped(server, at_least: float, timeout: float = 10) -> float:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        dropped = await asyncio.to_thread(dropped_messages, server)
        if dropped >= at_least or asyncio.get_running_loop().time() > deadline:
            return dropped
        await asyncio.sleep(0.1)


async def stray_streams(server) -> None:
    peers = [DataRoomClient(server, "data-stray", name.lower(), name) for name in ("Alice", "Bob", "Mallory")]
    alice, bob, mallory = peers
    try:
        for peer in peers:
            await peer.join()
        chats = {peer.peer_id: await peer.produce_data("chat") for peer in peers}
        hears = {(listener.peer_id, speaker.peer_id): await listener.data_consumer_of(chats[speaker.peer_id].id)
                 for listener in peers for speaker in peers if listener is not speaker}
        dropped_before = await asyncio.to_thread(dropped_messages, server)

        # Mallory opens channels the server was never told about over her send transport's
        # association: a negotiated one on stream 999 and one opened in-band (DCEP), which the
        # server acknowledges; what she sends on them has no data producer.
        pc = mallory.send_transport.handler.pc
        stray = pc.createDataChannel("stray", negotiated=True, id=999)
        in_band = pc.createDataChannel("in-band")
        await asyncio.wait_for(opened_channel(stray), 10)
        await asyncio.wait_for(opened_channel(in_band), 10)
        assert in_band.id is not None and in_band.id != 999
        stray_messages = ["nobody listens", b"\x00" * 1000, "", BIG]
        for channel in (stray, in_band):
            for message in stray_messages:
                channel.send(message)
        # A malformed DCEP message (an unknown message type) on a stream of its own.
        await pc.sctp._send(998, WEBRTC_DCEP, b"\x7fnot dcep")
        expected = 2 * len(stray_messages) + 1
        dropped_after = await eventually_dropped(server, dropped_before + expected)
        assert dropped_after == dropped_before + expected
        # Nobody was offered anything for them.
        for listener in (alice, bob):
            assert all(offer["peerId"] != "mallory" or offer["dataProducerId"] == chats["mallory"].id
                       for offer in listener.offers.values())

        # Everyone's chat still works, Mallory's included.
        for speaker in peers:
            listeners = [listener for listener in peers if listener is not speaker]
            inboxes = [listener.inbox_of(hears[(listener.peer_id, speaker.peer_id)]) for listener in listeners]
            assert all(not inbox.messages for inbox in inboxes), [inbox.messages for inbox in inboxes]
            sent = [f"{speaker.peer_id} still chats", f"{speaker.peer_id} in binary".encode()]
            for message in sent:
                chats[speaker.peer_id].send(message)
            for inbox in inboxes:
                assert_same_messages(await inbox.wait_for(len(sent)), sent)
        response = await asyncio.to_thread(server.get, "/metrics")
        assert response.status_code == 200
        assert not any(peer.protoo.failures for peer in peers)
    finally:
        for peer in peers:
            await peer.close()


async def opened_channel(channel) -> None:
    """Waits for a bare aiortc RTCDataChannel to open."""
    while channel.readyState != "open":
        await asyncio.sleep(0.02)


def test_messages_without_a_data_producer_are_dropped_and_disturb_nobody(start_server):
    server = start_data_server(start_server)
    asyncio.run(stray_streams(server))
    log = server.output()
    assert not re.search(r"\b(critical|fatal error)\b", log, re.IGNORECASE), log[-3000:]


# 4. Server bugs found by these tests (fail until fixed; last in the file so `-x` runs the rest) --


async def empty_messages(server) -> None:
    alice = DataRoomClient(server, "data-empty", "alice")
    bob = DataRoomClient(server, "data-empty", "bob")
    try:
        await alice.join()
        await bob.join()
        alice_chat = await alice.produce_data("chat")
        bob_hears_alice = await bob.data_consumer_of(alice_chat.id)
        sent = [b"", "", b"", "x", b""]
        assert_same_messages(await exchange(alice_chat, bob, bob_hears_alice, sent), sent)
    finally:
        for peer in (alice, bob):
            await peer.close()


def test_empty_binary_and_empty_string_messages_keep_their_type(start_server):
    """RFC 8831 §6.6: an empty message goes as PPID 56 (string) or 57 (binary) with one byte,
    and the receiver gets an empty string or an empty binary message accordingly."""
    server = start_data_server(start_server)
    asyncio.run(empty_messages(server))


async def oversized_message(server) -> None:
    alice = DataRoomClient(server, "data-oversized", "alice")
    bob = DataRoomClient(server, "data-oversized", "bob")
    try:
        await alice.join()
        await bob.join()
        alice_chat = await alice.produce_data("chat")
        bob_hears_alice = await bob.data_consumer_of(alice_chat.id)
        dropped_before = await asyncio.to_thread(dropped_messages, server)
        # aiortc refuses to send a message over the negotiated maxMessageSize through the
        # channel, so this one goes through its SCTP transport on the chat channel's stream.
        oversized = b"\xee" * (SCTP_PARAMETERS["maxMessageSize"] + 40_000)
        sctp = alice.send_transport.handler.pc.sctp
        await sctp._send(alice_chat.sctpStreamParameters.streamId, WEBRTC_BINARY, oversized)
        assert await eventually_dropped(server, dropped_before + 1) >= dropped_before + 1
        # None of it reaches Bob; the next message does.
        alice_chat.send("after the oversized one")
        inbox = bob.inbox_of(bob_hears_alice)
        await inbox.wait_until(lambda message: message == "after the oversized one")
        received = [f"{type(message).__name__} of {len(message)}" for message in inbox.messages]
        assert received == ["str of 23"], "only the message after the oversized one arrives"
    finally:
        for peer in (alice, bob):
            await peer.close()


def test_a_message_over_max_message_size_is_dropped_whole(start_server):
    server = start_data_server(start_server)
    asyncio.run(oversized_message(server))
