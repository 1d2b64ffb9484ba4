#ifndef LOA_CESPEAKNG_SHIM_H
#define LOA_CESPEAKNG_SHIM_H
#include <espeak-ng/speak_lib.h>
#endif
