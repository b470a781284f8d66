#ifndef BULKDROP_CLIBPQ_SHIM_H
#define BULKDROP_CLIBPQ_SHIM_H

// libpq, PostgreSQL's C client library (Debian's libpq-dev; pkg-config adds
// -I/usr/include/postgresql). The error field codes are character macros, which Swift does not
// import, so they are given again as constants.
#include <libpq-fe.h>

static const int clibpq_diag_sqlstate = PG_DIAG_SQLSTATE;
static const int clibpq_diag_message_primary = PG_DIAG_MESSAGE_PRIMARY;

#endif
