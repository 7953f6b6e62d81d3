/* units.h: sizes for people ("512 MiB", "1.5 GiB", "2M" page sizes). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* "0 KiB", "36 KiB", "512 MiB", "1.5 GiB": binary units, at most one
 * decimal, integer arithmetic only.  Returns @buf. */
char *np_format_kib(uint64_t kib, char *buf, size_t len);

/* Page sizes as the kernel and hugepage tools name them: "4K", "2M", "1G". */
char *np_format_pagesize(uint64_t kib, char *buf, size_t len);
