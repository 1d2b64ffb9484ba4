import LoaSchedule

/// Turns the store's schedule rules for one gateway into the `GatewaySchedule` document the
/// gateway receives. Pure: the caller fetches the rules (approved bulletins only), the
/// bulletins they play, and the gateway's schedule version.
public enum ScheduleCompiler {
    /// Entries whose bulletin is missing from `bulletins`, or is not approved, are left out: a
    /// gateway is only ever sent approved audio.
    /// Relays (`RelaySchedule`) travel as the document's `relays`, with their fallback when
    /// that bulletin is approved. Programs become one entry per item (`ProgramCompiler`), and a
    /// relay window per relay item.
    public static func compile(version: Int64, entries: [ScheduleEntry], bulletins: [String: Bulletin],
                               relays: [RelaySchedule] = [], programs: [Program] = [], insertions: [ProgramInsertion] = [],
                               timeZone: String = GatewaySchedule.defaultTimeZone) -> GatewaySchedule {
        let compiled = entries
            .sorted { $0.id < $1.id }
            .compactMap { entry -> LoaSchedule.ScheduleEntry? in
                guard let bulletin = bulletins[entry.rule.bulletinSHA256], bulletin.state == .approved else { return nil }
                return compile(entry, bulletin: bulletin)
            }
        let relayEntries = relays.sorted { $0.id < $1.id }.map { rule in rule.entry(fallback: rule.fallbackSHA256.flatMap { bulletins[$0] }) }
        let ordered = programs.sorted { $0.id < $1.id }
        let programEntries = ordered.flatMap { ProgramCompiler.entries($0, bulletins: bulletins, insertions: insertions) }
        let programRelays = ordered.flatMap { ProgramCompiler.relays($0, bulletins: bulletins, insertions: insertions) }
        return GatewaySchedule(version: UInt64(max(0, version)), timeZone: timeZone, entries: compiled + programEntries,
                               relays: relayEntries + programRelays)
    }

    /// The document entry id for a stored rule; occurrence ids (and so as-played item ids) start with it.
    public static func entryID(forRule id: Int64) -> String { "rule-\(id)" }

    /// The rule id an as-played item id (`rule-12@1767225600#0`) refers to, if any.
    public static func ruleID(fromItemID itemID: String) -> Int64? {
        guard itemID.hasPrefix("rule-") else { return nil }
        let digits = itemID.dropFirst(5).prefix { $0.isNumber }
        return Int64(digits)
    }

    static func compile(_ entry: ScheduleEntry, bulletin: Bulletin) -> LoaSchedule.ScheduleEntry {
        let rule = entry.rule
        let from = rule.validFrom
        return LoaSchedule.ScheduleEntry(
            id: entryID(forRule: entry.id),
            content: Content(sha256: bulletin.sha256, durationMs: Int64(bulletin.durationMs), title: bulletin.title),
            recurrence: rule.recurrence.document(once: from),
            time: rule.timeOfDay.localTime,
            validFrom: from, validTo: rule.validTo,
            repeatCount: rule.repeatCount,
            priority: Priority(rawValue: rule.priority),
            onBusy: rule.onBusy, onInterrupt: rule.onInterrupt)
    }
}
