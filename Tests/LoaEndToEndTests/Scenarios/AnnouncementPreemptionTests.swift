import Foundation
import Testing

/// Scenario 2: an announcement (a file, uploaded and announced by `loactl announce`) cuts a
/// scheduled bulletin; the bulletin resumes afterwards and finishes. The play log tells it:
/// started, interrupted, (announcement started, finished), resumed, finished.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct AnnouncementPreemptionTests {
    @Test func anAnnouncementPreemptsAScheduledBulletinWhichThenResumes() async throws {
        try await scenario("preempt") { system in
            try await system.start(communes: [("xa-tan-lap", ["xa-tan-lap-01"])])
            try await system.waitOnline(["xa-tan-lap-01"])
            let scheduled = try await system.bulletin("ban-tin-dai", seconds: 16, frequency: 440)
            let (_, at) = try await system.schedule(scheduled, areas: ["xa-tan-lap"], inSeconds: 10)

            // The announcement's audio: a different tone, as a WAV file loactl uploads itself.
            let announcementFile = system.scratch.file("khan-cap.wav")
            let tone = try await system.bulletin("khan-cap-mau", seconds: 3, frequency: 880)  // the same audio, to know its decode
            try FileManager.default.copyItem(atPath: system.scratch.file("khan-cap-mau.wav"), toPath: announcementFile)
            let expectedAnnouncement = try await system.decoded(tone)
            let expectedScheduled = try await system.decoded(scheduled)

            // Announce once the scheduled bulletin has played ~3 s.
            var log: [PlayRecord] = []
            let started = try await eventually(at.timeIntervalSinceNow + 45, every: .milliseconds(300)) {
                log = try await system.playLog()
                return log.contains { $0.kind == "started" && $0.bulletin == scheduled }
            }
            try #require(started, "the scheduled bulletin never started: \(log)\n\(system["xa-tan-lap-01"].log.suffix(3000))")
            try await Task.sleep(for: .seconds(3))
            let announce = try await system.loactl.ok("announce", "--area", "xa-tan-lap", "--priority", "150", announcementFile)
            #expect(announce.stdout.contains("announcement"), "\(announce)")

            let done = try await eventually(60, every: .milliseconds(500)) {
                log = try await system.playLog()
                return log.filter { $0.bulletin == scheduled }.map(\.kind).last == "finished"
                    && log.contains { $0.bulletin == tone && $0.kind == "finished" }
            }
            #expect(done, "play log: \(log)\n\(system["xa-tan-lap-01"].log.suffix(4000))")

            let item = log.filter { $0.bulletin == scheduled }
            #expect(item.map(\.kind) == ["started", "interrupted", "resumed", "finished"], "scheduled item: \(item)")
            let announcement = log.filter { $0.bulletin == tone }
            #expect(announcement.map(\.kind) == ["started", "finished"], "announcement: \(announcement)")
            // In time order (events of one instant may share a millisecond): cut, the
            // announcement plays through, then the bulletin resumes where it was cut.
            func time(_ events: [PlayRecord], _ kind: String) -> Date { events.first { $0.kind == kind }?.date ?? .distantPast }
            #expect(time(item, "started") < time(announcement, "started"))
            #expect(time(item, "interrupted") <= time(announcement, "started"))
            #expect(time(announcement, "started") < time(announcement, "finished"))
            #expect(time(announcement, "finished") <= time(item, "resumed"))
            #expect(time(item, "resumed") < time(item, "finished"))
            if let cut = item.first(where: { $0.kind == "interrupted" }), let resumed = item.first(where: { $0.kind == "resumed" }) {
                #expect(cut.positionMs > 1_000 && cut.positionMs < 15_000, "cut at \(cut.positionMs) ms")
                #expect(abs(resumed.positionMs - cut.positionMs) < 1_000, "resumed at \(resumed.positionMs) ms, cut at \(cut.positionMs) ms")
            }

            // The loudspeaker heard the start of the bulletin, then the whole announcement.
            let sink = system["xa-tan-lap-01"].sink
            _ = await eventually(5) { sink.byteCount >= (expectedAnnouncement.count + expectedScheduled.count) * 2 }
            let output = sink.samples
            let bulletinAt = AudioMatch.findPrefix(expectedScheduled, count: 24_000, in: output)
            let announcementAt = AudioMatch.find(expectedAnnouncement, in: output)
            #expect(bulletinAt != nil, "the bulletin's first second is not in the output")
            #expect(announcementAt != nil, "the whole announcement is not in the output")
            if let bulletinAt, let announcementAt {
                #expect(bulletinAt < announcementAt)
                // After the announcement the bulletin goes on from where it was cut, not from
                // its start: the next 0.1 s played sits at the cut in the bulletin. The cut is
                // where the bulletin's samples stop matching in the output (silence may lead up
                // to the announcement, so not simply where the announcement begins).
                let lead = expectedScheduled.firstIndex { $0 != 0 } ?? 0
                var heard = 0
                while bulletinAt + heard < announcementAt, lead + heard < expectedScheduled.count,
                      output[bulletinAt + heard] == expectedScheduled[lead + heard] { heard += 1 }
                let cut = lead + heard
                let resumeStart = announcementAt + expectedAnnouncement.count - (expectedAnnouncement.firstIndex { $0 != 0 } ?? 0) + 240
                if resumeStart + 2_400 <= output.count {
                    let window = Array(output[resumeStart..<resumeStart + 2_400])
                    let from = AudioMatch.find(window, in: expectedScheduled).map { $0 - 240 }
                    print("preempt: the loudspeaker heard the bulletin to sample \(cut); it resumed at \(from.map(String.init) ?? "?")")
                    #expect(from.map { abs($0 - cut) < 2_400 } == true,
                            "resumed at sample \(String(describing: from)) of the bulletin; it was cut at \(cut)")
                } else {
                    Issue.record("nothing played after the announcement")
                }
            }

            // The gateway is killed and comes back within the announcement's hour: the
            // controller sends it again at the handshake, and the gateway does not replay it.
            let gateway = system["xa-tan-lap-01"]
            let heard = sink.byteCount
            await gateway.kill9()
            try gateway.start()
            let resent = await eventually(60, every: .milliseconds(300)) {
                gateway.log.contains("announcement already received; resend ignored")
            }
            #expect(resent, "the resend was not seen:\n\(gateway.log.suffix(3000))")
            #expect(system.controller.log.contains("announcement sent on connect"))
            try await Task.sleep(for: .seconds(2))
            #expect(sink.byteCount == heard, "the loudspeaker played \(sink.byteCount - heard) more bytes after the restart")
            log = try await system.playLog()
            #expect(log.filter { $0.bulletin == tone }.map(\.kind) == ["started", "finished"], "announcement after the restart: \(log)")
        }
    }
}
