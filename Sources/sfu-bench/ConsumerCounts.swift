/// The value of a `--consumers 1,10,100` option: positive counts, one measurement each.
enum ConsumerCounts {
    static let validationMessage = "--consumers: positive integers separated by commas"

    static func parse(_ text: String) -> [Int]? {
        let counts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return counts.compactMap { $0 }
    }
}
