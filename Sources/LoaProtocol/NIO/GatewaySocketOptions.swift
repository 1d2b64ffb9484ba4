import NIOCore

/// Socket options the gateway's client bootstrap should set.
public enum GatewaySocketOptions {
    /// `TCP_USER_TIMEOUT` (Linux): the kernel aborts the connection when sent data stays
    /// unacknowledged this long. With heartbeats every interval, a value of about three
    /// intervals detects a dead path without the controller sending anything, which keeps the
    /// idle cost one-directional. Nil where the platform lacks the option.
    ///
    /// `bootstrap.channelOption(option, value: 360_000)` (milliseconds).
    public static var tcpUserTimeout: ChannelOptions.Types.SocketOption? {
        #if os(Linux)
        // TCP_USER_TIMEOUT from <netinet/tcp.h>; not exported by Glibc's Swift overlay.
        return ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: 18))
        #else
        return nil
        #endif
    }
}
