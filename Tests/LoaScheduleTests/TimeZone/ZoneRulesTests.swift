import Foundation
import Testing
@testable import LoaSchedule

/// The TZif reader against glibc (and Foundation) on every zone file of this machine, the
/// footer's rule past the table, bad files and names refused in words, and daily entries across
/// both daylight-saving transitions in Berlin and New York.
@Suite struct ZoneRulesTests {
    /// Every zone file under /usr/share/zoneinfo (not `right/`, whose times count leap seconds,
    /// nor `posix/`, a copy), by name.
    static func zoneNames() -> [String] {
        let root = ZoneRules.directory
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var names: [String] = []
        while let path = walker.nextObject() as? String {
            if path.hasPrefix("right/") || path.hasPrefix("posix/") { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let handle = FileHandle(forReadingAtPath: root + "/" + path) else { continue }
            let magic = (try? handle.read(upToCount: 4)) ?? Data()
            try? handle.close()
            if magic == Data("TZif".utf8) { names.append(path) }
        }
        return names.sorted()
    }

    /// Every zone file against glibc's reading of the same file (`zdump -v`, libc-bin): the
    /// offset on both sides of every transition from 1970 to 2037 is the same. And against
    /// Foundation, whose ICU carries a tz database of its own version: the zones Loa is run in
    /// agree exactly, and how many of all the others agree is printed.
    @Test func everyZoneFileOnThisMachineReadsAsGlibcReadsItFrom1970To2037() throws {
        let names = Self.zoneNames()
        try #require(names.count > 300, "only \(names.count) zone files found under \(ZoneRules.directory)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("loa-zdump-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: out) }
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let zdump = Process()
        zdump.executableURL = URL(fileURLWithPath: "/usr/bin/zdump")
        zdump.arguments = ["-v", "-c", "1970,2038"] + names
        zdump.standardOutput = try FileHandle(forWritingTo: out)
        try zdump.run()
        zdump.waitUntilExit()
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var rules: [String: ZoneRules] = [:]
        var compared = 0, differing: [String] = []
        for line in try String(contentsOf: out, encoding: .utf8).split(separator: "\n") {
            // "Europe/Berlin  Sun Mar 29 00:59:59 2026 UT = Sun Mar 29 01:59:59 2026 CET isdst=0 gmtoff=3600"
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 7, f[6] == "UT", let month = months.firstIndex(of: String(f[2])), let day = Int(f[3]), let year = Int(f[5]),
                  let offset = f.last.flatMap({ $0.hasPrefix("gmtoff=") ? Int($0.dropFirst(7)) : nil }) else { continue }
            let clock = f[4].split(separator: ":").compactMap { Int($0) }
            guard clock.count == 3 else { continue }
            let name = String(f[0])
            let at = Int64(LocalDate(year: year, month: month + 1, day: day).daysSinceEpoch) * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])
            if rules[name] == nil { rules[name] = try ZoneRules.named(name) }
            compared += 1
            if rules[name]!.secondsFromGMT(at: at) != offset, differing.count < 20 {
                differing.append("\(name) at \(at): TZif \(rules[name]!.secondsFromGMT(at: at)), glibc \(offset)")
            }
        }
        #expect(compared > 10_000 && differing.isEmpty, "\(compared) compared:\n\(differing.joined(separator: "\n"))")

