extension GatewaySecret {
    /// The HMAC key of the handshake: the UTF-8 bytes of the secret as printed for the operator
    /// (`base64`). A gateway's configuration holds that text (`gateway.secret` or `secret_file`)
    /// and keys its HMAC with the text's UTF-8 bytes, so both ends must use the text, not the
    /// 32 raw bytes behind it (44 base64 characters still carry 256 bits).
    public var handshakeKey: [UInt8] { Array(base64.utf8) }
}
