/// What an audio level observer reports, in order on ``AudioLevelObserver/events``.
public enum AudioLevelObserverEvent: Sendable, Hashable {
    /// The loudest producers of the last interval, loudest first.
    case volumes([AudioLevelObserverVolume])
    /// No producer reached the threshold (reported once until someone does again).
    case silence
}

public struct AudioLevelObserverVolume: Sendable, Hashable {
    public var producerId: String
    /// Average level over the interval, in dBov (-127…0).
    public var volume: Int
}
