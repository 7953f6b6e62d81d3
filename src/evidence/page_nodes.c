/* page_nodes.c: move_pages(2) as a question, through libnuma. */
#include "page_nodes.h"

#include <errno.h>
#include <numaif.h>

/* Batches keep each call (and the kernel's copies of the arrays) small. */
#define PAGE_NODES_BATCH 4096

int np_page_nodes(pid_t pid, void **pages, size_t n, int *ret_status)
{
        for (size_t done = 0; done < n;) {
                size_t count = n - done < PAGE_NODES_BATCH ? n - done : PAGE_NODES_BATCH;

                if (move_pages(pid, count, pages + done, NULL, ret_status + done, 0) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                done += count;
        }
        return 0;
}
