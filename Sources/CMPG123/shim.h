#ifndef LOA_CMPG123_SHIM_H
#define LOA_CMPG123_SHIM_H
#include <mpg123.h>
#endif
