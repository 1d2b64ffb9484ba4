#if canImport(Glibc)
import Glibc
#endif

/// A detached POSIX thread with a name, for the gateway's few long-lived blocking loops (the
/// player, the renderers, the control socket). Foundation's `Thread` without Foundation: the
/// gateway links FoundationEssentials only (docs/ARCHITECTURE.md).
enum PlatformThread {
    /// Starts `body` on a new detached thread named `name` (at most 15 bytes are kept, the
    /// kernel's limit, shown by `top -H` and in /proc/PID/task/*/comm).
    static func detach(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(name: name, run: body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, runBody, box)
        guard started == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            fatalError("cannot start thread \(name): \(String(cString: strerror(started)))")
        }
        pthread_detach(thread)
    }

    /// The thread's start routine: takes back the body `detach` retained, names the thread, runs it.
    private static let runBody: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { argument in
        let body = Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue()
        nameThisThread(body.name)
        body.run()
        return nil
    }

    /// pthread_setname_np is a GNU extension Swift's Glibc module does not declare; Linux takes
    /// the same name through /proc (since 3.17). A failure leaves the thread unnamed, nothing else.
    private static func nameThisThread(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    private final class Body: Sendable {
        let name: String
        let run: @Sendable () -> Void
        init(name: String, run: @escaping @Sendable () -> Void) { self.name = name; self.run = run }
    }
}
