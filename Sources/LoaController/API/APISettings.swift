/// The HTTP API's settings, from `[http]` and `[bulletins]`.
public struct APISettings: Sendable, Equatable {
    public var tokenTTLSeconds: Int
    public var maxUploadBytes: Int
    public var console: Bool
    public var metricsPublic: Bool
    public var approvalRequired: Bool
    /// How long a command handler waits for the gateway's result before answering 202.
    public var commandWaitSeconds: Double
    /// IANA zone in which schedule dates and times are read (`bulletins.time_zone`).
    public var timeZone: String

    public init(tokenTTLSeconds: Int = 43_200, maxUploadBytes: Int = 100 * 1024 * 1024, console: Bool = true,
                metricsPublic: Bool = true, approvalRequired: Bool = true, commandWaitSeconds: Double = 5,
                timeZone: String = "Asia/Ho_Chi_Minh") {
        self.tokenTTLSeconds = tokenTTLSeconds
        self.maxUploadBytes = maxUploadBytes
        self.console = console
        self.metricsPublic = metricsPublic
        self.approvalRequired = approvalRequired
        self.commandWaitSeconds = commandWaitSeconds
        self.timeZone = timeZone
    }

    public init(_ configuration: ControllerConfiguration) {
        self.init(tokenTTLSeconds: configuration.http.tokenTTLSeconds, maxUploadBytes: configuration.http.maxUploadBytes,
                  console: configuration.http.console, metricsPublic: configuration.http.metricsPublic,
                  approvalRequired: configuration.bulletins.approvalRequired, timeZone: configuration.bulletins.timeZone)
    }
}
