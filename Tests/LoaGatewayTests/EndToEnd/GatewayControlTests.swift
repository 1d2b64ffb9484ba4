import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// `loactl gateway …` against a real `loa-gateway` process and a controller peer on loopback:
/// status shows the link and the schedule version, schedule and cache list what is stored,
/// the volume survives a restart, the test tone reaches the ALSA file PCM as 1 kHz of the
/// asked length, logs come back, and a wrong socket gives an actionable error.
@Suite(.serialized, .enabled(if: GatewayProcess.path != nil && ToolRun.path("loactl") != nil,
                             "skipped: loa-gateway or loactl is not built next to the test bundle"))
struct GatewayControlTests {
    static let gatewayID = "xa-thu-nghiem-03"
    static let secret = "control socket secret"

    func fileSize(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }

    @Test func loactlGatewayOverTheControlSocket() async throws {
        let executable = try #require(GatewayProcess.path)
        let loactl = try #require(ToolRun.path("loactl"))
        let directory = TemporaryDirectory("gw-ctl")
        let bulletin = try TestBulletin.make(seconds: 1)
        let hash = try #require(ContentHash(hex: bulletin.address.hex))
        let at = Date().addingTimeInterval(3_600)
        let schedule = TestSchedule.make(version: 5, entries: [("ban-tin-sang", at, bulletin)])
        let peer = ControllerPeer(gatewayID: Self.gatewayID, secret: Array(Self.secret.utf8),
                                  schedule: (5, Array(schedule.canonicalJSON())), content: [hash: bulletin.bytes])
        let port = try await peer.start()
        let output = directory.file("played.raw")
        let socket = directory.file("control.sock")
        let alsa = try #require(ALSADevice.filePCM(name: "loafile", path: output).configText)
        let config = try LoopbackGatewayConfig(
            gatewayID: Self.gatewayID, secret: Self.secret, hosts: ["127.0.0.1:\(port)"],
            alsaConfig: alsa, stateDirectory: directory.file("state"), amplifierFile: directory.file("amplifier.value"),
            logLevel: nil, healthSeconds: nil, controlSocket: socket
        ).write(to: directory.file("gateway.toml"))

        var gateway = try GatewayProcess(executable: executable, arguments: ["--config", config], logPath: directory.file("gateway-1.log"))
        defer { gateway.stop(signal: SIGKILL, timeout: 2) }
        func ctl(_ arguments: String...) async throws -> ToolRun {
            try await ToolRun.run(loactl, ["gateway"] + arguments + ["--socket", socket], in: directory)
        }
        func json(_ run: ToolRun) throws -> ControlAnswer { try ControlAnswer.decode(Array(run.stdout.utf8).dropLast()) }

        // 1. Status: linked, schedule 5 stored, the content fetched.
        #expect(await poll(30) { FileManager.default.fileExists(atPath: socket) }, "no control socket; log:\n\(gateway.log)")
        #expect(await poll(30) { quickStatus(socket)?.scheduleVersion == 5 }, "schedule not stored; log:\n\(gateway.log)")
        var status = try await ctl("status", "--json")
        #expect(status.status == 0, "\(status.stderr)")
        var report = try #require(try json(status).status)
        #expect(report.gatewayId == Self.gatewayID && report.scheduleVersion == 5)
        #expect(await poll(20) { peer.contentRequests.count >= 1 })
        let text = try await ctl("status")
        #expect(text.status == 0 && text.stdout.contains("version 5") && text.stdout.contains("xa-thu-nghiem-03"), "\(text.stdout)")
        #expect(text.stdout.contains("connected to 127.0.0.1:\(port)"), "\(text.stdout)")
        status = try await ctl("status", "--json")
        report = try #require(try json(status).status)
        #expect(report.link.connected, "link down: \(report.link)")

        // 2. Schedule and cache: the next play, cached.
        let listed = try await ctl("schedule", "--json")
        let plays = try #require(try json(listed).schedule?.plays)
        #expect(plays.map(\.entryId) == ["ban-tin-sang"] && plays.first?.title == "Bản tin thử")
        #expect(await poll(20) { quickStatus(socket)?.cacheEntries == 1 }, "content not cached; log:\n\(gateway.log)")
        let table = try await ctl("schedule")
        #expect(table.stdout.contains("START") && table.stdout.contains("Bản tin thử"), "\(table.stdout)")
        let cache = try await ctl("cache")
        #expect(cache.stdout.contains(String(bulletin.address.hex.prefix(16))), "\(cache.stdout)")
        #expect(cache.stdout.contains("Everything the schedule needs is cached."), "\(cache.stdout)")

        // 3. Volume: set, and still set after a restart.
        let set = try await ctl("volume", "35")
        #expect(set.status == 0 && set.stdout.contains("Volume 35%"), "\(set.stdout)\(set.stderr)")
        let refused = try await ctl("volume", "150")
        #expect(refused.status != 0 && refused.stderr.contains("0–100"), "\(refused.stderr)")
        #expect(gateway.stop(signal: SIGTERM, timeout: 5) == 0)
        #expect(!FileManager.default.fileExists(atPath: socket), "socket left after a clean stop")
        gateway = try GatewayProcess(executable: executable, arguments: ["--config", config], logPath: directory.file("gateway-2.log"))
        #expect(await poll(30) { FileManager.default.fileExists(atPath: socket) }, "no control socket after restart; log:\n\(gateway.log)")
        let volume = try #require(try json(try await ctl("volume", "--json")).volume)
        #expect(volume.percent == 35 && volume.persisted)
        #expect(gateway.log.contains("volume restored"))

        // 4. Test tone: 0.5 s of 1 kHz into the file PCM, after the amplifier.
        let before = fileSize(output)
        let tone = try await ctl("test-tone", "0.5")
        #expect(tone.status == 0 && tone.stdout.contains("Test tone 1000 Hz"), "\(tone.stdout)\(tone.stderr)")
        #expect(await poll(10) { fileSize(output) == before + 12_000 * 2 }, "output grew by \(fileSize(output) - before) bytes; log:\n\(gateway.log)")
        let raw = try #require(FileManager.default.contents(atPath: output))
        let played = raw.dropFirst(before).withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        #expect(abs(estimatedFrequency(played, sampleRate: 24_000) - 1_000) < 2)
        #expect((try? String(contentsOfFile: directory.file("amplifier.value"), encoding: .utf8)) == "1\n")

        // 5. Logs: recent lines, the tone among them.
        #expect(await poll(5) { gateway.log.contains("test tone finished") })
        let logs = try await ctl("logs", "-n", "40")
        let lines = logs.stdout.split(separator: "\n")
        #expect(logs.status == 0 && (1...40).contains(lines.count))
        #expect(lines.contains { $0.contains("playing a test tone") }, "\(logs.stdout)")
        let few = try json(try await ctl("logs", "-n", "2", "--json"))
        #expect(few.logs?.count == 2)

        // 6. The environment names the socket; a wrong one is an actionable error.
        let viaEnvironment = try await ToolRun.run(loactl, ["gateway", "volume"], in: directory, environment: ["LOA_GATEWAY_SOCKET": socket])
        #expect(viaEnvironment.status == 0 && viaEnvironment.stdout.contains("35%"), "\(viaEnvironment.stderr)")
        let wrong = try await ToolRun.run(loactl, ["gateway", "status", "--socket", directory.file("nothing.sock")], in: directory)
        #expect(wrong.status == 69 && wrong.stderr.contains("no gateway answers on"), "\(wrong.stderr)")

        #expect(gateway.stop(signal: SIGTERM, timeout: 5) == 0)
        await peer.stop()
    }

    /// The status straight over the socket (no process), for polling.
    func quickStatus(_ socket: String) -> GatewayStatusReport? {
        guard let line = ControlSocketClient.exchange(socket, ControlRequest.status.encoded + [0x0A], timeout: 2) else { return nil }
        return (try? ControlAnswer.decode(line.dropLast()))?.status
    }
}
