/// Gateways counted by condition for every area of a subtree, each area counting the gateways
/// of the areas below it too: the fleet view's drill-down (province → district → commune).
public struct FleetSummary: Sendable, Equatable {
    public struct Counts: Sendable, Equatable, Codable {
        public var online = 0
        public var offline = 0
        public var playing = 0
        public var faulty = 0
        public var total: Int { online + offline + playing + faulty }

        public init(online: Int = 0, offline: Int = 0, playing: Int = 0, faulty: Int = 0) {
            self.online = online
            self.offline = offline
            self.playing = playing
            self.faulty = faulty
        }

        private enum CodingKeys: String, CodingKey { case online, offline, playing, faulty, total }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            online = try container.decode(Int.self, forKey: .online)
            offline = try container.decode(Int.self, forKey: .offline)
            playing = try container.decode(Int.self, forKey: .playing)
            faulty = try container.decode(Int.self, forKey: .faulty)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(online, forKey: .online)
            try container.encode(offline, forKey: .offline)
            try container.encode(playing, forKey: .playing)
            try container.encode(faulty, forKey: .faulty)
            try container.encode(total, forKey: .total)
        }

        mutating func add(_ condition: GatewayCondition) {
            switch condition {
            case .online: online += 1
            case .offline: offline += 1
            case .playing: playing += 1
            case .faulty: faulty += 1
            }
        }
    }

    /// Per area id, the counts of its own gateways and every gateway below it.
    public let counts: [String: Counts]

    /// `areas` are `(id, parentID)` of the subtree shown (areas above it are not walked);
    /// `gateways` are `(areaID, condition)`. A gateway whose area is not among `areas` counts
    /// nowhere; a parent outside `areas` ends the walk up.
    public init(areas: [(id: String, parentID: String?)], gateways: [(areaID: String, condition: GatewayCondition)]) {
        let parents = Dictionary(areas.map { ($0.id, $0.parentID) }, uniquingKeysWith: { first, _ in first })
        var own: [String: Counts] = [:]
        for gateway in gateways where parents[gateway.areaID] != nil {
            own[gateway.areaID, default: Counts()].add(gateway.condition)
        }
        var counts = Dictionary(uniqueKeysWithValues: parents.keys.map { ($0, Counts()) })
        for (areaID, tally) in own {
            var next: String? = areaID
            var seen: Set<String> = []  // a cycle in stored parents must not loop forever
            while let id = next, parents[id] != nil, seen.insert(id).inserted {
                counts[id]!.online += tally.online
                counts[id]!.offline += tally.offline
                counts[id]!.playing += tally.playing
                counts[id]!.faulty += tally.faulty
                next = parents[id] ?? nil
            }
        }
        self.counts = counts
    }
}
