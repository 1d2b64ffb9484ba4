import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// The real `loa-gateway` process against a controller peer on 127.0.0.1: schedule push,
/// content transfer, playout into an ALSA `type file` PCM, play events acknowledged by id,
/// a second item played from the cache while the link is down, and the queued events sent once
/// the link is back.
@Suite(.serialized, .enabled(if: GatewayProcess.path != nil, "skipped: loa-gateway is not built next to the test bundle"))
struct GatewayLoopbackTests {
    static let gatewayID = "xa-thu-nghiem-01"
    static let secret = Array("correct horse battery staple".utf8)

    func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// An announcement (an emergency sent down, say) whose audio the gateway has never had:
    /// it waits for the audio and plays as soon as it is in, late but whole — it is not skipped
    /// as "not cached" because the fetch is still on its way over a slow link.
    @Test func anAnnouncementWaitsForAudioStillOnItsWay() async throws {
        let executable = try #require(GatewayProcess.path)
        let directory = TemporaryDirectory("gw-announce")
        let urgent = try TestBulletin.make(seconds: 1)
        let hash = try #require(ContentHash(hex: urgent.address.hex))
        let peer = ControllerPeer(gatewayID: Self.gatewayID, secret: Self.secret,
                                  schedule: (1, Array(TestSchedule.make(version: 1, entries: []).canonicalJSON())), content: [hash: urgent.bytes])
        peer.contentDelay = .seconds(3)
        let port = try await peer.start()
        defer { Task { await peer.stop() } }
        let output = directory.file("played.raw")
        let alsa = try #require(ALSADevice.filePCM(name: "loafile", path: output).configText)
        let config = try LoopbackGatewayConfig(
            gatewayID: Self.gatewayID, secret: "correct horse battery staple", hosts: ["127.0.0.1:\(port)"],
            alsaConfig: alsa, stateDirectory: directory.file("state"), amplifierFile: directory.file("amplifier.value"), preRollMs: 0
        ).write(to: directory.file("gateway.toml"))
        let gateway = try GatewayProcess(executable: executable, arguments: ["--config", config], logPath: directory.file("gateway.log"))
        defer { gateway.stop(signal: SIGKILL, timeout: 2) }
        #expect(await poll(20) { peer.readySessions >= 1 }, "no session; log:\n\(gateway.log)")

        let sentAt = Date()
        let at = Int64(sentAt.timeIntervalSince1970 * 1000)
        peer.send(.announce(Announcement(itemId: "khan-cap-1", sha256: hash, priority: 220, startAt: at, expiresAt: at + 60_000,
                                         onBusy: .preempt, onInterrupt: .resume)))
        let kinds = { peer.storedEvents.filter { $0.itemId == "khan-cap-1" }.map(\.kind).sorted { $0.rawValue < $1.rawValue } }
        #expect(await poll(15) { kinds() == [.finished, .started] }, "events: \(kinds()); log:\n\(gateway.log)")
        #expect(!kinds().contains(.failed))
        if let started = peer.storedEvents.first(where: { $0.itemId == "khan-cap-1" && $0.kind == .started }) {
            #expect(Double(started.at - at) / 1000 >= 2.5, "it cannot have sounded before its audio came (3 s): \(Double(started.at - at) / 1000) s")
        }
        #expect(await poll(3) { fileSize(output) == urgent.decodedFrames * 2 }, "output holds \(fileSize(output)) bytes")
    }

