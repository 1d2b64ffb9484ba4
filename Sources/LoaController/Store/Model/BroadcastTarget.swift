/// Where a schedule entry or an announcement plays: whole areas (with everything under them)
/// and single gateways.
public struct BroadcastTarget: Sendable, Equatable {
    public var areaIDs: [String]
    public var gatewayIDs: [String]

    public init(areaIDs: [String] = [], gatewayIDs: [String] = []) {
        self.areaIDs = areaIDs
        self.gatewayIDs = gatewayIDs
    }

    public var isEmpty: Bool { areaIDs.isEmpty && gatewayIDs.isEmpty }

    /// Sorted and without duplicates, as stored.
    var normalised: BroadcastTarget {
        BroadcastTarget(areaIDs: Array(Set(areaIDs)).sorted(), gatewayIDs: Array(Set(gatewayIDs)).sorted())
    }
}
