#ifndef PMCMS_CZLIB_SHIM_H
#define PMCMS_CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 is a macro (it passes the library's version and the stream's size), which Swift
// cannot call: wrap it.
static inline int pmcms_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

#endif
