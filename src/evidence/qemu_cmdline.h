/* qemu_cmdline.h: QEMU memory backends as the process was told them.
 *
 * /proc/PID/cmdline carries every "-object memory-backend-*", in the JSON
 * form libvirt uses since QEMU 6 ('{"qom-type":...}') or the older
 * key=value form; "-numa node,...,memdev=ID" ties them to guest cells and
 * "-machine ...,memory-backend=ID" names the backend of a guest without
 * cells.  Sizes from here let attribution match anonymous mappings. */
#pragma once

#include "bitmap.h"
#include "intent.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

typedef struct np_qemu_backend {
        char id[NP_ID_MAX];
        np_backing backing;       /* from qom-type */
        uint64_t size_bytes;
        bool has_host_nodes;
        np_bitmap host_nodes;
        char policy[16];          /* "", "default", "bind", "preferred", "interleave" */
        char *mem_path;           /* memory-backend-file only */
        bool prealloc, share, hugetlb;
        uint64_t hugetlbsize;     /* bytes, memfd with hugetlb */
        int guest_node;           /* -numa node,nodeid=N,memdev=ID; -1 */
        bool is_machine_ram;      /* -machine memory-backend=ID */
        /* -device pc-dimm|nvdimm|virtio-mem-pci|virtio-pmem-pci,memdev=ID:
         * the device's kind, its place among the devices of that kind in
         * command line order, its id ("" when none) and node= (-1) */
        bool has_device;
        np_region_kind device_kind;
        unsigned device_index;
        char device_id[NP_ID_MAX];
        int device_node;
} np_qemu_backend;

/* The memory graph of one QEMU process: its backends and what uses
 * them.  A guest given RAM without any backend (a plain -m, legacy
 * "-numa node,mem=") gets the machine's own RAM block, which QEMU names
 * "pc.ram" on x86; it is described by @implicit_ram, which is kept out
 * of @backends because nothing on the command line defines it. */
typedef struct np_qemu_cmdline {
        np_qemu_backend *backends;
        size_t n_backends;
        bool has_implicit_ram;
        np_qemu_backend implicit_ram;
        unsigned n_legacy_nodes;  /* -numa node,mem=SIZE (all in implicit_ram) */
} np_qemu_cmdline;

/* Reads a -readconfig file named on the command line: 0 with the text
 * in *@ret (malloc'ed) and its length, or < 0 to go on without it. */
typedef int (*np_qemu_readconfig_fn)(const char *path, char **ret, size_t *ret_len,
                                     void *userdata);

/* Parse an argv held as NUL-separated strings (as /proc/PID/cmdline holds
 * it).  Arguments that are not memory related are ignored; a memory
 * backend whose options cannot be parsed is an error (-EINVAL). */
int np_qemu_cmdline_parse(const char *buf, size_t len, np_qemu_cmdline **ret,
                          struct np_error *err);

/* The same, reading every "-readconfig FILE" through @readconfig where it
 * stands (np_qemu_cmdline_parse() skips them), and adding the implicit
 * machine RAM a guest without memory backends has (-m). */
int np_qemu_cmdline_parse_full(const char *buf, size_t len, np_qemu_readconfig_fn readconfig,
                               void *userdata, np_qemu_cmdline **ret, struct np_error *err);

/* Parse a QEMU -readconfig file (LXD and Incus start QEMU from one, their
 * qemu.conf): [object "ID"] sections with qom-type memory-backend-* become
 * backends, [numa] sections tie them to guest nodes, [machine]
 * memory-backend names the machine's RAM.  @filename is for messages.
 * Returns 0, or -EINVAL with @err naming the file and line. */
int np_qemu_readconfig_parse(const char *text, size_t len, const char *filename,
                             np_qemu_cmdline **ret, struct np_error *err);

/* A -readconfig section header, "[group]" or [group "id"], cut in
 * place: *@ret_group and *@ret_id ("" when none) point into @line.
 * Returns 0, or -EINVAL with @err saying what is wrong with it. */
int np_qemu_readconfig_header(char *line, char **ret_group, char **ret_id, struct np_error *err);

/* Read and parse /proc/PID/cmdline below @root, with the -readconfig
 * files it names (relative names from the process's cwd). */
int np_qemu_cmdline_read(const struct np_sysroot *root, pid_t pid,
                         np_qemu_cmdline **ret, struct np_error *err);

/* The backend called @id, the implicit machine RAM included. */
const np_qemu_backend *np_qemu_cmdline_find(const np_qemu_cmdline *cmdline,
                                            const char *id);

/* Set one backend property from its text form, as key=value options,
 * JSON (numbers and booleans in their JSON spelling) and -readconfig INI
 * files ("host-nodes.0 = 1") give it: size, host-nodes, host-nodes.N,
 * policy, mem-path, prealloc, share, hugetlb, hugetlbsize.  Sizes take
 * QEMU's binary suffixes (K, M, G, T, P, E); host-nodes accumulate over
 * repeated calls.  Other keys are ignored.  Returns 0 or -EINVAL with
 * @err naming the key and value. */
int np_qemu_backend_set(np_qemu_backend *b, const char *key, const char *value,
                        struct np_error *err);

void np_qemu_cmdline_free(np_qemu_cmdline *cmdline);
