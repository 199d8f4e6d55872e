import NIOCore

/// RTPFB transport-wide congestion control feedback (FMT 15,
/// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for a range of transport-wide
/// sequence numbers, which packets arrived and when.
///
/// ```
/// | sender SSRC | media SSRC |
/// | base sequence number (16) | packet status count (16) |
/// | reference time (24, signed, ×64 ms) | fb pkt count (8) |
/// | packet chunks (16 each) ... | recv deltas (8 or 16 each) ... | zero padding to 32 bits |
/// ```
///
/// A packet chunk is either a run-length chunk (`0 | symbol(2) | run length(13)`) or a status
/// vector chunk (`1 | S | symbols(14)`: S=0 fourteen 1-bit symbols, S=1 seven 2-bit symbols).
/// Every received packet has a receive delta in 250 µs ticks: 1 unsigned byte for "small delta"
/// symbols, 2 signed bytes for "large or negative delta" symbols. The first delta is relative to
/// the reference time, each next one to the previous arrival.
public struct TransportWideCcFeedback: Sendable, Equatable {
    public static let feedbackMessageType: UInt8 = 15
    /// Duration of one reference time unit, in microseconds.
    public static let referenceTimeUnitMicroseconds: Int64 = 64_000
    /// Duration of one receive delta tick, in microseconds.
    public static let deltaTickMicroseconds: Int64 = 250

    /// The state of one packet.
    public enum PacketStatusSymbol: UInt8, Sendable, Equatable {
        case notReceived = 0
        /// Received, delta fits one unsigned byte (0–63.75 ms).
        case receivedSmallDelta = 1
        /// Received, delta needs two signed bytes (negative or ≥ 64 ms).
        case receivedLargeDelta = 2
    }

    /// A packet status chunk as on the wire.
    public enum PacketStatusChunk: Sendable, Equatable {
        /// `runLength` consecutive packets (at most 8191) with the same status.
        case runLength(symbol: PacketStatusSymbol, runLength: UInt16)
        /// Fourteen 1-bit symbols (notReceived / receivedSmallDelta only).
        case oneBitVector([PacketStatusSymbol])
        /// Seven 2-bit symbols.
        case twoBitVector([PacketStatusSymbol])
    }

    /// One packet's outcome, as a bandwidth estimator consumes it.
    public struct PacketResult: Sendable, Equatable {
        public var sequenceNumber: UInt16
        /// Arrival time in microseconds on the feedback sender's clock (reference time × 64 ms
        /// plus the accumulated deltas), or nil if the packet was not received.
        public var arrivalTime: Int64?

        public init(sequenceNumber: UInt16, arrivalTime: Int64?) {
            self.sequenceNumber = sequenceNumber
            self.arrivalTime = arrivalTime
        }
    }

    /// The most packets a feedback accepted here describes.
    public static let maximumPacketStatusCount: UInt16 = 8192

    public var senderSsrc: UInt32
    public var mediaSsrc: UInt32
    /// Transport-wide sequence number of the first packet described.
    public var baseSequenceNumber: UInt16
    /// Number of packets described, from the base sequence number on.
    public var packetStatusCount: UInt16
    /// 24-bit signed reference time, in 64 ms units.
    public var referenceTime: Int32
    /// Counter of feedback packets sent, to detect lost feedback.
    public var feedbackPacketCount: UInt8
    /// Status chunks; together they describe at least ``packetStatusCount`` packets.
    public var chunks: [PacketStatusChunk]
    /// One delta per received packet, in 250 µs ticks, in sequence order.
    public var receiveDeltas: [Int16]

