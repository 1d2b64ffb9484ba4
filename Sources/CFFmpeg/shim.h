#ifndef LOA_CFFMPEG_SHIM_H
#define LOA_CFFMPEG_SHIM_H
#include <errno.h>
#include <stdint.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswresample/swresample.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libavutil/time.h>

/* Function-like macros Swift cannot import. */
static inline int loa_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int loa_averror_eof(void) { return AVERROR_EOF; }
static inline int loa_averror_exit(void) { return AVERROR_EXIT; }
static inline int loa_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int loa_averror_eio(void) { return AVERROR(EIO); }

/* FFmpeg's own log lines would go to stderr; the adapter reports errors itself. */
static inline void loa_av_quiet(void) { av_log_set_level(AV_LOG_QUIET); }

/* What the interrupt callback reads: a cancel flag and a deadline (av_gettime_relative µs, 0 =
   none) that the reader arms before each blocking call, so a stalled upstream times out. */
typedef struct {
    int cancelled;
    int64_t deadline_us;
} loa_interrupt_state;

static inline int loa_interrupt_check(void *opaque) {
    loa_interrupt_state *state = (loa_interrupt_state *)opaque;
    if (__atomic_load_n(&state->cancelled, __ATOMIC_RELAXED)) return 1;
    int64_t deadline = __atomic_load_n(&state->deadline_us, __ATOMIC_RELAXED);
    return deadline > 0 && av_gettime_relative() > deadline;
}

static inline void loa_interrupt_install(AVFormatContext *context, loa_interrupt_state *state) {
    context->interrupt_callback.callback = loa_interrupt_check;
    context->interrupt_callback.opaque = state;
}

static inline void loa_interrupt_arm(loa_interrupt_state *state, int64_t timeout_us) {
    __atomic_store_n(&state->deadline_us, timeout_us > 0 ? av_gettime_relative() + timeout_us : 0, __ATOMIC_RELAXED);
}

static inline void loa_interrupt_cancel(loa_interrupt_state *state) {
    __atomic_store_n(&state->cancelled, 1, __ATOMIC_RELAXED);
}

static inline int loa_interrupt_expired(const loa_interrupt_state *state) {
    int64_t deadline = __atomic_load_n(&state->deadline_us, __ATOMIC_RELAXED);
    return deadline > 0 && av_gettime_relative() > deadline;
}

/* A custom input (bytes pushed to the controller, not a URL): an AVIOContext over a read
   callback, with a buffer FFmpeg owns; freed by loa_avio_free after avformat_close_input. */
typedef int (*loa_read_packet)(void *opaque, uint8_t *buf, int buf_size);

static inline AVIOContext *loa_avio_alloc(void *opaque, loa_read_packet read, int size) {
    unsigned char *buffer = av_malloc(size);
    if (!buffer) return NULL;
    AVIOContext *context = avio_alloc_context(buffer, size, 0, opaque, read, NULL, NULL);
    if (!context) av_free(buffer);
    return context;
}

static inline void loa_avio_free(AVIOContext **context) {
    if (!*context) return;
    av_freep(&(*context)->buffer);
    avio_context_free(context);
}

static inline void loa_format_use_custom_io(AVFormatContext *context, AVIOContext *io) {
    context->pb = io;
    context->flags |= AVFMT_FLAG_CUSTOM_IO;
}

/* The error text for a code (av_err2str is a macro over a compound literal). */
static inline void loa_av_strerror(int code, char *buffer, size_t size) {
    if (av_strerror(code, buffer, size) < 0) snprintf(buffer, size, "FFmpeg error %d", code);
}
#endif
