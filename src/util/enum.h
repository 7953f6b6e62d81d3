/* enum.h: enumerations and their names, in the manner of libvirt's
 * VIR_ENUM_IMPL.
 *
 * Each enumeration has one table of names indexed by its values (a
 * designated initializer, so the pairing is written out); its
 * _to_string, and where a name is read back its _from_string, are made
 * from that table by these macros rather than written out again. */
#pragma once

#include <errno.h>
#include <stddef.h>

/* @names[@v], or @fallback when @v is beyond the table or unnamed. */
const char *np_enum_name(const char *const *names, size_t n, unsigned v, const char *fallback);

/* The index of @s among @names into *@ret: 0, or -EINVAL when @s (which
 * may be NULL) names none. */
int np_enum_index(const char *const *names, size_t n, const char *s, unsigned *ret);

#define NP_ENUM_SIZE_(names) (sizeof(names) / sizeof((names)[0]))

/* Defines const char *FN(TYPE v): v's name in @names, @fallback beyond. */
#define NP_ENUM_TO_STRING(fn, type, names, fallback)                                     \
        const char *fn(type v)                                                           \
        {                                                                                \
                return np_enum_name(names, NP_ENUM_SIZE_(names), (unsigned)v, fallback); \
        }

/* Defines int FN(const char *s, TYPE *ret): 0 with *ret the value @s
 * names in @names, or -EINVAL (*ret untouched). */
#define NP_ENUM_FROM_STRING(fn, type, names)                                     \
        int fn(const char *s, type *ret)                                         \
        {                                                                        \
                unsigned v;                                                      \
                                                                                 \
                if (np_enum_index(names, NP_ENUM_SIZE_(names), s, &v) < 0)       \
                        return -EINVAL;                                          \
                *ret = (type)v;                                                  \
                return 0;                                                        \
        }
