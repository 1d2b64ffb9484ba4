/// How to (re)start a download given what `partial/` holds. Pure.
///
/// The partial file's length is the resume offset: bytes are only appended, so whatever
/// length survived a crash is a prefix of the content (a corrupt prefix is caught by the
/// final SHA-256 check, which then discards the partial and the download starts over).
public enum ResumeDecision: Hashable, Sendable {
    /// No partial: request from offset 0.
    case start
    /// Request from this offset.
    case resume(from: UInt64)
    /// The partial already has every byte: verify it now, no request needed.
    case verifyNow
    /// The partial is longer than the content can be: delete it and start over.
    case discard(partialLength: UInt64)

    public static func decide(partialLength: UInt64?, expectedSize: UInt64) -> ResumeDecision {
        guard let length = partialLength, length > 0 else { return expectedSize == 0 ? .verifyNow : .start }
        if length < expectedSize { return .resume(from: length) }
        if length == expectedSize { return .verifyNow }
        return .discard(partialLength: length)
    }
}
