/// JavaScript's JSON may escape half a UTF-16 surrogate pair (`"\ud83d"`): `JSON.stringify`
/// writes one for a string cut in the middle of a character (a display name trimmed to a length
/// through an emoji), and `JSON.parse` reads it. Foundation refuses the whole text, so a protoo
/// request carrying one would go unanswered; such escapes become U+FFFD, as a UTF-8 decoder
/// treats a broken sequence.
enum LoneSurrogateEscapes {
    /// `text` with every lone surrogate escape replaced by `\ufffd`; nil when it has none.
    static func replaced(in text: String) -> String? {
        var bytes = Array(text.utf8)
        var changed = false
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                index += 1
                continue
            }
            guard let unit = escapedUnit(in: bytes, at: index) else {
                index += 2  // another escape (\\, \", \n...): its second byte is not a backslash to look at
                continue
            }
            if (0xD800...0xDBFF).contains(unit), let low = escapedUnit(in: bytes, at: index + 6), (0xDC00...0xDFFF).contains(low) {
                index += 12
                continue
            }
            if (0xD800...0xDFFF).contains(unit) {
                bytes.replaceSubrange((index + 2)..<(index + 6), with: "fffd".utf8)
                changed = true
            }
            index += 6
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// The code unit of a `\uXXXX` escape starting at `index`.
    private static func escapedUnit(in bytes: [UInt8], at index: Int) -> Int? {
        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
            return nil
        }
        var unit = 0
        for byte in bytes[(index + 2)..<(index + 6)] {
            guard let digit = Int(String(UnicodeScalar(byte)), radix: 16) else { return nil }
            unit = unit << 4 | digit
        }
        return unit
    }
}
