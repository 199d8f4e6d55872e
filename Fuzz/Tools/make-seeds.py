#!/usr/bin/env python3
"""Writes the committed seed corpora for the STUN, RTP and RTCP fuzz targets.

Seeds are small valid messages: RFC test vectors where they exist, otherwise packets built
here field by field. The DTLS seeds come from Fuzz/Tools/dtls-flights.c instead (they need a
real handshake). Re-run after changing this file: python3 Fuzz/Tools/make-seeds.py
"""

import hashlib
import hmac
import os
import struct
import zlib

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Corpus")


def hexbytes(text):
    return bytes.fromhex("".join(text.split()))


def write(target, name, data):
    assert len(data) < 2048, f"{target}/{name} is {len(data)} bytes"
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


# --- STUN -------------------------------------------------------------------------------------

MAGIC = 0x2112A442
TRANSACTION_ID = bytes(range(1, 13))
SHORT_TERM_KEY = b"VOkJxbRl1RmTxUk/WvJxBt"  # RFC 5769, the key the fuzz target verifies with


def stun_attribute(attribute_type, value):
    padding = (4 - len(value) % 4) % 4
    return struct.pack("!HH", attribute_type, len(value)) + value + b"\0" * padding


def stun_message(message_type, attributes, integrity_key=None, fingerprint=False):
    body = b"".join(stun_attribute(t, v) for t, v in attributes)

    def header(length):
        return struct.pack("!HHI", message_type, length, MAGIC) + TRANSACTION_ID

    if integrity_key is not None:
        code = hmac.new(integrity_key, header(len(body) + 24) + body, hashlib.sha1).digest()
        body += stun_attribute(0x0008, code)
    if fingerprint:
        crc = zlib.crc32(header(len(body) + 8) + body) ^ 0x5354554E
        body += stun_attribute(0x8028, struct.pack("!I", crc))
    return header(len(body)) + body


def xor_address_v4(ip, port):
    address = struct.unpack("!I", bytes(ip))[0] ^ MAGIC
    return struct.pack("!BBHI", 0, 1, port ^ (MAGIC >> 16), address)


def xor_address_v6(ip16, port):
    key = struct.pack("!I", MAGIC) + TRANSACTION_ID
    return struct.pack("!BBH", 0, 2, port ^ (MAGIC >> 16)) + bytes(a ^ b for a, b in zip(ip16, key))


def channel_data(channel, payload, padded):
    message = struct.pack("!HH", channel, len(payload)) + payload
    return message + b"\0" * ((4 - len(payload) % 4) % 4 if padded else 0)


