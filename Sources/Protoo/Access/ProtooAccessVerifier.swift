import JWTKit

/// Checks the `?token=` of a protoo upgrade when access tokens are configured: signed with the
/// shared secret (HS256) or by the holder of the configured public key (ES256 or RS256), not
/// expired, and naming the room and peer of the connection.
public struct ProtooAccessVerifier: Sendable {
    private let keys = JWTKeyCollection()

    public init(key: ProtooAccessKey) async {
        switch key.material {
        case .secret(let secret): await keys.add(hmac: secret, digestAlgorithm: .sha256)
        case .ecdsa(let publicKey): await keys.add(ecdsa: publicKey)
        case .rsa(let publicKey): await keys.add(rsa: publicKey, digestAlgorithm: .sha256)
        }
    }

    /// The permissions `token` grants to peer `peerId` of room `roomId`; throws a 401 or 403
    /// protoo error whose reason says what is wrong with the token.
    public func permissions(token: String?, roomId: String, peerId: String) async throws(ProtooError)
        -> Set<ProtooPermission>
    {
        guard let token, !token.isEmpty else {
            throw ProtooError(code: 401, reason: "an access token is required: connect with ?token=<JWT>")
        }
        let claims: ProtooAccessClaims
        do {
            claims = try await keys.verify(token, as: ProtooAccessClaims.self, iteratingKeys: true)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw ProtooError(code: 401, reason: "access token expired")
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw ProtooError(code: 401, reason: "access token signature is not valid")
        } catch {
            throw ProtooError(code: 401, reason: "access token is not a valid JWT with roomId, peerId and exp claims")
        }
        guard claims.roomId == roomId else {
            throw ProtooError(code: 403, reason: "access token is for room \"\(claims.roomId)\", not \"\(roomId)\"")
        }
        guard claims.peerId == peerId else {
            throw ProtooError(code: 403, reason: "access token is for peer \"\(claims.peerId)\", not \"\(peerId)\"")
        }
        return claims.grantedPermissions
    }
}
