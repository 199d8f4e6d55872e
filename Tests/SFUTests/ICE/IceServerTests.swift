import NIOCore
import STUN
import XCTest

@testable import SFU

final class IceServerTests: XCTestCase {
    private let parameters = IceParameters(
        usernameFragment: "abcdefghijklmnopqrstuvwxyz012345", password: "0123456789abcdefghijklmnopqrstuv")
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    private var key: StunIntegrityKey { StunCredentials.shortTermKey(password: parameters.password) }

    private func makeServer(consentTimeout: TimeAmount = IceServer.defaultConsentTimeout) -> IceServer {
        var server = IceServer(parameters: parameters, consentTimeout: consentTimeout)
        XCTAssertEqual(server.drainEvents(), [.localUsernameFragmentAdded(parameters.usernameFragment)])
        return server
    }

    /// Sends `check` on `tuple` and decodes the answer, failing if there is none.
    private func exchange(
        _ server: inout IceServer, _ check: IceCheck, tuple: TransportTuple = IceTestTuples.udp(0),
        now: NIODeadline? = nil, file: StaticString = #filePath, line: UInt = #line
    ) throws -> StunMessage {
        let response = try XCTUnwrap(
            server.handleStunPacket(try check.encoded(), tuple: tuple, now: now ?? start), "no response",
            file: file, line: line)
        return try StunMessage(decoding: response)
    }

    private func assertError(
        _ response: StunMessage, code: UInt16, signedWith password: String?, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(response.messageType.messageClass, .errorResponse, file: file, line: line)
        XCTAssertEqual(response.errorCode?.code, code, file: file, line: line)
        XCTAssertEqual(response.verifyFingerprint(), .valid, file: file, line: line)
        let expectedIntegrity: StunVerification = password == nil ? .absent : .valid
        XCTAssertEqual(
            response.verifyMessageIntegrity(key: StunCredentials.shortTermKey(password: password ?? "")),
            expectedIntegrity, file: file, line: line)
    }

    // MARK: The check exchange

    func testValidCheckIsAnsweredWithSuccessResponseTheClientCanVerify() throws {
        var server = makeServer()
        let check = IceCheck(for: parameters, useCandidate: true)
        let tuple = IceTestTuples.udp(7)

        let response = try exchange(&server, check, tuple: tuple)

        XCTAssertEqual(response.messageType, .bindingSuccessResponse)
        XCTAssertEqual(response.transactionID, check.transactionID)
        XCTAssertEqual(response.xorMappedAddress, StunAddress(tuple.remoteAddress))
        XCTAssertEqual(response.verifyMessageIntegrity(key: key), .valid)
        XCTAssertEqual(response.verifyFingerprint(), .valid)
        XCTAssertEqual(server.stats.requestsAccepted, 1)
    }

    func testFirstCheckWithoutUseCandidateConnectsOnItsTuple() throws {
        var server = makeServer()
        let tuple = IceTestTuples.udp(1)

        _ = try exchange(&server, IceCheck(for: parameters), tuple: tuple)

        XCTAssertEqual(server.state, .connected)
        XCTAssertEqual(server.selectedTuple, tuple)
        XCTAssertTrue(server.isValid(tuple: tuple))
        XCTAssertFalse(server.isValid(tuple: IceTestTuples.udp(2)))
        XCTAssertEqual(
            server.drainEvents(), [.tupleAdded(tuple), .selectedTupleChanged(tuple), .stateChanged(.connected)])
    }

    func testUseCandidateCompletesAndMovesTheSelection() throws {
        var server = makeServer()
        _ = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.udp(1))
        _ = server.drainEvents()

        _ = try exchange(&server, IceCheck(for: parameters, useCandidate: true), tuple: IceTestTuples.udp(2))

        XCTAssertEqual(server.state, .completed)
        XCTAssertEqual(server.selectedTuple, IceTestTuples.udp(2))
        XCTAssertEqual(
            server.drainEvents(),
            [.tupleAdded(IceTestTuples.udp(2)), .selectedTupleChanged(IceTestTuples.udp(2)), .stateChanged(.completed)])

