import Foundation
import Testing

/// Scenario 5: a gateway with a wrong secret is refused — it never shows online and gets no
/// schedule — and the refusal, with the peer address, is in the audit log. Given a rotated
/// secret it is let in.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct WrongSecretTests {
    @Test func aGatewayWithAWrongSecretIsRefusedAndTheRefusalIsAudited() async throws {
        try await scenario("secret") { system in
            let good = "xa-tan-lap-01", bad = "xa-tan-lap-02"
            try await system.start(communes: [("xa-tan-lap", [good, bad])], startGateways: false)
            // The installer typed the secret wrong (same length, one character off).
            let real = try String(contentsOfFile: system[bad].secretPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let wrong = (real.first == "A" ? "B" : "A") + real.dropFirst()
            try (wrong + "\n").write(toFile: system[bad].secretPath, atomically: true, encoding: .utf8)
            try system[good].start()
            try system[bad].start()
            try await system.waitOnline([good])

            var refusals: [[String: Any]] = []
            let audited = try await eventually(60, every: .milliseconds(500)) {
                let entries = try await system.loactl.json("audit", "--all") as? [[String: Any]] ?? []
                refusals = entries.filter { $0["action"] as? String == "gateway.auth.refused" }
                return refusals.contains { $0["target"] as? String == bad }
            }
            #expect(audited, "no refusal for \(bad) in the audit log; controller log:\n\(system.controller.log.suffix(3000))")
            let refusal = refusals.first { $0["target"] as? String == bad }
            #expect((refusal?["address"] as? String)?.contains("127.0.0.1") == true, "\(String(describing: refusal))")
            let details = "\(refusal?["details"] ?? "")".lowercased()
            #expect(details.contains("secret"), "\(String(describing: refusal))")
            #expect(!refusals.contains { $0["target"] as? String == good }, "the good gateway was refused: \(refusals)")

            let status = try await system.gatewayStatus()
            #expect(status[bad]?["online"] as? Bool == false)
            #expect(status[bad]?["lastSeenAt"] is NSNull || status[bad]?["lastSeenAt"] == nil, "\(String(describing: status[bad]))")
            #expect(status[good]?["online"] as? Bool == true)
            #expect(system[bad].log.contains("authentication failed"),
                    "the gateway's own log does not say why:\n\(system[bad].log.suffix(2000))")

            // A rotated secret, written where the gateway reads it, lets it in.
            try await system.loactl.ok("gateways", "rotate-secret", bad, "--secret-file", system[bad].secretPath)
            await system[bad].stop()
            try system[bad].start()
            try await system.waitOnline([good, bad])
        }
    }
}
