/// Times SRTP per packet on this machine, for `sfu-bench micro`.
///
/// For each suite, packet size and backend it measures `protect` alone and a
/// `protect` + `unprotect` pair (unprotect = pair − protect), both including the copy of the
/// plaintext into the packet buffer. The `evp` rows are the floor: the same bytes through
/// bare EVP calls (AES-CTR + HMAC-SHA1 from precomputed state, or AES-GCM seal) with no SRTP
/// logic, so `openssl` ÷ `evp` is the overhead of header parsing, stream lookup, ROC and
/// replay bookkeeping. Each figure is the best of `repetitions` rounds, which filters out
/// interference from other processes. Build in release mode for meaningful figures.
public enum SrtpMicroBenchmark {
    public struct Measurement: Sendable, CustomStringConvertible {
        /// `openssl`, `libsrtp` or `evp`.
        public let implementation: String
        public let suite: SrtpCryptoSuite
        /// Whole RTP packet size before protection (12-byte header included).
        public let packetSize: Int
        /// `protect`, `unprotect` or, for `evp`, `seal`.
        public let operation: String
        public let nanosecondsPerPacket: Double

        public var description: String {
            let name = "\(implementation) \(suite.rawValue) \(operation) \(packetSize)B"
            let figure = "\(Int(nanosecondsPerPacket.rounded())) ns"
            let gap = max(1, 64 - name.count - figure.count)
            return name + String(repeating: " ", count: gap) + figure
        }
    }

