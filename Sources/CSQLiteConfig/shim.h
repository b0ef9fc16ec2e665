// sqlite3_config is variadic, which Swift cannot call: the process-wide settings the store
// makes before SQLite's first use, wrapped here.
#ifndef CSQLITECONFIG_SHIM_H
#define CSQLITECONFIG_SHIM_H

#include <sqlite3.h>

// Before any connection opens: no connection mutex (GRDB serializes each connection's use and
// the store's C-API statements run inside its closures) and no allocation counting (a mutex
// taken per malloc and free). Returns SQLITE_OK, or SQLITE_MISUSE if SQLite was already in use
// (then nothing changed).
static inline int backorders_sqlite_lean(void) {
    int rc = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
