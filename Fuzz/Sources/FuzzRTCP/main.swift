import NIOCore
import SFU

// libFuzzer target for a compound RTCP datagram as received from a producer or consumer
// (after SRTCP): parsing, the derived views the SFU acts on (NACKed sequence numbers,
// transport-cc results, CNAMEs), and serialization.
//
// Beyond "never traps", whatever parses must write back to bytes that parse to the same
// packets, or be refused with `.cannotSerialize` (a value the decoder accepted but the writer
// cannot represent), which is what RtcpRobustnessTests also demands.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRtcp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = ByteBuffer(bytes: UnsafeRawBufferPointer(start: data, count: size))
    _ = RtcpHeader.looksLikeRtcp(input)

    let compound: RtcpCompoundPacket
    do throws(RtcpPacketError) {
        compound = try RtcpCompoundPacket(parsing: input)
    } catch {
        _ = error.description
        return 0
    }
    for packet in compound.packets {
        read(packet)
        checkRoundTrip(RtcpCompoundPacket([packet]), "\(packet.packetType)")
    }
    checkRoundTrip(compound, "compound")
    return 0
}

private func read(_ packet: RtcpPacket) {
    switch packet {
    case .transportWideCcFeedback(let feedback):
        _ = feedback.packetStatuses
        _ = feedback.packetResults
    case .genericNack(let nack):
        _ = nack.lostSequenceNumbers
    case .sourceDescription(let sdes):
        _ = sdes.chunks.map(\.cname)
    default:
        break
    }
}

private func checkRoundTrip(_ compound: RtcpCompoundPacket, _ what: String) {
    let written: ByteBuffer
    do throws(RtcpPacketError) {
        written = try compound.serialized()
    } catch {
        guard case .cannotSerialize = error else {
            preconditionFailure("\(what): writing failed with \(error), not cannotSerialize")
        }
        return
    }
    precondition(written.readableBytes % 4 == 0, "\(what): written packet is not 32-bit aligned")
    let reparsed: RtcpCompoundPacket
    do {
        reparsed = try RtcpCompoundPacket(parsing: written)
    } catch {
        preconditionFailure("\(what): written bytes do not parse: \(error)")
    }
    precondition(reparsed == compound, "\(what): written bytes parse to different packets")
}
