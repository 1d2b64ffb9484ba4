import NIOCore
import NIOSSL

/// Optional TLS around the same protocol, from paths in the daemon's config. The controller
/// needs a certificate and key; the gateway needs the CA that signed it (or the system trust
/// store when `caPath` is nil). Client certificates are optional: the HMAC handshake already
/// authenticates the gateway.
public struct LoaTLSConfiguration: Sendable, Equatable {
    public var certificatePath: String?
    public var privateKeyPath: String?
    public var caPath: String?

    public init(certificatePath: String? = nil, privateKeyPath: String? = nil, caPath: String? = nil) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.caPath = caPath
    }

    /// Errors in the TLS configuration, naming the key to fix.
    public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
        case missing(key: String)
        public var description: String {
            switch self {
            case .missing(let key): "tls.\(key) is required for the controller's TLS listener"
            }
        }
    }

    /// The server-side context (controller). Build once; share across connections.
    public func makeServerContext() throws -> NIOSSLContext {
        guard let certificatePath else { throw ConfigurationError.missing(key: "certificatePath") }
        guard let privateKeyPath else { throw ConfigurationError.missing(key: "privateKeyPath") }
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: tls)
    }

    /// The client-side context (gateway). Build once per process.
    public func makeClientContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let caPath { tls.trustRoots = .file(caPath) }
        if let certificatePath, let privateKeyPath {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyPath, format: .pem))
        }
        return try NIOSSLContext(configuration: tls)
    }
}
