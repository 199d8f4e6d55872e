import Foundation
import XCTest

@testable import SFU

final class DtlsCertificateTests: XCTestCase {
    func testFingerprintsAreUppercaseColonHexForEveryAlgorithm() throws {
        let certificate = try DtlsCertificate.generate()
        XCTAssertEqual(certificate.fingerprints.map(\.algorithm), DtlsFingerprintAlgorithm.allCases)
        XCTAssertEqual(
            certificate.fingerprints.map(\.algorithm.rawValue), ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"])
        for fingerprint in certificate.fingerprints {
            let pairs = fingerprint.value.split(separator: ":", omittingEmptySubsequences: false)
            XCTAssertEqual(pairs.count, fingerprint.algorithm.digestLength, fingerprint.algorithm.rawValue)
            XCTAssertTrue(pairs.allSatisfy { $0.count == 2 && $0.allSatisfy { "0123456789ABCDEF".contains($0) } })
            XCTAssertEqual(certificate.fingerprint(fingerprint.algorithm), fingerprint)
        }
    }

    func testEachGeneratedCertificateIsDifferent() throws {
        XCTAssertNotEqual(
            try DtlsCertificate.generate().fingerprint(.sha256), try DtlsCertificate.generate().fingerprint(.sha256))
    }

    func testFingerprintFormatMatchesMediasoup() {
        let fingerprint = DtlsFingerprint(algorithm: .sha1, digest: [0x00, 0x0A, 0xFF, 0x7B])
        XCTAssertEqual(fingerprint.value, "00:0A:FF:7B")
        XCTAssertTrue(fingerprint.matches(DtlsFingerprint(algorithm: .sha1, value: "00:0a:ff:7b")))
        XCTAssertFalse(fingerprint.matches(DtlsFingerprint(algorithm: .sha256, value: "00:0A:FF:7B")))
        XCTAssertEqual(DtlsFingerprintAlgorithm(name: "SHA-256"), .sha256)
        XCTAssertNil(DtlsFingerprintAlgorithm(name: "md5"))
    }

    func testFingerprintIsJsonShapedLikeMediasoups() throws {
        let json = try JSONEncoder().encode(DtlsFingerprint(algorithm: .sha256, value: "AB:CD"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: String])
        XCTAssertEqual(object, ["algorithm": "sha-256", "value": "AB:CD"])
    }

    func testSha256FingerprintMatchesOpensslCommandLine() throws {
        let openssl = "/usr/bin/openssl"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: openssl), "no openssl binary")
        let certificate = try DtlsCertificate.generate()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-\(UUID().uuidString).pem")
        try certificate.certificatePEM.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = ["x509", "-noout", "-fingerprint", "-sha256", "-in", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let printed = try XCTUnwrap(text.split(separator: "=").last).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(printed, certificate.fingerprint(.sha256).value)
    }

    func testLoadsCertificateAndKeyFromPemFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificateFile = directory.appendingPathComponent("fullchain.pem")
        let keyFile = directory.appendingPathComponent("privkey.pem")
        let otherKeyFile = directory.appendingPathComponent("other.pem")
        try runOpenssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=test", "-keyout", keyFile.path, "-out", certificateFile.path,
        ])
        try runOpenssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", otherKeyFile.path])

        let loaded = try DtlsCertificate(certificateFile: certificateFile.path, privateKeyFile: keyFile.path)
        let fromText = try DtlsCertificate(
            certificatePEM: String(contentsOf: certificateFile, encoding: .utf8),
            privateKeyPEM: String(contentsOf: keyFile, encoding: .utf8))
        XCTAssertEqual(loaded, fromText)
        XCTAssertEqual(loaded.fingerprints.count, 5)
        // Usable for a context (SSL_CTX_check_private_key passes).
        XCTAssertNoThrow(try DtlsContext(certificate: loaded))

        XCTAssertThrowsError(try DtlsCertificate(certificateFile: certificateFile.path, privateKeyFile: otherKeyFile.path)) {
            XCTAssertEqual($0 as? DtlsError, .privateKeyDoesNotMatchCertificate)
        }
        XCTAssertThrowsError(try DtlsCertificate(certificateFile: directory.appendingPathComponent("none").path, privateKeyFile: keyFile.path)) {
            guard case .certificateUnreadable(let error) = $0 as? DtlsError else { return XCTFail("\($0)") }
            XCTAssertFalse(error.messages.isEmpty)
        }
    }

    func testGarbagePemIsRefusedWithAReadableError() throws {
        let generated = try DtlsCertificate.generate()
        XCTAssertThrowsError(try DtlsCertificate(certificatePEM: "not a certificate", privateKeyPEM: "")) {
            guard case .certificateUnreadable = $0 as? DtlsError else { return XCTFail("\($0)") }
            XCTAssertTrue(String(describing: $0).contains("PEM_read_bio_X509"))
        }
        XCTAssertThrowsError(try DtlsCertificate(certificatePEM: generated.certificatePEM, privateKeyPEM: "garbage")) {
            guard case .privateKeyUnreadable = $0 as? DtlsError else { return XCTFail("\($0)") }
        }
    }

    func testContextNeedsAnSrtpProfile() throws {
        XCTAssertThrowsError(try DtlsContext(certificate: DtlsCertificate.generate(), srtpProfiles: [])) {
            XCTAssertEqual($0 as? DtlsError, .noSrtpProfiles)
        }
    }

    private func runOpenssl(_ arguments: [String]) throws {
        let openssl = "/usr/bin/openssl"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: openssl), "no openssl binary")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "openssl \(arguments.joined(separator: " "))")
    }
}
