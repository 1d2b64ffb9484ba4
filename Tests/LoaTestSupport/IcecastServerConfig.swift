#if canImport(Glibc)
import Glibc
#endif

/// The XML of a Debian `icecast2` for tests and benchmarks on loopback: one port, the source
/// password `loa-test`, logs to stdout, no chroot; run as root it hands itself to its own user
/// (`changeowner`), as Debian's package expects. `relays` are mounts pulled from another
/// Icecast (its relay mode).
public enum IcecastServerConfig {
    public static let sourcePassword = "loa-test"

    public static func xml(port: Int, logDirectory: String, relays: [(server: String, port: Int, mount: String, localMount: String)] = []) -> String {
        let owner = getuid() == 0 ? "<changeowner><user>icecast2</user><group>icecast</group></changeowner>" : ""
        let relayXML = relays.map {
            "<relay><server>\($0.server)</server><port>\($0.port)</port><mount>\($0.mount)</mount><local-mount>\($0.localMount)</local-mount><on-demand>0</on-demand></relay>"
        }.joined()
        return """
            <icecast>
              <limits><clients>200</clients><sources>4</sources><source-timeout>10</source-timeout></limits>
              <authentication><source-password>\(sourcePassword)</source-password><admin-user>admin</admin-user><admin-password>\(sourcePassword)</admin-password></authentication>
              <hostname>127.0.0.1</hostname>
              <listen-socket><port>\(port)</port><bind-address>127.0.0.1</bind-address></listen-socket>
              <fileserve>0</fileserve>\(relayXML)
              <paths><basedir>/usr/share/icecast2</basedir><logdir>\(logDirectory)</logdir><webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>
              <logging><accesslog>-</accesslog><errorlog>-</errorlog><loglevel>2</loglevel></logging>
              <security><chroot>0</chroot>\(owner)</security>
            </icecast>
            """
    }
}
