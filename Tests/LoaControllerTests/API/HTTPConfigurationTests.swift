import Foundation
import LoaService
import Testing
@testable import LoaController

struct HTTPConfigurationTests {
    @Test func httpSectionIsReadWithDefaults() throws {
        let defaults = ControllerConfiguration()
        #expect(defaults.http.listen == "127.0.0.1:8080" && defaults.http.tokenTTLSeconds == 43_200)
        #expect(defaults.http.maxUploadBytes == 104_857_600 && defaults.http.console && defaults.http.metricsPublic)
        let c = try ControllerConfiguration.parse(toml: """
            [http]
            listen = "[::1]:9090"
            token_ttl_seconds = 600
            max_upload_bytes = 2048
            console = false
            metrics_public = false
            """)
        try c.validate()
        #expect(c.httpListenAddress?.host == "::1" && c.httpListenAddress?.port == 9090)
        #expect(c.http.tokenTTLSeconds == 600 && c.http.maxUploadBytes == 2048 && !c.http.console && !c.http.metricsPublic)
        let settings = APISettings(c)
        #expect(settings.tokenTTLSeconds == 600 && !settings.console && !settings.metricsPublic && settings.timeZone == "Asia/Ho_Chi_Minh")
    }

    @Test func environmentOverridesListen() throws {
        var c = ControllerConfiguration()
        try c.applyEnvironment(["LOA_CONTROLLER_HTTP_LISTEN": "0.0.0.0:0"])
        #expect(c.httpListenAddress?.host == "0.0.0.0" && c.httpListenAddress?.port == 0)
    }

    @Test(arguments: ["8080", "localhost", ":8080", "127.0.0.1:99999", "127.0.0.1:http", ""])
    func badListenIsRefusedNamingTheKey(_ listen: String) throws {
        var c = ControllerConfiguration()
        c.http.listen = listen
        #expect(throws: ConfigurationError.self) { try c.validate() }
        do { try c.validate() } catch { #expect("\(error)".contains("'http.listen'")) }
    }

    @Test func badTTLAndUploadLimit() {
        var c = ControllerConfiguration()
        c.http.tokenTTLSeconds = 10
        #expect(throws: ConfigurationError.self) { try c.validate() }
        c = ControllerConfiguration()
        c.http.maxUploadBytes = 0
        #expect(throws: ConfigurationError.self) { try c.validate() }
    }
}