        // Foundation, at each month's middle and each of its transitions.
        let end = Date(timeIntervalSince1970: 2_145_916_800)  // 2038-01-01
        var agreeing = 0, known = 0
        for name in names {
            guard let foundation = TimeZone(identifier: name) else { continue }
            known += 1
            let zone = try rules[name] ?? ZoneRules.named(name)
            var instants = Array(stride(from: Int64(15 * 86_400), to: Int64(end.timeIntervalSince1970), by: 30 * 86_400))
            var next = foundation.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: 0))
            while let transition = next, transition < end {
                instants += [Int64(transition.timeIntervalSince1970) - 1, Int64(transition.timeIntervalSince1970)]
                next = foundation.nextDaylightSavingTimeTransition(after: transition)
            }
            let same = instants.allSatisfy { zone.secondsFromGMT(at: $0) == foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0))) }
            if same { agreeing += 1 }
            if ["Asia/Ho_Chi_Minh", "Asia/Bangkok", "Europe/Berlin", "America/New_York", "Australia/Sydney"].contains(name) {
                #expect(same, "\(name): the TZif reader and Foundation differ")
            }
        }
        print("zone rules: \(names.count) zone files; \(compared) transitions 1970–2037 as glibc reads them, \(differing.count) differing; "
              + "\(agreeing) of \(known) zones Foundation knows agree with it at every transition and mid-month (the rest: its ICU's own tz data)")
    }

    /// Past the table's last transition the footer decides: Berlin in 2100 (CET-1CEST,M3.5.0,M10.5.0/3).
    @Test func theFootersRuleCoversInstantsPastTheTable() throws {
        let berlin = try ZoneRules.named("Europe/Berlin")
        #expect(berlin.footer == (try POSIXTimeZoneRule(parsing: "CET-1CEST,M3.5.0,M10.5.0/3")))
        let foundation = try #require(TimeZone(identifier: "Europe/Berlin"))
        // 2100-03-28 is the last Sunday of March: 01:00 UTC the clocks go forward.
        let spring = Int64(4_109_878_800)
        #expect(berlin.secondsFromGMT(at: spring - 1) == 3600 && berlin.secondsFromGMT(at: spring) == 7200)
        for at in [spring - 1, spring, Int64(4_118_000_000), Int64(4_127_000_000)] {
            #expect(berlin.secondsFromGMT(at: at) == foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(at))), "at \(at)")
        }
        let hcm = try ZoneRules.named("Asia/Ho_Chi_Minh")
        #expect(hcm.secondsFromGMT(at: 1_796_400_000) == 25_200 && hcm.secondsFromGMT(at: 4_200_000_000) == 25_200)
        // The southern hemisphere: Sydney's daylight saving spans the new year.
        let sydney = try ZoneRules.named("Australia/Sydney")
        #expect(sydney.secondsFromGMT(at: 4_102_444_800) == 39_600 && sydney.secondsFromGMT(at: 4_118_000_000) == 36_000)
    }

    @Test func anInstantAsTheZonesWallClock() throws {
        let berlin = try ZoneRules.named("Europe/Berlin")
        #expect(berlin.localText(Date(timeIntervalSince1970: 1_774_745_999)) == "2026-03-29 01:59:59")
        #expect(berlin.localText(Date(timeIntervalSince1970: 1_774_746_000)) == "2026-03-29 03:00:00")
        let hcm = try ZoneRules.named("Asia/Ho_Chi_Minh")
        #expect(hcm.localText(Date(timeIntervalSince1970: 1_796_399_999.9)) == "2026-12-04 22:59:59")
        #expect(hcm.localText(Date(timeIntervalSince1970: -25_201)) == "1970-01-01 00:59:59", "UTC+8 then")
    }

    @Test func badNamesAndBadFilesAreRefusedNamingTheFile() throws {
        for name in ["", "../../etc/passwd", "/etc/localtime", "Asia//Hanoi", "Asia/./Hanoi", "Asia/Hà_Nội"] {
            #expect(throws: ZoneRulesError.badName(name)) { _ = try ZoneRules.named(name) }
        }
        #expect(throws: ZoneRulesError.unreadable("/usr/share/zoneinfo/Mars/Olympus")) { _ = try ZoneRules.named("Mars/Olympus") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loa-zones-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/Berlin"))
        let cases: [(String, Data, String)] = [
            ("Cut", good.prefix(200), "cut short"),
            ("Text", Data("not a zone file at all, just words\n".utf8), "no TZif magic"),
            ("Version", Data("TZif9".utf8) + good.dropFirst(5), "unknown version byte"),
            ("Footer", good.prefix(good.count - 28) + Data("\nCET-1CEST,M3.5\n".utf8), "footer 'CET-1CEST,M3.5'"),
        ]
        for (name, bytes, words) in cases {
            try bytes.write(to: directory.appendingPathComponent(name))
            do {
                _ = try ZoneRules.named(name, directory: directory.path)
                Issue.record("\(name) was read")
            } catch {
                #expect(error.description.contains(directory.path + "/" + name) && error.description.contains(words), "\(error)")
            }
        }
        // In a schedule: a name with no file is not a zone (the database is there).
        let schedule = GatewaySchedule(version: 1, timeZone: "Mars/Olympus", entries: [])
        #expect(schedule.validate() == [.unknownTimeZone("Mars/Olympus")])
    }

    /// A daily 02:30 entry on the days the clocks change. Spring forward: 02:30 does not exist
    /// and is played at 03:30, the offset before the gap read onto it. Fall back: in Berlin 02:30
    /// happens twice and plays once, at the first; in New York the repeated hour is 01:00–02:00,
    /// so 02:30 is plain standard time.
    @Test(arguments: [
        ("Europe/Berlin", [(2026, 3, 28, 1, 30), (2026, 3, 29, 1, 30), (2026, 3, 30, 0, 30)],
         [(2026, 10, 24, 0, 30), (2026, 10, 25, 0, 30), (2026, 10, 26, 1, 30)]),
        ("America/New_York", [(2026, 3, 7, 7, 30), (2026, 3, 8, 7, 30), (2026, 3, 9, 6, 30)],
         [(2026, 10, 31, 6, 30), (2026, 11, 1, 7, 30), (2026, 11, 2, 7, 30)]),
    ] as [(String, [(Int, Int, Int, Int, Int)], [(Int, Int, Int, Int, Int)])])
    func aDaily0230EntryOnBothTransitionDays(zone: String, spring: [(Int, Int, Int, Int, Int)], fall: [(Int, Int, Int, Int, Int)]) throws {
        let entry = Fixture.entry("dem", .daily, 2, 30)
        for expected in [spring, fall] {
            let from = Fixture.utc(expected[0].0, expected[0].1, expected[0].2, 0, 0)
            let plays = try ExpansionTests.expand([entry], from, from.addingTimeInterval(3 * 86_400), zone: zone)
            #expect(plays.map(\.start) == expected.map { Fixture.utc($0.0, $0.1, $0.2, $0.3, $0.4) }, "\(zone)")
        }
    }
}