    public init(
        senderSsrc: UInt32,
        mediaSsrc: UInt32,
        baseSequenceNumber: UInt16,
        packetStatusCount: UInt16,
        referenceTime: Int32,
        feedbackPacketCount: UInt8,
        chunks: [PacketStatusChunk],
        receiveDeltas: [Int16]
    ) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
        self.baseSequenceNumber = baseSequenceNumber
        self.packetStatusCount = packetStatusCount
        self.referenceTime = referenceTime
        self.feedbackPacketCount = feedbackPacketCount
        self.chunks = chunks
        self.receiveDeltas = receiveDeltas
    }

    /// Builds feedback for `packets`, given in increasing transport-wide sequence order (gaps
    /// count as not received). Arrival times are in microseconds on the receiver's clock; nil
    /// means not received.
    ///
    /// Throws `cannotSerialize` when the sequence goes backwards, when more than 65535 packets
    /// would be described, or when the gap between two arrivals does not fit a 16-bit delta
    /// (about ±8 s) — split the report with ``Builder`` in those cases.
    public init(
        senderSsrc: UInt32,
        mediaSsrc: UInt32,
        feedbackPacketCount: UInt8,
        packets: [(sequenceNumber: UInt16, arrivalTime: Int64?)]
    ) throws(RtcpPacketError) {
        var builder = Builder(senderSsrc: senderSsrc, mediaSsrc: mediaSsrc, feedbackPacketCount: feedbackPacketCount)
        for packet in packets {
            guard builder.add(sequenceNumber: packet.sequenceNumber, arrivalTime: packet.arrivalTime) else {
                throw .cannotSerialize(reason: "transport-cc packet \(packet.sequenceNumber) cannot follow the previous ones in one feedback")
            }
        }
        guard let feedback = builder.build() else {
            throw .cannotSerialize(reason: "transport-cc feedback needs at least one packet")
        }
        self = feedback
    }

    /// The statuses of the ``packetStatusCount`` packets described, in sequence order.
    public var packetStatuses: [PacketStatusSymbol] {
        Self.statuses(of: chunks, count: Int(packetStatusCount))
    }

    private static func statuses(of chunks: [PacketStatusChunk], count total: Int) -> [PacketStatusSymbol] {
        var statuses: [PacketStatusSymbol] = []
        statuses.reserveCapacity(total)
        for chunk in chunks {
            guard statuses.count < total else { break }
            switch chunk {
            case .runLength(let symbol, let runLength):
                statuses.append(contentsOf: repeatElement(symbol, count: min(Int(runLength), total - statuses.count)))
            case .oneBitVector(let symbols), .twoBitVector(let symbols):
                statuses.append(contentsOf: symbols.prefix(total - statuses.count))
            }
        }
        return statuses
    }

    /// Per-packet outcomes with absolute arrival times (see ``PacketResult/arrivalTime``).
    /// Packets beyond the deltas present (only possible in a hand-built value) read as lost.
    public var packetResults: [PacketResult] {
        var results: [PacketResult] = []
        results.reserveCapacity(Int(packetStatusCount))
        var time = Int64(referenceTime) * Self.referenceTimeUnitMicroseconds
        var deltaIndex = 0
        for (index, status) in packetStatuses.enumerated() {
            let sequenceNumber = baseSequenceNumber &+ UInt16(truncatingIfNeeded: index)
            if status != .notReceived, deltaIndex < receiveDeltas.count {
                time += Int64(receiveDeltas[deltaIndex]) * Self.deltaTickMicroseconds
                deltaIndex += 1
                results.append(PacketResult(sequenceNumber: sequenceNumber, arrivalTime: time))
            } else {
                results.append(PacketResult(sequenceNumber: sequenceNumber, arrivalTime: nil))
            }
        }
        return results
    }

    // MARK: Parsing

    init(reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        senderSsrc = try reader.readUInt32()
        mediaSsrc = try reader.readUInt32()
        baseSequenceNumber = try reader.readUInt16()
        packetStatusCount = try reader.readUInt16()
        // A few bytes of run-length chunks can describe 65,535 packets; a sender keeps far fewer
        // for matching (SentPacketHistory), and expanding them all, hundreds of feedbacks to a
        // datagram, would hold up the worker.
        guard packetStatusCount <= Self.maximumPacketStatusCount else {
            throw reader.malformed("transport-cc describes \(packetStatusCount) packets, more than \(Self.maximumPacketStatusCount)")
        }
        let rawReferenceTime = try reader.readUInt24()
        referenceTime = Int32(bitPattern: rawReferenceTime << 8) >> 8
        feedbackPacketCount = try reader.readUInt8()

        let total = Int(packetStatusCount)
        var described = 0
        chunks = []
        while described < total {
            let raw = try reader.readUInt16()
            let (chunk, symbolCount) = try Self.decodeChunk(raw, countedSymbols: total - described, reader: reader)
            chunks.append(chunk)
            described += symbolCount
        }

        let statuses = Self.statuses(of: chunks, count: total)
        let smallDeltas = statuses.lazy.filter { $0 == .receivedSmallDelta }.count
        let largeDeltas = statuses.lazy.filter { $0 == .receivedLargeDelta }.count
        try reader.require(smallDeltas + 2 * largeDeltas)
        receiveDeltas = []
        receiveDeltas.reserveCapacity(smallDeltas + largeDeltas)
        for status in statuses {
            switch status {
            case .notReceived: continue
            case .receivedSmallDelta: receiveDeltas.append(Int16(try reader.readUInt8()))
            case .receivedLargeDelta: receiveDeltas.append(Int16(bitPattern: try reader.readUInt16()))
            }
        }
        // Whatever follows is padding to the 32-bit boundary.
    }

    /// Decodes one chunk; returns it with the number of packets it describes, at most
    /// `countedSymbols` (the packets still to be described). Symbol slots past that count are
    /// unused padding: a reserved symbol (3) there is tolerated and read as "not received".
    private static func decodeChunk(
        _ raw: UInt16, countedSymbols: Int, reader: RtcpBodyReader
    ) throws(RtcpPacketError) -> (PacketStatusChunk, Int) {
        func status(_ value: UInt16, slot: Int) throws(RtcpPacketError) -> PacketStatusSymbol {
            if let status = PacketStatusSymbol(rawValue: UInt8(value & 0x03)) { return status }
            guard slot >= countedSymbols else { throw reader.malformed("reserved packet status symbol 3") }
            return .notReceived
        }

        if raw & 0x8000 == 0 {
            let runLength = raw & 0x1FFF
            // A zero-length run describes no packet, so its symbol is never used.
            let symbol = try status(raw >> 13, slot: runLength > 0 ? 0 : countedSymbols)
            return (.runLength(symbol: symbol, runLength: runLength), min(Int(runLength), countedSymbols))
        }
        var symbols: [PacketStatusSymbol] = []
        if raw & 0x4000 == 0 {
            symbols.reserveCapacity(14)
            for slot in 0..<14 {
                symbols.append(try status((raw >> (13 - slot)) & 0x01, slot: slot))
            }
            return (.oneBitVector(symbols), min(14, countedSymbols))
        }
        symbols.reserveCapacity(7)
        for slot in 0..<7 {
            symbols.append(try status(raw >> (12 - 2 * slot), slot: slot))
        }
        return (.twoBitVector(symbols), min(7, countedSymbols))
    }

    // MARK: Writing

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        let statuses = packetStatuses
        guard statuses.count == Int(packetStatusCount) else {
            throw .cannotSerialize(reason: "transport-cc chunks describe \(statuses.count) packets, status count is \(packetStatusCount)")
        }
        let received = statuses.filter { $0 != .notReceived }
        guard received.count == receiveDeltas.count else {
            throw .cannotSerialize(reason: "transport-cc has \(received.count) received packets but \(receiveDeltas.count) deltas")
        }
        for (status, delta) in zip(received, receiveDeltas) where status == .receivedSmallDelta && !(0...255).contains(delta) {
            throw .cannotSerialize(reason: "transport-cc small delta \(delta) is outside 0...255")
        }
        guard (-0x80_0000...0x7F_FFFF).contains(referenceTime) else {
            throw .cannotSerialize(reason: "transport-cc reference time \(referenceTime) exceeds 24 bits")
        }
        for chunk in chunks {
            switch chunk {
            case .runLength(_, let runLength) where runLength > 0x1FFF:
                throw .cannotSerialize(reason: "transport-cc run length \(runLength) exceeds 8191")
            case .oneBitVector(let symbols) where symbols.count > 14 || symbols.contains(.receivedLargeDelta):
                throw .cannotSerialize(reason: "transport-cc 1-bit vector holds at most 14 small-delta/not-received symbols")
            case .twoBitVector(let symbols) where symbols.count > 7:
                throw .cannotSerialize(reason: "transport-cc 2-bit vector holds at most 7 symbols")
            default:
                break
            }
        }

        try RtcpPacketWriter.write(
            count: Int(Self.feedbackMessageType), packetType: RtcpPacketType.transportLayerFeedback, to: &buffer
        ) { body in
            body.writeInteger(senderSsrc)
            body.writeInteger(mediaSsrc)
            body.writeInteger(baseSequenceNumber)
            body.writeInteger(packetStatusCount)
            body.writeInteger(UInt32(bitPattern: referenceTime) << 8 | UInt32(feedbackPacketCount))
            for chunk in chunks {
                switch chunk {
                case .runLength(let symbol, let runLength):
                    body.writeInteger(UInt16(symbol.rawValue) << 13 | runLength)
                case .oneBitVector(let symbols):
                    var raw: UInt16 = 0x8000
                    for (index, symbol) in symbols.enumerated() {
                        raw |= UInt16(symbol.rawValue & 0x01) << (13 - index)
                    }
                    body.writeInteger(raw)
                case .twoBitVector(let symbols):
                    var raw: UInt16 = 0xC000
                    for (index, symbol) in symbols.enumerated() {
                        raw |= UInt16(symbol.rawValue) << (12 - 2 * index)
                    }
                    body.writeInteger(raw)
                }
            }
            for (status, delta) in zip(received, receiveDeltas) {
                if status == .receivedSmallDelta {
                    body.writeInteger(UInt8(truncatingIfNeeded: delta))
                } else {
                    body.writeInteger(delta)
                }
            }
        }
    }
}

