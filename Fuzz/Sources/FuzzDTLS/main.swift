import NIOCore
import SFU

// libFuzzer target for the DTLS record path: datagrams from a peer fed to a started
// `DtlsTransport`, which frames them, hands them to OpenSSL and reports datagrams and events.
//
// Input: one byte choosing the local role (bit 0 clear: server, as the SFU usually is; set:
// client, whose ClientHello is already out), then datagrams, each as a 2-byte big-endian length
// and that many bytes (the last one takes whatever remains). A new transport per input; the
// certificate and context are made once, since key generation would dominate every run.
//
// OpenSSL itself is the system library and not instrumented, so coverage guides the fuzzer
// through the transport's own code (framing, state machine, event and datagram queues), and
// the record and handshake parsing in OpenSSL is reached only as far as mutations of the seed
// flights carry it.

/// libFuzzer calls the entry point from one thread only, so the non-Sendable context is never
/// shared across threads.
nonisolated(unsafe) private let context: DtlsContext = {
    do {
        return try DtlsContext(certificate: DtlsCertificate.generate())
    } catch {
        fatalError("cannot create the DTLS context: \(error)")
    }
}()

/// A fingerprint no peer certificate has, so a completed handshake would fail the check
/// rather than stall waiting for one.
private let remoteFingerprint = DtlsFingerprint(algorithm: .sha256, digest: [UInt8](repeating: 0xAB, count: 32))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDtls(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = ByteBuffer(bytes: UnsafeRawBufferPointer(start: data, count: size))
    guard let roleByte = input.readInteger(as: UInt8.self) else { return 0 }
    let role: DtlsRole = roleByte & 1 == 0 ? .server : .client

    let transport: DtlsTransport
    do {
        transport = try DtlsTransport(context: context, role: role, remoteFingerprint: remoteFingerprint)
    } catch {
        fatalError("cannot create a DTLS transport: \(error)")
    }
    transport.start()
    drain(transport)

    while input.readableBytes > 0 {
        let datagram: ByteBuffer
        if let length = input.readInteger(as: UInt16.self), let bytes = input.readSlice(length: Int(length)) {
            datagram = bytes
        } else {
            datagram = input.readSlice(length: input.readableBytes) ?? ByteBuffer()
        }
        transport.feed(datagram)
        drain(transport)
        transport.handleTimeout()
        _ = transport.nextTimeout(now: .now())
        drain(transport)
    }
    transport.close()
    drain(transport)
    precondition(transport.state == .closed || transport.state == .failed, "close() left state \(transport.state)")
    return 0
}

/// Takes every queued datagram and event, checking what a caller relies on.
private func drain(_ transport: DtlsTransport) {
    while let datagram = transport.pollDatagram() {
        precondition(DtlsTransport.isDtls(datagram), "transport emitted a datagram that is not DTLS")
        precondition(datagram.readableBytes <= transport.mtu, "transport emitted \(datagram.readableBytes) bytes, MTU \(transport.mtu)")
    }
    while let event = transport.pollEvent() {
        switch event {
        case .failed:
            precondition(transport.state == .failed && transport.failureReason != nil, "failed event without failed state")
        case .connected:
            preconditionFailure("connected with a peer whose fingerprint cannot match")
        case .connecting, .closed, .applicationData:
            break
        }
    }
    if transport.state == .failed {
        precondition(transport.failureReason != nil, "failed without a reason")
    }
}
