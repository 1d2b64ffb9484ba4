/// The whole schedule of one gateway, as the controller compiles it and the gateway stores it.
///
/// JSON (canonical form: sorted keys, no whitespace; see `GatewaySchedule+JSON.swift`):
/// ```
/// {"entries":[…ScheduleEntry…],"timeZone":"Asia/Ho_Chi_Minh","version":42}
/// ```
/// `timeZone` is an IANA identifier; a document without it decodes to `Asia/Ho_Chi_Minh`.
/// `relays` (scheduled relays, `RelayEntry`) is omitted when empty, so a schedule without them
/// has the bytes it had before relays existed.
public struct GatewaySchedule: Hashable, Sendable {
    /// The zone Loa deployments use unless configured otherwise (UTC+7, no DST).
    public static let defaultTimeZone = "Asia/Ho_Chi_Minh"

    /// Increases with every change the controller makes; the gateway acknowledges it.
    public var version: UInt64
    /// IANA zone in which entry dates and times are read.
    public var timeZone: String
    public var entries: [ScheduleEntry]
    /// Windows in which the controller relays upstream radio to this gateway.
    public var relays: [RelayEntry]

    public init(version: UInt64, timeZone: String = GatewaySchedule.defaultTimeZone, entries: [ScheduleEntry], relays: [RelayEntry] = []) {
        self.version = version
        self.timeZone = timeZone
        self.entries = entries
        self.relays = relays
    }
}
