/* intent.h: what a VM's configuration demands of its placement.
 *
 * Filled from a libvirt domain XML (intent_domxml.c) or, for LXD and Incus,
 * from an instance config (intent_lxd.c); the model's own names, defaults
 * and release are in intent.c.  Used by the pre-flight, the attribution
 * and the verdict.  Regions are named as libvirt names the QEMU memory backend
 * that holds them, so they can be found again in the running process. */
#pragma once

#include "bitmap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct np_error;
struct np_host;

typedef enum np_mode {
        NP_MODE_NONE,        /* no binding at all */
        NP_MODE_STRICT,      /* mbind MPOL_BIND (policy=bind) */
        NP_MODE_PREFERRED,   /* MPOL_PREFERRED(_MANY) */
        NP_MODE_INTERLEAVE,  /* MPOL_INTERLEAVE */
        NP_MODE_RESTRICTIVE, /* cgroup cpuset.mems only, default policy */
        NP_MODE__COUNT,
} np_mode;

typedef enum np_backing {
        NP_BACKING_ANONYMOUS, /* memory-backend-ram */
        NP_BACKING_FILE,      /* memory-backend-file (hugetlbfs or a RAM file) */
        NP_BACKING_MEMFD,     /* memory-backend-memfd */
        NP_BACKING__COUNT,
} np_backing;

/* How the binding reaches the memory, which decides what evidence
 * proves it. */
typedef enum np_enforcement {
        NP_ENFORCE_NONE,   /* nothing binds this region */
        NP_ENFORCE_MBIND,  /* host-nodes + policy on the backend */
        NP_ENFORCE_CGROUP, /* cpuset.mems of the process's cgroup only */
        NP_ENFORCE__COUNT,
} np_enforcement;

typedef enum np_region_kind {
        NP_REGION_CELL,        /* ram-node<N> */
        NP_REGION_MACHINE,     /* pc.ram: all RAM of a guest without cells */
        NP_REGION_DIMM,        /* memdimm<N> */
        NP_REGION_NVDIMM,      /* memnvdimm<N> */
        NP_REGION_VIRTIO_MEM,  /* memvirtiomem<N> */
        NP_REGION_VIRTIO_PMEM, /* memvirtiopmem<N> */
        NP_REGION__COUNT,
} np_region_kind;

#define NP_ID_MAX 64

typedef struct np_region {
        char id[NP_ID_MAX];     /* QEMU backend id: ram-node0, pc.ram, memdimm0 */
        np_region_kind kind;
        int cell;               /* guest NUMA cell, -1 when none */
        uint64_t size_kib;      /* backend size as libvirt sizes it */
        uint64_t xml_kib;       /* the size the XML gives, before rounding */
        np_mode mode;
        bool has_nodes;         /* false: no host-nodes (NONE, RESTRICTIVE w/o set, auto unresolved) */
        bool placement_auto;    /* nodeset comes from numad */
        np_bitmap nodes;        /* allowed host nodes when has_nodes */
        uint64_t pagesize_kib;  /* 4 for ordinary pages */
        bool pagesize_default;  /* <hugepages/> without a size: the host's
                                 * default, assumed 2048 until
                                 * np_intent_set_default_hugepage() */
        np_backing backing;
        bool shared;            /* access mode='shared' */
        np_enforcement enforcement;
} np_region;

typedef enum np_thread_kind {
        NP_THREAD_VCPU,
        NP_THREAD_EMULATOR,
        NP_THREAD_IOTHREAD,
        NP_THREAD__COUNT,
} np_thread_kind;

/* A CPU pin the XML asks for: vcpupin, emulatorpin, iothreadpin, or the
 * <vcpu cpuset> default for vCPUs without their own vcpupin. */
typedef struct np_pin {
        np_thread_kind kind;
        unsigned id;            /* vCPU or iothread id; 0 for the emulator */
        np_bitmap cpus;
} np_pin;

/* A host PCI device handed to the guest: a <hostdev mode='subsystem'
 * type='pci'> (VFIO passthrough, an SR-IOV VF) or an <interface
 * type='hostdev'>, by its host address. */
typedef struct np_hostdev {
        char address[16];       /* "0000:21:00.0", as sysfs spells it */
        bool interface;         /* <interface type='hostdev'> */
} np_hostdev;

typedef struct np_intent {
        char *name;
        char *uuid;
        uint64_t memory_kib;    /* <memory> (or <currentMemory> fallback) */
        unsigned vcpus;

        /* from a live or status XML: backend ids and sizes as libvirt
         * holds them; else those of a new start (sizes rounded up) */
        bool live;

        /* <numatune><memory>, the domain-wide binding */
        bool has_numatune;
        np_mode mode;
        bool placement_auto;
        bool has_nodes;
        np_bitmap nodes;

        /* when set, the nodeset numad chose (status XML) was applied */
        bool numad_resolved;

        np_region *regions;
        size_t n_regions;
        np_pin *pins;
        size_t n_pins;

        /* <metadata>: OpenStack Nova and numaplace's own override */
        char *nova_uuid;
        char *nova_flavor;
        char *override_mode;    /* numaplace:policy mode=, or NULL */

        np_hostdev *hostdevs;   /* host PCI devices, in document order */
        size_t n_hostdevs;

        /* sentences from np_intent_add_notes() */
        char **notes;
        size_t n_notes, cap_notes;
} np_intent;

/* Parse a domain XML document held in memory.  @filename is only used in
 * messages.  The parser never touches the network and never expands
 * entities; documents over NP_DOMXML_MAX bytes, a root other than
 * <domain>, and every value numaplace needs that is malformed are
 * rejected with -EINVAL and one sentence in @err. */
#define NP_DOMXML_MAX (16u << 20)
int np_intent_from_domxml(const char *buf, size_t len, const char *filename,
                          np_intent **ret, struct np_error *err);

/* Read and parse a domain XML file (or "-" for standard input). */
int np_intent_read_domxml(const char *path, np_intent **ret,
                          struct np_error *err);

/* Apply the numad nodeset from a libvirt status XML
 * (/run/libvirt/qemu/NAME.xml, <domstatus><numad nodeset=..>) to regions
 * whose placement is auto.  Returns 0 (also when the status XML holds no
 * numad element) or -errno. */
int np_intent_apply_status(np_intent *intent, const char *buf, size_t len,
                           const char *filename, struct np_error *err);

/* Give regions that asked for the host's default huge page size that
 * size (from /proc/meminfo Hugepagesize). */
void np_intent_set_default_hugepage(np_intent *intent, uint64_t size_kib);

/* Add notes for people: the sizes a configuration was taken to have
 * (those of a new start), and the nodes and huge page sizes it names
 * that @host (may be NULL) lacks.  0 or -ENOMEM. */
int np_intent_add_notes(np_intent *intent, const struct np_host *host);

void np_intent_free(np_intent *intent);

const char *np_mode_to_string(np_mode mode);          /* "strict", ... "none" */
const char *np_backing_to_string(np_backing backing); /* "anonymous", "file", "memfd" */
const char *np_enforcement_to_string(np_enforcement e); /* "none", "mbind", "cgroup" */
const char *np_thread_kind_to_string(np_thread_kind k); /* "vcpu", "emulator", "iothread" */
