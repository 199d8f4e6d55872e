import XCTest

@testable import SFU

final class SrtpMicroBenchmarkTests: XCTestCase {
    func testMicroBenchmarkReports() throws {
        let results = try SrtpMicroBenchmark.run(iterations: 50, repetitions: 2)
        // 4 suites × 2 sizes × (2 backends × 2 operations + 1 bare EVP row)
        XCTAssertEqual(results.count, 40)
        XCTAssertTrue(results.allSatisfy { $0.nanosecondsPerPacket >= 0 })
        XCTAssertEqual(Set(results.map(\.implementation)), ["openssl", "libsrtp", "evp"])
        XCTAssertTrue(results[0].description.hasSuffix(" ns"))
    }
}
