import Foundation
import LoaProtocol
import NIOCore
import NIOPosix
import Testing
@testable import LoaController
import LoaSchedule

/// The real gateway server on 127.0.0.1 with a store and content on disk, and gateway ends
/// built from LoaProtocol's client side.
@Suite(.serialized) struct FleetLoopbackTests {
    /// A running controller core: store, content, fleet, server.
    struct Harness {
        let fixture: StoreFixture
        let dir: ScratchDirectory
        let content: ContentStore
        let fleet: GatewayFleet
        let server: GatewayServer
        let group: MultiThreadedEventLoopGroup
        let port: Int

        static func start(offlineAfterSeconds: Int64 = 90) async throws -> Harness {
            let fixture = try await StoreFixture.seeded()
            let dir = try ScratchDirectory("loa-fleet")
            let content = try ContentStore(root: dir.url)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let fleet = GatewayFleet(store: fixture.store, content: content, chunkBytes: 16 * 1024, logger: TestLog.quiet)
            let secrets = GatewaySecretCache(store: fixture.database, logger: TestLog.quiet)
            let server = GatewayServer(configuration: .init(host: "127.0.0.1", port: 0, heartbeatSeconds: 30,
                                                              offlineAfterSeconds: offlineAfterSeconds),
                                       fleet: fleet, secrets: secrets, group: group, logger: TestLog.quiet)
            let port = try await server.start()
            return Harness(fixture: fixture, dir: dir, content: content, fleet: fleet, server: server, group: group, port: port)
        }

        func stop() async {
            await server.stop()
            try? await group.shutdownGracefully()
            dir.cleanup()
        }

        /// Ingests a tone (approved) and schedules it daily for `area`.
        func scheduledBulletin(seconds: Double, area: String) async throws -> Bulletin {
            let ingest = BulletinIngest(pipeline: IngestPipeline(settings: IngestSettings()), content: content,
                                        bulletins: fixture.store, approvalRequired: false, logger: TestLog.quiet)
            let bulletin = try await ingest.ingest(TestAudio.wav(seconds: seconds, frequency: 300 + seconds * 100), title: "Bản tin",
                                                   origin: fixture.admin).bulletin
            _ = try await fixture.store.createScheduleEntry(
                ScheduleRule(bulletinSHA256: bulletin.sha256, target: BroadcastTarget(areaIDs: [area]), recurrence: .daily,
                             timeOfDay: TimeOfDay(hour: 6, minute: 30), validFrom: LocalDate(year: 2026, month: 12, day: 1)),
                origin: fixture.admin)
            return bulletin
        }

        func secret(_ id: String) async throws -> [UInt8] {
            try await fixture.store.handshakeSecret(for: id).handshakeKey
        }

        func refusals(of id: String) async throws -> [AuditEntry] {
            try await fixture.store.auditEntries(after: 0, limit: 10_000).filter { $0.action == "gateway.auth.refused" && $0.target == id }
        }
    }

    static let events = [
        LoaProtocol.PlayEvent(id: "ev-1", itemId: "rule-1@1796106600#0", kind: .started, at: 1_796_106_600_000),
        LoaProtocol.PlayEvent(id: "ev-2", itemId: "rule-1@1796106600#0", kind: .finished, at: 1_796_106_603_000),
    ]

    @Test func handshakeScheduleContentAndPlayEventsStoredOnceAcrossAReconnect() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        let bulletin = try await h.scheduledBulletin(seconds: 3, area: "xa-tan-lap")
        let version = try await h.fixture.store.gateway("xa-tan-lap-01").scheduleVersion
        let log = EventLog()
        let channel = try await FakeGateway.connect(port: h.port, gatewayID: "xa-tan-lap-01", secret: try await h.secret("xa-tan-lap-01"),
                                                    log: log, events: Self.events, group: h.group)
        #expect(await log.wait(prefix: "ready") != nil, "\(log.all)")
        #expect(await log.wait(prefix: "schedule v\(version) entries 1") != nil, "\(log.all)")
        let size = try h.content.read(bulletin.sha256).count
        #expect(await log.wait(prefix: "content verified \(bulletin.sha256) \(size)") != nil, "\(log.all)")
        #expect(await log.wait(prefix: "acked ev-1,ev-2") != nil, "\(log.all)")
        #expect(h.fleet.registry.isOnline("xa-tan-lap-01"))

