import SFU

/// What a room or participant id may be: any non-empty text without control characters. Ids
/// travel to other participants, into their SDP (a browser's msid) among other places, where a
/// line break would start a line of the sender's choosing.
public enum ParticipantIdentifier {
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && !SdpText.containsControlCharacter(id)
    }
}
