import Foundation

/// A gateway's health report as received, kept as the JSON the gateway sent.
public struct HealthSample: Sendable, Equatable {
    public var gatewayID: String
    public var at: Date
    /// The report as JSON; its shape belongs to the gateway protocol.
    public var report: Data

    public init(gatewayID: String, at: Date, report: Data) {
        self.gatewayID = gatewayID
        self.at = at
        self.report = report
    }
}
