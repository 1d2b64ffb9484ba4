/// Decoding and direction checks shared by both ends.
enum SessionFrameCheck {
    /// The message in `frame`, nil for an ignorable extension frame, or the error to close with.
    /// Extension frames are skipped only once the session is ready: before that a peer has not
    /// proved who it is, and the handshake's 4 KiB budget (docs/PROTOCOL.md §1) must not be
    /// stretched by frames nobody reads, so one closes the session (`unexpectedMessage`).
    static func decode(_ frame: Frame, phase: SessionPhase) -> Result<Message?, ProtocolError> {
        if FrameType(rawValue: frame.type) == nil, FrameType.isIgnorableExtension(frame.type) {
            guard phase == .ready || phase == .closing || phase == .closed else {
                return .failure(.unexpectedMessage(type: "extension 0x\(Hex.byte(frame.type))", state: phase.rawValue))
            }
            return .success(nil)
        }
        let message: Message
        do { message = try MessageCodec.decode(frame) } catch { return .failure(error) }
        return .success(message)
    }

    /// Whether a message of `type` may travel to `receiver`'s side.
    static func isAllowed(_ type: FrameType, toward receiver: FrameType.Direction) -> Bool {
        type.direction == .both || type.direction == receiver
    }

    /// The action for an `error` frame from the peer: fatal codes close, others go up.
    static func peerError(_ error: ErrorMessage) -> SessionAction {
        error.isFatal
            ? .closeWithError(.remote(code: error.code, message: error.message), notifyPeer: false)
            : .deliver(.error(error))
    }
}
