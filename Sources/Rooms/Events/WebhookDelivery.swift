import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1

/// Posts one room's events to its `eventNotificationUri`, in order, from its own task: a slow
/// or failing endpoint delays only that room's later events, never media or other rooms.
/// Failed posts are retried with exponential backoff, then logged and counted.
final class WebhookDelivery: Sendable {
    private let continuation: AsyncStream<RoomEvent>.Continuation
    private let task: Task<Void, Never>

    init(uri: URL, settings: WebhookSettings, client: HTTPClient, logger: Logger) {
        let (events, continuation) = AsyncStream<RoomEvent>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        self.continuation = continuation
        task = Task {
            let delivered = Counter(label: "sfu_webhook_deliveries_total")
            let failed = Counter(label: "sfu_webhook_failures_total")
            for await event in events {
                if await Self.deliver(event, to: uri, settings: settings, client: client, logger: logger) {
                    delivered.increment()
                } else {
                    failed.increment()
                }
            }
        }
    }

    func send(_ event: RoomEvent) {
        continuation.yield(event)
    }

    /// Delivers what is queued, then stops.
    func finish() {
        continuation.finish()
    }

    private static func deliver(
        _ event: RoomEvent, to uri: URL, settings: WebhookSettings, client: HTTPClient, logger: Logger
    ) async -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let body = try? encoder.encode(event) else { return false }
        var request = HTTPClientRequest(url: uri.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "sfu-server")
        if let secret = settings.secret {
            request.headers.add(name: "X-SFU-Signature", value: "sha256=" + signature(of: body, secret: secret))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        var backoff = settings.initialBackoff
        for attempt in 1...max(1, settings.maxAttempts) {
            do {
                let response = try await client.execute(request, timeout: .nanoseconds(settings.requestTimeout.nanoseconds))
                if (200..<300).contains(response.status.code) { return true }
                logger.warning(
                    "webhook refused",
                    metadata: ["uri": "\(uri)", "event": "\(event.event.rawValue)", "status": "\(response.status.code)",
                        "attempt": "\(attempt)"])
            } catch {
                logger.warning(
                    "webhook failed",
                    metadata: ["uri": "\(uri)", "event": "\(event.event.rawValue)", "error": "\(error)", "attempt": "\(attempt)"])
            }
            guard attempt < settings.maxAttempts else { break }
            try? await Task.sleep(for: backoff)
            backoff *= 2
        }
        logger.error("webhook dropped after retries", metadata: ["uri": "\(uri)", "event": "\(event.event.rawValue)"])
        return false
    }

    /// Hex HMAC-SHA256 of `body` with `secret`, what receivers recompute to authenticate a post.
    static func signature(of body: Data, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