    @Test func playsScheduledBulletinsOnlineAndOffline() async throws {
        let executable = try #require(GatewayProcess.path)
        let directory = TemporaryDirectory("gw-e2e")
        let bulletin = try TestBulletin.make(seconds: 1.5)
        let hash = try #require(ContentHash(hex: bulletin.address.hex))
        let peer = ControllerPeer(gatewayID: Self.gatewayID, secret: Self.secret,
                                  schedule: (1, Array(TestSchedule.make(version: 1, entries: []).canonicalJSON())), content: [hash: bulletin.bytes])
        let port = try await peer.start()
        // Timed from here, after the last suspension before the spawn: far enough ahead that a
        // process start, a refused first host, the handshake and the content fetch all fit
        // even when the whole suite shares two busy cores.
        let first = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 20).rounded(.up))
        let second = first.addingTimeInterval(8)
        let schedule = TestSchedule.make(version: 3, entries: [("ban-tin-sang", first, bulletin), ("ban-tin-chieu", second, bulletin)])
        peer.schedule = (3, Array(schedule.canonicalJSON()))
        // A first host that refuses connections: the gateway must move on to the next one.
        let dead = try #require(RefusingPort())
        let deadPort = dead.port
        defer { withExtendedLifetime(dead) {} }

        let output = directory.file("played.raw")
        let gpio = directory.file("amplifier.value")
        let alsa = try #require(ALSADevice.filePCM(name: "loafile", path: output).configText)
        let config = try LoopbackGatewayConfig(
            gatewayID: Self.gatewayID, secret: "correct horse battery staple", hosts: ["127.0.0.1:\(deadPort)", "127.0.0.1:\(port)"],
            alsaConfig: alsa, stateDirectory: directory.file("state"), amplifierFile: gpio, preRollMs: 500
        ).write(to: directory.file("gateway.toml"))

        let gateway = try GatewayProcess(executable: executable, arguments: ["--config", config], logPath: directory.file("gateway.log"))
        defer { gateway.stop(signal: SIGKILL, timeout: 2) }
        let itemA = "ban-tin-sang@\(Int(first.timeIntervalSince1970))#0"
        let itemB = "ban-tin-chieu@\(Int(second.timeIntervalSince1970))#0"
        // Sorted by name: an unpaced file PCM plays so fast that started and finished share a millisecond.
        func kinds(_ item: String) -> [PlayEventKind] {
            peer.storedEvents.filter { $0.itemId == item }.map(\.kind).sorted { $0.rawValue < $1.rawValue }
        }
        let bytesPerPlay = bulletin.decodedFrames * 2  // mono S16_LE

        // 1. Online: the schedule arrives, the content is fetched, A plays at its instant.
        let playedA = await poll(first.timeIntervalSinceNow + 6) { kinds(itemA) == [.finished, .started] }
        #expect(playedA, "events for A: \(kinds(itemA)); log:\n\(gateway.log)")
        #expect(peer.contentRequests.map(\.offset) == [0])
        #expect(gateway.log.contains("cannot connect") && gateway.log.contains("127.0.0.1:\(deadPort)"), "the dead first host was not tried")
        #expect(await poll(2) { fileSize(output) == bytesPerPlay }, "output holds \(fileSize(output)) bytes, want \(bytesPerPlay)")
        let startedA = try #require(peer.storedEvents.first { $0.itemId == itemA && $0.kind == .started })
        #expect(abs(startedA.at - Int64(first.timeIntervalSince1970 * 1000)) < 750, "A started at \(startedA.at)")
        #expect((try? String(contentsOfFile: gpio, encoding: .utf8)) == "1\n", "amplifier on while items are near")

        // 2. Offline: the controller goes away; B still plays from the cache.
        peer.accepting = false
        peer.closeSessions()
        #expect(await poll(second.timeIntervalSinceNow + 6) { fileSize(output) == 2 * bytesPerPlay },
                "output holds \(fileSize(output)) bytes, want \(2 * bytesPerPlay); log:\n\(gateway.log)")
        #expect(kinds(itemB).isEmpty, "B's events cannot have arrived while offline")

        // 3. Back online: B's events arrive. The first delivery is not acknowledged (a lost
        // ack), so after the next reconnect they come again — and are stored once, by id.
        peer.withholdAcks = true
        peer.accepting = true
        #expect(await poll(10) { kinds(itemB) == [.finished, .started] }, "events for B: \(kinds(itemB)); log:\n\(gateway.log)")
        peer.withholdAcks = false
        peer.closeSessions()
        let receivedB = { peer.receivedEvents.filter { $0.itemId == itemB }.count }
        #expect(await poll(10) { receivedB() >= 4 }, "B's unacknowledged events were not resent; log:\n\(gateway.log)")
        let stored = peer.storedEvents.filter { [itemA, itemB].contains($0.itemId) }
        #expect(stored.count == 4)
        #expect(kinds(itemB) == [.finished, .started])
        #expect(Set(peer.receivedEvents.map(\.id)).count == peer.storedEvents.count)
        #expect(peer.readySessions >= 3)
        // Acknowledged now: the gateway's outbox holds no play events.
        let outbox = try Outbox(path: directory.file("state") + "/outbox.sqlite")
        #expect(await poll(5) { ((try? outbox.pending()) ?? [OutboxItem]()).allSatisfy { $0.kind != .playEvent } })

        // 4. An announcement for cached content goes through the same player.
        let announceAt = Int64(Date().timeIntervalSince1970 * 1000) + 1_000
        peer.send(.announce(Announcement(itemId: "thong-bao-1", sha256: hash, priority: 120, startAt: announceAt,
                                         expiresAt: announceAt + 60_000, onBusy: .preempt, onInterrupt: .resume)))
        #expect(await poll(8) { kinds("thong-bao-1") == [.finished, .started] }, "announcement: \(kinds("thong-bao-1")); log:\n\(gateway.log)")
        #expect(fileSize(output) == 3 * bytesPerPlay)
        #expect(peer.healthReports.contains { $0.softwareVersion != nil && $0.uptimeSeconds != nil })
        // The daemon's own uptime beside the machine's (the console showed the machine's as the daemon's).
        let machineUp = (try? String(contentsOfFile: "/proc/uptime", encoding: .utf8)).flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
        #expect(peer.healthReports.contains { ($0.serviceUptimeSeconds ?? -1) >= 0 && ($0.serviceUptimeSeconds ?? .max) < 600 },
                "the gateway started moments ago: \(peer.healthReports.map { "\(String(describing: $0.serviceUptimeSeconds))" })")
        if machineUp > 3_600 { #expect(peer.healthReports.contains { ($0.uptimeSeconds ?? 0) > 3_000 }, "uptimeSeconds stays the machine's") }

        // 5. The played audio is the bulletin, three times.
        let raw = try #require(FileManager.default.contents(atPath: output))
        #expect(raw.count == 3 * bytesPerPlay)
        let decoded = try MP3Decoder.decodeAll(bulletin.bytes)
        let expected = decoded.int16Samples()
        let played = raw.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        #expect(Array(played.prefix(expected.count)) == expected)

        // 6. A technician's command: volume (software gain here), answered by id.
        peer.send(.command(Command(id: "cmd-1", action: .setVolume(percent: 80))))
        peer.send(.command(Command(id: "cmd-2", action: .testTone(frequencyHz: 1_000, durationMs: 500))))
        #expect(await poll(5) { peer.commandResults.count == 2 })
        #expect(peer.commandResults.first { $0.id == "cmd-1" }?.ok == true)
        let tone = peer.commandResults.first { $0.id == "cmd-2" }
        #expect(tone?.ok == true && tone?.message?.contains("test tone 1000 Hz for 500 ms") == true, "\(String(describing: tone))")
        // The tone goes through the player into the same PCM: 0.5 s at 24 kHz.
        #expect(await poll(8) { fileSize(output) == 3 * bytesPerPlay + 12_000 * 2 },
                "output holds \(fileSize(output) - 3 * bytesPerPlay) bytes after the bulletins; log:\n\(gateway.log)")

        // 7. SIGTERM: clean exit within a second or so, amplifier off.
        let status = gateway.stop(signal: SIGTERM, timeout: 3)
        #expect(status == 0, "exit status \(String(describing: status)); log:\n\(gateway.log)")
        #expect((try? String(contentsOfFile: gpio, encoding: .utf8)) == "0\n")
        await peer.stop()
    }
}
