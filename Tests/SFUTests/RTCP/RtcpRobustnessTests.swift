import NIOCore
import XCTest

@testable import SFU

/// The RTCP parser must never trap: truncations, random and corrupted datagrams either parse or
/// fail with a typed error. Whatever parses can be written back and reads the same (or is
/// refused with `cannotSerialize`, e.g. a lossily decoded BYE reason grown past 255 bytes).
final class RtcpRobustnessTests: XCTestCase {
    private static let samples: [[UInt8]] = {
        let compound = RtcpCompoundPacket([
            .senderReport(SenderReport(
                ssrc: 1, ntpSeconds: 2, ntpFraction: 3, rtpTimestamp: 4, packetCount: 5, octetCount: 6,
                reportBlocks: [ReportBlock(ssrc: 7, fractionLost: 8, totalLost: -9, highestSequenceNumber: 10)])),
            .receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [ReportBlock(ssrc: 2)])),
            .sourceDescription(Sdes(chunks: [Sdes.Chunk(ssrc: 1, cname: "cname"), Sdes.Chunk(ssrc: 2, items: [])])),
            .goodbye(Bye(ssrcs: [1, 2], reason: "bye")),
            .applicationDefined(ApplicationDefined(subtype: 1, ssrc: 1, name: 0x4142_4344, data: RtpTestBytes.buffer([1, 2, 3]))),
            .genericNack(GenericNack(senderSsrc: 1, mediaSsrc: 2, lostSequenceNumbers: [1, 3, 40])),
            .pictureLossIndication(PictureLossIndication(senderSsrc: 1, mediaSsrc: 2)),
            .fullIntraRequest(FullIntraRequest(senderSsrc: 1, entries: [.init(ssrc: 2, sequenceNumber: 3)])),
            .remb(Remb(senderSsrc: 1, bitrate: 1_500_000, ssrcs: [2, 3])),
            .unknown(UnknownRtcpPacket(count: 0, packetType: 207, body: RtpTestBytes.buffer([0, 0, 0, 1]))),
        ])
        let feedback = try? TransportWideCcFeedback(
            senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 3,
            packets: [(10, 64_000), (11, nil), (12, 200_000), (13, 199_000)] + (14..<30).map { (UInt16($0), Int64($0) * 10_000) })
        var bytes = (try? compound.serialized()).map(RtpTestBytes.bytes) ?? []
        if let feedback, let twcc = try? RtcpPacket.transportWideCcFeedback(feedback).serialized() {
            bytes += RtpTestBytes.bytes(twcc)
        }
        return [bytes]
    }()

    private func exercise(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        let compound: RtcpCompoundPacket
        do {
            compound = try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(bytes))
        } catch {
            _ = error.description
            return
        }
        for packet in compound.packets {
            switch packet {
            case .transportWideCcFeedback(let feedback): _ = feedback.packetResults
            case .genericNack(let nack): _ = nack.lostSequenceNumbers
            case .sourceDescription(let sdes): _ = sdes.chunks.map(\.cname)
            default: break
            }
        }
        do {
            let rewritten = try compound.serialized()
            XCTAssertEqual(try RtcpCompoundPacket(parsing: rewritten), compound, file: file, line: line)
        } catch {
            guard case .cannotSerialize = error else {
                return XCTFail("unexpected \(error) re-reading a written packet", file: file, line: line)
            }
        }
    }

    func testSampleCoversEveryPacketType() throws {
        let compound = try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(Self.samples[0]))
        XCTAssertEqual(compound.packets.count, 11)
        XCTAssertEqual(Set(compound.packets.map(\.packetType)), [200, 201, 202, 203, 204, 205, 206, 207])
    }

    func testEveryTruncationOfAValidCompoundIsHandled() {
        for sample in Self.samples {
            for length in 0...sample.count {
                exercise(Array(sample.prefix(length)))
            }
        }
    }

    func testTenThousandRandomDatagramsNeverTrap() {
        var generator = RtpTestBytes.SeededGenerator(seed: 0x5EED_0003)
        for _ in 0..<10_000 {
            let words = Int.random(in: 1...12, using: &generator)
            var bytes = (0..<(4 * words)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Give most datagrams a plausible header so the body parsers are reached.
            if Int.random(in: 0..<4, using: &generator) != 0 {
                bytes[0] = 0x80 | (bytes[0] & 0x3F)
                bytes[1] = UInt8.random(in: 200...207, using: &generator)
                bytes[2] = 0
                bytes[3] = UInt8(words - 1)
            }
            exercise(bytes)
        }
    }

    func testTenThousandCorruptedValidDatagramsNeverTrap() {
        var generator = RtpTestBytes.SeededGenerator(seed: 0x5EED_0004)
        for _ in 0..<10_000 {
            var bytes = Self.samples.randomElement(using: &generator) ?? []
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            exercise(bytes)
        }
    }
}
