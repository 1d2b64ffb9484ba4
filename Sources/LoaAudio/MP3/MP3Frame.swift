/// Where one frame lies in a file: offset and length in bytes, and its header.
public struct MP3Frame: Sendable, Hashable {
    public var offset: Int
    public var length: Int
    public var header: MP3FrameHeader

    public init(offset: Int, length: Int, header: MP3FrameHeader) {
        self.offset = offset
        self.length = length
        self.header = header
    }
}
