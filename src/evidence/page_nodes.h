/* page_nodes.h: which NUMA node holds each of a process's pages.
 *
 * The kernel's own answer, from move_pages(2) with no target nodes: a
 * query, nothing moves.  Unlike numa_maps it does not walk the whole
 * address space: each address costs one page table lookup. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Ask where each of @n pages of process @pid is.  @pages holds addresses
 * in that process; @ret_status gets, per page, the node (>= 0) or a
 * negative errno: -ENOENT (no page there), -EFAULT (not mapped, or only
 * the shared zero page), others as move_pages(2) documents them.  The
 * question goes to the kernel in batches, so @n may be large.  Returns 0,
 * or -errno when the kernel refused the whole call (-ESRCH: no such
 * process, -EPERM: not allowed to look at it). */
int np_page_nodes(pid_t pid, void **pages, size_t n, int *ret_status);