def stun_seeds():
    # RFC 5769 §2.1-2.4 and RFC 8489 Appendix B.1.
    write("STUN", "rfc5769-sample-request", hexbytes("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf"""))
    write("STUN", "rfc5769-ipv4-response", hexbytes("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96"""))
    write("STUN", "rfc5769-ipv6-response", hexbytes("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c"""))
    write("STUN", "rfc5769-long-term-request", hexbytes("""
        00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
        00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
        00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
        00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
        00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66"""))
    write("STUN", "rfc8489-sha256-request", hexbytes("""
        00 01 00 90 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
        00 1e 00 20 4a 3c f3 8f ef 69 92 bd a9 52 c6 78 04 17 da 0f
        24 81 94 15 56 9e 60 b2 05 c4 6e 41 40 7f 17 04
        00 15 00 29 6f 62 4d 61 74 4a 6f 73 32 41 41 41 43 66 2f 2f 34 39 39 6b
        39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41 00 00 00
        00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
        00 1d 00 04 00 02 00 00
        00 1c 00 20 b5 c7 bf 00 5b 6c 52 a2 1c 51 c5 e8 92 f8 19 24
        13 62 96 cb 92 7c 43 14 93 09 27 8c c6 51 8e 65"""))

    # ICE connectivity check as browsers send it: USERNAME, ICE-CONTROLLING, USE-CANDIDATE,
    # PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT.
    write("STUN", "ice-binding-request", stun_message(0x0001, [
        (0x0006, b"sfu1:browser1"),
        (0x802A, struct.pack("!Q", 0x1122334455667788)),
        (0x0025, b""),
        (0x0024, struct.pack("!I", 0x6E7F1EFF)),
    ], integrity_key=SHORT_TERM_KEY, fingerprint=True))

    # TURN (RFC 8656): an Allocate, its 401, a CreatePermission and a Send indication.
    write("STUN", "turn-allocate-request", stun_message(0x0003, [
        (0x0019, bytes([17, 0, 0, 0])),
        (0x000D, struct.pack("!I", 600)),
        (0x0017, bytes([0x01, 0, 0, 0])),
        (0x0018, b"\x80"),
        (0x001A, b""),
    ], fingerprint=True))
    write("STUN", "turn-401-response", stun_message(0x0113, [
        (0x0009, bytes([0, 0, 4, 1]) + b"Unauthorized"),
        (0x0014, b"example.org"),
        (0x0015, b"obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"),
        (0x8002, struct.pack("!HHHH", 2, 0, 1, 0)),
        (0x000A, struct.pack("!HH", 0x0420, 0x8000)),
    ], fingerprint=True))
    write("STUN", "turn-create-permission", stun_message(0x0008, [
        (0x0012, xor_address_v4([192, 0, 2, 1], 32853)),
        (0x0012, xor_address_v6(bytes.fromhex("20010db8123456780011223344556677"), 3478)),
        (0x0006, b"user"), (0x0014, b"example.org"), (0x0015, b"nonce"),
    ], integrity_key=SHORT_TERM_KEY))
    write("STUN", "turn-send-indication", stun_message(0x0016, [
        (0x0012, xor_address_v4([198, 51, 100, 7], 5000)),
        (0x0013, b"hello peer"),
    ]))
    write("STUN", "turn-allocate-success", stun_message(0x0103, [
        (0x0016, xor_address_v4([203, 0, 113, 5], 49152)),
        (0x0020, xor_address_v4([198, 51, 100, 1], 40000)),
        (0x000D, struct.pack("!I", 600)),
        (0x0022, struct.pack("!Q", 0x0102030405060708)),
        (0x8022, b"sfu-server"),
    ], integrity_key=SHORT_TERM_KEY, fingerprint=True))

    write("STUN", "channel-data-udp", channel_data(0x4001, b"\x80\x60\0\x01media", padded=False))
    write("STUN", "channel-data-tcp-padded", channel_data(0x7FFF, b"abcde", padded=True))
    # A TURN TCP stream: a request and two ChannelData frames back to back.
    write("STUN", "tcp-stream", stun_message(0x0004, [(0x000D, struct.pack("!I", 0))])
          + channel_data(0x4000, b"x", padded=True) + channel_data(0x4002, b"yyyy", padded=True))


# --- RTP --------------------------------------------------------------------------------------

