import Foundation
import LoaAudio
import Testing
@testable import LoaController

/// `/api/v1/bulletins/speech` over the real router, eSpeak NG and the ingest pipeline: typed
/// Vietnamese text heard as WAV, then saved as a bulletin (a draft awaiting approval, as an
/// upload is); bad text, settings and callers refused.
@Suite(.serialized) struct SpeechAPITests {
    static let notice = "Kính thưa bà con, chiều nay xã Tân Lập cắt điện từ mười bốn giờ đến mười sáu giờ để sửa đường dây."

    @Test func typedTextIsHeardThenSavedAsABulletin() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let body = #"{"text":"\#(Self.notice)","rate":130}"#
            let preview = try await api.call(.post, "/api/v1/bulletins/speech/preview", as: "bt-tan-lap", json: body)
            #expect(preview.status == 200, "\(preview.text.prefix(200))")
            #expect(preview.headers[.contentType] == "audio/wav")
            let heard = try WAVFile.decode(Array(preview.body))
            #expect((3...20).contains(heard.audio.duration), "\(heard.audio.duration) s")
            #expect(try await api.call(.get, "/api/v1/bulletins").items.isEmpty, "a preview stores nothing")

            let saved = try await api.call(.post, "/api/v1/bulletins/speech", as: "bt-tan-lap", json: body)
            #expect(saved.status == 201, "\(saved.text)")
            #expect(saved.object["title"] as? String == "Kính thưa bà con, chiều nay xã Tân Lập cắt điện từ mười bốn")
            #expect(saved.object["state"] as? String == "draft", "it waits for approval like an upload")
            let ms = try #require(saved.object["durationMs"] as? Int)
            #expect(abs(Double(ms) / 1000 - heard.audio.duration) < 0.5, "\(ms) ms stored against \(heard.audio.duration) s heard")
            let sha = try #require(saved.object["sha256"] as? String)
            let audio = try await api.call(.get, "/api/v1/bulletins/\(sha)/audio", as: "bt-tan-lap")
            #expect(audio.status == 200 && audio.body.count > 10_000)
            let titled = try await api.call(.post, "/api/v1/bulletins/speech", as: "bt-tan-lap",
                                            json: #"{"text":"Thông báo ngắn.","title":"Tin ngắn","voice":"vi-vn-x-south"}"#)
            #expect(titled.status == 201 && titled.object["title"] as? String == "Tin ngắn", "\(titled.text)")
        }
        await h.stop()
    }

    @Test func badTextSettingsAndCallersAreRefused() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            for (json, status, words) in [
                (#"{"text":""}"#, 422, "empty"), (#"{"text":"xin chào","rate":10}"#, 422, "'rate'"),
                (#"{"text":"xin chào","voice":"klingon"}"#, 422, "'voice'"), (#"{"text":"xin chào","pitch":-1}"#, 422, "'pitch'"),
                (#"{"text":"\#(String(repeating: "à", count: 3_001))"}"#, 422, "at most 3000"),
                (#"{"text":"xin\u001bchào"}"#, 422, "control characters"), (#"{"title":"x"}"#, 422, "missing field 'text'"),
                (#"{"text":"xin chào","rate":null}"#, 422, "rate"), (#"{"text":"xin chào","title":"a\nb"}"#, 422, "title"),
                (#"{"text":"xin chào","title":"\#(String(repeating: "t", count: 201))"}"#, 422, "limited to 200"),
            ] {
                for path in ["/api/v1/bulletins/speech", "/api/v1/bulletins/speech/preview"] {
                    let answer = try await api.call(.post, path, as: "bt-tan-lap", json: json)
                    #expect(answer.status == status, "\(path) \(json.prefix(60)): \(answer.text)")
                    #expect(answer.text.contains(words), "\(path) \(json.prefix(60)): \(answer.text)")
                }
            }
            #expect(try await api.call(.post, "/api/v1/bulletins/speech", as: "tech-tan-lap", json: #"{"text":"xin chào"}"#).status == 403)
            #expect(try await api.call(.post, "/api/v1/bulletins/speech", as: nil, json: #"{"text":"xin chào"}"#).status == 401)
            #expect(try await api.call(.get, "/api/v1/bulletins").items.isEmpty)
        }
        await h.stop()
    }
}
