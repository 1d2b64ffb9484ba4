import CFFmpeg
import LoaAudio

/// Reads an upstream radio source — an Icecast/Shoutcast stream (MP3, AAC), a live HLS playlist,
/// plain HTTP audio or a local file — with Debian's FFmpeg libraries (libavformat demuxes,
/// libavcodec decodes, libswresample converts), and hands out PCM in the format asked for.
/// Any container and codec FFmpeg knows works; nothing spawns the `ffmpeg` program.
///
/// Blocking: `open` and `read` wait on the network, so run them on a thread of their own (the
/// controller's relay does). A stall longer than `stallTimeout` ends a wait with `.stalled`;
/// `cancel()` from another thread ends it with `.cancelled`. One reader, one owner thread.
public final class UpstreamAudioReader: @unchecked Sendable {
    public struct Settings: Sendable, Equatable {
        /// What `read` returns (the deployment's rate and channels).
        public var format: AudioFormat
        /// How long opening, or waiting for the next packet, may take.
        public var stallTimeout: Duration
        /// FFmpeg's `protocol_whitelist` (e.g. "http,https,tcp,tls,crypto"), so that an upstream
        /// URL — or a playlist it serves — cannot make the reader open local files or other
        /// protocols; nil leaves FFmpeg's default (tests reading local files).
        public var protocols: String?

        public init(format: AudioFormat = .speech, stallTimeout: Duration = .seconds(10), protocols: String? = nil) {
            self.format = format
            self.stallTimeout = stallTimeout
            self.protocols = protocols
        }

        /// What a relay of operator-given URLs allows: the network only.
        public static let networkProtocols = "http,https,tcp,tls,crypto"
    }

    /// What was found upstream, for logs and the API.
    public struct Description: Sendable, Equatable, CustomStringConvertible {
        public var container: String
        public var codec: String
        public var sampleRate: Int
        public var channels: Int

        public var description: String { "\(container)/\(codec) \(sampleRate) Hz \(channels) ch" }
    }

    public let url: String
    public let settings: Settings
    public private(set) var source = Description(container: "", codec: "", sampleRate: 0, channels: 0)

    private let interrupt: UnsafeMutablePointer<loa_interrupt_state>
    /// Set for a pushed source: `io` reads from it.
    private let pushed: PushedBytes?
    private let formatHint: String?
    private var io: UnsafeMutablePointer<AVIOContext>?
    private var formatContext: UnsafeMutablePointer<AVFormatContext>?
    private var codecContext: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var streamIndex: Int32 = -1
    /// The input parameters `resampler` was set up for (a stream may change them mid-way).
    private var resamplerInput: (rate: Int32, format: Int32, channels: Int32) = (0, 0, 0)
    private var draining = false
    private var finished = false
    /// Frames handed out so far: an upstream that ends before any is no audio source.
    public private(set) var framesRead = 0

    /// A reader of bytes a source pushes (an Icecast encoder's body) instead of a URL: `name`
    /// stands for the URL in errors; `formatHint` is FFmpeg's short name of the container when
    /// the source said it (`mp3`, `aac` for ADTS, `ogg`), else FFmpeg probes. A stall is
    /// `settings.stallTimeout` without a byte.
    public convenience init(pushed: PushedBytes, name: String, formatHint: String?, settings: Settings = Settings()) {
        self.init(url: name, settings: settings, pushed: pushed, formatHint: formatHint)
    }

    private init(url: String, settings: Settings, pushed: PushedBytes?, formatHint: String?) {
        self.url = url
        self.settings = settings
        self.pushed = pushed
        self.formatHint = formatHint
        interrupt = .allocate(capacity: 1)
        interrupt.initialize(to: loa_interrupt_state(cancelled: 0, deadline_us: 0))
        loa_av_quiet()
    }

    /// Nothing is opened yet: `open()` does it, on the thread that will read, so that
    /// `cancel()` can end the wait from elsewhere.
    public init(url: String, settings: Settings = Settings()) {
        self.url = url
        self.settings = settings
        pushed = nil
        formatHint = nil
        interrupt = .allocate(capacity: 1)
        interrupt.initialize(to: loa_interrupt_state(cancelled: 0, deadline_us: 0))
        loa_av_quiet()
    }

