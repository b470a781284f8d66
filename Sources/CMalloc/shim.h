#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H

#include <malloc.h>

/// Caps the number of glibc malloc arenas (Swift cannot see the M_ARENA_MAX macro's use with mallopt).
static inline int cmalloc_limit_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}

/// Hands freed heap memory back to the system, so the resident size counts live memory only.
static inline void cmalloc_release_free_memory(void) {
    malloc_trim(0);
}

#endif
