/// How many events of an engine object (a producer's scores, a consumer's layers, a transport's
/// tuples) wait for a reader: the newest are kept. A room reads them as they come; nobody reads
/// a pipe producer's or consumer's, which must not grow without bound for its whole life.
enum EventBuffering {
    static let limit = 1024

    static func policy<Event>() -> AsyncStream<Event>.Continuation.BufferingPolicy {
        .bufferingNewest(limit)
    }
}
