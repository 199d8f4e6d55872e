import Foundation
import XCTest

@testable import sfu_server

/// The development certificate is made once and kept, and made again when it is about to expire
/// or no longer names the server's address.
final class DevelopmentCertificateTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func make(ips: [String], now: Date = Date()) throws -> Bool {
        try DevelopmentCertificate.createUnlessCurrent(
            certificatePath: directory.appendingPathComponent("fullchain.pem").path,
            privateKeyPath: directory.appendingPathComponent("privkey.pem").path,
            hostNames: ["localhost"], ipAddresses: ips, now: now)
    }

    func testMadeOnceThenKeptThenRenewedForANewAddressOrNearItsEnd() throws {
        XCTAssertTrue(try make(ips: ["127.0.0.1", "192.0.2.10"]))
        let key = directory.appendingPathComponent("privkey.pem").path
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertFalse(try make(ips: ["127.0.0.1", "192.0.2.10"]), "a current certificate is kept")
        XCTAssertFalse(try make(ips: ["192.0.2.10"]), "naming fewer addresses keeps it")
        XCTAssertTrue(try make(ips: ["127.0.0.1", "192.0.2.99"]), "a new announced address renews it")
        XCTAssertTrue(try make(ips: ["127.0.0.1", "192.0.2.99"], now: Date().addingTimeInterval(397 * 86400)))
    }

    func testACertificateSomeoneElsePutThereIsKept() throws {
        let certificate = directory.appendingPathComponent("fullchain.pem")
        try "not a certificate of ours".write(to: certificate, atomically: true, encoding: .utf8)
        try "key".write(to: directory.appendingPathComponent("privkey.pem"), atomically: true, encoding: .utf8)
        XCTAssertFalse(try make(ips: ["127.0.0.1"]))
        XCTAssertEqual(try String(contentsOf: certificate, encoding: .utf8), "not a certificate of ours")
    }
}
