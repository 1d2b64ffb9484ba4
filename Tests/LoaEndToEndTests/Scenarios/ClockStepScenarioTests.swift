import Foundation
import Testing

/// Steps one process's system clock: a preloaded shim adds the seconds written in a file to
/// CLOCK_REALTIME (and `gettimeofday`, `time`; and takes it back out of the absolute deadlines
/// of `sem_timedwait` and `pthread_cond_timedwait`, which the kernel reads on its own clock),
/// leaving CLOCK_MONOTONIC alone — what NTP
/// catching up or a technician's `date` does to a gateway. (libfaketime does the same, but
/// preloaded into a Swift program it empties `CommandLine.arguments`.) Compiled with the C
/// compiler beside the Swift toolchain.
enum ClockStep {
    static let source = #"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

/* Adds the seconds in $STEP_CLOCK_FILE to CLOCK_REALTIME (and gettimeofday, time):
   a system clock step for one process; CLOCK_MONOTONIC is untouched. */
static long step_seconds(void) {
    const char *path = getenv("STEP_CLOCK_FILE");
    if (!path) return 0;
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    long seconds = 0;
    if (fscanf(f, "%ld", &seconds) != 1) seconds = 0;
    fclose(f);
    return seconds;
}

int clock_gettime(clockid_t id, struct timespec *ts) {
    static int (*real)(clockid_t, struct timespec *);
    if (!real) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int result = real(id, ts);
    if (result == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) ts->tv_sec += step_seconds();
    return result;
}

int gettimeofday(struct timeval *tv, void *tz) {
    struct timespec ts;
    int result = clock_gettime(CLOCK_REALTIME, &ts);
    if (result == 0 && tv) { tv->tv_sec = ts.tv_sec; tv->tv_usec = ts.tv_nsec / 1000; }
    (void)tz;
    return result;
}

/* Absolute deadlines on CLOCK_REALTIME that the process computed from its stepped clock go
   back to the kernel's clock, as they would if the kernel's clock had stepped too. */
int sem_timedwait(sem_t *sem, const struct timespec *abstime) {
    static int (*real)(sem_t *, const struct timespec *);
    if (!real) real = (int (*)(sem_t *, const struct timespec *))dlsym(RTLD_NEXT, "sem_timedwait");
    struct timespec t = *abstime;
    t.tv_sec -= step_seconds();
    return real(sem, &t);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *abstime) {
    static int (*real)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
    if (!real) real = (int (*)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *))dlsym(RTLD_NEXT, "pthread_cond_timedwait");
    struct timespec t = *abstime;
    t.tv_sec -= step_seconds();
    return real(cond, mutex, &t);
}

time_t time(time_t *out) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (out) *out = ts.tv_sec;
    return ts.tv_sec;
}
"""#

    static var compiler: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return (["/usr/bin/cc"] + path.split(separator: ":").map { "\($0)/clang" }).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Builds the shim in `scratch`; the environment that makes a process read its step from `file`.
    static func environment(scratch: Scratch, file: String) async throws -> [String: String] {
        guard let compiler else { throw HarnessError("no C compiler for the clock-step shim") }
        let library = scratch.file("clock-step.so")
        let sourcePath = try scratch.write(source, to: "clock-step.c")
        let build = try ChildProcess(compiler, ["-shared", "-fPIC", "-o", library, sourcePath, "-ldl"],
                                     stdout: scratch.file("cc.out"), stderr: scratch.file("cc.err"))
        guard await build.waitForExit(seconds: 60) == 0 else { throw HarnessError("cc: \(build.stderr)") }
        return ["LD_PRELOAD": library, "STEP_CLOCK_FILE": file]
    }
}

/// A gateway's system clock jumps an hour ahead between the schedule's arrival and its instant
/// (NTP catching up after a dead battery, a technician's `date`): playout runs on the monotonic
/// clock mapped to the controller's, so the bulletin still plays at its instant, with its
/// neighbour, and the health report shows the step as the clock offset.
@Suite(.enabled(if: Built.available && ClockStep.compiler != nil, "needs the built executables and a C compiler"))
struct ClockStepScenarioTests {
    @Test func aGatewayWhoseSystemClockJumpsAnHourStillPlaysOnTimeInStep() async throws {
        try await scenario("clock-step") { system in
            let ids = ["xa-tan-lap-01", "xa-tan-lap-02"]
            try await system.start(communes: [("xa-tan-lap", ids)], startGateways: false)
            let stepFile = system.scratch.file("clock-step")
            try "0\n".write(toFile: stepFile, atomically: true, encoding: .utf8)
            system[ids[0]].environment = try await ClockStep.environment(scratch: system.scratch, file: stepFile)
            for id in ids { try system[id].start() }
            try await system.waitOnline(ids)
            let sha = try await system.bulletin("ban-tin-trua", seconds: 3, frequency: 440)
            let (_, at) = try await system.schedule(sha, areas: ["xa-tan-lap"], inSeconds: 30)
            // The schedule is on the gateways and their clocks are disciplined; then the step.
            try await Task.sleep(for: .seconds(max(0, at.timeIntervalSinceNow - 12)))
            try "3600\n".write(toFile: stepFile, atomically: true, encoding: .utf8)

            var log: [PlayRecord] = []
            let played = try await eventually(at.timeIntervalSinceNow + 40, every: .milliseconds(500)) {
                log = try await system.playLog()
                return ids.allSatisfy { id in log.contains { $0.gatewayId == id && $0.kind == "finished" } }
            }
            #expect(played, "play log: \(log)\n\(ids.map { system[$0].log.suffix(3000) })")
            for id in ids {
                let events = log.filter { $0.gatewayId == id }
                #expect(events.map(\.kind) == ["started", "finished"], "\(id): \(events)")
                if let started = events.first?.date {
                    #expect(abs(started.timeIntervalSince(at)) < 1.0, "\(id) started at \(started), scheduled \(at)")
                }
                if let sound = system[id].sink.firstSoundAt {
                    #expect(sound.timeIntervalSince(at) > -0.5 && sound.timeIntervalSince(at) < 2.5, "\(id) sounded at \(sound), scheduled \(at)")
                } else {
                    Issue.record("\(id): no sound at all")
                }
            }
            if let a = system[ids[0]].sink.firstSoundAt, let b = system[ids[1]].sink.firstSoundAt {
                print("clock step: first sounds \(Int((a.timeIntervalSince(b) * 1000).rounded())) ms apart")
                #expect(abs(a.timeIntervalSince(b)) < 0.2, "first sound \(a) vs \(b)")
            }
            // The step shows in the stepped gateway's health as its clock offset (about −1 h).
            var offset: Double?
            let shown = await eventually(30, every: .milliseconds(500)) {
                let health = (try? await system.gatewayStatus())?[ids[0]]?["health"] as? [String: Any]
                offset = health?["clockOffsetMs"] as? Double
                return offset.map { abs($0 + 3_600_000) < 2_000 } ?? false
            }
            #expect(shown, "the stepped gateway's clock offset: \(String(describing: offset)) ms")
        }
    }
}
