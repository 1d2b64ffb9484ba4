import Logging

/// Keeps every log record on one line whatever it quotes: control characters in the message
/// and in metadata values (a gateway id from the wire, a username someone typed, a path) are
/// written as `\u{a}` and the like before the base handler formats them, so no client can
/// forge a line such as `2026-… critical FORGED` in the controller's log. The store refuses
/// such ids too (`Identifier`); this covers what is logged before or without the store.
public struct LineSafeLogHandler: LogHandler {
    public var base: any LogHandler

    public init(base: any LogHandler) {
        self.base = base
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue.mapValues(Self.escape) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue.map(Self.escape) }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: Identifier.escaped(event.message.description))
        event.metadata = event.metadata?.mapValues(Self.escape)
        base.log(event: event)
    }

    static func escape(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): return .string(Identifier.escaped(text))
        case .stringConvertible(let convertible): return .string(Identifier.escaped(convertible.description))
        case .array(let values): return .array(values.map(escape))
        case .dictionary(let values): return .dictionary(values.mapValues(escape))
        }
    }
}