// MARK: - Builder

extension TransportWideCcFeedback {
    /// Accumulates packet arrivals into one feedback packet, refusing (rather than corrupting)
    /// an arrival that cannot be encoded, so the caller can close this feedback and start the
    /// next one with that packet.
    ///
    /// Deltas are rounded to the nearest 250 µs tick and accumulated from the encoded values, so
    /// rounding never drifts across a long report.
    public struct Builder: Sendable {
        public let senderSsrc: UInt32
        public let mediaSsrc: UInt32
        public let feedbackPacketCount: UInt8

        private var baseSequenceNumber: UInt16?
        private var statuses: [PacketStatusSymbol] = []
        private var deltas: [Int16] = []
        /// Reference time in 64 ms units, fixed by the first received packet.
        private var referenceTime: Int64?
        /// Time of the last encoded arrival, in microseconds, as the receiver will reconstruct it.
        private var lastEncodedTime: Int64 = 0

        public init(senderSsrc: UInt32, mediaSsrc: UInt32, feedbackPacketCount: UInt8) {
            self.senderSsrc = senderSsrc
            self.mediaSsrc = mediaSsrc
            self.feedbackPacketCount = feedbackPacketCount
        }

        /// Number of packets described so far (received or not, gaps included).
        public var packetCount: Int { statuses.count }

