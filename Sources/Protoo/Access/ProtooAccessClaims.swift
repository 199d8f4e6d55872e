import Foundation
import JWTKit

/// The claims of a protoo access token:
/// `{"roomId": "R", "peerId": "P", "exp": 1767225600, "permissions": ["publish", "subscribe"]}`.
/// `exp` is required (a token that never expires cannot be taken back); `permissions` left out
/// grants all of them, as LiveKit's grants default to allowing publish and subscribe.
public struct ProtooAccessClaims: JWTPayload, Equatable {
    public var roomId: String
    public var peerId: String
    public var exp: ExpirationClaim
    public var permissions: [ProtooPermission]?

    public init(roomId: String, peerId: String, expires: Date, permissions: [ProtooPermission]? = nil) {
        self.roomId = roomId
        self.peerId = peerId
        self.exp = ExpirationClaim(value: expires)
        self.permissions = permissions
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    var grantedPermissions: Set<ProtooPermission> { Set(permissions ?? ProtooPermission.allCases) }
}
