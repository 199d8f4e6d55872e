import NIOCore

/// Reassembles VP8 frames from RTP packets (RFC 7741 §4) and reports every frame it cannot
/// complete, so that nothing incomplete ever reaches a decoder.
///
/// A frame starts with a packet whose descriptor has S=1 and PID=0, continues with packets of
/// the same timestamp and consecutive sequence numbers, and ends with the marker bit. Packets
/// are expected in order, as a jitter buffer or a loss-free test path delivers them: a sequence
/// gap counts as loss, and a packet arriving after a later one (late or duplicate) is ignored.
///
/// One depacketizer per received stream.
public struct Vp8Depacketizer: Sendable {
    /// One reassembled VP8 frame, ready for a decoder.
    public struct Frame: Sendable {
        /// The frame's bytes, payload descriptors removed.
        public var bytes: ByteBuffer
        public var timestamp: UInt32
        public var pictureId: UInt16?
        /// From the first packet's VP8 payload header.
        public var isKeyFrame: Bool
        /// From a key frame's header.
        public var width: Int?
        public var height: Int?
        public var firstSequenceNumber: UInt16
        public var lastSequenceNumber: UInt16
        /// Packets were lost or frames dropped since the previous delivered frame: unless this is
        /// a key frame, it may reference a picture the receiver never got.
        public var followsLoss: Bool
    }

    /// Why a frame, or part of one, was discarded instead of delivered.
    public enum Drop: Sendable, Hashable, CustomStringConvertible {
        /// Packets between `expectedSequenceNumber` and `receivedSequenceNumber` (exclusive) are
        /// missing while the frame with `timestamp` was being assembled.
        case missingPackets(timestamp: UInt32, expectedSequenceNumber: UInt16, receivedSequenceNumber: UInt16)
        /// Packets of the frame with `timestamp` arrived but not the one starting it.
        case missingFrameStart(timestamp: UInt32, sequenceNumber: UInt16)
        /// The frame with `timestamp` never got its marker packet: another frame started first.
        case missingFrameEnd(timestamp: UInt32)
        /// The packet is too short for a VP8 payload descriptor plus frame data.
        case malformedPayload(sequenceNumber: UInt16)

        public var description: String {
            switch self {
            case .missingPackets(let timestamp, let expected, let received):
                return "VP8 frame at timestamp \(timestamp) dropped: packets \(expected)..<\(received) missing"
            case .missingFrameStart(let timestamp, let sequenceNumber):
                return "VP8 frame at timestamp \(timestamp) dropped: its first packet is missing (got \(sequenceNumber))"
            case .missingFrameEnd(let timestamp):
                return "VP8 frame at timestamp \(timestamp) dropped: its last (marker) packet is missing"
            case .malformedPayload(let sequenceNumber):
                return "packet \(sequenceNumber) has no valid VP8 payload descriptor and data"
            }
        }
    }

    /// What one packet produced: at most one complete frame and the frames it made undeliverable.
    public struct Output: Sendable {
        public var frame: Frame?
        public var drops: [Drop]
    }

    public struct Statistics: Sendable, Hashable {
        public var packets = 0
        /// Packets older than one already received (duplicates or reordered).
        public var latePackets = 0
        /// Sequence numbers never received.
        public var lostPackets = 0
        public var framesDelivered = 0
        public var framesDropped = 0
    }

    private struct Assembly {
        var bytes: ByteBuffer
        var timestamp: UInt32
        var descriptor: Vp8PayloadDescriptor
        var firstSequenceNumber: UInt16
        var followsLoss: Bool
    }

    public private(set) var statistics = Statistics()
    private var assembly: Assembly?
    private var lastSequenceNumber: UInt16?
    /// Packets of this timestamp belong to a frame already reported as dropped.
    private var droppedTimestamp: UInt32?
    private var lossSinceLastFrame = false

    public init() {}

    /// Feeds the next received packet of the stream.
    public mutating func push(_ packet: RtpPacket) -> Output {
        statistics.packets += 1
        var output = Output(frame: nil, drops: [])
        let sequenceNumber = packet.sequenceNumber
        if let last = lastSequenceNumber {
            let delta = Int16(bitPattern: sequenceNumber &- last)
            guard delta > 0 else {
                statistics.latePackets += 1
                return output
            }
            if delta > 1 {
                statistics.lostPackets += Int(delta) - 1
                if let current = assembly {
                    output.drops.append(.missingPackets(
                        timestamp: current.timestamp, expectedSequenceNumber: last &+ 1, receivedSequenceNumber: sequenceNumber))
                    dropAssembly()
                }
                lossSinceLastFrame = true
            }
        }
        lastSequenceNumber = sequenceNumber

        let payload = packet.payload
        guard let descriptor = Vp8PayloadDescriptor(payload: payload), descriptor.length < payload.readableBytes,
            let data = payload.getSlice(at: payload.readerIndex + descriptor.length, length: payload.readableBytes - descriptor.length)
        else {
            output.drops.append(.malformedPayload(sequenceNumber: sequenceNumber))
            if assembly != nil {
                dropAssembly()
            } else if droppedTimestamp != packet.timestamp {
                statistics.framesDropped += 1
            }
            droppedTimestamp = packet.timestamp
            lossSinceLastFrame = true
            return output
        }

        if descriptor.isStartOfFrame {
            if let current = assembly {
                output.drops.append(.missingFrameEnd(timestamp: current.timestamp))
                dropAssembly()
                lossSinceLastFrame = true
            }
            assembly = Assembly(
                bytes: data, timestamp: packet.timestamp, descriptor: descriptor,
                firstSequenceNumber: sequenceNumber, followsLoss: lossSinceLastFrame)
            droppedTimestamp = nil
        } else if assembly?.timestamp == packet.timestamp {
            assembly?.bytes.writeImmutableBuffer(data)
        } else {
            if let current = assembly {
                output.drops.append(.missingFrameEnd(timestamp: current.timestamp))
                dropAssembly()
            }
            if droppedTimestamp != packet.timestamp {
                output.drops.append(.missingFrameStart(timestamp: packet.timestamp, sequenceNumber: sequenceNumber))
                statistics.framesDropped += 1
                droppedTimestamp = packet.timestamp
            }
            lossSinceLastFrame = true
            return output
        }

        if packet.marker, let complete = assembly {
            output.frame = Frame(
                bytes: complete.bytes, timestamp: complete.timestamp, pictureId: complete.descriptor.pictureId,
                isKeyFrame: complete.descriptor.isKeyFrame, width: complete.descriptor.width,
                height: complete.descriptor.height, firstSequenceNumber: complete.firstSequenceNumber,
                lastSequenceNumber: sequenceNumber, followsLoss: complete.followsLoss)
            assembly = nil
            lossSinceLastFrame = false
            statistics.framesDelivered += 1
        }
        return output
    }

    /// Discards the frame being assembled; its remaining packets are dropped silently.
    private mutating func dropAssembly() {
        droppedTimestamp = assembly?.timestamp
        assembly = nil
        statistics.framesDropped += 1
    }
}
