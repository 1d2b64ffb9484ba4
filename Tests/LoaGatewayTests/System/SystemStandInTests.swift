import Foundation
@testable import LoaGateway
import Testing

/// What the gateway's targets write for themselves because they link FoundationEssentials only:
/// each checked against the Foundation it replaces.
@Suite struct SystemStandInTests {
    @Test func pathTextSplitsPathsAsNSStringDoes() {
        for path in ["/var/lib/loa/state.json", "/var/lib/loa/", "/state", "/", "state", "", "a/b", "a/b//", "//x", "/tmp/a.b/c"] {
            #expect(PathText.directory(of: path) == (path as NSString).deletingLastPathComponent, "directory of \(path)")
            #expect(PathText.lastComponent(of: path) == (path as NSString).lastPathComponent, "last component of \(path)")
        }
    }

    @Test func aPlatformThreadRunsItsBodyUnderItsName() async throws {
        let seen = NIOLockedBox<String?>(nil)
        let done = OneShotEvent()
        PlatformThread.detach(name: "loa-test-thread-long-name") {
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
            seen.set(comm.trimmingCharacters(in: .whitespacesAndNewlines))
            done.fire()
        }
        #expect(await done.wait(timeout: .seconds(5)))
        #expect(seen.get() == "loa-test-thread", "the kernel keeps 15 bytes of a thread's name")
    }

    @Test func aRecursiveLockIsTakenAgainByItsHolder() async {
        // On its own thread: a plain mutex would deadlock there, and the wait below fail.
        let lock = RecursiveLock()
        let done = OneShotEvent()
        PlatformThread.detach(name: "loa-test-lock") {
            lock.lock()
            lock.lock()
            lock.unlock()
            lock.unlock()
            done.fire()
        }
        #expect(await done.wait(timeout: .seconds(5)))
    }
}

/// A value two threads share, for the thread test.
private final class NIOLockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func set(_ new: Value) { lock.withLock { value = new } }
    func get() -> Value { lock.withLock { value } }
}
