#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// A swift-log handler that passes every record to another handler (stderr for journald) and
/// also keeps it as one line in a `LogRing`, for the control socket's `logs`.
public struct TeeLogHandler: LogHandler {
    private var base: any LogHandler
    private let ring: LogRing
    private let label: String

    public init(label: String, base: any LogHandler, ring: LogRing) {
        self.label = label
        self.base = base
        self.ring = ring
    }

    public func log(event: LogEvent) {
        ring.append(Self.line(event: event, label: label, metadata: metadata))
        base.log(event: event)
    }

    /// `2026-11-29T06:30:19.120Z info loa.gateway: playing item.id=… from.ms=0`, metadata sorted.
    static func line(event: LogEvent, label: String, metadata: Logger.Metadata, now: Date = Date()) -> String {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return "\(stamp) \(event.level) \(label): \(event.message)" + (pairs.isEmpty ? "" : " " + pairs)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Kept here (the ring's lines carry it) and passed on to the base handler.
    public var metadata: Logger.Metadata = [:] {
        didSet { base.metadata = metadata }
    }

    /// Kept here too: the level decides what reaches the ring even if the base ignores it.
    public var logLevel: Logger.Level = .info {
        didSet { base.logLevel = logLevel }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }
}
