import NIOCore
import NIOSSL

extension ChannelPipeline.SynchronousOperations {
    /// Adds a TLS client handler first in the pipeline; `serverHostname` is checked against
    /// the controller's certificate.
    public func addLoaTLSClient(context: NIOSSLContext, serverHostname: String?) throws {
        try addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverHostname))
    }

    /// Adds a TLS server handler first in the pipeline.
    public func addLoaTLSServer(context: NIOSSLContext) throws {
        try addHandler(NIOSSLServerHandler(context: context))
    }
}
