/* bitmap.h: sets of NUMA nodes and CPUs, and the libvirt nodeset grammar.
 *
 * One fixed-size type serves nodes and CPUs alike so that results can be
 * copied by value; NP_BITMAP_MAX bits covers the kernel's largest
 * NR_CPUS configuration in Debian (8192). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NP_BITMAP_MAX 8192u
#define NP_NODE_MAX 1024u /* kernel MAX_NUMNODES with NODES_SHIFT=10 */

typedef struct np_bitmap {
        uint64_t w[NP_BITMAP_MAX / 64];
} np_bitmap;

void np_bitmap_clear(np_bitmap *b);
void np_bitmap_set(np_bitmap *b, unsigned bit);
void np_bitmap_unset(np_bitmap *b, unsigned bit);
bool np_bitmap_test(const np_bitmap *b, unsigned bit);
bool np_bitmap_is_empty(const np_bitmap *b);
unsigned np_bitmap_count(const np_bitmap *b);
bool np_bitmap_equal(const np_bitmap *a, const np_bitmap *b);
/* True when every bit of @a is also in @b. */
bool np_bitmap_is_subset(const np_bitmap *a, const np_bitmap *b);
void np_bitmap_or(np_bitmap *dst, const np_bitmap *src);
void np_bitmap_and(np_bitmap *dst, const np_bitmap *src);
/* Next set bit at or after @from, or -1. */
int np_bitmap_next(const np_bitmap *b, unsigned from);

/* Parse libvirt's nodeset/cpuset grammar: comma separated items, each
 * "N", "N-M" or "^N" (exclusion), applied left to right as
 * virBitmapParse does: "^1,0-2" is 0-2, "1,0,^1" is 0.  White space around items is allowed.  Also
 * accepts the kernel's list format ("0-3,8"), which is a subset.  Every
 * number must be below @max.  Returns 0, -EINVAL for bad syntax or an
 * empty result, -ERANGE for a number at or above @max; @err names the
 * offending text. */
struct np_error;
int np_bitmap_parse(const char *s, unsigned max, np_bitmap *ret,
                    struct np_error *err);

/* Like np_bitmap_parse but an empty string (as in an empty kernel list)
 * gives the empty set. */
int np_bitmap_parse_list(const char *s, unsigned max, np_bitmap *ret,
                         struct np_error *err);

/* Write the set in compact range form ("0-1,3") into @buf; an empty set
 * gives "".  Returns the length it needed (like snprintf). */
size_t np_bitmap_format(const np_bitmap *b, char *buf, size_t len);

/* The set as words for messages: "node 1" or "nodes 0-1,3".  Returns
 * @buf. */
const char *np_bitmap_nodes_phrase(const np_bitmap *nodes, char *buf, size_t len);
