import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Direct HTTP calls to the controller's API for what a scenario needs beyond `loactl`, with
/// the token `loactl login` stored in its session file.
struct APIClient: Sendable {
    let baseURL: String
    let sessionFile: String

    struct Response: Sendable, CustomStringConvertible {
        var status: Int
        var body: Data
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
        var description: String { "HTTP \(status): \(String(decoding: body, as: UTF8.self))" }
    }

    func token() throws -> String {
        guard let data = FileManager.default.contents(atPath: sessionFile),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let token = object["token"] as? String else { throw HarnessError("no loactl session at \(sessionFile)") }
        return token
    }

    func call(_ method: String, _ path: String, json: [String: Any]? = nil) async throws -> Response {
        guard let url = URL(string: baseURL + path) else { throw HarnessError("bad URL \(baseURL + path)") }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        request.setValue("Bearer \(try token())", forHTTPHeaderField: "Authorization")
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (body, response) = try await session.data(for: request)
        return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: body)
    }
}

extension LoaSystem {
    var api: APIClient { APIClient(baseURL: controller.url, sessionFile: loactl.configDirectory + "/session.json") }
}
