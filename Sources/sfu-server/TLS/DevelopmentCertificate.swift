import Crypto
import Foundation
import SwiftASN1
import Turn
import X509

/// The self-signed ECDSA P-256 certificate made on first run when no certificate is configured,
/// so `make run` serves HTTPS/WSS at once. Browsers warn about it; production brings its own.
enum DevelopmentCertificate {
    private static let commonName = "sfu-server development certificate"

    /// Writes the certificate and key unless both files exist and hold either a certificate
    /// someone else put there, or one of ours valid for another day that names every host and
    /// address asked for (a new announced IP, or an expired certificate, makes a new one).
    /// Returns true when it wrote them.
    static func createUnlessCurrent(
        certificatePath: String, privateKeyPath: String, hostNames: [String], ipAddresses: [String], now: Date = Date()
    ) throws -> Bool {
        let files = FileManager.default
        var alternativeNames = hostNames.map { GeneralName.dnsName($0) }
        for ip in ipAddresses {
            guard let bytes = IPNetwork.addressBytes(ip) else { continue }
            alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        if files.fileExists(atPath: certificatePath) && files.fileExists(atPath: privateKeyPath),
            !needsRenewal(certificatePath: certificatePath, names: alternativeNames, now: now)
        {
            return false
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("sfu-server")
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            // Browsers reject server certificates valid for more than 398 days.
            notValidAfter: now.addingTimeInterval(397 * 86400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))

        for path in [certificatePath, privateKeyPath] {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }
        try writePrivately(key.pemRepresentation, to: privateKeyPath)
        try Data(certificate.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: certificatePath))
        return true
    }

    /// Whether the file holds a development certificate of ours that expires within a day or
    /// lacks one of `names`. An unreadable file, or a certificate of someone else's, is kept.
    private static func needsRenewal(certificatePath: String, names: [GeneralName], now: Date) -> Bool {
        guard let pem = try? String(contentsOfFile: certificatePath, encoding: .utf8),
            let certificate = try? Certificate(pemEncoded: pem),
            certificate.subject.description.contains(commonName)
        else { return false }
        if certificate.notValidAfter < now.addingTimeInterval(86400) { return true }
        guard let present = try? certificate.extensions.subjectAlternativeNames else { return true }
        return !names.allSatisfy { present.contains($0) }
    }

    /// Writes `text` to a file only its owner may read, from its creation on.
    private static func writePrivately(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(descriptor) }
        // A file that existed keeps its mode through O_CREAT: set it.
        guard fchmod(descriptor, 0o600) == 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            written += result
        }
    }
}