def rtp_packet(payload_type, sequence, timestamp, ssrc, payload, marker=False, csrcs=(),
               extension=None, padding=0):
    first = 0x80 | (0x20 if padding else 0) | (0x10 if extension else 0) | len(csrcs)
    header = struct.pack("!BBHII", first, payload_type | (0x80 if marker else 0), sequence, timestamp, ssrc)
    header += b"".join(struct.pack("!I", c) for c in csrcs)
    if extension:
        profile, block = extension
        block += b"\0" * ((4 - len(block) % 4) % 4)
        header += struct.pack("!HH", profile, len(block) // 4) + block
    pad = (b"\0" * (padding - 1) + bytes([padding])) if padding else b""
    return header + payload + pad


def one_byte(elements):
    return 0xBEDE, b"".join(bytes([(i << 4) | (len(v) - 1)]) + v for i, v in elements)


def two_byte(elements):
    return 0x1000, b"".join(bytes([i, len(v)]) + v for i, v in elements)


VP8_KEY_FRAME = bytes([0x90, 0xE0, 0x81, 0x23, 0x45, 0x60,
                       0x50, 0x2A, 0x01, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01, 0x00])
VP9_KEY_FRAME = bytes([0xAA, 0x81, 0x02, 0x00, 0x05,
                       0x58, 0x01, 0x40, 0x00, 0xB4, 0x02, 0x80, 0x01, 0x68, 0x05, 0x00, 0x02, 0xD0,
                       0x01, 0x04, 0x01, 0xFF])
VP9_FLEXIBLE = bytes([0xFC, 0x05, 0x53, 0x03, 0x04, 0xEE])
H264_STAP_A = bytes([0x78, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F, 0x00, 0x02, 0x68, 0xCE,
                     0x00, 0x03, 0x65, 0x88, 0x84])
H264_FU_A_START = bytes([0x7C, 0x85, 0xB8, 0x00, 0x11, 0x22])
OPUS_FRAME = bytes([0x78, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07])
OPUS_CODE3 = bytes([0x7B, 0x83, 0x10, 0x11, 0x12])


def rtp_seeds():
    # Captured Chrome headers (also in Tests/SFUTests/RTP/RtpTestBytes.swift).
    write("RTP", "chrome-one-byte-extensions", hexbytes("""
        90 2D 1A 5F D4 09 05 49 F7 B1 6E 83 BE DE 00 03 22 F3 43 50
        41 00 9B D2 81 00 45 00 DE AD BE EF"""))
    write("RTP", "two-byte-extensions", hexbytes("""
        90 2D 61 C5 95 0A 0F EE 8D 38 14 E5 10 00 00 11 02 03 03 F7 AE
        04 02 00 02 09 01 30 03 01 00 06 01 02
        07 0D 01 00 01 00 07 00 07 00 0A 00 00 00 00
        0D 21 C0 00 01 80 03 18 7A AA F1 30 A0 A0 14 D1
        41 38 23 04 60 08 64 22 22 26 50 09 F0 07 70 13 F0 0E F0"""))
    write("RTP", "vp8-key-frame-everything", rtp_packet(
        96, 1, 2, 3, VP8_KEY_FRAME, marker=True, csrcs=(7, 8),
        extension=one_byte([(1, b"video0"), (5, struct.pack("!H", 9)), (2, b"\x12\x34\x56"), (4, b"\x01"),
                            (13, b"\x80")]),
        padding=5))
    write("RTP", "vp9-key-frame-ss", rtp_packet(98, 100, 9000, 0x1234, VP9_KEY_FRAME, marker=False,
                                                extension=one_byte([(3, b"\x00\x01"), (10, b"h")])))
    write("RTP", "vp9-flexible", rtp_packet(98, 101, 9000, 0x1234, VP9_FLEXIBLE, marker=True))
    write("RTP", "h264-stap-a", rtp_packet(102, 7, 90000, 0xAABBCCDD, H264_STAP_A,
                                           extension=two_byte([(1, b"0"), (20, b"abc"), (2, b"")])))
    write("RTP", "h264-fu-a-idr-start", rtp_packet(102, 8, 90000, 0xAABBCCDD, H264_FU_A_START))
    write("RTP", "opus-audio-level", rtp_packet(111, 42, 960, 0x5555, OPUS_FRAME, marker=True,
                                                extension=one_byte([(1, b"\xAA"), (5, b"\x00\x2A")])))
    write("RTP", "opus-code3", rtp_packet(111, 43, 1920, 0x5555, OPUS_CODE3))
    write("RTP", "opus-dtx", rtp_packet(111, 44, 2880, 0x5555, b"\xF8"))
    # RTX (RFC 4588): original sequence number 0x1234 in front of a VP8 payload, with padding
    # as a bandwidth probe.
    write("RTP", "rtx-with-padding", rtp_packet(97, 500, 2, 0x9999, b"\x12\x34" + VP8_KEY_FRAME,
                                                extension=one_byte([(5, b"\x00\x01")]), padding=16))
    write("RTP", "padding-only-probe", rtp_packet(97, 501, 3, 0x9999, b"", padding=200))


# --- RTCP -------------------------------------------------------------------------------------

def rtcp(count, packet_type, body, padding=0):
    body += b"\0" * ((4 - len(body) % 4) % 4)
    if padding:
        body += b"\0" * (padding - 1) + bytes([padding])
    return struct.pack("!BBH", 0x80 | (0x20 if padding else 0) | count, packet_type, len(body) // 4) + body


def report_block(ssrc, fraction, lost, highest, jitter=0, lsr=0, dlsr=0):
    return struct.pack("!IB", ssrc, fraction) + (lost & 0xFFFFFF).to_bytes(3, "big") + struct.pack(
        "!IIII", highest, jitter, lsr, dlsr)


def rtcp_seeds():
    sender_report = rtcp(1, 200, struct.pack("!IIIIII", 0x1111, 0xE2000000, 0x80000000, 90000, 10, 1200)
                         + report_block(0x2222, 8, -9 & 0xFFFFFF, 0x10010, 20, 0x1234, 0x10))
    receiver_report = rtcp(2, 201, struct.pack("!I", 0x3333) + report_block(0x1111, 0, 0, 5)
                           + report_block(0x2222, 255, 3, 0x20000))
    cname = b"\x01\x0auser@host1" + b"\x00"
    sdes = rtcp(2, 202, struct.pack("!I", 0x1111) + cname + b"\0" * ((4 - len(cname) % 4) % 4)
                + struct.pack("!I", 0x2222) + b"\x02\x03bob\x06\x04tool\x00\x00")
    bye = rtcp(2, 203, struct.pack("!II", 0x1111, 0x2222) + b"\x07leaving")
    write("RTCP", "sr-sdes-bye", sender_report + sdes + bye)
    write("RTCP", "rr-sdes", receiver_report + sdes)
    write("RTCP", "app", rtcp(3, 204, struct.pack("!I", 0x1111) + b"ABCD" + b"data\x01\x02\x03", padding=4))
    write("RTCP", "xr-unknown", rtcp(0, 207, struct.pack("!I", 0x1111) + bytes([4, 0, 0, 2]) + bytes(8)))

    # Transport-layer feedback (205): generic NACK, FMT 1, two FCI entries.
    write("RTCP", "generic-nack", rtcp(1, 205, struct.pack("!IIHHHH", 0x1111, 0x2222, 100, 0b1010, 200, 0)))
    # Payload-specific feedback (206): PLI (FMT 1), FIR (FMT 4), REMB (FMT 15 "REMB").
    write("RTCP", "pli", rtcp(1, 206, struct.pack("!II", 0x1111, 0x2222)))
    write("RTCP", "fir", rtcp(4, 206, struct.pack("!IIIBBH", 0x1111, 0, 0x2222, 3, 0, 0)))
    exponent, mantissa = 3, 187500  # 1.5 Mbit/s
    write("RTCP", "remb", rtcp(15, 206, struct.pack("!II", 0x1111, 0) + b"REMB"
                               + bytes([2, (exponent << 2) | (mantissa >> 16)]) + struct.pack("!H", mantissa & 0xFFFF)
                               + struct.pack("!II", 0x2222, 0x3333)))

    # Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-
    # extensions-01), FMT 15: base sequence 10, 20 packets. A run-length chunk of 4 "small
    # delta", a two-bit status vector chunk of 7 (small, not received, large, small x4) and a
    # one-bit status vector chunk of 9 (received/not received).
    chunks = [
        (0 << 15) | (1 << 13) | 4,
        (1 << 15) | (1 << 14) | (1 << 12) | (0 << 10) | (2 << 8) | (1 << 6) | (1 << 4) | (1 << 2) | 1,
        (1 << 15) | (0 << 14) | 0b10110111011000,
    ]
    deltas = bytes([4, 8, 0, 250]) + bytes([1]) + struct.pack("!h", -100) + bytes([2, 3, 4, 5])
    one_bit_received = bin(0b10110111011000)[2:].zfill(14)[:9].count("1")  # only 9 of 14 count
    deltas += bytes([6] * one_bit_received)
    twcc = struct.pack("!IIHH", 0x1111, 0x2222, 10, 20) + (1000).to_bytes(3, "big") + bytes([7])
    twcc += b"".join(struct.pack("!H", c) for c in chunks) + deltas
    write("RTCP", "transport-cc", rtcp(15, 205, twcc))
    # A reduced-size (RFC 5506) datagram mixing feedback, as Chrome sends it.
    write("RTCP", "feedback-mix", rtcp(1, 206, struct.pack("!II", 0x1111, 0x2222))
          + rtcp(1, 205, struct.pack("!IIHH", 0x1111, 0x2222, 65535, 0xFFFF)) + receiver_report)


if __name__ == "__main__":
    stun_seeds()
    rtp_seeds()
    rtcp_seeds()
