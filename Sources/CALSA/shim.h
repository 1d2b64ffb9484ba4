#ifndef LOA_CALSA_SHIM_H
#define LOA_CALSA_SHIM_H
#include <alsa/asoundlib.h>

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
#endif