        /// Adds a packet; `arrivalTime` in microseconds, nil when not received. Sequence numbers
        /// skipped since the previous call are recorded as not received.
        ///
        /// Returns false, leaving the builder unchanged, when the packet does not come after the
        /// previous one (or jumps 32768 or more ahead of it), would make the report describe more
        /// than 65535 packets, or arrives too far (about ±8 s) from the previous arrival for a
        /// 16-bit delta.
        public mutating func add(sequenceNumber: UInt16, arrivalTime: Int64?) -> Bool {
            var gap = 0
            if let base = baseSequenceNumber {
                let index = Int(sequenceNumber &- base)
                // In wrapping order a sequence number at or behind the last one reads either as
                // an index below the count or as a jump of half the sequence space or more.
                let jump = index - (statuses.count - 1)
                guard jump >= 1, jump < 0x8000, index < Int(UInt16.max) else { return false }
                gap = index - statuses.count
            }

            guard let arrivalTime else {
                if baseSequenceNumber == nil { baseSequenceNumber = sequenceNumber }
                statuses.append(contentsOf: repeatElement(.notReceived, count: gap))
                statuses.append(.notReceived)
                return true
            }

            let reference = referenceTime ?? Self.floorDivide(arrivalTime, TransportWideCcFeedback.referenceTimeUnitMicroseconds)
            var previous = lastEncodedTime
            if referenceTime == nil {
                let (start, overflow) = reference.multipliedReportingOverflow(by: TransportWideCcFeedback.referenceTimeUnitMicroseconds)
                guard !overflow else { return false }
                previous = start
            }
            // Arrival times come from the caller's clock; extreme values must fail, not overflow.
            let (elapsed, overflow) = arrivalTime.subtractingReportingOverflow(previous)
            guard !overflow, elapsed.magnitude < UInt64(Int64.max / 2) else { return false }
            let ticks = Self.floorDivide(
                elapsed + TransportWideCcFeedback.deltaTickMicroseconds / 2, TransportWideCcFeedback.deltaTickMicroseconds)
            guard let delta = Int16(exactly: ticks) else { return false }

            if baseSequenceNumber == nil { baseSequenceNumber = sequenceNumber }
            referenceTime = reference
            lastEncodedTime = previous + Int64(delta) * TransportWideCcFeedback.deltaTickMicroseconds
            statuses.append(contentsOf: repeatElement(.notReceived, count: gap))
            statuses.append((0...255).contains(delta) ? .receivedSmallDelta : .receivedLargeDelta)
            deltas.append(delta)
            return true
        }

