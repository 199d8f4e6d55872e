import ServiceLifecycle
import SocketIO
import Synchronization

/// A service that listens on a port (Hummingbird's `Application`): a failure before it reported
/// listening, a port in use most often, is told with what it is for and where.
struct ListenerService<Wrapped: Service>: Service {
    let wrapped: Wrapped
    let purpose: String
    let host: String
    let port: Int
    let listening: ListeningReport

    func run() async throws {
        do {
            try await wrapped.run()
        } catch where !listening.reported {
            throw ListenError(purpose: purpose, host: host, port: port, transports: "tcp", underlying: error)
        }
    }
}

/// Set by a listening service's "listening" callback.
final class ListeningReport: Sendable {
    private let value = Atomic(false)
    func report() { value.store(true, ordering: .relaxed) }
    var reported: Bool { value.load(ordering: .relaxed) }
}
