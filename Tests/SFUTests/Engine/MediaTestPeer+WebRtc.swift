import NIOCore
import STUN
import XCTest
@testable import SFU

/// The browser's side of a WebRtcTransport: ICE checks (controlling, as a browser facing an
/// ICE-lite server) and a DTLS handshake in the DTLS server role, after which media is SRTP.
extension MediaTestPeer {
    /// Sends a connectivity check made with `parameters` and returns the response to it; nil
    /// when none came.
    func iceCheck(_ parameters: IceParameters, useCandidate: Bool = true) async throws -> StunMessage? {
        let check = IceCheck(for: parameters, useCandidate: useCandidate)
        try await sendRaw(try check.encoded())
        let responses = await inbox.receive(count: 1, timeout: .seconds(2)) { datagram in
            guard let message = try? StunMessage(decoding: datagram) else { return false }
            return message.transactionID == check.transactionID
        }
        return try responses.first.map { try StunMessage(decoding: $0) }
    }

    /// Connects ICE and DTLS with `transport` and keys SRTP; returns when the transport
    /// reports DTLS connected.
    func connect(to transport: WebRtcTransport) async throws {
        let parameters = await transport.iceParameters
        let response = try await iceCheck(parameters)
        XCTAssertEqual(response?.messageType, .bindingSuccessResponse)

        let certificate = try DtlsCertificate.generate()
        let serverFingerprint = try XCTUnwrap(transport.dtlsParameters.fingerprints.first { $0.algorithm == .sha256 })
        let dtls = try DtlsTransport(
            context: try DtlsContext(certificate: certificate), role: .server, remoteFingerprint: serverFingerprint)
        dtls.start()
        try await transport.connect(
            dtlsParameters: DtlsParameters(role: .server, fingerprints: [certificate.fingerprint(.sha256)]))

        var keys: DtlsSrtpKeys?
        while keys == nil {
            let datagrams = await inbox.receive(count: 1, timeout: .seconds(5)) {
                DtlsTransport.isDtls($0)
            }
            guard let datagram = datagrams.first else { throw EngineTestError("DTLS handshake stalled") }
            dtls.feed(datagram)
            while let outgoing = dtls.pollDatagram() { try await sendRaw(outgoing) }
            while let event = dtls.pollEvent() {
                if case .connected(let negotiated) = event { keys = negotiated }
                if case .failed(let reason) = event { throw EngineTestError("DTLS failed: \(reason)") }
            }
        }
        let negotiated = try XCTUnwrap(keys)
        let suite = try XCTUnwrap(SrtpCryptoSuite(rawValue: negotiated.profile.rawValue))
        try useSrtp(
            outbound: SrtpMasterKey(suite: suite, key: negotiated.localMasterKey, salt: negotiated.localMasterSalt),
            inbound: SrtpMasterKey(suite: suite, key: negotiated.remoteMasterKey, salt: negotiated.remoteMasterSalt))
        let connected = await BoundedWait.until(timeout: .seconds(2)) { await transport.currentDtlsState == .connected }
        XCTAssertTrue(connected, "the transport did not report DTLS connected")
    }
}