        /// The feedback for the packets added so far, or nil if none were added.
        public func build() -> TransportWideCcFeedback? {
            guard let baseSequenceNumber else { return nil }
            // The wire field is 24-bit; keep the low 24 bits, sign-extended, as the receiver will.
            let wrappedReference = Int32(truncatingIfNeeded: ((referenceTime ?? 0) << 40) >> 40)
            return TransportWideCcFeedback(
                senderSsrc: senderSsrc,
                mediaSsrc: mediaSsrc,
                baseSequenceNumber: baseSequenceNumber,
                packetStatusCount: UInt16(statuses.count),
                referenceTime: wrappedReference,
                feedbackPacketCount: feedbackPacketCount,
                chunks: Self.encodeChunks(statuses),
                receiveDeltas: deltas)
        }

        /// Greedy chunking: a run of at least 7 equal symbols (or the whole remainder) becomes a
        /// run-length chunk; otherwise a 1-bit vector takes the next 14 symbols if none needs a
        /// large delta, else a 2-bit vector takes the next 7. Vector slots past the end are
        /// filled with "not received" and ignored by receivers (beyond the status count).
        static func encodeChunks(_ statuses: [PacketStatusSymbol]) -> [PacketStatusChunk] {
            var chunks: [PacketStatusChunk] = []
            var index = 0
            while index < statuses.count {
                let remaining = statuses.count - index
                var run = 1
                while run < remaining, run < 0x1FFF, statuses[index + run] == statuses[index] { run += 1 }
                if run >= 7 || run == remaining {
                    chunks.append(.runLength(symbol: statuses[index], runLength: UInt16(run)))
                    index += run
                    continue
                }
                let oneBitWindow = statuses[index..<(index + min(14, remaining))]
                if !oneBitWindow.contains(.receivedLargeDelta) {
                    var symbols = Array(oneBitWindow)
                    symbols.append(contentsOf: repeatElement(.notReceived, count: 14 - symbols.count))
                    chunks.append(.oneBitVector(symbols))
                    index += oneBitWindow.count
                } else {
                    var symbols = Array(statuses[index..<(index + min(7, remaining))])
                    let taken = symbols.count
                    symbols.append(contentsOf: repeatElement(.notReceived, count: 7 - taken))
                    chunks.append(.twoBitVector(symbols))
                    index += taken
                }
            }
            return chunks
        }

        private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
            let quotient = value / divisor
            return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
        }
    }
}