    /// Connects and finds the audio. Throws `.unreachable`, `.notAudio`, `.stalled`,
    /// `.cancelled` or `.decodeFailed`, naming the URL.
    public func open() throws(UpstreamError) {
        precondition(formatContext == nil, "UpstreamAudioReader: open twice")
        do {
            try openInput()
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
        interrupt.deinitialize(count: 1)
        interrupt.deallocate()
    }

    /// Bytes read from the upstream so far: the connection's count, or the demuxed packets' when
    /// that is more (HLS reads its segments on connections of their own, so the main one
    /// counts only the playlist).
    public var bytesRead: Int { max(Int(formatContext?.pointee.pb?.pointee.bytes_read ?? 0), packetBytes) }
    /// Bytes of every packet demuxed so far, whatever stream it belongs to.
    private var packetBytes = 0

    /// Entries in the demuxer's seek index of the audio stream (kept near zero: see `openInput`).
    var indexEntries: Int {
        guard let formatContext, streamIndex >= 0, let stream = formatContext.pointee.streams[Int(streamIndex)] else { return 0 }
        return Int(avformat_index_get_entries_count(stream))
    }

    /// Ends a blocking `open` or `read` on the reader's thread (it throws `.cancelled`).
    public func cancel() {
        loa_interrupt_cancel(interrupt)
        pushed?.cancel()
    }

    /// The next decoded audio in `settings.format`, or nil when the upstream ended (after some
    /// audio: one that ends before any throws `.notAudio`). Returns what one upstream frame gave
    /// (typically 20–60 ms); never an empty buffer.
    public func read() throws(UpstreamError) -> PCMBuffer? {
        while !finished {
            guard let codecContext, let frame else { return nil }
            let received = avcodec_receive_frame(codecContext, frame)
            if received == 0 {
                defer { av_frame_unref(frame) }
                let pcm = try convert(frame)
                framesRead += pcm.frameCount
                if pcm.frameCount > 0 { return pcm }
                continue
            }
            if received == loa_averror_eof() {
                finished = true
                let tail = try flushResampler()
                framesRead += tail.frameCount
                guard framesRead > 0 else { throw .notAudio(url: url, reason: "it ended before any audio") }
                return tail.frameCount > 0 ? tail : nil
            }
            guard received == loa_averror_eagain() else { throw failure(received, while: .decoding) }
            try feedDecoder()
        }
        return nil
    }

    // MARK: - Opening

    private func openInput() throws(UpstreamError) {
        guard let context = avformat_alloc_context() else { throw .decodeFailed(url: url, reason: "out of memory") }
        loa_interrupt_install(context, interrupt)
        // The reader never seeks, but demuxers with FFmpeg's generic index (MP3, ADTS AAC, Ogg)
        // add a 24-byte entry per packet until the index reaches `max_index_size` (1 MiB by
        // default): ~0.9 kB/s held for the first ~20 minutes of a 44.1 kHz MP3 relay. Zero keeps
        // at most two entries.
        context.pointee.max_index_size = 0
        formatContext = context
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        // Icecast and plain HTTP: follow redirects (FFmpeg refuses loops), reconnect is ours.
        av_dict_set(&options, "user_agent", "loa-controller (relay)", 0)
        av_dict_set(&options, "icy", "0", 0)
        if let protocols = settings.protocols { av_dict_set(&options, "protocol_whitelist", protocols, 0) }
        var format: UnsafePointer<AVInputFormat>?
        if let pushed {
            guard let io = loa_avio_alloc(Unmanaged.passUnretained(self).toOpaque(), Self.readPushed, 32 * 1024) else {
                throw .decodeFailed(url: url, reason: "out of memory")
            }
            self.io = io
            loa_format_use_custom_io(context, io)
            format = formatHint.flatMap { av_find_input_format($0) }
        }
        arm()
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        let status = avformat_open_input(&opened, pushed == nil ? url : "", format, &options)
        if status < 0 {
            formatContext = nil  // avformat_open_input frees the context on failure
            throw failure(status, while: .opening)
        }
        arm()
        let probed = avformat_find_stream_info(context, nil)
        if probed < 0 { throw failure(probed, while: .probing) }
        let best = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        guard best >= 0 else {
            throw .notAudio(url: url, reason: "no audio stream in \(containerName(context)) (\(message(best)))")
        }
        streamIndex = best
        guard let stream = context.pointee.streams[Int(best)], let parameters = stream.pointee.codecpar else {
            throw .notAudio(url: url, reason: "no audio stream")
        }
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .decodeFailed(url: url, reason: "no decoder for \(String(cString: avcodec_get_name(parameters.pointee.codec_id)))")
        }
        guard let decoder = avcodec_alloc_context3(codec) else { throw .decodeFailed(url: url, reason: "out of memory") }
        codecContext = decoder
        var status2 = avcodec_parameters_to_context(decoder, parameters)
        if status2 >= 0 { status2 = avcodec_open2(decoder, codec, nil) }
        if status2 < 0 { throw failure(status2, while: .openingTheDecoder) }
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        guard packet != nil, frame != nil else { throw .decodeFailed(url: url, reason: "out of memory") }
        source = Description(container: containerName(context), codec: String(cString: codec.pointee.name),
                             sampleRate: Int(decoder.pointee.sample_rate), channels: Int(decoder.pointee.ch_layout.nb_channels))
        guard source.sampleRate > 0, source.channels > 0 else {
            throw .notAudio(url: url, reason: "the audio stream has no sample rate or channels")
        }
    }

