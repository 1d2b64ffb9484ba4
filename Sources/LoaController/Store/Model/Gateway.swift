import Foundation

/// A gateway beside a loudspeaker cluster, placed in a commune.
public struct Gateway: Sendable, Equatable, Identifiable {
    /// Where the cluster stands, in WGS 84 degrees.
    public struct Location: Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double

        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// Lowercase letters, digits and dashes, e.g. `"xa-tan-lap-01"`.
    public var id: String
    public var name: String
    /// The commune the gateway belongs to.
    public var areaID: String
    public var location: Location?
    public var createdAt: Date
    public var lastSeenAt: Date?
    /// Increments whenever anything that changes this gateway's schedule changes.
    public var scheduleVersion: Int64

    public init(
        id: String, name: String, areaID: String, location: Location? = nil,
        createdAt: Date, lastSeenAt: Date? = nil, scheduleVersion: Int64 = 1
    ) {
        self.id = id
        self.name = name
        self.areaID = areaID
        self.location = location
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.scheduleVersion = scheduleVersion
    }

    static func isValidID(_ id: String) -> Bool { Identifier.isValid(id, .gateway) }
}
