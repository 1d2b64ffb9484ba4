import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two real controllers on loopback as the central and a provincial information source system
/// (TT 39/2020), the province with a gateway: what the centre sends down reaches the province's
/// gateway and inbox through the link, the centre sees per-gateway status, and an outage of the
/// centre (and a restart of the province) loses and doubles nothing. Then the bad links: a wrong
/// key, an upstream answering garbage, an unknown area in the map, a cycle.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct UpstreamLinkScenarioTests {
    static let key = "khoa-lien-ket-tinh-e2e-0123456789"

    static func centralConfig(downstreamKey: String = key, upstream: String = "") -> String {
        """
        [link]
        identity = "trung-uong"
        downstreams = ["tinh-e2e key:\(downstreamKey) tinh-e2e"]
        \(upstream)
        """
    }

    static func provinceConfig(upstream url: String, key: String = key, map: [String] = ["xa-tan-lap = xa-tan-lap"], downstreams: String = "") -> String {
        """
        [link]
        identity = "tinh"
        \(downstreams)
        [upstream]
        url = "\(url)"
        name = "tinh-e2e"
        key = "\(key)"
        poll_seconds = 1
        backoff_max_seconds = 3
        area_map = [\(map.map { "\"\($0)\"" }.joined(separator: ", "))]
        """
    }

    @Test func bulletinsFromTheCentreReachTheProvinceAndNothingIsLostOrDoubledAcrossRestarts() async throws {
        let central = try LoaSystem("link-central", controllerConfig: Self.centralConfig())
        let province = try LoaSystem("link-province", controllerConfig: Self.provinceConfig(upstream: central.controller.url))
        try await linked(central, province) {
            try await central.start(communes: [("xa-tan-lap", [])])
            try await province.start(communes: [("xa-tan-lap", ["xa-tan-lap-01"])])
            try await province.waitOnline(["xa-tan-lap-01"])
            let urgent = try await central.bulletin("Khẩn cấp lũ", seconds: 1.5, frequency: 990)
            let news = try await central.bulletin("Tin trung ương", seconds: 1.5, frequency: 550)
            let later = try await central.bulletin("Tin sau khi mất liên lạc", seconds: 1, frequency: 660)
            let sentAt = Date()
            let emergency = try await Self.send(central, urgent, "emergency")
            let normal = try await Self.send(central, news, "normal")

            // The emergency plays on the province's gateway; the normal one waits in its inbox.
            var log: [PlayRecord] = []
            let played = try await eventually(60, every: .milliseconds(500)) {
                log = try await province.playLog()
                return log.contains { $0.bulletin == urgent && $0.kind == "finished" }
            }
            #expect(played, "province play log: \(log)\ngateway log:\n\(province["xa-tan-lap-01"].log.suffix(3000))")
            if let began = log.first(where: { $0.bulletin == urgent && $0.kind == "started" })?.date {
                #expect(began.timeIntervalSince(sentAt) < 15, "the emergency started \(began.timeIntervalSince(sentAt)) s after the send")
            }
            let inbox = try await province.loactl.json("inbox", "list", "--area", "xa-tan-lap") as? [[String: Any]] ?? []
            let normals = inbox.filter { $0["class"] as? String == "normal" }
            #expect(normals.count == 1 && normals.first?["bulletin"] as? String == news && normals.first?["senderLevel"] as? String == "central"
                    && normals.first?["sender"] as? String == "upstream", "\(inbox)")

            // The centre's sender view shows the province's gateway, and the normal one delivered there.
            var plays: [[String: Any]] = []
            let reported = try await eventually(30, every: .milliseconds(500)) {
                let shown = try await central.loactl.json("dispatch", "show", String(emergency)) as? [String: Any]
                plays = (shown?["targets"] as? [[String: Any]])?.first?["plays"] as? [[String: Any]] ?? []
                return plays.contains { $0["gatewayId"] as? String == "tinh-e2e/xa-tan-lap-01" && $0["kind"] as? String == "finished" }
            }
            #expect(reported, "the centre's view of the emergency: \(plays)")
            let normalView = try await central.loactl.json("dispatch", "show", String(normal)) as? [String: Any]
            let normalState = (normalView?["targets"] as? [[String: Any]])?.first?["state"] as? String
            #expect(["delivered", "seen"].contains(normalState ?? ""), "\(String(describing: normalView))")
            let state = try await province.loactl.json("link", "status") as? [String: Any]
            #expect((state?["upstream"] as? [String: Any])?["state"] as? String == "connected", "\(String(describing: state))")
            // The province's period report of the month reached the centre.
            let reports = try await central.api.call("GET", "/api/v1/link/reports").json?["items"] as? [[String: Any]] ?? []
            let report = reports.first { $0["downstream"] as? String == "tinh-e2e" && $0["area"] as? String == "xa-tan-lap" }?["report"] as? [String: Any]
            #expect((report?["communes"] as? [[String: Any]])?.first?["areaId"] as? String == "xa-tan-lap", "\(reports)")
            let health = try await Self.get(province.controller.url + "/healthz")
            #expect(health.contains("\"upstream\":\"connected\""), "\(health)")
            let metrics = try await Self.get(province.controller.url + "/metrics")
            #expect(metrics.contains("loa_upstream_link_connected{upstream=\"\(central.controller.url)\"} 1"), "\(metrics.suffix(2000))")
            #expect(try await Self.get(central.controller.url + "/metrics").contains("loa_downstream_link_last_pull_timestamp_seconds{downstream=\"tinh-e2e\"}"))
            let text = try await province.loactl.ok("link")
            #expect(text.stdout.contains("upstream \(central.controller.url)") && text.stdout.contains(": connected"), "\(text)")
            let seen = try await central.loactl.json("link", "status") as? [String: Any]
            #expect(((seen?["downstreams"] as? [[String: Any]])?.first?["chain"] as? [String]) == ["tinh"], "\(String(describing: seen))")

            // The centre stops. The province keeps playing its own schedule and retries with backoff.
            await central.controller.stop()
            let local = try await province.bulletin("Tin của tỉnh", seconds: 1, frequency: 440)
            try await province.schedule(local, gateways: ["xa-tan-lap-01"], inSeconds: 5)
            let retrying = try await eventually(30, every: .milliseconds(500)) {
                let up = (try await province.loactl.json("link", "status") as? [String: Any])?["upstream"] as? [String: Any]
                return up?["state"] as? String == "retrying" && up?["lastErrorCode"] as? String == "unreachable"
            }
            #expect(retrying, "province link state after the centre stopped")
            let localPlayed = try await eventually(30, every: .milliseconds(500)) {
                try await province.playLog().contains { $0.bulletin == local && $0.kind == "finished" }
            }
            #expect(localPlayed, "the province played its own schedule while the centre was down")
            try await Task.sleep(for: .seconds(5))

            // The centre comes back; one more bulletin; the province restarts too (kill -9).
            try await central.controller.start()
            _ = try await Self.send(central, later, "normal")
            let back = try await eventually(60, every: .milliseconds(500)) {
                let inbox = try await province.loactl.json("inbox", "list", "--area", "xa-tan-lap") as? [[String: Any]] ?? []
                return inbox.contains { $0["bulletin"] as? String == later }
            }
            #expect(back, "the bulletin sent after the outage reached the province\n\(province.controller.log.suffix(3000))")
            await province.controller.kill9()
            try await province.controller.start()
            try await Task.sleep(for: .seconds(4))
            let connected = try await eventually(30, every: .milliseconds(500)) {
                ((try await province.loactl.json("link", "status") as? [String: Any])?["upstream"] as? [String: Any])?["state"] as? String == "connected"
            }
            #expect(connected)
            let final = try await province.loactl.json("inbox", "list", "--area", "xa-tan-lap") as? [[String: Any]] ?? []
            let counts = Dictionary(grouping: final.compactMap { $0["bulletin"] as? String }, by: { $0 }).mapValues(\.count)
            #expect(counts == [urgent: 1, news: 1, later: 1], "each offer taken once: \(final)")
            log = try await province.playLog()
            #expect(log.filter { $0.bulletin == urgent && $0.kind == "started" }.count == 1, "the emergency played once: \(log)")
        }
    }

    /// A link key that is wrong, a cycle (the centre configured as the province's downstream too).
    @Test func aWrongKeyIsRefusedAndACycleIsRefusedOnBothSides() async throws {
        // The province also accepts the centre as its downstream, and the centre dials it: a cycle.
        let central = try LoaSystem("link-cycle-central", controllerConfig: Self.centralConfig())
        let province = try LoaSystem("link-cycle-province", controllerConfig: Self.provinceConfig(
            upstream: central.controller.url, downstreams: "downstreams = [\"trung-uong key:khoa-cua-trung-uong-0123 tinh-e2e\"]"))
        try central.controller.appendConfig("""
            [upstream]
            url = "\(province.controller.url)"
            name = "trung-uong"
            key = "khoa-cua-trung-uong-0123"
            poll_seconds = 1
            backoff_max_seconds = 2
            area_map = ["xa-tan-lap = xa-tan-lap"]
            """)
        try await linked(central, province) {
            try await central.start(communes: [("xa-tan-lap", [])])
            try await province.start(communes: [("xa-tan-lap", [])])
            // Wrong key, unknown name: 401, logged by the upstream.
            let wrong = try await Self.linkCall(central.controller.url, name: "tinh-e2e", key: "not-the-key-0123456789")
            #expect(wrong.status == 401, "\(wrong)")
            let unknown = try await Self.linkCall(central.controller.url, name: "tinh-khac", key: Self.key)
            #expect(unknown.status == 401, "\(unknown)")
            let right = try await Self.linkCall(central.controller.url, name: "tinh-e2e", key: Self.key, chain: "tinh")
            #expect(right.status == 200, "\(right)")
            let looped = try await Self.linkCall(central.controller.url, name: "tinh-e2e", key: Self.key, chain: "tinh,trung-uong")
            #expect(looped.status == 409 && looped.body.contains("link_cycle"), "\(looped)")
            #expect(central.controller.log.contains("link key refused"))
            // Five wrong keys for one name from one address: that pair is locked out for a while.
            for _ in 0..<4 { _ = try await Self.linkCall(central.controller.url, name: "tinh-khac", key: "not-the-key-0123456789") }
            let locked = try await Self.linkCall(central.controller.url, name: "tinh-khac", key: "not-the-key-0123456789")
            #expect(locked.status == 429, "\(locked)")
            // Both controllers end up refusing the other's pulls.
            var states: [String?] = []
            let refused = try await eventually(30, every: .milliseconds(500)) {
                states = []
                for system in [central, province] {
                    let up = (try await system.loactl.json("link", "status") as? [String: Any])?["upstream"] as? [String: Any]
                    states.append(up?["lastErrorCode"] as? String)
                }
                return states == ["cycle", "cycle"]
            }
            #expect(refused, "last errors: \(states)")
        }
    }

    /// An upstream answering garbage (not JSON, JSON of the wrong shape, audio that does not
    /// match its SHA-256) and an area map naming an unknown area: clear errors, nothing saved.
    @Test func garbageFromTheUpstreamAndAnUnknownAreaSaveNothing() async throws {
        let fake = try Scratch("link-garbage-upstream")
        defer { fake.remove() }
        let port = try FreePort.next()
        try FileManager.default.createDirectory(atPath: fake.file("root/api/v1/link/audio"), withIntermediateDirectories: true)
        try Data("<html>this is not JSON</html>".utf8).write(to: URL(fileURLWithPath: fake.file("root/api/v1/link/offers")))
        let server = try ChildProcess("/usr/bin/python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", fake.file("root")],
                                      stdout: fake.file("http.out"), stderr: fake.file("http.log"))
        let province = try LoaSystem("link-garbage", controllerConfig: Self.provinceConfig(
            upstream: "http://127.0.0.1:\(port)", map: ["c-xa = xa-tan-lap", "c-xa-b = xa-khong-co"]))
        do {
            try await province.start(communes: [("xa-tan-lap", [])])
            try await Self.waitError(province, code: "unknown_area", containing: "'xa-khong-co', which is not an area of this controller")
            try await province.loactl.ok("areas", "add", "xa-khong-co", "--kind", "commune", "--parent", "tinh-e2e")
            try await Self.waitError(province, code: "garbage", containing: "not JSON")
            let sha = String(repeating: "ab", count: 32)
            try Data(#"{"upstream":"fake","offers":[{"id":"one"}]}"#.utf8).write(to: URL(fileURLWithPath: fake.file("root/api/v1/link/offers")))
            try await Self.waitError(province, code: "garbage", containing: "wrong shape")
            let offer = """
                {"upstream":"fake","offers":[{"id":1,"class":"emergency","area":"c-xa","repeat":1,"sender":"admin","senderLevel":"central",
                 "sentAt":"\(ISO8601DateFormatter.withMilliseconds.string(from: Date()))",
                 "bulletin":{"sha256":"\(sha)","title":"Giả","durationMs":1000,"url":"/api/v1/link/audio/\(sha)"}}]}
                """
            try Data("not the audio".utf8).write(to: URL(fileURLWithPath: fake.file("root/api/v1/link/audio/\(sha)")))
            try Data(offer.utf8).write(to: URL(fileURLWithPath: fake.file("root/api/v1/link/offers")))
            try await Self.waitError(province, code: "audio_mismatch", containing: "nothing was saved")
            let dispatches = try await province.loactl.json("dispatch", "list") as? [[String: Any]] ?? []
            let bulletins = try await province.loactl.json("bulletins", "list") as? [[String: Any]] ?? []
            #expect(dispatches.isEmpty && bulletins.isEmpty, "nothing saved: \(dispatches) \(bulletins)")
            #expect(province.controller.log.contains("upstream link sync failed"))
        } catch {
            Issue.record("garbage: \(error)\nscratch kept: \(province.scratch.path)")
        }
        await server.stop()
        await province.shutdown(keep: false)
    }

    // MARK: Helpers

    static func send(_ system: LoaSystem, _ sha256: String, _ kind: String) async throws -> Int {
        let sent = try await system.loactl.json("dispatch", "send", "--bulletin", sha256, "--area", "xa-tan-lap", "--class", kind) as? [String: Any]
        return try #require((sent?["id"] as? NSNumber)?.intValue, "\(String(describing: sent))")
    }

    static func get(_ url: String) async throws -> String {
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, _) = try await session.data(for: URLRequest(url: URL(string: url)!, timeoutInterval: 10))
        return String(decoding: data, as: UTF8.self)
    }

    static func waitError(_ system: LoaSystem, code: String, containing text: String) async throws {
        var last: [String: Any]?
        let seen = try await eventually(30, every: .milliseconds(300)) {
            last = (try await system.loactl.json("link", "status") as? [String: Any])?["upstream"] as? [String: Any]
            return last?["lastErrorCode"] as? String == code && (last?["lastError"] as? String ?? "").contains(text)
        }
        #expect(seen, "expected \(code) '\(text)'; link state: \(String(describing: last))")
    }

    static func linkCall(_ base: String, name: String, key: String, chain: String = "") async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: base + "/api/v1/link/offers?after=0")!, timeoutInterval: 10)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue(name, forHTTPHeaderField: "Loa-Link")
        request.setValue(chain, forHTTPHeaderField: "Loa-Link-Chain")
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Runs `body` with both systems, always stopping both; scratch kept on failure.
    func linked(_ central: LoaSystem, _ province: LoaSystem, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            Issue.record("\(error)\nscratch kept: \(central.scratch.path) \(province.scratch.path)")
            await province.shutdown(keep: true)
            await central.shutdown(keep: true)
            return
        }
        let keep = ProcessInfo.processInfo.environment["LOA_E2E_KEEP"] == "1"
        if keep { print("scratch kept: \(central.scratch.path) \(province.scratch.path)") }
        await province.shutdown(keep: keep)
        await central.shutdown(keep: keep)
    }
}
