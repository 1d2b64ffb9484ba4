import Foundation
import LoaSchedule

/// What laying out programs needs besides the programs themselves: the bulletins sent down and
/// placed into their occurrences from yesterday on (an occurrence may run past midnight), and
/// every bulletin the programs and those placements name. One read for the three places that lay
/// programs out: a gateway's schedule, the relay timetable, and an edit's cutover.
struct ProgramMaterial: Sendable {
    var insertions: [ProgramInsertion] = []
    var bulletins: [String: Bulletin] = [:]

    /// The first day whose placements matter: yesterday in `timeZone` at `now`.
    static func firstDay(in timeZone: String, now: Date) -> LocalDate {
        LocalDate.today(in: timeZone, now: now).map { LocalDate(daysSinceEpoch: $0.daysSinceEpoch - 1) }
            ?? LocalDate(year: 1970, month: 1, day: 1)
    }

    /// The placements and bulletins `programs` need, read from `store`.
    /// - Parameters:
    ///   - alsoBulletins: more bulletins to read with them (a gateway's plain entries, relays' stand-ins).
    ///   - skippingMissing: leave out a bulletin that no longer exists instead of failing (an edit,
    ///     whose checks name it).
    static func read(from store: any ControllerStore, for programs: [Program], alsoBulletins: [String] = [], timeZone: String,
                     now: Date, skippingMissing: Bool = false) async throws(StoreError) -> ProgramMaterial {
        var material = ProgramMaterial()
        let since = firstDay(in: timeZone, now: now)
        for program in programs { material.insertions += try await store.insertions(program: program.id, from: since) }
        for sha256 in Set(alsoBulletins + programs.flatMap(\.bulletinSHA256s) + material.insertions.map(\.sha256)) {
            do {
                material.bulletins[sha256] = try await store.bulletin(sha256)
            } catch {
                if skippingMissing, case .notFound = error { continue }
                throw error
            }
        }
        return material
    }
}
