import NIOCore

/// Aggregates the key frame requests a producer's consumers make into PLI/FIR sends towards
/// the producer, per stream (SSRC), as mediasoup's `KeyFrameRequestManager` does.
///
/// - Two requests sent for one SSRC are at least ``keyFrameRequestDelay`` apart (never less
///   than one second); a request made sooner is remembered and sent when the delay ends.
/// - A request sent while an earlier one still waits for its key frame is not sent again.
/// - When no key frame arrives within ``keyFrameRetransmissionWaitTime`` of a request, it is
///   sent once more (best effort in case the PLI/FIR was lost), then given up.
///
/// Time only moves through the `now` parameters: call ``poll(now:)`` at ``nextTimeout``.
public struct KeyFrameRequestManager: Sendable {
    /// How long a sent request waits for a key frame before it is repeated.
    public static let keyFrameRetransmissionWaitTime = TimeAmount.seconds(1)
    /// The shortest spacing between two requests for one SSRC.
    public static let minimumKeyFrameRequestDelay = TimeAmount.seconds(1)

    /// The spacing between two requests for one SSRC (at least
    /// ``minimumKeyFrameRequestDelay``).
    public let keyFrameRequestDelay: TimeAmount

    private struct StreamState: Sendable {
        /// Requests are held until then (the last send plus the delay).
        var heldUntil: NIODeadline?
        /// A request arrived while held: send it when the hold ends.
        var requestedWhileHeld = false
        /// A sent request waits for its key frame until then.
        var waitingUntil: NIODeadline?
        /// Send again if the wait ends without a key frame.
        var retryOnTimeout = false

        var isIdle: Bool { heldUntil == nil && waitingUntil == nil }

        func isHeld(at now: NIODeadline) -> Bool {
            heldUntil.map { now < $0 } ?? false
        }
    }

    private var streams: [UInt32: StreamState] = [:]

    /// - Parameter keyFrameRequestDelay: the producer's `keyFrameRequestDelay`; values under
    ///   one second are raised to one second.
    public init(keyFrameRequestDelay: TimeAmount = .zero) {
        self.keyFrameRequestDelay = max(keyFrameRequestDelay, Self.minimumKeyFrameRequestDelay)
    }

    /// Records that a key frame is needed on `ssrc`; true when a PLI/FIR must be sent now.
    public mutating func requestKeyFrame(ssrc: UInt32, now: NIODeadline) -> Bool {
        var state = streams[ssrc] ?? StreamState()
        let send = request(&state, now: now)
        streams[ssrc] = state
        return send
    }

    /// A key frame arrived on `ssrc`: the pending request is satisfied.
    public mutating func keyFrameReceived(ssrc: UInt32) {
        guard var state = streams[ssrc] else { return }
        state.waitingUntil = nil
        state.retryOnTimeout = false
        streams[ssrc] = state.isIdle ? nil : state
    }

    /// When ``poll(now:)`` is next due; nil when nothing is pending.
    public var nextTimeout: NIODeadline? {
        streams.values.compactMap { state -> NIODeadline? in
            let held = state.requestedWhileHeld ? state.heldUntil : nil
            switch (held, state.waitingUntil) {
            case (let held?, let waiting?): return min(held, waiting)
            case (let deadline?, nil), (nil, let deadline?): return deadline
            case (nil, nil): return nil
            }
        }.min()
    }

    /// The SSRCs to send a PLI/FIR for now (held requests whose delay ended, and repeats of
    /// requests that got no key frame), in ascending order. Harmless when called early.
    public mutating func poll(now: NIODeadline) -> [UInt32] {
        var due: [UInt32] = []
        for ssrc in streams.keys.sorted() {
            guard var state = streams[ssrc] else { continue }
            var send = false
            if let heldUntil = state.heldUntil, now >= heldUntil {
                state.heldUntil = nil
                if state.requestedWhileHeld {
                    state.requestedWhileHeld = false
                    send = request(&state, now: now)
                }
            }
            if let waitingUntil = state.waitingUntil, now >= waitingUntil {
                if !state.retryOnTimeout {
                    state.waitingUntil = nil
                } else if let heldUntil = state.heldUntil, now < heldUntil {
                    // A longer delay than the wait: the repeat waits for the hold to end.
                    state.waitingUntil = heldUntil
                } else {
                    state.retryOnTimeout = false
                    markSent(&state, now: now)
                    send = true
                }
            }
            if send { due.append(ssrc) }
            streams[ssrc] = state.isIdle ? nil : state
        }
        return due
    }

    private func request(_ state: inout StreamState, now: NIODeadline) -> Bool {
        if state.isHeld(at: now) {
            state.requestedWhileHeld = true
            return false
        }
        if state.waitingUntil != nil {
            state.retryOnTimeout = true
            return false
        }
        state.retryOnTimeout = true
        markSent(&state, now: now)
        return true
    }

    private func markSent(_ state: inout StreamState, now: NIODeadline) {
        state.waitingUntil = now + Self.keyFrameRetransmissionWaitTime
        state.heldUntil = now + keyFrameRequestDelay
    }
}
