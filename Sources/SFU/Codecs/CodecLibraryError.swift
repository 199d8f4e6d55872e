import COpus
import CVPX

/// A libopus or libvpx call that failed, with the library's own explanation, or a library
/// build that lacks something the server needs.
public enum CodecLibraryError: Error, Sendable, Hashable {
    /// A libopus call returned `code` (an `OPUS_*` error); `message` is `opus_strerror`.
    case opus(call: String, code: Int32, message: String)
    /// A libvpx call returned `code` (a `vpx_codec_err_t`); `message` is
    /// `vpx_codec_err_to_string`, `detail` the codec context's `vpx_codec_error_detail`, if any.
    case vpx(call: String, code: UInt32, message: String, detail: String?)
    /// The installed libvpx interface lacks a capability (encoder, decoder...).
    case missingCapability(interface: String, capability: String)
    /// Settings the codec cannot work with, found before calling the library.
    case invalidConfiguration(String)
}

extension CodecLibraryError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .opus(let call, let code, let message):
            return "libopus \(call) failed: \(message) (\(code))"
        case .vpx(let call, let code, let message, let detail):
            return "libvpx \(call) failed: \(message) (\(code))" + (detail.map { ": \($0)" } ?? "")
        case .missingCapability(let interface, let capability):
            return "the installed libvpx \(interface) cannot act as \(capability); install a libvpx built with it"
        case .invalidConfiguration(let reason):
            return "invalid codec configuration: \(reason)"
        }
    }
}

extension CodecLibraryError {
    /// The error for a libopus return code.
    static func opus(_ call: String, _ code: Int32) -> CodecLibraryError {
        .opus(call: call, code: code, message: String(cString: opus_strerror(code)))
    }

    /// The error for a libvpx return code, with the context's detail when there is one.
    static func vpx(_ call: String, _ code: vpx_codec_err_t, context: UnsafeMutablePointer<vpx_codec_ctx_t>? = nil) -> CodecLibraryError {
        let detail = context.flatMap { vpx_codec_error_detail($0) }.map { String(cString: $0) }
        return .vpx(call: call, code: code.rawValue, message: String(cString: vpx_codec_err_to_string(code)), detail: detail)
    }
}
