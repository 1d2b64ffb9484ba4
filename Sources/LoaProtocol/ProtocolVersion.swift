/// The gateway protocol version this build speaks.
public enum ProtocolVersion {
    public static let current: UInt16 = 1
}
