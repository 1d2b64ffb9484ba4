import Foundation
import Testing

/// A bulletin sent down through `loactl dispatch send` lands in the commune's inbox
/// (`loactl inbox`), is placed into the next occurrence of the commune's program
/// (`loactl inbox place`), the commune's gateway gets that day's program with it in place, and
/// the sender sees it placed (`loactl dispatch show`); a priority one goes to the front at once.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct DispatchScenarioTests {
    @Test func aNormalBulletinSentDownIsPlacedByTheCommuneAndReachesItsGateway() async throws {
        try await scenario("dispatch") { system in
            try await system.start(communes: [("xa-tan-lap", ["xa-tan-lap-01"])])
            try await system.waitOnline(["xa-tan-lap-01"])
            let news = try await system.bulletin("Bản tin xã", seconds: 1.5, frequency: 440)
            let sent = try await system.bulletin("Thông báo của tỉnh", seconds: 1.5, frequency: 660)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
            let c = calendar.dateComponents([.hour, .minute], from: Date().addingTimeInterval(1_800))
            let program = try await system.loactl.json(
                "programs", "add", "--area", "xa-tan-lap", "--name", "Chương trình chiều", "--daily",
                "--at", String(format: "%02d:%02d", c.hour!, c.minute!), "--item", "bulletin:" + news) as? [String: Any]
            let programID = try #require((program?["id"] as? NSNumber)?.intValue, "\(String(describing: program))")

            let dispatch = try await system.loactl.json("dispatch", "send", "--bulletin", String(sent.prefix(12)), "--area", "tinh-e2e",
                                                        "--note", "Phát trong chương trình chiều") as? [String: Any]
            let dispatchID = try #require((dispatch?["id"] as? NSNumber)?.intValue, "\(String(describing: dispatch))")
            let inbox = try await system.loactl.json("inbox", "list", "--area", "xa-tan-lap") as? [[String: Any]] ?? []
            #expect(inbox.count == 1 && inbox.first?["state"] as? String == "delivered", "\(inbox)")
            let item = try #require((inbox.first?["id"] as? NSNumber)?.intValue)
            let placed = try await system.loactl.json("inbox", "place", String(item), "--program", String(programID), "--position", "2") as? [String: Any]
            #expect(placed?["state"] as? String == "placed", "\(String(describing: placed))")

            // The gateway gets that day's program with the bulletin after the commune's own.
            // (Its stored schedule: a header, then the document's JSON.)
            let stored = system.scratch.file("xa-tan-lap-01-state") + "/schedule/current.schedule"
            let got = await eventually(20, every: .milliseconds(500)) {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: stored))) ?? Data()
                return String(decoding: bytes, as: UTF8.self).contains("\"dispatch-\(item)\"")
            }
            let shown = try await system.loactl.json("dispatch", "show", String(dispatchID)) as? [String: Any]
            let targets = shown?["targets"] as? [[String: Any]] ?? []
            #expect(targets.map { $0["state"] as? String } == ["placed"], "\(targets)")
            #expect(got, "the gateway's schedule has no dispatch-\(item); log:\n\(system["xa-tan-lap-01"].log.suffix(2000))")
        }
    }

    /// An emergency sent down while a program plays: every gateway of the commune starts it
    /// within 2 s of the send, the program's item on air resumes afterwards (its rule) and the
    /// program goes on; a commune broadcaster may not send one.
    @Test func anEmergencySentDownCutsTheProgramOnEveryGatewayWhichThenResumes() async throws {
        try await scenario("emergency") { system in
            let ids = ["xa-tan-lap-01", "xa-tan-lap-02"]
            try await system.start(communes: [("xa-tan-lap", ids)])
            try await system.waitOnline(ids)
            let first = try await system.bulletin("Bản tin dài", seconds: 8, frequency: 440)
            let second = try await system.bulletin("Bản tin sau", seconds: 2, frequency: 550)
            let urgent = try await system.bulletin("Khẩn cấp bão", seconds: 2, frequency: 990)
            let local = LocalStart(inSeconds: 20)
            let start = local.instant
            _ = try await system.loactl.ok(
                "programs", "add", "--area", "xa-tan-lap", "--name", "Chương trình trưa", "--once", local.day,
                "--at", local.time, "--item", "bulletin:" + first, "--item", "bulletin:" + second)

            // A broadcaster of the commune cannot send an emergency.
            try await system.loactl.ok("users", "add", "bt-tan-lap", "--role", "broadcaster", "--area", "xa-tan-lap", "--password-stdin",
                                       stdin: "mat khau phat thanh\n")
            let broadcaster = Loactl(scratch: system.scratch, controller: system.controller.url, home: "broadcaster")
            try await broadcaster.ok("login", "--user", "bt-tan-lap", "--password-stdin", stdin: "mat khau phat thanh\n")
            let refused = try await broadcaster.run(["dispatch", "send", "--bulletin", urgent, "--area", "xa-tan-lap", "--class", "emergency"])
            #expect(refused.status != 0 && refused.stderr.contains("role 'broadcaster' may not"), "\(refused)")

            // 3 s into the program's first item, the province (the admin here) sends the emergency.
            try await Task.sleep(for: .seconds(max(0, start.timeIntervalSinceNow + 3)))
            let sentAt = Date()
            _ = try await system.loactl.ok("dispatch", "send", "--bulletin", urgent, "--area", "xa-tan-lap", "--class", "emergency")
            var log: [PlayRecord] = []
            let done = try await eventually(60, every: .milliseconds(500)) {
                log = try await system.playLog()
                return ids.allSatisfy { id in log.filter { $0.gatewayId == id && $0.kind == "finished" }.count == 3 }
            }
            #expect(done, "play log: \(log)")
            for id in ids {
                let events = log.filter { $0.gatewayId == id }
                let emergency = events.filter { $0.bulletin == urgent }
                #expect(emergency.map(\.kind) == ["started", "finished"], "\(id): \(events)")
                if let began = emergency.first?.date {
                    #expect(began.timeIntervalSince(sentAt) < 2, "\(id) started the emergency \(began.timeIntervalSince(sentAt)) s after the send")
                }
                let cut = events.filter { $0.bulletin == first }.map(\.kind)
                #expect(cut == ["started", "interrupted", "resumed", "finished"], "\(id): \(events)")
                #expect(events.filter { $0.bulletin == second }.map(\.kind) == ["started", "finished"], "\(id): \(events)")
            }
        }
    }

    /// A priority bulletin sent down enters the front of the commune's next program occurrence
    /// by itself; the commune moves it behind its own first item before the occurrence starts,
    /// and the gateway plays in that order, back to back; once it started it cannot be moved.
    @Test func aPriorityBulletinEntersTheFrontAndTheCommuneReordersIt() async throws {
        try await scenario("priority") { system in
            try await system.start(communes: [("xa-tan-lap", ["xa-tan-lap-01"])])
            try await system.waitOnline(["xa-tan-lap-01"])
            let own = try await system.bulletin("Tin xã 1", seconds: 1.5, frequency: 440)
            let own2 = try await system.bulletin("Tin xã 2", seconds: 1.5, frequency: 550)
            let priority = try await system.bulletin("Tin ưu tiên của tỉnh", seconds: 1.5, frequency: 770)
            let local = LocalStart(inSeconds: 25)
            let start = local.instant
            _ = try await system.loactl.ok(
                "programs", "add", "--area", "xa-tan-lap", "--name", "Chương trình ưu tiên", "--once", local.day,
                "--at", local.time, "--item", "bulletin:" + own, "--item", "bulletin:" + own2)
            _ = try await system.loactl.ok("dispatch", "send", "--bulletin", priority, "--area", "xa-tan-lap", "--class", "priority")
            let inbox = try await system.loactl.json("inbox", "list", "--area", "xa-tan-lap") as? [[String: Any]] ?? []
            #expect(inbox.first?["state"] as? String == "placed" && (inbox.first?["position"] as? NSNumber)?.intValue == 1, "\(inbox)")
            let item = try #require((inbox.first?["id"] as? NSNumber)?.intValue)
            let program = try #require((inbox.first?["program"] as? NSNumber)?.intValue)
            let moved = try await system.loactl.json("inbox", "place", String(item), "--program", String(program), "--position", "2") as? [String: Any]
            #expect((moved?["position"] as? NSNumber)?.intValue == 2, "\(String(describing: moved))")

            var log: [PlayRecord] = []
            let done = try await eventually(60, every: .milliseconds(500)) {
                log = try await system.playLog()
                return log.filter { $0.kind == "finished" }.count == 3
            }
            #expect(done, "play log: \(log)")
            let order = log.filter { $0.kind == "started" }.sorted { ($0.date ?? .distantPast) < ($1.date ?? .distantPast) }.map(\.bulletin)
            #expect(order == [own, priority, own2], "play order: \(log)")
            let late = try await system.loactl.run(["inbox", "place", String(item), "--program", String(program), "--position", "1"])
            #expect(late.status != 0 && late.stderr.contains("can no longer be moved"), "\(late)")
        }
    }
}
