/// Which VP8 temporal layers a simulcast consumer forwards (`setPreferredLayers`'
/// `temporalLayer`): frames of higher layers are dropped, which lowers the frame rate (with
/// L1T3, layer 0 is a quarter of the frames and layer 1 half).
///
/// The layer forwarded goes down at the start of any frame, since lower layers never depend
/// on higher ones; it goes up only where the higher layers' frames can be decoded from what
/// was forwarded: at a layer 0 frame, or a layer sync frame (Y bit).
struct Vp8TemporalLayerFilter {
    /// The highest temporal layer forwarded now.
    private(set) var current: UInt8

    /// Starts at `target`: a segment begins at a key frame, from which every layer decodes.
    init(target: UInt8) {
        current = target
    }

    /// Whether the packet described by `descriptor` is forwarded, given the `target` layer.
    mutating func forwards(_ descriptor: Vp8PayloadDescriptor, target: UInt8) -> Bool {
        guard let layer = descriptor.temporalLayer else { return true }
        if descriptor.isStartOfFrame {
            if target < current {
                current = target
            } else if target > current, layer == 0 || descriptor.isLayerSync {
                current = target
            }
        }
        return layer <= current
    }
}
