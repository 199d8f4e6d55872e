"""How fast a TURN server sets up and tears down allocations, as browsers ask for them: an
unauthenticated Allocate answered 401 with a nonce, the Allocate again with long-term credentials,
and a Refresh with lifetime 0 when done. Many clients at once, each allocation from a new UDP
socket; used by bench-turn.py."""
import asyncio
import hashlib
import hmac
import os
import struct

MAGIC_COOKIE = 0x2112A442
ALLOCATE, REFRESH = 0x0003, 0x0004
SUCCESS, ERROR = 0x0100, 0x0110
USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, LIFETIME = 0x0006, 0x0008, 0x0009, 0x000D
REALM_ATTRIBUTE, NONCE, REQUESTED_TRANSPORT = 0x0014, 0x0015, 0x0019
UDP = 17


def attribute(kind, value):
    return struct.pack("!HH", kind, len(value)) + value + b"\0" * (-len(value) % 4)


def message(method, transaction, attributes, key=None):
    body = b"".join(attribute(kind, value) for kind, value in attributes)
    if key is None:
        return struct.pack("!HHI", method, len(body), MAGIC_COOKIE) + transaction + body
    # MESSAGE-INTEGRITY covers the header with the length already counting itself (RFC 8489 §14.5).
    header = struct.pack("!HHI", method, len(body) + 24, MAGIC_COOKIE) + transaction
    integrity = hmac.new(key, header + body, hashlib.sha1).digest()
    return header + body + attribute(MESSAGE_INTEGRITY, integrity)


def parse(datagram):
    kind, length, _ = struct.unpack_from("!HHI", datagram)
    transaction = datagram[8:20]
    attributes, offset = {}, 20
    while offset + 4 <= 20 + length:
        attribute_kind, size = struct.unpack_from("!HH", datagram, offset)
        attributes.setdefault(attribute_kind, datagram[offset + 4:offset + 4 + size])
        offset += 4 + size + (-size % 4)
    return kind, transaction, attributes


class Client(asyncio.DatagramProtocol):
    """One UDP socket with one request outstanding at a time, retransmitted until answered."""

    def __init__(self):
        self.transport = None
        self.waiting = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, address):
        if self.waiting and not self.waiting[1].done() and len(data) >= 20:
            kind, transaction, attributes = parse(data)
            if transaction == self.waiting[0]:
                self.waiting[1].set_result((kind, attributes))

    async def request(self, method, attributes, key=None):
        transaction = os.urandom(12)
        self.waiting = (transaction, asyncio.get_running_loop().create_future())
        datagram = message(method, transaction, attributes, key)
        for timeout in [0.5, 1, 2, 4]:
            self.transport.sendto(datagram)
            try:
                return await asyncio.wait_for(asyncio.shield(self.waiting[1]), timeout)
            except asyncio.TimeoutError:
                continue
        raise RuntimeError(f"no answer to TURN method {method:#06x}")


async def allocate_and_release(port, user, password, client_ip, sockets):
    """One allocation from a new socket, as a browser gathers candidates. The socket stays open
    (in `sockets`) until the run ends: a server may keep a released allocation's 5-tuple for a
    while (coturn answers 437 to an Allocate on it), and the kernel would hand its port out again."""
    loop = asyncio.get_running_loop()
    transport, client = await loop.create_datagram_endpoint(
        Client, local_addr=(client_ip, 0), remote_addr=("127.0.0.1", port))
    sockets.append(transport)
    requested = (REQUESTED_TRANSPORT, bytes([UDP, 0, 0, 0]))
    kind, attributes = await client.request(ALLOCATE, [requested])
    if kind != ALLOCATE | ERROR or struct.unpack_from("!H", attributes[ERROR_CODE], 2)[0] & 0x7FF != 0x401:
        raise RuntimeError(f"the unauthenticated Allocate got {kind:#06x} {attributes.get(ERROR_CODE)}, not 401")
    realm, nonce = attributes[REALM_ATTRIBUTE], attributes[NONCE]
    key = hashlib.md5(f"{user}:{realm.decode()}:{password}".encode()).digest()
    credentials = [(USERNAME, user.encode()), (REALM_ATTRIBUTE, realm), (NONCE, nonce)]
    kind, attributes = await client.request(ALLOCATE, [requested, *credentials], key)
    if kind != ALLOCATE | SUCCESS:
        raise RuntimeError(f"the Allocate with credentials got {kind:#06x} {attributes.get(ERROR_CODE)}")
    kind, attributes = await client.request(REFRESH, [(LIFETIME, struct.pack("!I", 0)), *credentials], key)
    if kind != REFRESH | SUCCESS:
        raise RuntimeError(f"the Refresh to lifetime 0 got {kind:#06x} {attributes.get(ERROR_CODE)}")


async def keep_allocating(port, user, password, client_ip, rounds, sockets):
    for _ in range(rounds):
        await allocate_and_release(port, user, password, client_ip, sockets)


def run(port, user, password, client_ip="127.0.0.1", clients=50, rounds=20):
    """Makes and releases `clients * rounds` allocations, `clients` at a time, from `client_ip` (a
    loopback address; another one for each run against the same server keeps the 5-tuples new);
    answers how many."""
    async def everyone():
        sockets = []
        try:
            await asyncio.gather(*(keep_allocating(port, user, password, client_ip, rounds, sockets) for _ in range(clients)))
        finally:
            for transport in sockets:
                transport.close()
    asyncio.run(everyone())
    return clients * rounds
