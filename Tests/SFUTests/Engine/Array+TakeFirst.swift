extension Array {
    /// Removes and returns, in order, the first `limit` elements `predicate` accepts; the
    /// others keep their order (how test inboxes hand out what a test waits for).
    mutating func takeFirst(_ limit: Int = .max, where predicate: (Element) -> Bool) -> [Element] {
        var taken: [Element] = []
        removeAll { element in
            guard taken.count < limit, predicate(element) else { return false }
            taken.append(element)
            return true
        }
        return taken
    }
}
