/// Which layers of a VP9 SVC stream an SVC consumer forwards (mediasoup's SvcConsumer): the
/// packets of higher spatial or temporal layers than the current ones are dropped, and the
/// current ones move towards a target (the preferred layers, lowered by the bandwidth estimate)
/// only where the receiver can decode the result:
/// - a higher spatial layer, at a key frame (its pictures depend on the layers below, which the
///   receiver lacks until then);
/// - a lower spatial layer, at a key frame in K-SVC (as mediasoup switches), otherwise once the
///   target layer's frame of a picture ends;
/// - a higher temporal layer, at a layer 0 picture (after which the usual patterns' upper
///   layers decode), a switching-up point (U bit) of that layer, or a key frame;
/// - a lower temporal layer, at the start of any picture (lower layers never depend on higher).
///
/// In K-SVC only the current spatial layer of a predicted picture is forwarded (key pictures
/// go whole up to it), as mediasoup does.
///
/// Temporal layers change only where a picture starts, so a picture's spatial layers go alike.
///
/// The last packet of the highest spatial layer forwarded gets the marker bit: it now ends the
/// picture the receiver sees.
struct SvcLayerFilter {
    struct Decision: Equatable {
        var forwards: Bool
        /// The packet ends the picture forwarded and needs the marker bit.
        var endsPicture: Bool
    }

    /// A spatial and a temporal layer.
    struct Layers: Equatable {
        var spatialLayer: Int
        var temporalLayer: Int

        var consumerLayers: ConsumerLayers { ConsumerLayers(spatialLayer: spatialLayer, temporalLayer: temporalLayer) }
    }

    let isKSvc: Bool
    /// The highest layers forwarded now.
    private(set) var current: Layers

    /// Starts at `target`, as a segment starts at a key frame, from which every layer decodes.
    init(target: Layers, isKSvc: Bool) {
        current = target
        self.isKSvc = isKSvc
    }

    /// Whether the packet described by `descriptor` is forwarded, given the `target` layers.
    mutating func decide(_ descriptor: Vp9PayloadDescriptor, isKeyFrame: Bool, target: Layers) -> Decision {
        let spatialLayer = Int(descriptor.spatialLayer ?? 0)
        let temporalLayer = Int(descriptor.temporalLayer ?? 0)
        if isKeyFrame {
            current = target
        } else {
            if target.spatialLayer < current.spatialLayer, !isKSvc, spatialLayer == target.spatialLayer,
                descriptor.isEndOfFrame
            {
                current.spatialLayer = target.spatialLayer
            }
            if descriptor.isStartOfFrame, spatialLayer == 0 {
                if target.temporalLayer < current.temporalLayer {
                    current.temporalLayer = target.temporalLayer
                } else if target.temporalLayer > current.temporalLayer {
                    if temporalLayer == 0 {
                        current.temporalLayer = target.temporalLayer
                    } else if descriptor.isSwitchingUpPoint, temporalLayer > current.temporalLayer,
                        temporalLayer <= target.temporalLayer
                    {
                        current.temporalLayer = temporalLayer
                    }
                }
            }
        }
        // In K-SVC a predicted (inter) picture's spatial layers each depend only on their own
        // earlier frames: below the current one they are of no use to the receiver.
        let isUnneededLowerLayer = isKSvc && descriptor.isInterPicturePredicted && spatialLayer != current.spatialLayer
        guard spatialLayer <= current.spatialLayer, temporalLayer <= current.temporalLayer, !isUnneededLowerLayer else {
            return Decision(forwards: false, endsPicture: false)
        }
        return Decision(forwards: true, endsPicture: spatialLayer == current.spatialLayer && descriptor.isEndOfFrame)
    }
}
