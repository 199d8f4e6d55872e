import XCTest

/// The error `expression` throws; fails the test (and returns nil) when it does not throw.
@discardableResult
func XCTAssertThrowsErrorAsync<T>(
    _ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> (any Error)? {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
        return nil
    } catch {
        return error
    }
}
