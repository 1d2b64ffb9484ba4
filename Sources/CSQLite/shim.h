#ifndef LOA_CSQLITE_SHIM_H
#define LOA_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
