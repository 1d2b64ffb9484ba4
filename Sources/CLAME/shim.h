#ifndef LOA_CLAME_SHIM_H
#define LOA_CLAME_SHIM_H
#include <lame/lame.h>
#endif
