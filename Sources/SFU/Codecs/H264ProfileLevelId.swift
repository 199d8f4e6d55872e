/// An H264 `profile-level-id` (RFC 6184 §8.1): three hex bytes `profile_idc`, `profile_iop`,
/// `level_idc`, read into a profile and a level the way libwebrtc's `h264_profile_level_id` and
/// mediasoup's `h264-profile-level-id` read them, so that two endpoints and this server agree on
/// what a value means.
///
/// - The profile comes from `profile_idc` plus a bit pattern over the constraint flags in
///   `profile_iop` (`x` = either): `42 x1xx0000` and `4d 1xxx0000` and `58 11xx0000` are
///   constrained baseline; `42 x0xx0000` and `58 10xx0000` baseline; `4d 0x0x0000` main;
///   `64 00000000` high; `64 00001100` constrained high; `f4 00000000` predictive high 4:4:4.
/// - The level is `level_idc / 10`, except that `level_idc` 11 with constraint_set3_flag (0x10)
///   set means level 1b.
public struct H264ProfileLevelId: Sendable, Hashable {
    public enum Profile: Sendable, Hashable, CaseIterable {
        case constrainedBaseline
        case baseline
        case main
        case constrainedHigh
        case high
        case predictiveHigh444
    }

    /// H264 levels (Annex A). Raw values are `level_idc`, except level 1b which has none of its
    /// own and is given 0, as in libwebrtc.
    ///
    /// Ordered by capability: level 1b lies between 1 and 1.1.
    public enum Level: Int, Sendable, Hashable, CaseIterable, Comparable {
        case level1b = 0
        case level1 = 10
        case level1_1 = 11
        case level1_2 = 12
        case level1_3 = 13
        case level2 = 20
        case level2_1 = 21
        case level2_2 = 22
        case level3 = 30
        case level3_1 = 31
        case level3_2 = 32
        case level4 = 40
        case level4_1 = 41
        case level4_2 = 42
        case level5 = 50
        case level5_1 = 51
        case level5_2 = 52

        /// Position in capability order; 1b sits between 1 (100) and 1.1 (110).
        private var rank: Int { self == .level1b ? 105 : rawValue * 10 }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    /// Why a string is not a usable `profile-level-id`.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not exactly six hexadecimal digits.
        case notThreeHexBytes
        /// `level_idc` names no H264 level.
        case unknownLevel(levelIdc: UInt8)
        /// The `profile_idc`/`profile_iop` pair matches no known profile.
        case unknownProfile(profileIdc: UInt8, profileIop: UInt8)

        public var description: String {
            switch self {
            case .notThreeHexBytes:
                return "it is not 6 hexadecimal digits"
            case .unknownLevel(let levelIdc):
                return "level_idc 0x\(H264ProfileLevelId.hex(levelIdc)) is not an H264 level"
            case .unknownProfile(let profileIdc, let profileIop):
                return "profile_idc 0x\(H264ProfileLevelId.hex(profileIdc)) with profile_iop "
                    + "0x\(H264ProfileLevelId.hex(profileIop)) is not a supported H264 profile"
            }
        }
    }

    /// Why an answer's `profile-level-id` cannot be derived from an offer and local capabilities.
    public enum NegotiationError: Error, Sendable, Hashable, CustomStringConvertible {
        case invalidLocal(ParseError)
        case invalidRemote(ParseError)
        /// The answer keeps the profile; only levels are negotiated.
        case profileMismatch(local: Profile, remote: Profile)

        public var description: String {
            switch self {
            case .invalidLocal(let error): return "local profile-level-id is invalid: \(error)"
            case .invalidRemote(let error): return "remote profile-level-id is invalid: \(error)"
            case .profileMismatch(let local, let remote):
                return "H264 profiles differ: local \(local), remote \(remote)"
            }
        }
    }

    public var profile: Profile
    public var level: Level

    /// The value assumed when a codec has no `profile-level-id`: constrained baseline 3.1.
    /// RFC 6184 says baseline level 1, but libwebrtc (crbug.com/webrtc/6337) and mediasoup assume
    /// this one, and agreeing with them is what matters on the wire.
    public static let `default` = H264ProfileLevelId(profile: .constrainedBaseline, level: .level3_1)

    /// The parameter name in SDP fmtp lines and mediasoup codec parameters.
    public static let parameterName = "profile-level-id"

    public init(profile: Profile, level: Level) {
        self.profile = profile
        self.level = level
    }

    /// Parses six hex digits (either case), e.g. `42e01f`.
    public init(_ string: some StringProtocol) throws(ParseError) {
        let utf8 = Array(string.utf8)
        guard utf8.count == 6, utf8.allSatisfy(Self.isHexDigit),
            let value = UInt32(String(decoding: utf8, as: UTF8.self), radix: 16)
        else { throw .notThreeHexBytes }
        let profileIdc = UInt8(truncatingIfNeeded: value >> 16)
        let profileIop = UInt8(truncatingIfNeeded: value >> 8)
        let levelIdc = UInt8(truncatingIfNeeded: value)

        let constraintSet3Flag: UInt8 = 0x10
        let parsedLevel: Level
        switch Level(rawValue: Int(levelIdc)) {
        case .level1_1:
            parsedLevel = profileIop & constraintSet3Flag != 0 ? .level1b : .level1_1
        case .some(let known) where known != .level1b:
            parsedLevel = known
        default:
            throw .unknownLevel(levelIdc: levelIdc)
        }
        guard
            let pattern = Self.profilePatterns.first(where: {
                $0.profileIdc == profileIdc && profileIop & $0.mask == $0.maskedValue
            })
        else { throw .unknownProfile(profileIdc: profileIdc, profileIop: profileIop) }
        self.init(profile: pattern.profile, level: parsedLevel)
    }

