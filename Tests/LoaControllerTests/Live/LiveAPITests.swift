import Foundation
import Hummingbird
import HummingbirdTesting
import LoaProtocol
import Testing
@testable import LoaController

/// The live routes in process (no HTTP socket), with gateway peers on the real gateway server.
@Suite struct LiveAPITests {
    static func create(_ api: APIClient, as user: String = "op-cam-xuyen", area: String = "xa-tan-lap",
                       extra: String = "") async throws -> (id: Int64, key: String, answer: APIClient.Answer) {
        let answer = try await api.call(.post, "/api/v1/live", as: user, json: #"{"areaId": "\#(area)", "title": "Họp dân khẩn"\#(extra)}"#)
        let id = (answer.object["id"] as? NSNumber)?.int64Value ?? -1
        return (id, answer.object["sourceKey"] as? String ?? "", answer)
    }

    static func basic(_ key: String, user: String = "source") -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(key)".utf8).base64EncodedString(), .contentType: "audio/mpeg"]
    }

    @Test func operatorsInScopeCreateOthersAreRefused() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let (id, key, created) = try await Self.create(api)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.object["state"] as? String == "waiting")
            #expect(created.object["itemId"] as? String == "live-\(id)")
            #expect(created.object["priority"] as? Int == 170)
            #expect(created.object["onBusy"] as? String == "preempt" && created.object["onInterrupt"] as? String == "drop")
            #expect(created.object["sourcePath"] as? String == "/api/v1/live/\(id)/source")
            #expect(key.count >= 40)
            // The key is stored hashed only.
            #expect(try await h.database.liveStream(id).sourceKeySHA256 == LoginToken(value: key).sha256)

            for user in ["bt-tan-lap", "tech-tan-lap", "op-nghe-an"] {
                let refused = try await Self.create(api, as: user).answer
                #expect(refused.status == 403, "\(user): \(refused.text)")
            }
            #expect(try await Self.create(api, extra: #", "priority": 149"#).answer.status == 422)
            #expect(try await Self.create(api, extra: #", "priority": 256"#).answer.status == 422)
            let emergency = try await Self.create(api, extra: #", "priority": 220, "onBusy": "preempt", "onInterrupt": "resume""#)
            #expect(emergency.answer.status == 201 && emergency.answer.object["priority"] as? Int == 220)
            let badPolicy = try await Self.create(api, extra: #", "onBusy": "later""#).answer
            #expect(badPolicy.status == 422 && badPolicy.errorMessage?.contains("onBusy") == true)
            #expect(try await Self.create(api, area: "no-such-area").answer.status == 404)
            #expect(try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: #"{"areaId": "xa-tan-lap", "title": " "}"#).status == 422)
            #expect(try await api.call(.post, "/api/v1/live", as: nil, json: #"{"areaId": "xa-tan-lap", "title": "x"}"#).status == 401)

            // Reads: in scope yes, another province no.
            let list = try await api.call(.get, "/api/v1/live", as: "tech-tan-lap")
            #expect(list.status == 200 && list.items.map { ($0["id"] as? NSNumber)?.int64Value } .contains(id))
            #expect(try await api.call(.get, "/api/v1/live", as: "op-nghe-an").items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/live/\(id)", as: "op-nghe-an").status == 403)
            let one = try await api.call(.get, "/api/v1/live/\(id)", as: "bt-tan-lap")
            #expect(one.object["state"] as? String == "waiting" && one.object["gateways"] as? Int == 0)
            #expect(one.object["sourceKey"] == nil)
            #expect(try await api.call(.get, "/api/v1/live/999", as: "admin").status == 404)

            let audit = try await h.database.auditEntries(after: 0, limit: 1_000)
            #expect(audit.contains { $0.action == "live.create" && $0.target == "\(id)" && $0.actor == "op-cam-xuyen" })
        }
    }

    @Test func sourceNeedsTheKeyOrAnOperatorToken() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let (id, key, _) = try await Self.create(api)
            let none = try await api.call(.put, "/api/v1/live/\(id)/source", as: nil, body: [0xFF, 0xFB], headers: [.contentType: "audio/mpeg"])
            #expect(none.status == 401)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
            let wrong = try await api.call(.put, "/api/v1/live/\(id)/source", as: nil, body: [0xFF, 0xFB],
                                           headers: Self.basic(String(key.reversed())))
            #expect(wrong.status == 401 && wrong.errorMessage?.contains("wrong source key") == true)
            let audit = try await h.database.auditEntries(after: 0, limit: 1_000)
            #expect(audit.contains { $0.action == "live.source.refused" && $0.target == "\(id)" })
            // A broadcaster's token is not enough to go live.
            let broadcaster = try await api.call(.put, "/api/v1/live/\(id)/source", as: "bt-tan-lap", body: [0xFF],
                                                 headers: [.contentType: "audio/mpeg"])
            #expect(broadcaster.status == 403)
            #expect(try await h.database.liveStream(id).state == .waiting)
        }
    }

    @Test func nonMP3IsRefusedAndNothingGoesOnAir() async throws {
        let h = try await APIHarness.start()
        let peer = LivePeer(gatewayID: "xa-tan-lap-01")
        try await peer.connect(port: h.gatewayPort, secret: try await h.database.handshakeSecret(for: "xa-tan-lap-01").handshakeKey,
                               group: h.group)
        #expect(await eventually { h.fleet.registry.isOnline("xa-tan-lap-01") })
        try await h.run { api in
            let (id, key, _) = try await Self.create(api)
            let wav = try await api.call(.put, "/api/v1/live/\(id)/source", as: nil, body: TestAudio.wav(seconds: 1),
                                         headers: Self.basic(key))
            #expect(wav.status == 415, "\(wav.text)")
            #expect(wav.errorCode == "unsupported_media" && wav.errorMessage?.contains("not an MP3 stream") == true)
            let text = try await api.call(.put, "/api/v1/live/\(id)/source", as: nil, body: Array(String(repeating: "hello ", count: 5_000).utf8),
                                          headers: Self.basic(key))
            #expect(text.status == 415)
            let typed = try await api.call(.put, "/api/v1/live/\(id)/source", as: nil, body: [0xFF],
                                           headers: [.authorization: Self.basic(key)[.authorization]!, .contentType: "text/plain"])
            #expect(typed.status == 415)
            // Still waiting: a correct encoder may try again.
            #expect(try await h.database.liveStream(id).state == .waiting)
            try? await Task.sleep(for: .milliseconds(300))
            #expect(peer.all.isEmpty, "\(peer.all.count) live messages reached the gateway")
            // Gateway ends close while their event loop still runs.
            await peer.close()
        }
    }

    @Test func aWholeMP3BodyGoesOnAirAndEndsWithTheRequest() async throws {
        let h = try await APIHarness.start()
        let peer = LivePeer(gatewayID: "xa-tan-lap-01")
        let outside = LivePeer(gatewayID: "xa-ky-phong-01")
        try await peer.connect(port: h.gatewayPort, secret: try await h.database.handshakeSecret(for: "xa-tan-lap-01").handshakeKey,
                               group: h.group)
        try await outside.connect(port: h.gatewayPort, secret: try await h.database.handshakeSecret(for: "xa-ky-phong-01").handshakeKey,
                                  group: h.group)
        #expect(await eventually { h.fleet.registry.count == 2 })
        let source = try LiveTranscoderTests.sourceMP3(seconds: 2, frequency: 800)
        try await h.run { api in
            let (id, _, _) = try await Self.create(api, area: "cam-xuyen")
            // An operator's bearer token works as the source's credential too.
            let put = try await api.call(.put, "/api/v1/live/\(id)/source", as: "op-cam-xuyen", body: source,
                                         headers: [.contentType: "audio/mpeg"])
            #expect(put.status == 200, "\(put.text)")
            #expect(put.object["state"] as? String == "ended" && put.object["endReason"] as? String == "source ended")
            #expect((put.object["bytesReceived"] as? NSNumber)?.intValue == source.count)
            #expect(await peer.wait(seconds: 10) { !$0.ends.isEmpty })
            guard case .start(let start)? = peer.all.first else {
                Issue.record("first live message is not liveStart: \(peer.all.first.map { "\($0)" } ?? "none")")
                return
            }
            #expect(start.streamId == UInt32(id) && start.priority == 170 && start.sampleRate == 24_000 && start.channels == 1)
            #expect(start.bitrateKbps == 48 && start.onBusy == .preempt && start.onInterrupt == .drop)
            let audio = peer.audio
            #expect(audio.map(\.sequence) == (0..<UInt32(audio.count)).map { $0 })
            #expect(audio.first?.presentationTime == start.startAt * 1_000_000)
            var samples: Int64 = 0
            for payload in audio {
                #expect(payload.presentationTime == start.startAt * 1_000_000 + samples * 1_000_000_000 / 24_000)
                samples += Int64(LivePeer.samples(in: payload.mp3))
            }
            #expect(Double(samples) / 24_000 > 1.95 && Double(samples) / 24_000 < 2.2)
            #expect(peer.ends == [LiveEnd(streamId: UInt32(id), reason: "source ended")])
            if case .end? = peer.all.last {} else { Issue.record("liveEnd is not last") }
            #expect(outside.all.isEmpty)
            // Ended: a new source is refused with 410; a stop changes nothing (DELETE is idempotent).
            #expect(try await api.call(.put, "/api/v1/live/\(id)/source", as: "op-cam-xuyen", body: source,
                                       headers: [.contentType: "audio/mpeg"]).status == 410)
            let stop = try await api.call(.delete, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            #expect(stop.status == 204, "\(stop.text)")
            await peer.close()
            await outside.close()
        }
    }

    @Test func stoppingAWaitingStreamEndsIt() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let (id, key, _) = try await Self.create(api)
            #expect(try await api.call(.delete, "/api/v1/live/\(id)", as: "tech-tan-lap").status == 403)
            #expect(try await api.call(.delete, "/api/v1/live/\(id)", as: "op-nghe-an").status == 403)
            #expect(try await api.call(.delete, "/api/v1/live/\(id)", as: "op-cam-xuyen").status == 204)
            let stream = try await h.database.liveStream(id)
            #expect(stream.state == .ended && stream.endReason == "stopped by operator")
            #expect(try await api.call(.put, "/api/v1/live/\(id)/source", as: nil, body: [0xFF], headers: Self.basic(key)).status == 410)
            let audit = try await h.database.auditEntries(after: 0, limit: 1_000)
            #expect(audit.contains { $0.action == "live.end" && $0.target == "\(id)" && $0.actor == "op-cam-xuyen" })
            // Ids are never reused.
            let (next, _, _) = try await Self.create(api)
            #expect(next == id + 1)
        }
    }

    @Test func streamsLeftOpenByACrashEndAtStart() async throws {
        let h = try await APIHarness.start()
        let key = LoginToken.random()
        let open = try await h.database.createLiveStream(
            NewLiveStream(areaID: "xa-tan-lap", title: "x", priority: 170, onBusy: .preempt, onInterrupt: .drop, sourceKeySHA256: key.sha256),
            origin: AuditOrigin(actor: "admin"))
        _ = try await h.database.markLiveStreamOnAir(open.id, at: Date())
        await h.services.live.recoverAfterRestart()
        let stream = try await h.database.liveStream(open.id)
        #expect(stream.state == .ended && stream.endReason == "controller restarted")
        await h.stop()
    }
}
