/// Exit statuses both daemons share.
public enum ExitStatus {
    /// A configuration that does not load or validate, from `--check-config` or at start:
    /// sysexits.h's EX_CONFIG, which systemd shows as "CONFIG" and the units list in
    /// `RestartPreventExitStatus`, so a bad file is not restarted every two seconds.
    public static let configuration: Int32 = 78
}
