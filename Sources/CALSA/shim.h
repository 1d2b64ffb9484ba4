#ifndef LOA_CALSA_SHIM_H
#define LOA_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#include <string.h>

/* ALSA's error handler type is variadic, which Swift cannot implement; this C
   function swallows the "ALSA lib ..." lines that would otherwise go to stderr.
   Errors still reach Swift as return codes. */
static void loa_alsa_quiet_handler(const char *file, int line, const char *function,
                                   int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void loa_alsa_silence_errors(void) {
    snd_lib_error_set_handler(loa_alsa_quiet_handler);
}

/* Timestamps on the monotonic clock, taken by the driver when it updates its position
   (tstamp_mode ENABLE), so loa_alsa_position can pair a delay with the instant it held. */
static inline int loa_alsa_enable_timestamps(snd_pcm_t *pcm) {
    snd_pcm_sw_params_t *sw;
    snd_pcm_sw_params_alloca(&sw);
    int code = snd_pcm_sw_params_current(pcm, sw);
    if (code < 0) return code;
    code = snd_pcm_sw_params_set_tstamp_mode(pcm, sw, SND_PCM_TSTAMP_ENABLE);
    if (code < 0) return code;
    code = snd_pcm_sw_params_set_tstamp_type(pcm, sw, SND_PCM_TSTAMP_TYPE_MONOTONIC);
    if (code < 0) return code;
    return snd_pcm_sw_params(pcm, sw);
}

/* The device's status (snd_pcm_status allocates with alloca, a macro Swift cannot call):
   frames queued ahead of the speaker, the monotonic instant they were counted at (ns),
   and whether the stream is running. */
static inline int loa_alsa_position(snd_pcm_t *pcm, long *delay, long long *stamp_ns, int *running) {
    snd_pcm_status_t *status;
    snd_pcm_status_alloca(&status);
    int code = snd_pcm_status(pcm, status);
    if (code < 0) return code;
    snd_htimestamp_t stamp;
    snd_pcm_status_get_htstamp(status, &stamp);
    *delay = (long)snd_pcm_status_get_delay(status);
    *stamp_ns = (long long)stamp.tv_sec * 1000000000LL + stamp.tv_nsec;
    *running = snd_pcm_status_get_state(status) == SND_PCM_STATE_RUNNING;
    return 0;
}

/* 1 when the PCM's chain ends in a `null` PCM (a `type file` PCM over null, or null
   itself): nothing paces it, it takes sound as fast as it is written. Read from
   snd_pcm_dump, the only place ALSA names a plugin's slaves. */
static inline int loa_alsa_is_null_backed(snd_pcm_t *pcm) {
    snd_output_t *out;
    if (snd_output_buffer_open(&out) < 0) return 0;
    int found = 0;
    if (snd_pcm_dump(pcm, out) >= 0) {
        char *text;
        size_t length = snd_output_buffer_string(out, &text);
        static const char needle[] = "Null PCM";
        size_t n = sizeof needle - 1;
        for (size_t i = 0; i + n <= length && !found; i++) {
            if (memcmp(text + i, needle, n) == 0) found = 1;
        }
    }
    snd_output_close(out);
    return found;
}
#endif