    public static func run(
        iterations: Int = 20_000,
        repetitions: Int = 5,
        packetSizes: [Int] = [160, 1200],
        suites: [SrtpCryptoSuite] = SrtpCryptoSuite.allCases,
        backends: [SrtpBackend] = SrtpBackend.allCases
    ) throws -> [Measurement] {
        var results: [Measurement] = []
        for suite in suites {
            let key = try SrtpMasterKey(
                suite: suite,
                keyAndSalt: (0..<suite.masterKeyAndSaltLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
            for size in packetSizes {
                let plaintext = samplePacket(size: size)
                for backend in backends {
                    let (protect, unprotect) = try measureBackend(
                        backend, key: key, plaintext: plaintext, iterations: iterations, repetitions: repetitions)
                    results.append(
                        Measurement(
                            implementation: backend.rawValue, suite: suite, packetSize: size, operation: "protect",
                            nanosecondsPerPacket: protect))
                    results.append(
                        Measurement(
                            implementation: backend.rawValue, suite: suite, packetSize: size, operation: "unprotect",
                            nanosecondsPerPacket: unprotect))
                }
                let floor = try measureBareEvp(
                    key: key, plaintext: plaintext, iterations: iterations, repetitions: repetitions)
                results.append(
                    Measurement(
                        implementation: "evp", suite: suite, packetSize: size, operation: "seal",
                        nanosecondsPerPacket: floor))
            }
        }
        return results
    }

    private static func samplePacket(size: Int) -> [UInt8] {
        var packet = [UInt8](repeating: 0xA5, count: max(size, 12))
        packet[0] = 0x80
        packet[1] = 111
        packet[8] = 0x12
        packet[9] = 0x34
        packet[10] = 0x56
        packet[11] = 0x78
        return packet
    }

    private static func measureBackend(
        _ backend: SrtpBackend, key: SrtpMasterKey, plaintext: [UInt8], iterations: Int, repetitions: Int
    ) throws -> (protect: Double, unprotect: Double) {
        let capacity = plaintext.count + 64
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }

        let sender = try SrtpSession(direction: .outbound, masterKey: key, backend: backend)
        let protectOnly = nanoseconds(iterations: iterations, repetitions: repetitions) { iteration in
            load(plaintext, sequenceNumber: UInt16(truncatingIfNeeded: iteration), into: buffer)
            _ = sender.protectRtp(buffer, length: plaintext.count)
        }

        let pairSender = try SrtpSession(direction: .outbound, masterKey: key, backend: backend)
        let receiver = try SrtpSession(direction: .inbound, masterKey: key, backend: backend)
        var failures = 0
        let pair = nanoseconds(iterations: iterations, repetitions: repetitions) { iteration in
            load(plaintext, sequenceNumber: UInt16(truncatingIfNeeded: iteration), into: buffer)
            guard case .success(let length) = pairSender.protectRtp(buffer, length: plaintext.count),
                case .success = receiver.unprotectRtp(buffer, length: length)
            else {
                failures += 1
                return
            }
        }
        precondition(failures == 0, "SRTP benchmark round trip failed \(failures) times")
        return (protectOnly, max(pair - protectOnly, 0))
    }

    private static func measureBareEvp(
        key: SrtpMasterKey, plaintext: [UInt8], iterations: Int, repetitions: Int
    ) throws -> Double {
        let keys = try SrtpSessionKeys(deriving: key, forRtcp: false)
        let capacity = plaintext.count + 64
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        let base = buffer.baseAddress!
        let header = SrtpPacketHeader.rtpFixedLength
        let length = plaintext.count
        var iv = [UInt8](repeating: 0, count: 16)
        var roc: UInt32 = 0
        var digest = [UInt8](repeating: 0, count: HmacSha1Key.digestLength)

        if key.suite.isAead {
            let cipher = try EvpCipherContext(
                algorithm: key.suite.masterKeyLength == 32 ? "AES-256-GCM" : "AES-128-GCM", key: keys.encryptionKey)
            return nanoseconds(iterations: iterations, repetitions: repetitions) { iteration in
                load(plaintext, sequenceNumber: UInt16(truncatingIfNeeded: iteration), into: buffer)
                iv[11] = UInt8(truncatingIfNeeded: iteration)
                _ = iv.withUnsafeBytes { cipher.reset(iv: $0.baseAddress!, encrypt: true) }
                _ = cipher.addAuthenticatedData(base, count: header)
                _ = cipher.update(base + header, count: length - header)
                _ = cipher.finish()
                _ = cipher.tag(into: base + length, count: AesGcmTransform.tagLength)
            }
        }
        let cipher = try EvpCipherContext(algorithm: "AES-128-CTR", key: keys.encryptionKey)
        let hmac = HmacSha1Key(key: keys.authenticationKey)
        let tagLength = key.suite.rtpAuthTagLength
        return nanoseconds(iterations: iterations, repetitions: repetitions) { iteration in
            load(plaintext, sequenceNumber: UInt16(truncatingIfNeeded: iteration), into: buffer)
            iv[13] = UInt8(truncatingIfNeeded: iteration)
            _ = iv.withUnsafeBytes { cipher.reset(iv: $0.baseAddress!, encrypt: true) }
            _ = cipher.update(base + header, count: length - header)
            withUnsafeBytes(of: &roc) { suffix in
                digest.withUnsafeMutableBufferPointer { output in
                    hmac.authenticate(
                        base, count: length, suffix: suffix.baseAddress, suffixCount: 4, digest: output.baseAddress!)
                }
            }
            digest.withUnsafeBytes { (base + length).copyMemory(from: $0.baseAddress!, byteCount: tagLength) }
        }
    }

    @inline(__always)
    private static func load(_ plaintext: [UInt8], sequenceNumber: UInt16, into buffer: UnsafeMutableRawBufferPointer) {
        plaintext.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        SrtpPacketHeader.writeUInt32(
            UInt32(0x806F_0000) | UInt32(sequenceNumber), to: buffer.baseAddress!, at: 0)
    }

    /// Best per-call time over `repetitions` rounds of `iterations` calls; `body` gets a
    /// counter that never repeats, so sequence numbers keep advancing across rounds.
    private static func nanoseconds(iterations: Int, repetitions: Int, _ body: (Int) -> Void) -> Double {
        let iterations = max(iterations, 1)
        var counter = 0
        for _ in 0..<min(iterations / 10, 1_000) {
            body(counter)
            counter += 1
        }
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<max(repetitions, 1) {
            let elapsed = clock.measure {
                for _ in 0..<iterations {
                    body(counter)
                    counter += 1
                }
            }
            let (seconds, attoseconds) = elapsed.components
            best = min(best, (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(iterations))
        }
        return best
    }
}