        // Further checks on a known tuple change nothing.
        _ = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.udp(1))
        XCTAssertEqual(server.drainEvents(), [])
        XCTAssertEqual(server.selectedTuple, IceTestTuples.udp(2))
    }

    func testRenominationMovesTheSelectionOnlyForAHigherNomination() throws {
        var server = makeServer()
        var first = IceCheck(for: parameters)
        first.nomination = 2
        _ = try exchange(&server, first, tuple: IceTestTuples.udp(1))
        XCTAssertEqual(server.state, .completed)

        var stale = IceCheck(for: parameters)
        stale.nomination = 1
        _ = try exchange(&server, stale, tuple: IceTestTuples.udp(2))
        XCTAssertEqual(server.selectedTuple, IceTestTuples.udp(1))
        XCTAssertTrue(server.isValid(tuple: IceTestTuples.udp(2)))

        var renominated = IceCheck(for: parameters)
        renominated.nomination = 3
        _ = try exchange(&server, renominated, tuple: IceTestTuples.udp(2))
        XCTAssertEqual(server.selectedTuple, IceTestTuples.udp(2))
    }

    // MARK: Rejected checks

    func testWrongPasswordIsAnswered401WithoutIntegrity() throws {
        var server = makeServer()
        var check = IceCheck(for: parameters)
        check.password = "not-the-password-not-the-passwd"

        assertError(try exchange(&server, check), code: 401, signedWith: nil)
        XCTAssertEqual(server.state, .new)
        XCTAssertEqual(server.tuples, [])
        XCTAssertEqual(server.stats.requestsRejected, 1)
    }

    func testWrongUsernameFragmentIsAnswered401() throws {
        var server = makeServer()
        var check = IceCheck(for: parameters)
        check.username = "someoneelse0000000000000000000000:\(IceCheck.remoteUsernameFragment)"
        assertError(try exchange(&server, check), code: 401, signedWith: nil)

        // Our fragment without the ":" separator, or as a mere prefix of the local part.
        check.username = parameters.usernameFragment
        assertError(try exchange(&server, check), code: 401, signedWith: nil)
        check.username = parameters.usernameFragment + "x:remote"
        assertError(try exchange(&server, check), code: 401, signedWith: nil)
        XCTAssertEqual(server.tuples, [])
    }

    func testIntegrityBrokenInTransitIsAnswered401() throws {
        var server = makeServer()
        let tampered = try IceCheck(for: parameters).encodedWithTamperedPriority()

        let answer = server.handleStunPacket(tampered, tuple: IceTestTuples.udp(0), now: start)
        let response = try StunMessage(decoding: try XCTUnwrap(answer))

        assertError(response, code: 401, signedWith: nil)
        XCTAssertEqual(server.state, .new)
    }

    func testMissingUsernameOrIntegrityIsAnswered400() throws {
        var server = makeServer()
        var noUsername = IceCheck(for: parameters)
        noUsername.username = nil
        assertError(try exchange(&server, noUsername), code: 400, signedWith: nil)

        var noIntegrity = IceCheck(for: parameters)
        noIntegrity.password = nil
        assertError(try exchange(&server, noIntegrity), code: 400, signedWith: nil)
        XCTAssertEqual(server.tuples, [])
    }

    func testMissingPriorityIsAnswered400() throws {
        var server = makeServer()
        var check = IceCheck(for: parameters)
        check.priority = nil

        assertError(try exchange(&server, check), code: 400, signedWith: nil)
        XCTAssertEqual(server.tuples, [])
    }

    func testMissingFingerprintIsAnswered400() throws {
        var server = makeServer()
        var check = IceCheck(for: parameters)
        check.fingerprint = false

        assertError(try exchange(&server, check), code: 400, signedWith: nil)
        XCTAssertEqual(server.tuples, [])
    }

    func testCorruptFingerprintIsDroppedWithoutAnswer() throws {
        var server = makeServer()
        var packet = try IceCheck(for: parameters).encoded()
        let last = packet.writerIndex - 1
        packet.setInteger(try XCTUnwrap(packet.getInteger(at: last, as: UInt8.self)) ^ 0x01, at: last)

        XCTAssertNil(server.handleStunPacket(packet, tuple: IceTestTuples.udp(0), now: start))
        XCTAssertEqual(server.stats.packetsDropped, 1)
        XCTAssertEqual(server.tuples, [])
    }

    func testIceControlledPeerIsAnswered487SignedWithOurPassword() throws {
        var server = makeServer()
        var check = IceCheck(for: parameters, useCandidate: true)
        check.iceControlling = nil
        check.iceControlled = 42

        assertError(try exchange(&server, check), code: 487, signedWith: parameters.password)
        XCTAssertEqual(server.state, .new)
        XCTAssertEqual(server.tuples, [])
    }

    func testUnknownComprehensionRequiredAttributeIsAnswered420() throws {
        var server = makeServer()
        var check = IceCheck(for: parameters)
        check.extraAttributes = [.unknown(type: StunAttributeType(rawValue: 0x7F01), value: [1, 2, 3, 4])]

        let response = try exchange(&server, check)

        assertError(response, code: 420, signedWith: parameters.password)
        XCTAssertTrue(response.attributes.contains(.unknownAttributes([StunAttributeType(rawValue: 0x7F01)])))
        XCTAssertEqual(server.tuples, [])
    }

    func testOtherMethodsAreAnswered400() throws {
        var server = makeServer()
        var check = IceCheck(for: parameters)
        check.messageType = StunMessageType(method: .allocate, messageClass: .request)

        let response = try exchange(&server, check)

        assertError(response, code: 400, signedWith: nil)
        XCTAssertEqual(response.messageType.method, .allocate)
    }

    func testIndicationsAndResponsesAreIgnored() throws {
        var server = makeServer()
        for messageClass in [StunMessageClass.indication, .successResponse, .errorResponse] {
            var check = IceCheck(for: parameters)
            check.messageType = StunMessageType(method: .binding, messageClass: messageClass)
            if messageClass == .errorResponse { check.extraAttributes = [.errorCode(.badRequest)] }
            XCTAssertNil(server.handleStunPacket(try check.encoded(), tuple: IceTestTuples.udp(0), now: start))
        }
        XCTAssertEqual(server.stats.messagesIgnored, 3)
        XCTAssertEqual(server.state, .new)
    }

    func testNonStunBytesAreDropped() {
        var server = makeServer()
        let dtls = ByteBuffer(bytes: [0x16, 0xFE, 0xFD, 0, 0])
        XCTAssertNil(server.handleStunPacket(dtls, tuple: IceTestTuples.udp(0), now: start))
        XCTAssertEqual(server.stats.packetsDropped, 1)
    }

    // MARK: Tuples

    func testNinthTupleEvictsTheOldestUnselectedOne() throws {
        var server = makeServer()
        for index in 0..<9 {
            _ = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.udp(index))
        }

        XCTAssertEqual(server.tuples.count, IceServer.maxTuples)
        XCTAssertEqual(server.selectedTuple, IceTestTuples.udp(0))
        XCTAssertTrue(server.isValid(tuple: IceTestTuples.udp(0)), "the selected tuple is never evicted")
        XCTAssertFalse(server.isValid(tuple: IceTestTuples.udp(1)), "the oldest unselected tuple goes")
        XCTAssertTrue((2..<9).allSatisfy { server.isValid(tuple: IceTestTuples.udp($0)) })
        XCTAssertEqual(server.tuples.first, IceTestTuples.udp(8))
        XCTAssertEqual(
            server.drainEvents().suffix(2), [.tupleAdded(IceTestTuples.udp(8)), .tupleRemoved(IceTestTuples.udp(1))])
    }

    func testRemovingTheSelectedTcpTupleFallsBackToTheNewestOther() throws {
        var server = makeServer()
        _ = try exchange(&server, IceCheck(for: parameters, useCandidate: true), tuple: IceTestTuples.tcp(1))
        _ = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.tcp(2))
        _ = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.tcp(3))
        _ = server.drainEvents()

        server.removeTuple(IceTestTuples.tcp(1), now: start)

        XCTAssertEqual(server.selectedTuple, IceTestTuples.tcp(3))
        XCTAssertEqual(server.state, .completed)
        XCTAssertEqual(
            server.drainEvents(), [.tupleRemoved(IceTestTuples.tcp(1)), .selectedTupleChanged(IceTestTuples.tcp(3))])

        server.removeTuple(IceTestTuples.tcp(2), now: start)
        server.removeTuple(IceTestTuples.tcp(3), now: start)
        XCTAssertEqual(server.state, .disconnected)
        XCTAssertNil(server.selectedTuple)
        XCTAssertNil(server.nextTimeout)
        XCTAssertEqual(
            server.drainEvents(),
            [.tupleRemoved(IceTestTuples.tcp(2)), .tupleRemoved(IceTestTuples.tcp(3)), .stateChanged(.disconnected)])
    }

    func testMediaOnAnotherValidTupleForcesTheSelection() throws {
        var server = makeServer()
        _ = try exchange(&server, IceCheck(for: parameters, useCandidate: true), tuple: IceTestTuples.udp(1))
        _ = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.udp(2))
        _ = server.drainEvents()

        server.mayForceSelectedTuple(IceTestTuples.udp(3))
        XCTAssertEqual(server.selectedTuple, IceTestTuples.udp(1), "an unvalidated tuple is never selected")

        server.mayForceSelectedTuple(IceTestTuples.udp(2))
        XCTAssertEqual(server.selectedTuple, IceTestTuples.udp(2))
        XCTAssertEqual(server.drainEvents(), [.selectedTupleChanged(IceTestTuples.udp(2))])
    }

    // MARK: Consent freshness

    func testConsentExpiryDisconnectsAndANewCheckReconnects() throws {
        var server = makeServer()
        _ = try exchange(&server, IceCheck(for: parameters, useCandidate: true), tuple: IceTestTuples.udp(1))
        _ = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.udp(2), now: start + .seconds(5))
        _ = server.drainEvents()
        XCTAssertEqual(server.nextTimeout, start + .seconds(35), "each valid check restarts the consent timer")

        server.handleTimeout(now: start + .seconds(34))
        XCTAssertEqual(server.state, .completed, "an early timeout does nothing")

        server.handleTimeout(now: start + .seconds(35))
        XCTAssertEqual(server.state, .disconnected)
        XCTAssertEqual(server.tuples, [])
        XCTAssertNil(server.selectedTuple)
        XCTAssertNil(server.nextTimeout)
        XCTAssertFalse(server.isValid(tuple: IceTestTuples.udp(1)))
        XCTAssertEqual(
            server.drainEvents(),
            [.tupleRemoved(IceTestTuples.udp(2)), .tupleRemoved(IceTestTuples.udp(1)), .stateChanged(.disconnected)])

        _ = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.udp(3), now: start + .seconds(40))
        XCTAssertEqual(server.state, .connected)
        XCTAssertEqual(server.selectedTuple, IceTestTuples.udp(3))
        XCTAssertEqual(server.nextTimeout, start + .seconds(70))
    }

    func testConsentTimeoutIsClampedAndZeroDisablesIt() throws {
        XCTAssertEqual(IceServer(parameters: parameters, consentTimeout: .seconds(2)).consentTimeout, .seconds(10))
        XCTAssertEqual(IceServer(parameters: parameters, consentTimeout: .seconds(90)).consentTimeout, .seconds(60))
        XCTAssertEqual(IceServer(parameters: parameters, consentTimeout: .seconds(45)).consentTimeout, .seconds(45))

        var server = makeServer(consentTimeout: .zero)
        XCTAssertNil(server.consentTimeout)
        _ = try exchange(&server, IceCheck(for: parameters, useCandidate: true))
        XCTAssertNil(server.nextTimeout)
        server.handleTimeout(now: start + .hours(1))
        XCTAssertEqual(server.state, .completed)
    }

    // MARK: ICE restart

    func testRestartIceKeepsThePreviousCredentialsUntilTheNewOnesAreUsed() throws {
        var server = makeServer()
        _ = try exchange(&server, IceCheck(for: parameters, useCandidate: true), tuple: IceTestTuples.udp(1))
        _ = server.drainEvents()

        let restarted = server.restartIce(now: start + .seconds(10))

        XCTAssertEqual(restarted, server.parameters)
        XCTAssertNotEqual(restarted.usernameFragment, parameters.usernameFragment)
        XCTAssertEqual(restarted.usernameFragment.count, 32)
        XCTAssertTrue(restarted.iceLite)
        XCTAssertEqual(server.localUsernameFragments, [restarted.usernameFragment, parameters.usernameFragment])
        XCTAssertEqual(server.drainEvents(), [.localUsernameFragmentAdded(restarted.usernameFragment)])
        XCTAssertEqual(server.nextTimeout, start + .seconds(40), "consent restarts to give the client time")

        // The client keeps checking with the old credentials: still answered, signed with the old password.
        let old = try exchange(&server, IceCheck(for: parameters), tuple: IceTestTuples.udp(1))
        XCTAssertEqual(old.messageType, .bindingSuccessResponse)
        XCTAssertEqual(old.verifyMessageIntegrity(key: key), .valid)

        // The first check with the new credentials retires the old ones.
        let new = try exchange(&server, IceCheck(for: restarted, useCandidate: true), tuple: IceTestTuples.udp(1))
        let newKey = StunCredentials.shortTermKey(password: restarted.password)
        XCTAssertEqual(new.verifyMessageIntegrity(key: newKey), .valid)
        XCTAssertEqual(server.localUsernameFragments, [restarted.usernameFragment])
        XCTAssertEqual(server.drainEvents(), [.localUsernameFragmentRemoved(parameters.usernameFragment)])

        assertError(try exchange(&server, IceCheck(for: parameters)), code: 401, signedWith: nil)
        XCTAssertEqual(server.state, .completed)
    }

    func testSecondRestartRetiresTheOldestCredentialsAtOnce() {
        var server = makeServer()
        let first = server.restartIce(now: start)
        let second = server.restartIce(now: start)

        XCTAssertEqual(server.localUsernameFragments, [second.usernameFragment, first.usernameFragment])
        XCTAssertEqual(
            server.drainEvents(),
            [
                .localUsernameFragmentAdded(first.usernameFragment),
                .localUsernameFragmentRemoved(parameters.usernameFragment),
                .localUsernameFragmentAdded(second.usernameFragment),
            ])
    }

    // MARK: Close

    func testCloseReportsRemovalsAndDropsLaterInput() throws {
        var server = makeServer()
        _ = try exchange(&server, IceCheck(for: parameters, useCandidate: true), tuple: IceTestTuples.udp(1))
        _ = server.drainEvents()

        server.close()

        XCTAssertEqual(server.state, .closed)
        XCTAssertEqual(server.localUsernameFragments, [])
        XCTAssertNil(server.selectedTuple)
        XCTAssertNil(server.nextTimeout)
        XCTAssertEqual(
            server.drainEvents(),
            [.localUsernameFragmentRemoved(parameters.usernameFragment), .tupleRemoved(IceTestTuples.udp(1))])
        let lateCheck = try IceCheck(for: parameters).encoded()
        XCTAssertNil(server.handleStunPacket(lateCheck, tuple: IceTestTuples.udp(1), now: start))
        XCTAssertEqual(server.stats.packetsDropped, 1)
    }
}
