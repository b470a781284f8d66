#ifndef BULKDROP_CSQLITE_SHIM_H
#define BULKDROP_CSQLITE_SHIM_H

// SQLite for Swift. SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift
// cannot import, so it is exposed as a function.
#include <sqlite3.h>

static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
