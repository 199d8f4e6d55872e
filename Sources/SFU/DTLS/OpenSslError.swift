import COpenSSL

/// A failed OpenSSL call: which call failed and what OpenSSL said about it.
///
/// OpenSSL reports errors through a per-thread queue. Every DTLS type drains that queue into
/// one of these values right after a failing call, so the queue never carries stale entries
/// into an unrelated call on the same thread (an event loop runs many transports).
public struct OpenSslError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The OpenSSL function (or step) that failed, e.g. `"SSL_CTX_use_PrivateKey"`.
    public let operation: String
    /// OpenSSL's messages, oldest first; empty when the call failed without queueing any.
    public let messages: [String]

    public init(operation: String, messages: [String]) {
        self.operation = operation
        self.messages = messages
    }

    public var description: String {
        messages.isEmpty ? "\(operation) failed" : "\(operation) failed: \(messages.joined(separator: "; "))"
    }

    /// Empties the calling thread's error queue and returns its messages as an error for
    /// `operation`.
    static func drain(_ operation: String) -> OpenSslError {
        OpenSslError(operation: operation, messages: drainQueue())
    }

    /// Empties the calling thread's error queue, returning its messages oldest first.
    ///
    /// Called before `SSL_read`/`SSL_write`/`SSL_do_handshake`, whose `SSL_get_error` result is
    /// only meaningful when the queue was empty before the call.
    @discardableResult
    static func drainQueue() -> [String] {
        var messages: [String] = []
        var code = ERR_get_error()
        while code != 0 {
            messages.append(message(for: code))
            code = ERR_get_error()
        }
        return messages
    }

    private static func message(for code: UInt) -> String {
        // ERR_error_string_n documents 256 bytes as always sufficient.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            ERR_error_string_n(code, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }
}