        // A broken transfer resumes from an offset: chunks start there, the end names the whole size.
        try await channel.writeAndFlush(Message.contentRequest(ContentRequest(sha256: ContentHash(hex: bulletin.sha256)!, offset: 1_000)))
        #expect(await log.wait(prefix: "chunk 1000 ") != nil, "\(log.all)")
        #expect(await log.wait(prefix: "end \(size)") != nil, "\(log.all)")
        #expect(await eventually { h.fleet.registry.link(for: "xa-tan-lap-01")?.acknowledgedScheduleVersion == UInt64(version) })

        let stored = try await h.fixture.store.playEvents(PlayEventQuery(gatewayID: "xa-tan-lap-01"))
        #expect(stored.events.map(\.eventID).sorted() == ["ev-1", "ev-2"])
        #expect(stored.events.allSatisfy { $0.bulletinSHA256 == nil || $0.bulletinSHA256 == bulletin.sha256 })
        #expect(try await h.fixture.store.gateway("xa-tan-lap-01").lastSeenAt != nil)

        // After a reconnect the gateway resends the same events (as if the ack had been lost).
        try await channel.close()
        #expect(await eventually { !h.fleet.registry.isOnline("xa-tan-lap-01") })
        let again = EventLog()
        let second = try await FakeGateway.connect(port: h.port, gatewayID: "xa-tan-lap-01", secret: try await h.secret("xa-tan-lap-01"),
                                                   log: again, events: Self.events, group: h.group)
        #expect(await again.wait(prefix: "acked ev-1,ev-2") != nil, "\(again.all)")
        let afterReconnect = try await h.fixture.store.playEvents(PlayEventQuery(gatewayID: "xa-tan-lap-01"))
        #expect(afterReconnect.events.count == 2)
        try await second.close()
    }

    @Test func aScheduleChangeIsPushedAgain() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        _ = try await h.scheduledBulletin(seconds: 1, area: "xa-tan-lap")
        let log = EventLog()
        let channel = try await FakeGateway.connect(port: h.port, gatewayID: "xa-tan-lap-02", secret: try await h.secret("xa-tan-lap-02"),
                                                    log: log, group: h.group)
        let v1 = try await h.fixture.store.gateway("xa-tan-lap-02").scheduleVersion
        #expect(await log.wait(prefix: "schedule v\(v1) entries 1") != nil, "\(log.all)")

        // A rule aimed at the district above the commune: the API layer would then call notify.
        _ = try await h.scheduledBulletin(seconds: 2, area: "cam-xuyen")
        let v2 = try await h.fixture.store.gateway("xa-tan-lap-02").scheduleVersion
        #expect(v2 > v1)
        try await h.fleet.notifyScheduleChanged(area: "cam-xuyen")
        #expect(await log.wait(prefix: "schedule v\(v2) entries 2") != nil, "\(log.all)")

        // Nothing changed: a second notification pushes nothing.
        h.fleet.notifyScheduleChanged(gatewayIDs: ["xa-tan-lap-02", "xa-ky-phong-01"])
        try await Task.sleep(for: .milliseconds(300))
        #expect(log.count(prefix: "schedule v") == 2)
        try await channel.close()
    }

    @Test func wrongSecretAndUnknownGatewayAreRefusedAndAudited() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        let wrong = EventLog()
        _ = try await FakeGateway.connect(port: h.port, gatewayID: "xa-cam-binh-01", secret: Array(repeating: 7, count: 32),
                                          log: wrong, group: h.group)
        #expect(await wrong.wait(prefix: "inactive") != nil, "\(wrong.all)")
        #expect(!wrong.all.contains("ready"))
        #expect(!h.fleet.registry.isOnline("xa-cam-binh-01"))
        #expect(try await eventually { try await !h.refusals(of: "xa-cam-binh-01").isEmpty })
        let entry = try #require(try await h.refusals(of: "xa-cam-binh-01").first)
        #expect(entry.address == "127.0.0.1")
        #expect(entry.details["reason"]?.contains("wrong secret (attempt 1") == true, "\(entry.details)")

        // Straight away again: now the throttle answers, and that is audited too.
        let throttled = EventLog()
        _ = try await FakeGateway.connect(port: h.port, gatewayID: "xa-cam-binh-01", secret: try await h.secret("xa-cam-binh-01"),
                                          log: throttled, group: h.group)
        #expect(await throttled.wait(prefix: "inactive") != nil)
        #expect(!throttled.all.contains("ready"), "a right secret inside the back-off window is still refused")
        #expect(try await eventually { try await h.fixture.store.auditEntries(after: 0, limit: 1_000)
            .contains { $0.action == "gateway.auth.refused" && $0.target.contains("xa-cam-binh-01") && $0.details["code"] == "12" } })

        let unknown = EventLog()
        _ = try await FakeGateway.connect(port: h.port, gatewayID: "xa-khong-co-01", secret: Array(repeating: 1, count: 32),
                                          log: unknown, group: h.group)
        #expect(await unknown.wait(prefix: "inactive") != nil)
        #expect(try await eventually { try await !h.refusals(of: "xa-khong-co-01").isEmpty })
    }

    @Test func healthCommandsAnnouncementsAndMissingContent() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        let log = EventLog()
        let channel = try await FakeGateway.connect(port: h.port, gatewayID: "xa-ky-phong-01", secret: try await h.secret("xa-ky-phong-01"),
                                                    log: log, group: h.group)
        #expect(await log.wait(prefix: "schedule v") != nil, "\(log.all)")

        try await channel.writeAndFlush(Message.healthReport(HealthReport(uptimeSeconds: 42, amplifierOn: false, volumePercent: 80)))
        #expect(try await eventually { try await h.fixture.store.latestHealth(of: "xa-ky-phong-01") != nil })
        let sample = try #require(try await h.fixture.store.latestHealth(of: "xa-ky-phong-01"))
        #expect(try JSONDecoder().decode(HealthReport.self, from: sample.report).volumePercent == 80)

        let id = try await h.fleet.send(.setVolume(percent: 70), to: "xa-ky-phong-01", origin: h.fixture.admin)
        #expect(await log.wait(prefix: "command setVolume") != nil, "\(log.all)")
        #expect(try await eventually { try await h.fixture.store.auditEntries(after: 0, limit: 1_000)
            .contains { $0.action == "gateway.command.result" && $0.details["command.id"] == id } })

        let hash = try #require(ContentHash(hex: String(repeating: "ab", count: 32)))
        let failures = await h.fleet.announce(
            LoaProtocol.Announcement(itemId: "announcement-1", sha256: hash, priority: 120, startAt: 0, expiresAt: 1, onBusy: .preempt, onInterrupt: .restart),
            to: ["xa-ky-phong-01", "xa-dien-hoa-01"])
        #expect(failures == ["xa-dien-hoa-01": .offline(gatewayID: "xa-dien-hoa-01")])
        #expect(await log.wait(prefix: "announce announcement-1") != nil)

        try await channel.writeAndFlush(Message.contentRequest(ContentRequest(sha256: hash, offset: 0)))
        #expect(await log.wait(prefix: "error 100") != nil, "\(log.all)")
        #expect(h.fleet.registry.isOnline("xa-ky-phong-01"), "a missing file does not end the session")
        try await channel.close()
    }

    /// A gateway that connects hears of every announcement aimed at it that has not expired:
    /// one due later, and the stop of one stopped while it was away; not of an expired one or
    /// of one for another commune.
    @Test func aConnectingGatewayHearsOfUnexpiredAnnouncementsAndOfTheStoppedOnes() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        let now = Date()
        func announce(_ target: BroadcastTarget, startIn: TimeInterval, expireIn: TimeInterval) async throws -> Int64 {
            try await h.fixture.store.createAnnouncement(NewAnnouncement(
                content: .content(sha256: StoreFixture.hash(9)), target: target, priority: 150,
                startAt: now.addingTimeInterval(startIn), expiresAt: now.addingTimeInterval(expireIn)), origin: h.fixture.admin).id
        }
        let later = try await announce(BroadcastTarget(areaIDs: ["ky-anh"]), startIn: 600, expireIn: 4_200)
        let running = try await announce(BroadcastTarget(gatewayIDs: ["xa-ky-phong-01"]), startIn: -60, expireIn: 3_600)
        let stopped = try await announce(BroadcastTarget(areaIDs: ["xa-ky-phong"]), startIn: -60, expireIn: 3_600)
        _ = try await h.fixture.store.stopAnnouncement(stopped, origin: h.fixture.admin)
        let expired = try await announce(BroadcastTarget(areaIDs: ["xa-ky-phong"]), startIn: -7_200, expireIn: -3_600)
        let elsewhere = try await announce(BroadcastTarget(areaIDs: ["xa-tan-lap"]), startIn: -60, expireIn: 3_600)

        let log = EventLog()
        let channel = try await FakeGateway.connect(port: h.port, gatewayID: "xa-ky-phong-01", secret: try await h.secret("xa-ky-phong-01"),
                                                    log: log, group: h.group)
        for line in ["announce announcement-\(later)", "announce announcement-\(running)", "got stop announcement-\(stopped)"] {
            #expect(await log.wait(prefix: line) != nil, "\(line) not received: \(log.all)")
        }
        let heard = log.all.filter { $0.hasPrefix("announce ") || $0.hasPrefix("got stop ") }
        #expect(heard.count == 3, "\(heard)")
        #expect(!heard.contains { $0.hasSuffix("-\(expired)") || $0.hasSuffix("-\(elsewhere)") }, "\(heard)")
        try await channel.close()
    }

    @Test func aSilentGatewayIsMarkedOfflineAfterItsHeartbeatsAreMissed() async throws {
        let h = try await Harness.start(offlineAfterSeconds: 1)
        defer { Task { await h.stop() } }
        let log = EventLog()
        // The gateway's heartbeat is 30 s, so it stays silent past the controller's 1 s limit.
        _ = try await FakeGateway.connect(port: h.port, gatewayID: "xa-dien-hoa-01", secret: try await h.secret("xa-dien-hoa-01"),
                                          log: log, group: h.group)
        #expect(await log.wait(prefix: "ready") != nil)
        #expect(await eventually { h.fleet.registry.isOnline("xa-dien-hoa-01") })
        // The session's start is written with others in a batch (up to 50 ms later).
        let seenAtConnect = try await eventually(seconds: 5) { try await h.fixture.store.gateway("xa-dien-hoa-01").lastSeenAt != nil }
        #expect(await eventually(seconds: 5) { !h.fleet.registry.isOnline("xa-dien-hoa-01") })
        #expect(await log.wait(prefix: "inactive") != nil, "the controller closed the silent session: \(log.all)")
        #expect(log.all.contains { $0.contains("20") }, "heartbeatTimeout (20) was sent: \(log.all)")
        #expect(seenAtConnect)
    }

    /// The server's connection workers run in one task group that `stop()` ends and awaits:
    /// when it returns, every worker has closed its session (the registry is empty).
    @Test func stopAwaitsEveryConnectionWorker() async throws {
        let h = try await Harness.start()
        var logs: [EventLog] = []
        for id in ["xa-dien-hoa-01", "xa-tan-lap-01"] {
            let log = EventLog()
            _ = try await FakeGateway.connect(port: h.port, gatewayID: id, secret: try await h.secret(id), log: log, group: h.group)
            #expect(await log.wait(prefix: "ready") != nil)
            logs.append(log)
        }
        #expect(await eventually { h.fleet.registry.all.count == 2 })
        await h.server.stop()
        #expect(h.fleet.registry.all.isEmpty, "workers still serving after stop: \(h.fleet.registry.all.map(\.gatewayID))")
        for log in logs { #expect(await log.wait(prefix: "inactive") != nil) }
        try? await h.group.shutdownGracefully()
        h.dir.cleanup()
    }

    /// The drain's deadline holds even when the work never ends (a flush to a stalled link).
    @Test func aDeadlineDoesNotWaitForWorkThatNeverEnds() async {
        #expect(await GatewayServer.within(.milliseconds(50)) { try? await Task.sleep(for: .seconds(3_600)) } == false)
        #expect(await GatewayServer.within(.seconds(30)) {} == true)
    }
}
