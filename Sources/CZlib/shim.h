#ifndef BULKDROP_CZLIB_SHIM_H
#define BULKDROP_CZLIB_SHIM_H

// zlib for Swift. inflateInit2 and deflateInit2 are macros that pass the library version and the
// size of z_stream to the real functions, which Swift cannot import, so each gets a wrapper. Both
// ask for raw deflate (negative window bits: no zlib or gzip wrapper), the format inside a zip.
#include <zlib.h>

static inline int czlib_inflate_init_raw(z_streamp stream) {
    return inflateInit2_(stream, -MAX_WBITS, ZLIB_VERSION, (int)sizeof(z_stream));
}

// memLevel 8 is zlib's own default (DEF_MEM_LEVEL, which zlib.h does not export).
static inline int czlib_deflate_init_raw(z_streamp stream, int level) {
    return deflateInit2_(stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                         (int)sizeof(z_stream));
}

#endif
