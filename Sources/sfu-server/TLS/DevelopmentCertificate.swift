import Crypto
import Foundation
import SwiftASN1
import Turn
import X509

/// The self-signed ECDSA P-256 certificate made on first run when no certificate is configured,
/// so `make run` serves HTTPS/WSS at once. Browsers warn about it; production brings its own.
enum DevelopmentCertificate {
    /// Writes the certificate and key unless both files already exist. Returns true when it made them.
    static func createIfMissing(
        certificatePath: String, privateKeyPath: String, hostNames: [String], ipAddresses: [String]
    ) throws -> Bool {
        let files = FileManager.default
        if files.fileExists(atPath: certificatePath) && files.fileExists(atPath: privateKeyPath) {
            return false
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("sfu-server")
            CommonName("sfu-server development certificate")
        }
        var alternativeNames = hostNames.map { GeneralName.dnsName($0) }
        for ip in ipAddresses {
            guard let bytes = IPNetwork.addressBytes(ip) else { continue }
            alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        let now = Date()
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
        try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: privateKeyPath))
        try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: privateKeyPath)
        try Data(certificate.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: certificatePath))
        return true
    }
}
