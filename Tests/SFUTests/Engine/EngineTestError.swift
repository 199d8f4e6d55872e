/// A step of an engine test's own protocol work (a handshake the test drives) that failed.
struct EngineTestError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
