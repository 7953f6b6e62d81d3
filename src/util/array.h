/* array.h: the one way arrays grow.
 *
 * np_array_reserve(&items, &cap, n + 1) makes room for at least n + 1
 * elements, doubling the capacity (from 8) so appending one at a time
 * costs amortised O(1).  On failure the array and its capacity are left
 * as they were and -ENOMEM is returned. */
#pragma once

#include <stddef.h>

int np_array_reserve_(void **array, size_t *cap, size_t need, size_t size);

#define np_array_reserve(arrayp, capp, need) \
        np_array_reserve_((void **)(arrayp), (capp), (need), sizeof(**(arrayp)))
