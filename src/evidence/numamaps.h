/* numamaps.h: /proc/PID/numa_maps, one line at a time.
 *
 * The file is streamed: the reader hands each parsed line to a callback
 * and keeps nothing, so memory stays flat however many mappings QEMU has.
 * Line format and traps: fs/proc/task_mmu.c show_numa_map(),
 * mm/mempolicy.c mpol_to_str(). */
#pragma once

#include "bitmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

typedef enum np_policy_kind {
        NP_POLICY_DEFAULT,
        NP_POLICY_LOCAL,
        NP_POLICY_BIND,
        NP_POLICY_PREFERRED,      /* prefer:N */
        NP_POLICY_PREFERRED_MANY, /* prefer (many):SET */
        NP_POLICY_INTERLEAVE,
        NP_POLICY_WEIGHTED_INTERLEAVE,
        NP_POLICY__COUNT,
} np_policy_kind;

typedef struct np_node_pages {
        unsigned node;
        uint64_t pages;
} np_node_pages;

#define NP_PATH_MAX 4096
#define NP_POLICY_TEXT_MAX 128

typedef struct np_numamaps_entry {
        uint64_t start;
        np_policy_kind policy;
        bool has_policy_nodes;
        np_bitmap policy_nodes;
        char policy_text[NP_POLICY_TEXT_MAX]; /* as printed: "bind=static:1" */
        bool has_file;
        char path[NP_PATH_MAX];  /* unescaped, " (deleted)" removed */
        bool deleted;
        bool heap, stack, huge;
        uint64_t anon, dirty, mapped;
        uint64_t kernelpagesize_kib; /* 0: line had no pages to show it */
        unsigned n_nodes;
        np_node_pages nodes[NP_NODE_MAX]; /* N<node>=<pages>, in line order */
} np_numamaps_entry;

/* Parse one line (without its newline).  Pure: no I/O.  Returns 0 or
 * -EINVAL with @err saying which field is wrong (the caller adds the file
 * and line number), also when its page counts overflow.  Unknown
 * keys are skipped (the kernel adds new ones); a malformed known key,
 * "N-1=", or a page size no kernel uses is an error. */
int np_numamaps_parse_line(const char *line, np_numamaps_entry *ret,
                           struct np_error *err);

/* Called for each line; a negative return stops the read and is passed
 * back. */
typedef int (*np_numamaps_cb)(const np_numamaps_entry *entry, void *userdata);

/* Stream /proc/PID/numa_maps below @root.  Returns 0, the callback's
 * negative value, or -errno with @err naming the file and line. */
int np_numamaps_read(const struct np_sysroot *root, pid_t pid,
                     np_numamaps_cb cb, void *userdata, struct np_error *err);

/* Size in KiB of the pages an entry counts (kernelpagesize_kB, or 4 when
 * the line shows no pages). */
uint64_t np_numamaps_entry_page_kib(const np_numamaps_entry *entry);

/* KiB resident in all nodes of a parsed entry; the parser refuses a
 * line where this overflows. */
uint64_t np_numamaps_entry_kib(const np_numamaps_entry *entry);

const char *np_policy_kind_to_string(np_policy_kind kind);
