import LoaSchedule

/// Reads what `ScheduleCompiler` needs for one gateway from the store and compiles it.
public struct GatewayScheduleSource: Sendable {
    public let store: any ControllerStore
    public let timeZone: String

    public init(store: any ControllerStore, timeZone: String = GatewaySchedule.defaultTimeZone) {
        self.store = store
        self.timeZone = timeZone
    }

    public func schedule(for gatewayID: String) async throws(StoreError) -> GatewaySchedule {
        // The version is read before the rules: if a change lands in between, the document may be
        // newer than its version (the change's own bump triggers another push), never older.
        let version = try await store.gateway(gatewayID).scheduleVersion
        let entries = try await store.scheduleEntries(forGateway: gatewayID, approvedOnly: true)
        let relays = try await store.relaySchedules(forGateway: gatewayID)
        let programs = try await store.programs(forGateway: gatewayID)
        // Bulletins sent down and placed into programs' occurrences from yesterday on (an
        // occurrence may run past midnight).
        let since = LocalDate.today(in: timeZone).map { LocalDate(daysSinceEpoch: $0.daysSinceEpoch - 1) } ?? LocalDate(year: 1970, month: 1, day: 1)
        var insertions: [ProgramInsertion] = []
        for program in programs { insertions += try await store.insertions(program: program.id, from: since) }
        var bulletins: [String: Bulletin] = [:]
        for sha256 in Set(entries.map(\.rule.bulletinSHA256) + relays.compactMap(\.fallbackSHA256) + programs.flatMap(\.bulletinSHA256s)
                          + insertions.map(\.sha256)) {
            bulletins[sha256] = try await store.bulletin(sha256)
        }
        return ScheduleCompiler.compile(version: version, entries: entries, bulletins: bulletins, relays: relays, programs: programs,
                                        insertions: insertions, timeZone: timeZone)
    }
}
