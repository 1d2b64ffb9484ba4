import Foundation
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
        let material = try await ProgramMaterial.read(
            from: store, for: programs, alsoBulletins: entries.map(\.rule.bulletinSHA256) + relays.compactMap(\.fallbackSHA256),
            timeZone: timeZone, now: Date())
        return ScheduleCompiler.compile(version: version, entries: entries, bulletins: material.bulletins, relays: relays,
                                        programs: programs, insertions: material.insertions, timeZone: timeZone)
    }
}