    private func containerName(_ context: UnsafeMutablePointer<AVFormatContext>) -> String {
        context.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
    }

    /// FFmpeg's read callback for a pushed source: the next bytes, the end, or a stall or cancel
    /// (AVERROR_EXIT, which `failure` turns into `.stalled` or `.cancelled`).
    private static let readPushed: loa_read_packet = { opaque, buffer, size in
        guard let opaque, let buffer else { return loa_averror_exit() }
        let reader = Unmanaged<UpstreamAudioReader>.fromOpaque(opaque).takeUnretainedValue()
        guard let pushed = reader.pushed else { return loa_averror_eof() }
        switch pushed.read(into: buffer, size: Int(size), timeout: reader.settings.stallTimeout) {
        case .bytes(let count): return Int32(count)
        case .end: return loa_averror_eof()
        case .stalled:
            loa_interrupt_arm(reader.interrupt, 1)  // an expired deadline: `failure` says stalled
            return loa_averror_exit()
        case .cancelled: return loa_averror_exit()
        }
    }

    // MARK: - Decoding

    /// Reads packets until one of the audio stream's reaches the decoder (or the end is signalled).
    private func feedDecoder() throws(UpstreamError) {
        guard let formatContext, let codecContext, let packet else { return }
        if draining {
            // The decoder has the end already; receive_frame will say EOF.
            return
        }
        while true {
            arm()
            let status = av_read_frame(formatContext, packet)
            if status == loa_averror_eof() {
                draining = true
                avcodec_send_packet(codecContext, nil)
                return
            }
            if status < 0 { throw failure(status, while: .reading) }
            defer { av_packet_unref(packet) }
            packetBytes += Int(packet.pointee.size)
            guard packet.pointee.stream_index == streamIndex else { continue }
            let sent = avcodec_send_packet(codecContext, packet)
            // A corrupt packet is skipped (radio streams carry the odd damaged frame).
            if sent < 0 && sent != loa_averror_eagain() && sent != loa_averror_invaliddata() { throw failure(sent, while: .decoding) }
            return
        }
    }

    // MARK: - Converting

    private func convert(_ frame: UnsafeMutablePointer<AVFrame>) throws(UpstreamError) -> PCMBuffer {
        let input = (frame.pointee.sample_rate, frame.pointee.format, frame.pointee.ch_layout.nb_channels)
        if resampler == nil || input != resamplerInput { try makeResampler(for: frame) }
        let out = settings.format
        let capacity = Int(swr_get_out_samples(resampler, frame.pointee.nb_samples)) + 16
        var samples = [Float](repeating: 0, count: max(0, capacity) * out.channels)
        let produced = samples.withUnsafeMutableBytes { raw -> Int32 in
            var outputPlane: UnsafeMutablePointer<UInt8>? = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return withUnsafeMutablePointer(to: &outputPlane) { outputPlanes in
                frame.pointee.extended_data!.withMemoryRebound(to: UnsafePointer<UInt8>?.self,
                                                              capacity: Int(max(1, frame.pointee.ch_layout.nb_channels))) { inputPlanes in
                    swr_convert(resampler, outputPlanes, Int32(capacity), inputPlanes, frame.pointee.nb_samples)
                }
            }
        }
        if produced < 0 { throw failure(produced, while: .converting) }
        samples.removeLast(samples.count - Int(produced) * out.channels)
        return PCMBuffer(format: out, samples: samples)
    }

