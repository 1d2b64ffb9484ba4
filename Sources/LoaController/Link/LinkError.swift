import Foundation

/// Why a sync with the upstream failed, each with what to do about it.
public enum LinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer: refused, timed out, name not resolved, TLS failed.
    case unreachable(upstream: String, reason: String)
    /// The upstream refused the link key (401).
    case unauthorized(upstream: String)
    /// The upstream found itself in the chain of controllers below it (409).
    case cycle(upstream: String, message: String)
    /// Any other refusal, with the upstream's own message.
    case refused(upstream: String, status: Int, message: String)
    /// An answer that is not what the exchange says: not JSON, wrong shapes, impossible values.
    case garbage(upstream: String, what: String)
    /// The audio fetched does not hash to the offer's SHA-256.
    case audioMismatch(offer: Int64, expected: String, got: String)
    /// `upstream.area_map` names a local area this controller does not have.
    case unknownLocalArea(upstreamArea: String, localArea: String)

    public var description: String {
        switch self {
        case let .unreachable(upstream, reason):
            return "upstream \(upstream) unreachable: \(reason)"
        case let .unauthorized(upstream):
            return "upstream \(upstream) refused the link key (401): check upstream.key or upstream.key_file against the upstream's link.downstreams"
        case let .cycle(upstream, message):
            return "upstream \(upstream) refused a link cycle (409): \(message)"
        case let .refused(upstream, status, message):
            return "upstream \(upstream) answered \(status): \(message)"
        case let .garbage(upstream, what):
            return "upstream \(upstream) answered garbage: \(what); nothing was saved"
        case let .audioMismatch(offer, expected, got):
            return "offer \(offer): the audio fetched hashes to \(got.prefix(12))…, not \(expected.prefix(12))…; nothing was saved"
        case let .unknownLocalArea(upstreamArea, localArea):
            return "upstream.area_map maps '\(upstreamArea)' to '\(localArea)', which is not an area of this controller; add the area or fix the map"
        }
    }

    /// A short code for metrics and the link's state.
    public var code: String {
        switch self {
        case .unreachable: return "unreachable"
        case .unauthorized: return "unauthorized"
        case .cycle: return "cycle"
        case .refused: return "refused"
        case .garbage: return "garbage"
        case .audioMismatch: return "audio_mismatch"
        case .unknownLocalArea: return "unknown_area"
        }
    }
}