    /// The `profile-level-id` of codec parameters: parsed when present, ``default`` when absent.
    public init(parameters: [String: CodecParameterValue]) throws(ParseError) {
        guard let value = parameters[Self.parameterName] else {
            self = .default
            return
        }
        try self.init(value.stringValue)
    }

    /// The canonical six hex digits, or nil for combinations H264 cannot express (level 1b
    /// exists only for baseline, constrained baseline and main).
    public var string: String? {
        if level == .level1b {
            switch profile {
            case .constrainedBaseline: return "42f00b"
            case .baseline: return "42100b"
            case .main: return "4d100b"
            case .constrainedHigh, .high, .predictiveHigh444: return nil
            }
        }
        let prefix: String
        switch profile {
        case .constrainedBaseline: prefix = "42e0"
        case .baseline: prefix = "4200"
        case .main: prefix = "4d00"
        case .constrainedHigh: prefix = "640c"
        case .high: prefix = "6400"
        case .predictiveHigh444: prefix = "f400"
        }
        return prefix + Self.hex(UInt8(level.rawValue))
    }

    /// True when both parameter sets name valid profile-level-ids of the same profile (levels
    /// may differ). This is mediasoup's strict-matching rule for H264.
    public static func isSameProfile(_ lhs: [String: CodecParameterValue], _ rhs: [String: CodecParameterValue]) -> Bool {
        guard let left = try? H264ProfileLevelId(parameters: lhs), let right = try? H264ProfileLevelId(parameters: rhs)
        else { return false }
        return left.profile == right.profile
    }

    /// The profile-level-id to put in an answer (RFC 6184 §8.2.2), given the local codec's
    /// parameters and the remote offer's: the local level when both allow level asymmetry,
    /// otherwise the lower of the two. Nil when neither names a profile-level-id (the answer
    /// then omits it too).
    public static func answer(
        localParameters: [String: CodecParameterValue],
        remoteParameters: [String: CodecParameterValue]
    ) throws(NegotiationError) -> H264ProfileLevelId? {
        guard localParameters[parameterName] != nil || remoteParameters[parameterName] != nil else { return nil }
        let local: H264ProfileLevelId
        let remote: H264ProfileLevelId
        do { local = try H264ProfileLevelId(parameters: localParameters) } catch { throw .invalidLocal(error) }
        do { remote = try H264ProfileLevelId(parameters: remoteParameters) } catch { throw .invalidRemote(error) }
        guard local.profile == remote.profile else {
            throw .profileMismatch(local: local.profile, remote: remote.profile)
        }
        let asymmetryAllowed = isLevelAsymmetryAllowed(localParameters) && isLevelAsymmetryAllowed(remoteParameters)
        return H264ProfileLevelId(profile: local.profile, level: asymmetryAllowed ? local.level : min(local.level, remote.level))
    }

    /// `level-asymmetry-allowed=1`.
    public static func isLevelAsymmetryAllowed(_ parameters: [String: CodecParameterValue]) -> Bool {
        parameters["level-asymmetry-allowed"]?.integerValue == 1
    }

    private struct ProfilePattern {
        var profileIdc: UInt8
        var mask: UInt8
        var maskedValue: UInt8
        var profile: Profile

        /// `pattern` is 8 characters, most significant bit first: `0`, `1` or `x` (either).
        init(_ profileIdc: UInt8, _ pattern: StaticString, _ profile: Profile) {
            self.profileIdc = profileIdc
            self.profile = profile
            var mask: UInt8 = 0
            var maskedValue: UInt8 = 0
            pattern.withUTF8Buffer { bits in
                for bit in bits {
                    mask = mask << 1 | (bit == UInt8(ascii: "x") ? 0 : 1)
                    maskedValue = maskedValue << 1 | (bit == UInt8(ascii: "1") ? 1 : 0)
                }
            }
            self.mask = mask
            self.maskedValue = maskedValue
        }
    }

    /// RFC 6184 §8.1, in libwebrtc's order (first match wins), plus mediasoup's 4:4:4 entry.
    private static let profilePatterns: [ProfilePattern] = [
        ProfilePattern(0x42, "x1xx0000", .constrainedBaseline),
        ProfilePattern(0x4D, "1xxx0000", .constrainedBaseline),
        ProfilePattern(0x58, "11xx0000", .constrainedBaseline),
        ProfilePattern(0x42, "x0xx0000", .baseline),
        ProfilePattern(0x58, "10xx0000", .baseline),
        ProfilePattern(0x4D, "0x0x0000", .main),
        ProfilePattern(0x64, "00000000", .high),
        ProfilePattern(0x64, "00001100", .constrainedHigh),
        ProfilePattern(0xF4, "00000000", .predictiveHigh444),
    ]

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }

    fileprivate static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }
}

extension H264ProfileLevelId.Profile: CustomStringConvertible {
    public var description: String {
        switch self {
        case .constrainedBaseline: return "constrained baseline"
        case .baseline: return "baseline"
        case .main: return "main"
        case .constrainedHigh: return "constrained high"
        case .high: return "high"
        case .predictiveHigh444: return "predictive high 4:4:4"
        }
    }
}

extension H264ProfileLevelId.Level: CustomStringConvertible {
    /// "1b", "3.1", "5".
    public var description: String {
        if self == .level1b { return "1b" }
        let major = rawValue / 10
        let minor = rawValue % 10
        return minor == 0 ? "\(major)" : "\(major).\(minor)"
    }
}

extension H264ProfileLevelId: CustomStringConvertible {
    /// "constrained baseline 3.1 (42e01f)".
    public var description: String {
        "\(profile) \(level)" + (string.map { " (\($0))" } ?? "")
    }
}
