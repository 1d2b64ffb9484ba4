/// Decoding and direction checks shared by both ends.
enum SessionFrameCheck {
    /// The message in `frame`, nil for an ignorable extension frame, or the error to close with.
    static func decode(_ frame: Frame) -> Result<Message?, ProtocolError> {
        if FrameType(rawValue: frame.type) == nil, FrameType.isIgnorableExtension(frame.type) { return .success(nil) }
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