    private func flushResampler() throws(UpstreamError) -> PCMBuffer {
        guard let resampler else { return PCMBuffer(format: settings.format) }
        let out = settings.format
        let capacity = Int(swr_get_out_samples(resampler, 0)) + 16
        var samples = [Float](repeating: 0, count: capacity * out.channels)
        let produced = samples.withUnsafeMutableBytes { raw -> Int32 in
            var outputPlane: UnsafeMutablePointer<UInt8>? = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return withUnsafeMutablePointer(to: &outputPlane) { swr_convert(resampler, $0, Int32(capacity), nil, 0) }
        }
        if produced < 0 { throw failure(produced, while: .converting) }
        samples.removeLast(samples.count - Int(produced) * out.channels)
        return PCMBuffer(format: out, samples: samples)
    }

    private func makeResampler(for frame: UnsafeMutablePointer<AVFrame>) throws(UpstreamError) {
        swr_free(&resampler)
        var outLayout = AVChannelLayout()
        av_channel_layout_default(&outLayout, Int32(settings.format.channels))
        defer { av_channel_layout_uninit(&outLayout) }
        var inLayout = AVChannelLayout()
        if av_channel_layout_copy(&inLayout, &frame.pointee.ch_layout) < 0 || inLayout.order == AV_CHANNEL_ORDER_UNSPEC {
            av_channel_layout_uninit(&inLayout)
            av_channel_layout_default(&inLayout, max(1, frame.pointee.ch_layout.nb_channels))
        }
        defer { av_channel_layout_uninit(&inLayout) }
        var context: OpaquePointer?
        var status = swr_alloc_set_opts2(&context, &outLayout, AV_SAMPLE_FMT_FLT, Int32(settings.format.sampleRate),
                                         &inLayout, AVSampleFormat(frame.pointee.format), frame.pointee.sample_rate, 0, nil)
        if status >= 0 { status = swr_init(context) }
        if status < 0 {
            swr_free(&context)
            throw failure(status, while: .settingUpTheResampler)
        }
        resampler = context
        resamplerInput = (frame.pointee.sample_rate, frame.pointee.format, frame.pointee.ch_layout.nb_channels)
    }

    // MARK: - Errors and clean-up

    /// Arms the stall deadline before a blocking call.
    private func arm() {
        let microseconds = settings.stallTimeout.components.seconds * 1_000_000 + settings.stallTimeout.components.attoseconds / 1_000_000_000_000
        loa_interrupt_arm(interrupt, microseconds)
    }

    /// What the reader was doing when FFmpeg failed: it decides which error the operator sees.
    private enum Phase: String {
        case opening, probing, openingTheDecoder = "opening the decoder", reading, decoding, converting,
             settingUpTheResampler = "setting up the resampler"
    }

    private func failure(_ code: Int32, while phase: Phase) -> UpstreamError {
        if interrupt.pointee.cancelled != 0 { return .cancelled(url: url) }
        if code == loa_averror_exit() || loa_interrupt_expired(interrupt) != 0 {
            return .stalled(url: url, seconds: Double(settings.stallTimeout.components.seconds)
                                + Double(settings.stallTimeout.components.attoseconds) / 1e18)
        }
        let text = message(code)
        switch phase {
        case .opening:
            // libavformat says "Invalid data found when processing input" for a page that is no audio.
            if code == loa_averror_invaliddata() { return .notAudio(url: url, reason: text) }
            // FFmpeg says only EIO for a redirect loop, a connection cut mid-answer or a bad HTTP answer.
            if code == loa_averror_eio() { return .unreachable(url: url, reason: "\(text) (a redirect loop, a connection cut mid-answer or a malformed HTTP answer)") }
            return .unreachable(url: url, reason: text)
        case .probing:
            return .notAudio(url: url, reason: text)
        case .openingTheDecoder, .reading, .decoding, .converting, .settingUpTheResampler:
            return .decodeFailed(url: url, reason: "\(phase.rawValue): \(text)")
        }
    }

    private func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        loa_av_strerror(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func close() {
        swr_free(&resampler)
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codecContext)
        if formatContext != nil { avformat_close_input(&formatContext) }
        loa_avio_free(&io)
    }
}
