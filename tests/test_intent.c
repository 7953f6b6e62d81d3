/* test_intent.c: libvirt domain XML -> intent (intent_domxml.c).
 *
 * Every expected value below is written out by hand from libvirt's rules
 * (see the header of src/intent/intent_domxml.c); none is computed by the code
 * under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bitmap.h"
#include "error.h"
#include "intent.h"

#define NOVA_NS "http://openstack.org/xmlns/libvirt/nova/1.1"
#define NP_NS "http://numaplace.org/xmlns/numaplace/1.0"

/* ---- expectations --------------------------------------------------------- */

struct want_region {
        const char *id;             /* NULL ends the list */
        np_region_kind kind;
        int cell;
        uint64_t size_kib;
        np_mode mode;
        const char *nodes;          /* NULL: has_nodes is false */
        bool placement_auto;
        uint64_t pagesize_kib;
        bool pagesize_default;
        np_backing backing;
        bool shared;
        np_enforcement enforcement;
        uint64_t xml_kib;           /* the size as written; 0: size_kib */
};

struct want_pin {
        np_thread_kind kind;
        unsigned id;
        const char *cpus;           /* NULL ends the list */
};

struct good_case {
        const char *name;
        const char *xml;
        const char *dom_name;
        const char *uuid;
        uint64_t memory_kib;
        unsigned vcpus;
        bool has_numatune;
        np_mode mode;
        bool placement_auto;
        const char *nodes;          /* domain-wide; NULL: has_nodes is false */
        struct want_region regions[10];
        struct want_pin pins[10];
        const char *nova_uuid;
        const char *nova_flavor;
        const char *override_mode;
        bool live;                  /* a live or status XML */
};

/* Shorthands for the region table: what, where and how big; binding;
 * pages; backing. */
#define CELL(n) NP_REGION_CELL, n
#define MACHINE NP_REGION_MACHINE, -1
#define ANON NP_BACKING_ANONYMOUS
#define FILE_ NP_BACKING_FILE
#define MEMFD NP_BACKING_MEMFD

static const struct good_case good[] = {
{
        .name = "minimal: one pc.ram, rounded up to 1 MiB, unbound",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>web1</name>\n"
        "  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
        "  <memory unit='KiB'>1000</memory>\n"
        "</domain>\n",
        .dom_name = "web1", .uuid = "11111111-2222-3333-4444-555555555555",
        .memory_kib = 1000, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 1024, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE, 1000 },
        },
},
{
        .name = "strict binding on pc.ram, vcpu cpuset, vcpupin, emulatorpin",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>db</name>\n"
        "  <memory unit='MiB'>512</memory>\n"
        "  <vcpu placement='static' cpuset='4-7'>2</vcpu>\n"
        "  <cputune>\n"
        "    <vcpupin vcpu='1' cpuset='5'/>\n"
        "    <emulatorpin cpuset='0'/>\n"
        "  </cputune>\n"
        "  <numatune>\n"
        "    <memory mode='strict' nodeset='1'/>\n"
        "  </numatune>\n"
        "</domain>\n",
        .dom_name = "db", .memory_kib = 524288, .vcpus = 2,
        .has_numatune = true, .mode = NP_MODE_STRICT, .nodes = "1",
        .regions = {
                { "pc.ram", MACHINE, 524288, NP_MODE_STRICT, "1", false, 4, false, ANON, false, NP_ENFORCE_MBIND },
        },
        .pins = {
                { NP_THREAD_VCPU, 0, "4-7" },
                { NP_THREAD_VCPU, 1, "5" },
                { NP_THREAD_EMULATOR, 0, "0" },
        },
},
{
        .name = "cells out of order, memnodes override <memory>, cells rounded to 1 MiB",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>cells</name>\n"
        "  <memory unit='KiB'>24682468</memory>\n"
        "  <vcpu>4</vcpu>\n"
        "  <numatune>\n"
        "    <memnode cellid='0' mode='preferred' nodeset='3'/>\n"
        "    <memory mode='interleave' nodeset='0-3'/>\n"
        "    <memnode cellid='2' nodeset='0-2,^1'/>\n"
        "  </numatune>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='2' cpus='3' memory='24002400' unit='KiB'/>\n"
        "      <cell id='0' cpus='0' memory='20002' unit='KiB'/>\n"
        "      <cell id='1' cpus='1-2' memory='660066' unit='KiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        .dom_name = "cells", .memory_kib = 24682468, .vcpus = 4,
        .has_numatune = true, .mode = NP_MODE_INTERLEAVE, .nodes = "0-3",
        .regions = {
                { "ram-node0", CELL(0), 20480, NP_MODE_PREFERRED, "3", false, 4, false, ANON, false, NP_ENFORCE_MBIND, 20002 },
                { "ram-node1", CELL(1), 660480, NP_MODE_INTERLEAVE, "0-3", false, 4, false, ANON, false, NP_ENFORCE_MBIND, 660066 },
                { "ram-node2", CELL(2), 24002560, NP_MODE_STRICT, "0,2", false, 4, false, ANON, false, NP_ENFORCE_MBIND, 24002400 },
        },
},
{
        .name = "a cell with neither memnode nor <memory> is unbound",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>part</name>\n"
        "  <memory unit='KiB'>65536</memory>\n"
        "  <numatune>\n"
        "    <memnode cellid='1' mode='strict' nodeset='1'/>\n"
        "  </numatune>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell cpus='0' memory='32' unit='MiB'/>\n"
        "      <cell cpus='1' memory='32' unit='MiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        .dom_name = "part", .memory_kib = 65536, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "ram-node0", CELL(0), 32768, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "ram-node1", CELL(1), 32768, NP_MODE_STRICT, "1", false, 4, false, ANON, false, NP_ENFORCE_MBIND },
        },
},
{
        .name = "restrictive: cgroup only, nodes kept for the verdict",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>restr</name>\n"
        "  <memory unit='GiB'>2</memory>\n"
        "  <numatune>\n"
        "    <memory mode='restrictive' nodeset='0-3'/>\n"
        "    <memnode cellid='0' mode='restrictive' nodeset='2'/>\n"
        "  </numatune>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "      <cell id='1' cpus='1' memory='1' unit='GiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        .dom_name = "restr", .memory_kib = 2097152, .vcpus = 1,
        .has_numatune = true, .mode = NP_MODE_RESTRICTIVE, .nodes = "0-3",
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_RESTRICTIVE, "2", false, 4, false, ANON, false, NP_ENFORCE_CGROUP },
                { "ram-node1", CELL(1), 1048576, NP_MODE_RESTRICTIVE, "0-3", false, 4, false, ANON, false, NP_ENFORCE_CGROUP },
        },
},
{
        .name = "<memory> without nodeset under <vcpu placement='auto'>: numad decides; cpuset ignored",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>auto1</name>\n"
        "  <memory unit='KiB'>131072</memory>\n"
        "  <vcpu placement='auto' cpuset='0-3'>2</vcpu>\n"
        "  <numatune>\n"
        "    <memory mode='preferred'/>\n"
        "  </numatune>\n"
        "</domain>\n",
        .dom_name = "auto1", .memory_kib = 131072, .vcpus = 2,
        .has_numatune = true, .mode = NP_MODE_PREFERRED, .placement_auto = true,
        .regions = {
                { "pc.ram", MACHINE, 131072, NP_MODE_PREFERRED, NULL, true, 4, false, ANON, false, NP_ENFORCE_MBIND },
        },
},
{
        .name = "<vcpu placement='auto'> and no <numatune>: strict, numad decides",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>auto2</name>\n"
        "  <memory unit='KiB'>131072</memory>\n"
        "  <vcpu placement='auto'>2</vcpu>\n"
        "</domain>\n",
        .dom_name = "auto2", .memory_kib = 131072, .vcpus = 2,
        .has_numatune = true, .mode = NP_MODE_STRICT, .placement_auto = true,
        .regions = {
                { "pc.ram", MACHINE, 131072, NP_MODE_STRICT, NULL, true, 4, false, ANON, false, NP_ENFORCE_MBIND },
        },
},
{
        .name = "placement='auto' drops a nodeset given with it",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>auto3</name>\n"
        "  <memory unit='GiB'>2</memory>\n"
        "  <numatune>\n"
        "    <memory mode='interleave' placement='auto' nodeset='0-5,^4'/>\n"
        "  </numatune>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "      <cell id='1' cpus='1' memory='1' unit='GiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        .dom_name = "auto3", .memory_kib = 2097152, .vcpus = 1,
        .has_numatune = true, .mode = NP_MODE_INTERLEAVE, .placement_auto = true,
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_INTERLEAVE, NULL, true, 4, false, ANON, false, NP_ENFORCE_MBIND },
                { "ram-node1", CELL(1), 1048576, NP_MODE_INTERLEAVE, NULL, true, 4, false, ANON, false, NP_ENFORCE_MBIND },
        },
},
{
        .name = "<hugepages/> alone: the host's default size, file backed",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>hp</name>\n"
        "  <memory unit='GiB'>2</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages/>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        .dom_name = "hp", .memory_kib = 2097152, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 2097152, NP_MODE_NONE, NULL, false, 2048, true, FILE_, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "4 KiB \"huge\" pages are no huge pages",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>hp4k</name>\n"
        "  <memory unit='GiB'>1</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='4' unit='KiB'/>\n"
        "    </hugepages>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        .dom_name = "hp4k", .memory_kib = 1048576, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 1048576, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "page nodesets name guest cells; the page without one covers the rest; access modes",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>hpcells</name>\n"
        "  <memory unit='GiB'>3</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='1' unit='G' nodeset='0'/>\n"
        "      <page size='2048' unit='KiB'/>\n"
        "    </hugepages>\n"
        "    <access mode='shared'/>\n"
        "  </memoryBacking>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "      <cell id='1' cpus='1' memory='1' unit='GiB'/>\n"
        "      <cell id='2' cpus='2' memory='1' unit='GiB' memAccess='private'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        .dom_name = "hpcells", .memory_kib = 3145728, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_NONE, NULL, false, 1048576, false, FILE_, true, NP_ENFORCE_NONE },
                { "ram-node1", CELL(1), 1048576, NP_MODE_NONE, NULL, false, 2048, false, FILE_, true, NP_ENFORCE_NONE },
                { "ram-node2", CELL(2), 1048576, NP_MODE_NONE, NULL, false, 2048, false, FILE_, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "no cells: a page naming cell 0 is the whole guest's",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>hp0</name>\n"
        "  <memory unit='GiB'>1</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='1048576' unit='KiB' nodeset='0'/>\n"
        "    </hugepages>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        .dom_name = "hp0", .memory_kib = 1048576, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 1048576, NP_MODE_NONE, NULL, false, 1048576, false, FILE_, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "memfd source, with and without huge pages",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>memfd</name>\n"
        "  <memory unit='GiB'>2</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='1' unit='GiB' nodeset='1'/>\n"
        "    </hugepages>\n"
        "    <source type='memfd'/>\n"
        "  </memoryBacking>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "      <cell id='1' cpus='1' memory='1' unit='GiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        .dom_name = "memfd", .memory_kib = 2097152, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_NONE, NULL, false, 4, false, MEMFD, false, NP_ENFORCE_NONE },
                { "ram-node1", CELL(1), 1048576, NP_MODE_NONE, NULL, false, 1048576, false, MEMFD, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "<source type='file'> without huge pages",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>file</name>\n"
        "  <memory unit='MiB'>100</memory>\n"
        "  <memoryBacking>\n"
        "    <source type='file'/>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        .dom_name = "file", .memory_kib = 102400, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 102400, NP_MODE_NONE, NULL, false, 4, false, FILE_, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "memory devices: names, sizes, inherited and own bindings, pages and access",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>dev</name>\n"
        "  <maxMemory slots='8' unit='GiB'>16</maxMemory>\n"
        "  <memory unit='GiB'>8</memory>\n"
        "  <vcpu>2</vcpu>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='2' unit='MiB' nodeset='1'/>\n"
        "    </hugepages>\n"
        "  </memoryBacking>\n"
        "  <numatune>\n"
        "    <memory mode='strict' nodeset='0-1'/>\n"
        "    <memnode cellid='1' mode='preferred' nodeset='1'/>\n"
        "  </numatune>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "      <cell id='1' cpus='1' memory='1' unit='GiB' memAccess='shared'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <target><size unit='KiB'>523264</size><node>1</node></target>\n"
        "    </memory>\n"
        "    <memory model='dimm'>\n"
        "      <source><nodemask>2-3</nodemask><pagesize unit='KiB'>1048576</pagesize></source>\n"
        "      <target><size unit='GiB'>1</size><node>1</node></target>\n"
        "      <address type='dimm' slot='2'/>\n"
        "    </memory>\n"
        "    <memory model='nvdimm'>\n"
        "      <source><path>/tmp/nv</path></source>\n"
        "      <target><size unit='KiB'>523264</size><node>0</node></target>\n"
        "      <address type='dimm' slot='0'/>\n"
        "    </memory>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='GiB'>1</size><node>0</node><block unit='KiB'>2048</block></target>\n"
        "    </memory>\n"
        "    <memory model='virtio-mem'>\n"
        "      <source><nodemask>3</nodemask></source>\n"
        "      <target><size unit='GiB'>2</size><node>1</node><block unit='KiB'>2048</block></target>\n"
        "    </memory>\n"
        "    <memory model='virtio-pmem' access='shared'>\n"
        "      <source><path>/tmp/pmem</path></source>\n"
        "      <target><size unit='MiB'>512</size></target>\n"
        "    </memory>\n"
        "    <memory model='dimm' access='private'>\n"
        "      <target><size unit='KiB'>524287</size><node>0</node></target>\n"
        "      <alias name='ua-extra'/>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        /* libvirt's sum of cells and devices as written, not <memory> */
        .dom_name = "dev", .memory_kib = 8386559, .vcpus = 2,
        .has_numatune = true, .mode = NP_MODE_STRICT, .nodes = "0-1",
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_STRICT, "0-1", false, 4, false, ANON, false, NP_ENFORCE_MBIND },
                { "ram-node1", CELL(1), 1048576, NP_MODE_PREFERRED, "1", false, 2048, false, FILE_, true, NP_ENFORCE_MBIND },
                /* the lowest slot the others leave free; cell 1's binding, pages and access */
                { "memdimm1", NP_REGION_DIMM, 1, 524288, NP_MODE_PREFERRED, "1", false, 2048, false, FILE_, true, NP_ENFORCE_MBIND, 523264 },
                /* own nodemask and page size; the mode stays cell 1's */
                { "memdimm2", NP_REGION_DIMM, 1, 1048576, NP_MODE_PREFERRED, "2-3", false, 1048576, false, FILE_, true, NP_ENFORCE_MBIND },
                { "memnvdimm0", NP_REGION_NVDIMM, 0, 524288, NP_MODE_STRICT, "0-1", false, 4, false, FILE_, false, NP_ENFORCE_MBIND, 523264 },
                { "memvirtiomem0", NP_REGION_VIRTIO_MEM, 0, 1048576, NP_MODE_STRICT, "0-1", false, 4, false, ANON, false, NP_ENFORCE_MBIND },
                { "memvirtiomem1", NP_REGION_VIRTIO_MEM, 1, 2097152, NP_MODE_PREFERRED, "3", false, 2048, false, FILE_, true, NP_ENFORCE_MBIND },
                { "memvirtiopmem0", NP_REGION_VIRTIO_PMEM, -1, 524288, NP_MODE_STRICT, "0-1", false, 4, false, FILE_, true, NP_ENFORCE_MBIND },
                { "memua-extra", NP_REGION_DIMM, 0, 524288, NP_MODE_STRICT, "0-1", false, 4, false, FILE_, false, NP_ENFORCE_MBIND, 524287 },
        },
},
{
        /* libvirt's names in a live XML: the virtio-mem without an alias
         * (hot-plugged, say) counts on from the highest one present */
        .name = "live XML: libvirt's own aliases count, virtio ones count on",
        .xml =
        "<domain type='kvm' id='7'>\n"
        "  <name>alias</name>\n"
        "  <maxMemory slots='4' unit='GiB'>8</maxMemory>\n"
        "  <memory unit='GiB'>4</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='GiB'>1</size><node>0</node><block unit='KiB'>2048</block></target>\n"
        "    </memory>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='GiB'>1</size><node>0</node><block unit='KiB'>2048</block></target>\n"
        "      <alias name='virtiomem5'/>\n"
        "    </memory>\n"
        "    <memory model='dimm'>\n"
        "      <target><size unit='KiB'>524288</size><node>0</node></target>\n"
        "      <alias name='dimm3'/>\n"
        "      <address type='dimm' slot='3' base='0x100000000'/>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        .dom_name = "alias", .memory_kib = 3670016, .vcpus = 1, .mode = NP_MODE_NONE, .live = true,
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memvirtiomem6", NP_REGION_VIRTIO_MEM, 0, 1048576, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memvirtiomem5", NP_REGION_VIRTIO_MEM, 0, 1048576, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memdimm3", NP_REGION_DIMM, 0, 524288, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
},
{
        /* observed with libvirt 9.0: memdimm1, memua-fast, memdimm2,
         * memdimm0, memvirtiomem0, memvirtiomem1, memua-vm */
        .name = "configuration: only well-formed ua- aliases count, the rest are named afresh",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>ua</name>\n"
        "  <maxMemory slots='8' unit='GiB'>16</maxMemory>\n"
        "  <memory unit='GiB'>4</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <target><size unit='MiB'>128</size><node>0</node></target>\n"
        "      <alias name='mydimm'/>\n"
        "    </memory>\n"
        "    <memory model='dimm'>\n"
        "      <target><size unit='MiB'>128</size><node>0</node></target>\n"
        "      <alias name='ua-fast'/>\n"
        "    </memory>\n"
        "    <memory model='dimm'>\n"
        "      <target><size unit='MiB'>128</size><node>0</node></target>\n"
        "      <alias name='ua-a.b'/>\n"
        "    </memory>\n"
        "    <memory model='dimm'>\n"
        "      <target><size unit='MiB'>128</size><node>0</node></target>\n"
        "      <address type='dimm' slot='0'/>\n"
        "      <alias name='dimm7'/>\n"
        "    </memory>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='MiB'>128</size><node>0</node><block unit='KiB'>2048</block></target>\n"
        "      <alias name='virtiomem5'/>\n"
        "    </memory>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='MiB'>128</size><node>0</node><block unit='KiB'>2048</block></target>\n"
        "    </memory>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='MiB'>128</size><node>0</node><block unit='KiB'>2048</block></target>\n"
        "      <alias name='ua-vm'/>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        .dom_name = "ua", .memory_kib = 1966080, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memdimm1", NP_REGION_DIMM, 0, 131072, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memua-fast", NP_REGION_DIMM, 0, 131072, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memdimm3", NP_REGION_DIMM, 0, 131072, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memdimm0", NP_REGION_DIMM, 0, 131072, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memvirtiomem0", NP_REGION_VIRTIO_MEM, 0, 131072, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memvirtiomem1", NP_REGION_VIRTIO_MEM, 0, 131072, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memua-vm", NP_REGION_VIRTIO_MEM, 0, 131072, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
},
{
        /* observed with libvirt 9.0: 32500 KiB became a 33554432-byte
         * backend, 40000 KiB in 4 MiB blocks one of 41943040 bytes */
        .name = "configuration: virtio-mem rounded up to its block, cells to 1 MiB, dimms to 2 MiB",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>round</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <memory unit='KiB'>200000</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='20002' unit='KiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='KiB'>32500</size><node>0</node><block unit='KiB'>2048</block>\n"
        "        <requested unit='KiB'>0</requested></target>\n"
        "    </memory>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='KiB'>40000</size><node>0</node><block unit='MiB'>4</block>\n"
        "        <requested unit='KiB'>8192</requested></target>\n"
        "    </memory>\n"
        "    <memory model='dimm'>\n"
        "      <target><size unit='KiB'>30000</size><node>0</node></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        .dom_name = "round", .memory_kib = 122502, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "ram-node0", CELL(0), 20480, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE, 20002 },
                { "memvirtiomem0", NP_REGION_VIRTIO_MEM, 0, 32768, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE, 32500 },
                { "memvirtiomem1", NP_REGION_VIRTIO_MEM, 0, 40960, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE, 40000 },
                { "memdimm0", NP_REGION_DIMM, 0, 30720, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE, 30000 },
        },
},
{
        /* a domain started for an incoming migration keeps the source's
         * sizes (libvirt's migrate-numa-unaligned pair); its live XML
         * shows them, and they are the backends' sizes; a later libvirt
         * runs virtio-mem without <maxMemory slots> */
        .name = "live XML: sizes as they stand, unaligned ones too; libvirt's checks are not redone",
        .xml =
        "<domain type='kvm' id='12'>\n"
        "  <name>arrived</name>\n"
        "  <maxMemory unit='GiB'>1</maxMemory>\n"
        "  <memory unit='KiB'>98038</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='20002' unit='KiB'/>\n"
        "      <cell id='1' cpus='0' memory='45536' unit='KiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size unit='KiB'>32500</size><node>1</node><block unit='KiB'>2048</block></target>\n"
        "      <alias name='virtiomem0'/>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        .dom_name = "arrived", .memory_kib = 98038, .vcpus = 1, .mode = NP_MODE_NONE, .live = true,
        .regions = {
                { "ram-node0", CELL(0), 20002, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "ram-node1", CELL(1), 45536, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memvirtiomem0", NP_REGION_VIRTIO_MEM, 1, 32500, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
},
{
        /* observed with libvirt 9.0: share=true on the backend of a
         * virtio-pmem that names no access */
        .name = "virtio-pmem is shared unless it says otherwise",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>pmem</name>\n"
        "  <maxMemory slots='2' unit='GiB'>4</maxMemory>\n"
        "  <memory unit='GiB'>2</memory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='1' unit='GiB'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-pmem'>\n"
        "      <source><path>/tmp/p</path></source>\n"
        "      <target><size unit='MiB'>512</size></target>\n"
        "    </memory>\n"
        "    <memory model='virtio-pmem' access='private'>\n"
        "      <source><path>/tmp/q</path></source>\n"
        "      <target><size unit='MiB'>512</size></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        .dom_name = "pmem", .memory_kib = 2097152, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memvirtiopmem0", NP_REGION_VIRTIO_PMEM, -1, 524288, NP_MODE_NONE, NULL, false, 4, false, FILE_, true, NP_ENFORCE_NONE },
                { "memvirtiopmem1", NP_REGION_VIRTIO_PMEM, -1, 524288, NP_MODE_NONE, NULL, false, 4, false, FILE_, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "status XML: its <domain> is a live one",
        .xml =
        "<domstatus state='running' reason='booted' pid='4242'>\n"
        "  <numad nodeset='1' cpuset='4-11'/>\n"
        "  <domain type='kvm' id='3'>\n"
        "    <name>st</name>\n"
        "    <maxMemory slots='2' unit='GiB'>4</maxMemory>\n"
        "    <memory unit='KiB'>1572864</memory>\n"
        "    <numatune><memory mode='strict' nodeset='1'/></numatune>\n"
        "    <cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu>\n"
        "    <devices>\n"
        "      <memory model='dimm'>\n"
        "        <target><size unit='KiB'>524288</size><node>0</node></target>\n"
        "        <alias name='mine'/>\n"
        "      </memory>\n"
        "    </devices>\n"
        "  </domain>\n"
        "</domstatus>\n",
        .dom_name = "st", .memory_kib = 1572864, .vcpus = 1, .live = true,
        .has_numatune = true, .mode = NP_MODE_STRICT, .nodes = "1",
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_STRICT, "1", false, 4, false, ANON, false, NP_ENFORCE_MBIND },
                { "memmine", NP_REGION_DIMM, 0, 524288, NP_MODE_STRICT, "1", false, 4, false, ANON, false, NP_ENFORCE_MBIND },
        },
},
{
        .name = "a device's own nodemask without any numatune binds strictly",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>mask</name>\n"
        "  <maxMemory slots='1' unit='GiB'>2</maxMemory>\n"
        "  <memory unit='GiB'>2</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <source><nodemask>1</nodemask></source>\n"
        "      <target><size unit='GiB'>1</size><node>0</node></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        .dom_name = "mask", .memory_kib = 2097152, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "ram-node0", CELL(0), 1048576, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "memdimm0", NP_REGION_DIMM, 0, 1048576, NP_MODE_STRICT, "1", false, 4, false, ANON, false, NP_ENFORCE_MBIND },
        },
},
{
        .name = "vcpupin, cpuset for the rest, iothreads filled up to <iothreads>",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>io</name>\n"
        "  <memory unit='MiB'>256</memory>\n"
        "  <vcpu cpuset='8-11'>3</vcpu>\n"
        "  <iothreads>3</iothreads>\n"
        "  <iothreadids>\n"
        "    <iothread id='5'/>\n"
        "  </iothreadids>\n"
        "  <cputune>\n"
        "    <vcpupin vcpu='2' cpuset='10'/>\n"
        "    <vcpupin vcpu='0' cpuset='8-9,^8'/>\n"
        "    <iothreadpin iothread='2' cpuset='1-2'/>\n"
        "  </cputune>\n"
        "</domain>\n",
        .dom_name = "io", .memory_kib = 262144, .vcpus = 3, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 262144, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
        .pins = {
                { NP_THREAD_VCPU, 0, "9" },
                { NP_THREAD_VCPU, 1, "8-11" },
                { NP_THREAD_VCPU, 2, "10" },
                { NP_THREAD_EMULATOR, 0, "8-11" },
                { NP_THREAD_IOTHREAD, 1, "8-11" },
                { NP_THREAD_IOTHREAD, 2, "1-2" },
                { NP_THREAD_IOTHREAD, 5, "8-11" },
        },
},
{
        .name = "Nova metadata and numaplace's own policy; other namespaces ignored",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>instance-0000002a</name>\n"
        "  <uuid>6f2b6b37-0b3c-4f44-9a0b-2d7e3a1c5e10</uuid>\n"
        "  <metadata>\n"
        "    <nova:instance xmlns:nova='" NOVA_NS "'>\n"
        "      <nova:package version='27.1.0'/>\n"
        "      <nova:name>vm-1</nova:name>\n"
        "      <nova:flavor name='m1.large'>\n"
        "        <nova:memory>8192</nova:memory>\n"
        "      </nova:flavor>\n"
        "    </nova:instance>\n"
        "    <other:policy xmlns:other='http://example.com/x' mode='loud'/>\n"
        "    <np:policy xmlns:np='" NP_NS "' mode='warn'/>\n"
        "  </metadata>\n"
        "  <memory unit='KiB'>2048</memory>\n"
        "</domain>\n",
        .dom_name = "instance-0000002a", .uuid = "6f2b6b37-0b3c-4f44-9a0b-2d7e3a1c5e10",
        .memory_kib = 2048, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 2048, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
        .nova_uuid = "6f2b6b37-0b3c-4f44-9a0b-2d7e3a1c5e10", .nova_flavor = "m1.large",
        .override_mode = "warn",
},
{
        .name = "sgx-epc devices are no guest RAM and take no part in the sizes",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>sgx</name>\n"
        "  <memory unit='MiB'>512</memory>\n"
        "  <devices>\n"
        "    <memory model='sgx-epc'>\n"
        "      <target><size unit='MiB'>64</size></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        .dom_name = "sgx", .memory_kib = 524288, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 524288, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "without <memory> the cells give the size",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>sum</name>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='512' unit='MiB'/>\n"
        "      <cell id='1' cpus='1' memory='512' unit='MiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        .dom_name = "sum", .memory_kib = 1048576, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "ram-node0", CELL(0), 524288, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
                { "ram-node1", CELL(1), 524288, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
},
{
        .name = "<currentMemory> when <memory> is missing",
        .xml =
        "<domain type='kvm'>\n"
        "  <name>cur</name>\n"
        "  <currentMemory unit='MiB'>256</currentMemory>\n"
        "</domain>\n",
        .dom_name = "cur", .memory_kib = 262144, .vcpus = 1, .mode = NP_MODE_NONE,
        .regions = {
                { "pc.ram", MACHINE, 262144, NP_MODE_NONE, NULL, false, 4, false, ANON, false, NP_ENFORCE_NONE },
        },
},
};

/* ---- checking ---------------------------------------------------------------- */

static void check_nodes(const char *what, bool has, const np_bitmap *nodes, const char *want)
{
        char buf[256];

        if (!want) {
                if (has)
                        fail_msg("%s: has nodes, want none", what);
                return;
        }
        if (!has)
                fail_msg("%s: has no nodes, want '%s'", what, want);
        np_bitmap_format(nodes, buf, sizeof(buf));
        if (strcmp(buf, want))
                fail_msg("%s: nodes '%s', want '%s'", what, buf, want);
}

static void check_region(const char *name, const np_region *r, const struct want_region *w)
{
        char what[256];

        snprintf(what, sizeof(what), "%s: region %s", name, w->id);
        if (strcmp(r->id, w->id))
                fail_msg("%s: id is '%s'", what, r->id);
        if (r->kind != w->kind)
                fail_msg("%s: kind %d, want %d", what, r->kind, w->kind);
        if (r->cell != w->cell)
                fail_msg("%s: cell %d, want %d", what, r->cell, w->cell);
        if (r->size_kib != w->size_kib)
                fail_msg("%s: size %" PRIu64 " KiB, want %" PRIu64, what, r->size_kib, w->size_kib);
        if (r->xml_kib != (w->xml_kib ? w->xml_kib : w->size_kib))
                fail_msg("%s: size as written %" PRIu64 " KiB, want %" PRIu64, what, r->xml_kib,
                         w->xml_kib ? w->xml_kib : w->size_kib);
        if (r->mode != w->mode)
                fail_msg("%s: mode %s, want %s", what, np_mode_to_string(r->mode),
                         np_mode_to_string(w->mode));
        check_nodes(what, r->has_nodes, &r->nodes, w->nodes);
        if (r->placement_auto != w->placement_auto)
                fail_msg("%s: placement_auto %d, want %d", what, r->placement_auto, w->placement_auto);
        if (r->pagesize_kib != w->pagesize_kib)
                fail_msg("%s: page size %" PRIu64 " KiB, want %" PRIu64, what, r->pagesize_kib,
                         w->pagesize_kib);
        if (r->pagesize_default != w->pagesize_default)
                fail_msg("%s: pagesize_default %d, want %d", what, r->pagesize_default,
                         w->pagesize_default);
        if (r->backing != w->backing)
                fail_msg("%s: backing %s, want %s", what, np_backing_to_string(r->backing),
                         np_backing_to_string(w->backing));
        if (r->shared != w->shared)
                fail_msg("%s: shared %d, want %d", what, r->shared, w->shared);
        if (r->enforcement != w->enforcement)
                fail_msg("%s: enforcement %s, want %s", what, np_enforcement_to_string(r->enforcement),
                         np_enforcement_to_string(w->enforcement));
}

static void check_string(const char *what, const char *got, const char *want)
{
        if (!want && got)
                fail_msg("%s: '%s', want none", what, got);
        if (want && (!got || strcmp(got, want)))
                fail_msg("%s: '%s', want '%s'", what, got ? got : "(none)", want);
}

static void test_good(void **state)
{
        (void)state;
        for (size_t c = 0; c < sizeof(good) / sizeof(good[0]); c++) {
                const struct good_case *g = &good[c];
                np_error err = { "" };
                np_intent *in = NULL;
                size_t n;
                int r;

                r = np_intent_from_domxml(g->xml, strlen(g->xml), "t.xml", &in, &err);
                if (r != 0)
                        fail_msg("%s: returned %d: %s", g->name, r, err.msg);
                check_string(g->name, in->name, g->dom_name);
                check_string(g->name, in->uuid, g->uuid);
                if (in->memory_kib != g->memory_kib)
                        fail_msg("%s: memory %" PRIu64 " KiB, want %" PRIu64, g->name, in->memory_kib,
                                 g->memory_kib);
                if (in->vcpus != g->vcpus)
                        fail_msg("%s: %u vCPUs, want %u", g->name, in->vcpus, g->vcpus);
                if (in->has_numatune != g->has_numatune || in->mode != g->mode ||
                    in->placement_auto != g->placement_auto)
                        fail_msg("%s: numatune %d/%s/auto %d, want %d/%s/auto %d", g->name,
                                 in->has_numatune, np_mode_to_string(in->mode), in->placement_auto,
                                 g->has_numatune, np_mode_to_string(g->mode), g->placement_auto);
                check_nodes(g->name, in->has_nodes, &in->nodes, g->nodes);
                if (in->live != g->live)
                        fail_msg("%s: live %d, want %d", g->name, in->live, g->live);
                if (in->numad_resolved)
                        fail_msg("%s: numad_resolved before any status", g->name);

                for (n = 0; n < sizeof(g->regions) / sizeof(g->regions[0]) && g->regions[n].id; n++)
                        ;
                if (in->n_regions != n)
                        fail_msg("%s: %zu regions, want %zu", g->name, in->n_regions, n);
                for (size_t i = 0; i < n; i++)
                        check_region(g->name, &in->regions[i], &g->regions[i]);

                for (n = 0; n < sizeof(g->pins) / sizeof(g->pins[0]) && g->pins[n].cpus; n++)
                        ;
                if (in->n_pins != n)
                        fail_msg("%s: %zu pins, want %zu", g->name, in->n_pins, n);
                for (size_t i = 0; i < n; i++) {
                        const np_pin *p = &in->pins[i];
                        char what[256];

                        snprintf(what, sizeof(what), "%s: pin %zu", g->name, i);
                        if (p->kind != g->pins[i].kind || p->id != g->pins[i].id)
                                fail_msg("%s: %s %u, want %s %u", what, np_thread_kind_to_string(p->kind),
                                         p->id, np_thread_kind_to_string(g->pins[i].kind), g->pins[i].id);
                        check_nodes(what, true, &p->cpus, g->pins[i].cpus);
                }
                check_string(g->name, in->nova_uuid, g->nova_uuid);
                check_string(g->name, in->nova_flavor, g->nova_flavor);
                check_string(g->name, in->override_mode, g->override_mode);
                np_intent_free(in);
        }
}

/* ---- units --------------------------------------------------------------------- */

static const struct {
        const char *unit;           /* NULL: no unit attribute */
        const char *value;
        uint64_t kib;
} units[] = {
        { NULL, "123", 123 },
        { "b", "1048576", 1024 },
        { "bytes", "1025", 2 },     /* rounded up to whole KiB */
        { "byte", "1", 1 },
        { "k", "7", 7 },
        { "KiB", "7", 7 },
        { "KB", "1000", 977 },      /* decimal: 1 000 000 bytes */
        { "kb", "1024", 1000 },
        { "M", "3", 3072 },
        { "MiB", "3", 3072 },
        { "miB", "1", 1024 },
        { "MB", "3", 2930 },        /* 3 000 000 bytes */
        { "G", "1", 1048576 },
        { "GiB", "1", 1048576 },
        { "GB", "1", 976563 },      /* 10^9 bytes */
        { "T", "1", 1073741824 },
        { "TiB", "2", 2147483648 },
        { "TB", "1", 976562500 },
};

static void test_units(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                char xml[512];
                np_error err = { "" };
                np_intent *in = NULL;

                if (units[i].unit)
                        snprintf(xml, sizeof(xml),
                                 "<domain><name>u</name><memory unit='%s'>%s</memory></domain>",
                                 units[i].unit, units[i].value);
                else
                        snprintf(xml, sizeof(xml),
                                 "<domain><name>u</name><memory>%s</memory></domain>", units[i].value);
                if (np_intent_from_domxml(xml, strlen(xml), "u.xml", &in, &err) != 0)
                        fail_msg("%s %s: %s", units[i].value, units[i].unit, err.msg);
                if (in->memory_kib != units[i].kib)
                        fail_msg("%s %s: %" PRIu64 " KiB, want %" PRIu64, units[i].value,
                                 units[i].unit ? units[i].unit : "(none)", in->memory_kib, units[i].kib);
                np_intent_free(in);
        }
}

/* ---- bad input ------------------------------------------------------------------- */

static const struct {
        const char *name;
        const char *xml;
        const char *want[3];        /* substrings of the message */
} bad[] = {
{
        "malformed XML",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1</memory>\n"
        "</domian>\n",
        { "t.xml: line 4: not well-formed XML", "domian" },
},
{
        "undeclared entity",
        "<domain>\n"
        "  <name>&foo;</name>\n"
        "</domain>\n",
        { "t.xml: line 2: not well-formed XML", "foo" },
},
{
        "root other than <domain>",
        "<vm>\n"
        "  <name>x</name>\n"
        "</vm>\n",
        { "t.xml: line 1: <vm>: the root element must be <domain>" },
},
{
        "<domain> in a namespace",
        "<domain xmlns='urn:example'>\n"
        "  <name>x</name>\n"
        "</domain>\n",
        { "t.xml: line 1: <domain>: the root element must be <domain> without a namespace" },
},
{
        "billion laughs",
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [\n"
        "  <!ENTITY lol 'lol'>\n"
        "  <!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>\n"
        "  <!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>\n"
        "  <!ENTITY lol4 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>\n"
        "  <!ENTITY lol5 '&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;'>\n"
        "  <!ENTITY lol6 '&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;'>\n"
        "  <!ENTITY lol7 '&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;'>\n"
        "  <!ENTITY lol8 '&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;'>\n"
        "  <!ENTITY lol9 '&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;'>\n"
        "]>\n"
        "<domain><name>&lol9;</name><memory>1024</memory></domain>\n",
        { "t.xml: line 2: <!DOCTYPE domain>", "document type declarations are not accepted" },
},
{
        "external entity in the DOCTYPE",
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain SYSTEM 'file:///etc/passwd'>\n"
        "<domain><name>x</name><memory>1024</memory></domain>\n",
        { "t.xml: line 2: <!DOCTYPE domain>", "not accepted" },
},
{
        "external entity declared inside",
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>\n"
        "<domain><name>&xxe;</name><memory>1024</memory></domain>\n",
        { "t.xml: line 2: <!DOCTYPE domain>", "not accepted" },
},
{
        "malformed memnode nodeset",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memnode cellid='0' mode='strict' nodeset='0-x'/>\n"
        "  </numatune>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>\n"
        "</domain>\n",
        { "t.xml: line 5: <memnode nodeset='0-x'>: expected a number at 'x'" },
},
{
        "nodeset beyond the largest node number",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memory mode='strict' nodeset='5000'/>\n"
        "  </numatune>\n"
        "</domain>\n",
        { "t.xml: line 5: <memory nodeset='5000'>: number out of range (limit 1023)" },
},
{
        "unknown unit",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory unit='XB'>1</memory>\n"
        "</domain>\n",
        { "t.xml: line 3: <memory unit='XB'>: unknown unit" },
},
{
        "garbage size",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory unit='KiB'>12x</memory>\n"
        "</domain>\n",
        { "t.xml: line 3: <memory>12x</memory>: expected a size" },
},
{
        "negative size",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>-5</memory>\n"
        "</domain>\n",
        { "t.xml: line 3: <memory>-5</memory>: expected a size" },
},
{
        "size beyond 64 bits of bytes",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory unit='EiB'>16</memory>\n"
        "</domain>\n",
        { "t.xml: line 3: <memory>16</memory>: size too large" },
},
{
        "unknown numatune mode",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memory mode='bogus' nodeset='0'/>\n"
        "  </numatune>\n"
        "</domain>\n",
        { "t.xml: line 5: <memory mode='bogus'>: unknown mode" },
},
{
        "memnode for a cell that does not exist",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>2097152</memory>\n"
        "  <numatune>\n"
        "    <memnode cellid='3' mode='strict' nodeset='0'/>\n"
        "  </numatune>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1048576'/>\n"
        "      <cell id='1' cpus='1' memory='1048576'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        { "t.xml: line 5: <memnode cellid='3'>: the guest has no NUMA cell 3 (its cells are 0-1)" },
},
{
        "memnode without any cells",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memnode cellid='0' nodeset='0'/>\n"
        "  </numatune>\n"
        "</domain>\n",
        { "t.xml: line 5: <memnode>: the guest has no NUMA cells" },
},
{
        "two memnodes for one cell",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memnode cellid='0' nodeset='0'/>\n"
        "    <memnode cellid='0' nodeset='1'/>\n"
        "  </numatune>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>\n"
        "</domain>\n",
        { "t.xml: line 6: <memnode cellid='0'>: a second <memnode> for this cell" },
},
{
        "memnode under automatic placement",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memory mode='strict' placement='auto'/>\n"
        "    <memnode cellid='0' nodeset='0'/>\n"
        "  </numatune>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>\n"
        "</domain>\n",
        { "t.xml: line 6: <memnode>: per-cell binding cannot be combined with automatic" },
},
{
        "memnode not restrictive under restrictive <memory>",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memory mode='restrictive' nodeset='0-1'/>\n"
        "    <memnode cellid='0' mode='strict' nodeset='0'/>\n"
        "  </numatune>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>\n"
        "</domain>\n",
        { "t.xml: line 6: <memnode mode='strict'>: must be 'restrictive'" },
},
{
        "static placement without nodeset",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memory mode='strict'/>\n"
        "  </numatune>\n"
        "</domain>\n",
        { "t.xml: line 5: <memory>: a nodeset is required unless placement is 'auto'" },
},
{
        "unknown placement",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune>\n"
        "    <memory mode='strict' placement='numad' nodeset='0'/>\n"
        "  </numatune>\n"
        "</domain>\n",
        { "t.xml: line 5: <memory placement='numad'>: unknown placement" },
},
{
        "two numatune elements",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <numatune><memory mode='strict' nodeset='0'/></numatune>\n"
        "  <numatune><memory mode='strict' nodeset='1'/></numatune>\n"
        "</domain>\n",
        { "t.xml: line 5: <numatune>: only one <numatune> is allowed" },
},
{
        "cell ids with a gap",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>2097152</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1048576'/>\n"
        "      <cell id='2' cpus='1' memory='1048576'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        { "t.xml: line 7: <cell id='2'>: cell ids must run from 0 to 1 without gaps" },
},
{
        "the same cell id twice",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>2097152</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1048576'/>\n"
        "      <cell id='0' cpus='1' memory='1048576'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        { "t.xml: line 7: <cell id='0'>: a second cell with this id" },
},
{
        "cell without memory",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>2097152</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        { "t.xml: line 6: <cell>: missing attribute 'memory'" },
},
{
        "unknown cell memAccess",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>2097152</memory>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1048576' memAccess='public'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        { "t.xml: line 6: <cell memAccess='public'>: unknown memory access mode" },
},
{
        "two pages for all cells",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='2048'/>\n"
        "      <page size='1048576'/>\n"
        "    </hugepages>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        { "t.xml: line 7: <page>: a second page size for all cells" },
},
{
        "overlapping page nodesets",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>3145728</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='2048' nodeset='0-1'/>\n"
        "      <page size='1048576' nodeset='1-2'/>\n"
        "    </hugepages>\n"
        "  </memoryBacking>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1048576'/>\n"
        "      <cell id='1' cpus='1' memory='1048576'/>\n"
        "      <cell id='2' cpus='2' memory='1048576'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        { "t.xml: line 7: <page nodeset='1-2'>: overlaps the nodeset of an earlier <page>" },
},
{
        "page for a cell that does not exist",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>2097152</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='2048' nodeset='2'/>\n"
        "    </hugepages>\n"
        "  </memoryBacking>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1048576'/>\n"
        "      <cell id='1' cpus='1' memory='1048576'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "</domain>\n",
        { "t.xml: line 6: <page nodeset='2'>: names guest cell 2, but the guest's cells are 0-1" },
},
{
        "page for cell 1 of a guest without cells",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='2048' nodeset='0-1'/>\n"
        "    </hugepages>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        { "t.xml: line 6: <page nodeset='0-1'>: the guest has no NUMA cells" },
},
{
        "page size that is no number",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <memoryBacking>\n"
        "    <hugepages>\n"
        "      <page size='2M'/>\n"
        "    </hugepages>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        { "t.xml: line 6: <page size='2M'>: expected a size" },
},
{
        "unknown memory source",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <memoryBacking>\n"
        "    <source type='disk'/>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        { "t.xml: line 5: <source type='disk'>: unknown memory source" },
},
{
        "unknown access mode",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1048576</memory>\n"
        "  <memoryBacking>\n"
        "    <access mode='public'/>\n"
        "  </memoryBacking>\n"
        "</domain>\n",
        { "t.xml: line 5: <access mode='public'>: unknown memory access mode" },
},
{
        "memory device on a cell that does not exist",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>4194304</memory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <target>\n"
        "        <size unit='KiB'>524288</size>\n"
        "        <node>4</node>\n"
        "      </target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 9: <node>4</node>: the guest has no NUMA cell 4 (its cells are 0-0)" },
},
{
        "unknown memory device model",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>4194304</memory>\n"
        "  <devices>\n"
        "    <memory model='flash'>\n"
        "      <target><size>1024</size></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 5: <memory model='flash'>: unknown memory device model" },
},
{
        "memory device without a size",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>4194304</memory>\n"
        "  <devices>\n"
        "    <memory model='virtio-pmem'>\n"
        "      <source><path>/tmp/p</path></source>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 5: <memory>: missing <target><size>" },
},
{
        "malformed device nodemask",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>4194304</memory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <source>\n"
        "        <nodemask>1-</nodemask>\n"
        "      </source>\n"
        "      <target><size>524288</size><node>0</node></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 8: <nodemask>1-</nodemask>: expected a number" },
},
{
        /* libvirt 9.0: "memory device count '3' exceeds slots count '2'" */
        "more memory devices than <maxMemory> slots, virtio ones counted",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='2' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'><target><size>32768</size><node>0</node></target></memory>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size>32768</size><node>0</node><block>2048</block></target>\n"
        "    </memory>\n"
        "    <memory model='virtio-pmem'>\n"
        "      <source><path>/tmp/p</path></source><target><size>32768</size></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 10: <memory>: memory device 3, but <maxMemory slots='2'>" },
},
{
        "a memory device without <maxMemory>",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>131072</memory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'><target><size>32768</size><node>0</node></target></memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 6: <memory>: a memory device needs memory hotplug, but there is no <maxMemory>" },
},
{
        "<maxMemory> without NUMA cells",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='2' unit='GiB'>1</maxMemory>\n"
        "  <memory>65536</memory>\n"
        "</domain>\n",
        { "t.xml: line 3: <maxMemory>: memory hotplug needs at least one NUMA cell in <cpu><numa>" },
},
{
        "<maxMemory> without slots",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='0' unit='GiB'>1</maxMemory>\n"
        "  <memory>65536</memory>\n"
        "</domain>\n",
        { "t.xml: line 3: <maxMemory>: memory hotplug needs both a maximum size and a slot count" },
},
{
        "<maxMemory> below the cells and devices",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='2'>98304</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'><target><size>65536</size><node>0</node></target></memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 3: <maxMemory>: 98304 KiB is less than the cells and memory devices together (131072 KiB)" },
},
{
        "a DIMM slot beyond the slots",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <target><size>32768</size><node>0</node></target>\n"
        "      <address type='dimm' slot='4'/>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 8: <address slot='4'>: beyond the 4 slots of <maxMemory> (0-3)" },
},
{
        "two modules in one DIMM slot",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <target><size>32768</size><node>0</node></target>\n"
        "      <address type='dimm' slot='1'/>\n"
        "    </memory>\n"
        "    <memory model='nvdimm'>\n"
        "      <source><path>/tmp/nv</path></source>\n"
        "      <target><size>32768</size><node>0</node></target>\n"
        "      <address type='dimm' slot='1'/>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 13: <address slot='1'>: a second memory device in this slot" },
},
{
        "a module without its cell",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size>32768</size><block>2048</block></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 6: <memory>: missing <target><node>: the guest has NUMA cells" },
},
{
        "two devices with one user alias",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <target><size>32768</size><node>0</node></target><alias name='ua-x'/>\n"
        "    </memory>\n"
        "    <memory model='dimm'>\n"
        "      <target><size>32768</size><node>0</node></target><alias name='ua-x'/>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 10: <alias name='ua-x'>: a second device with this alias" },
},
{
        "virtio-mem without a block size",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size>32768</size><node>0</node></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 6: <memory>: missing <target><block>" },
},
{
        "virtio-mem block size not a power of two",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size>32768</size><node>0</node><block>3000</block></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 7: <block>3000</block>: the block size must be a power of two" },
},
{
        "virtio-mem block smaller than a transparent huge page",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size>32768</size><node>0</node><block>1024</block></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 7: <block>1024</block>: the block size must be at least 2048 KiB" },
},
{
        "virtio-mem requesting more than its size",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size>32768</size><node>0</node><block>2048</block>\n"
        "        <requested>65536</requested></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 8: <requested>65536</requested>: more than the device's <size> (32768 KiB)" },
},
{
        "virtio-mem requesting part of a block",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='virtio-mem'>\n"
        "      <target><size>32768</size><node>0</node><block>2048</block>\n"
        "        <requested>1000</requested></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 8: <requested>1000</requested>: not a whole number of blocks of 2048 KiB" },
},
{
        "nvdimm without its file",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <maxMemory slots='4' unit='GiB'>1</maxMemory>\n"
        "  <cpu><numa><cell id='0' cpus='0' memory='65536'/></numa></cpu>\n"
        "  <devices>\n"
        "    <memory model='nvdimm'>\n"
        "      <target><size>32768</size><node>0</node></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n",
        { "t.xml: line 6: <memory model='nvdimm'>: needs the file it maps in <source><path>" },
},
{
        "status XML without its domain",
        "<domstatus state='running' pid='1'>\n"
        "  <numad nodeset='0'/>\n"
        "</domstatus>\n",
        { "t.xml: line 1: <domstatus>: a status XML without <domain>" },
},
{
        "missing name",
        "<domain>\n"
        "  <memory>1024</memory>\n"
        "</domain>\n",
        { "t.xml: line 1: <domain>: missing <name>" },
},
{
        "missing memory",
        "<domain>\n"
        "  <name>x</name>\n"
        "</domain>\n",
        { "t.xml: line 1: <domain>: missing <memory>" },
},
{
        "no vCPU",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <vcpu>0</vcpu>\n"
        "</domain>\n",
        { "t.xml: line 4: <vcpu>0</vcpu>: a domain needs at least one vCPU" },
},
{
        "malformed vcpu cpuset",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <vcpu cpuset='a'>2</vcpu>\n"
        "</domain>\n",
        { "t.xml: line 4: <vcpu cpuset='a'>: expected a number at 'a'" },
},
{
        "vcpupin beyond the vCPUs",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <vcpu>2</vcpu>\n"
        "  <cputune>\n"
        "    <vcpupin vcpu='4' cpuset='1'/>\n"
        "  </cputune>\n"
        "</domain>\n",
        { "t.xml: line 6: <vcpupin vcpu='4'>: the domain has 2 vCPUs (0-1)" },
},
{
        "CPU beyond the largest CPU number",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <cputune>\n"
        "    <emulatorpin cpuset='9000'/>\n"
        "  </cputune>\n"
        "</domain>\n",
        { "t.xml: line 5: <emulatorpin cpuset='9000'>: number out of range (limit 8191)" },
},
{
        "iothreadpin for an iothread that does not exist",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <iothreads>2</iothreads>\n"
        "  <cputune>\n"
        "    <iothreadpin iothread='3' cpuset='1'/>\n"
        "  </cputune>\n"
        "</domain>\n",
        { "t.xml: line 6: <iothreadpin iothread='3'>: the domain has no iothread 3" },
},
{
        "two vcpupins for one vCPU",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <vcpu>2</vcpu>\n"
        "  <cputune>\n"
        "    <vcpupin vcpu='1' cpuset='1'/>\n"
        "    <vcpupin vcpu='1' cpuset='2'/>\n"
        "  </cputune>\n"
        "</domain>\n",
        { "t.xml: line 7: <vcpupin vcpu='1'>: a second <vcpupin> for this vCPU" },
},
{
        "vcpupin without its vCPU",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <vcpu>2</vcpu>\n"
        "  <cputune>\n"
        "    <vcpupin cpuset='1'/>\n"
        "  </cputune>\n"
        "</domain>\n",
        { "t.xml: line 6: <vcpupin>: missing attribute 'vcpu'" },
},
{
        "emulatorpin without a cpuset",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <cputune>\n"
        "    <emulatorpin/>\n"
        "  </cputune>\n"
        "</domain>\n",
        { "t.xml: line 5: <emulatorpin>: missing attribute 'cpuset'" },
},
{
        "two iothreadpins for one iothread",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <iothreads>2</iothreads>\n"
        "  <cputune>\n"
        "    <iothreadpin iothread='2' cpuset='1'/>\n"
        "    <iothreadpin iothread='2' cpuset='1'/>\n"
        "  </cputune>\n"
        "</domain>\n",
        { "t.xml: line 7: <iothreadpin iothread='2'>: a second <iothreadpin> for this iothread" },
},
{
        "unknown numaplace policy",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <metadata>\n"
        "    <np:policy xmlns:np='" NP_NS "' mode='loud'/>\n"
        "  </metadata>\n"
        "</domain>\n",
        { "t.xml: line 5: <policy mode='loud'>: unknown numaplace policy (expected enforce, warn or off)" },
},
{
        "numaplace policy without mode",
        "<domain>\n"
        "  <name>x</name>\n"
        "  <memory>1024</memory>\n"
        "  <metadata>\n"
        "    <np:policy xmlns:np='" NP_NS "'/>\n"
        "  </metadata>\n"
        "</domain>\n",
        { "t.xml: line 5: <policy>: missing attribute 'mode'" },
},
{
        "empty document",
        "",
        { "t.xml: the document is empty" },
},
};

static void test_bad(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                np_error err = { "" };
                np_intent *in = NULL;
                int r;

                r = np_intent_from_domxml(bad[i].xml, strlen(bad[i].xml), "t.xml", &in, &err);
                if (r != -EINVAL)
                        fail_msg("%s: returned %d, want -EINVAL (message '%s')", bad[i].name, r, err.msg);
                if (in)
                        fail_msg("%s: an intent came back with the error", bad[i].name);
                for (size_t k = 0; k < 3 && bad[i].want[k]; k++)
                        if (!strstr(err.msg, bad[i].want[k]))
                                fail_msg("%s: message '%s' lacks '%s'", bad[i].name, err.msg, bad[i].want[k]);
        }
}

static void test_too_large(void **state)
{
        static const char head[] = "<domain><name>x</name><memory>1024</memory><!-- ";
        size_t len = (size_t)NP_DOMXML_MAX + 1;
        char *buf = malloc(len);
        np_error err = { "" };
        np_intent *in = NULL;

        (void)state;
        assert_non_null(buf);
        memset(buf, ' ', len);
        memcpy(buf, head, strlen(head));
        assert_int_equal(np_intent_from_domxml(buf, len, "big.xml", &in, &err), -EINVAL);
        assert_null(in);
        assert_non_null(strstr(err.msg, "big.xml: the document is 16777217 bytes, more than the 16777216 accepted"));
        free(buf);
}

/* ---- files, status, default huge pages, names ------------------------------------ */

static const char file_xml[] =
        "<domain type='kvm'>\n"
        "  <name>from-file</name>\n"
        "  <memory unit='MiB'>64</memory>\n"
        "  <numatune>\n"
        "    <memory mode='strict' nodeset='0'/>\n"
        "  </numatune>\n"
        "</domain>\n";

static char *write_temp(const char *content)
{
        char *path = strdup("/tmp/np-test-intent-XXXXXX");
        int fd;

        assert_non_null(path);
        fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
        close(fd);
        return path;
}

static void test_read_file(void **state)
{
        char *path = write_temp(file_xml);
        np_error err = { "" };
        np_intent *in = NULL;

        (void)state;
        assert_int_equal(np_intent_read_domxml(path, &in, &err), 0);
        assert_string_equal(in->name, "from-file");
        assert_int_equal(in->n_regions, 1);
        assert_string_equal(in->regions[0].id, "pc.ram");
        assert_int_equal(in->regions[0].size_kib, 65536);
        np_intent_free(in);
        unlink(path);
        free(path);
}

static void test_read_stdin(void **state)
{
        char *path = write_temp(file_xml);
        int saved = dup(STDIN_FILENO);
        int fd = open(path, O_RDONLY);
        np_error err = { "" };
        np_intent *in = NULL;
        int r;

        (void)state;
        assert_true(saved >= 0 && fd >= 0);
        assert_true(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
        close(fd);
        r = np_intent_read_domxml("-", &in, &err);
        assert_true(dup2(saved, STDIN_FILENO) == STDIN_FILENO);
        close(saved);
        assert_int_equal(r, 0);
        assert_string_equal(in->name, "from-file");
        np_intent_free(in);
        unlink(path);
        free(path);
}

static void test_read_missing(void **state)
{
        np_error err = { "" };
        np_intent *in = NULL;

        (void)state;
        assert_int_equal(np_intent_read_domxml("/nonexistent/np/web1.xml", &in, &err), -ENOENT);
        assert_null(in);
        assert_non_null(strstr(err.msg, "/nonexistent/np/web1.xml: cannot open"));
}

static void test_read_error_names_file(void **state)
{
        char *path = write_temp("<domain>\n  <name>x</name>\n  <memory unit='QB'>1</memory>\n</domain>\n");
        char want[256];
        np_error err = { "" };
        np_intent *in = NULL;

        (void)state;
        assert_int_equal(np_intent_read_domxml(path, &in, &err), -EINVAL);
        snprintf(want, sizeof(want), "%s: line 3: <memory unit='QB'>: unknown unit", path);
        assert_non_null(strstr(err.msg, want));
        unlink(path);
        free(path);
}

static const char auto_xml[] =
        "<domain type='kvm'>\n"
        "  <name>numad</name>\n"
        "  <maxMemory slots='1' unit='GiB'>2</maxMemory>\n"
        "  <memory unit='GiB'>2</memory>\n"
        "  <numatune>\n"
        "    <memory mode='strict' placement='auto'/>\n"
        "  </numatune>\n"
        "  <cpu>\n"
        "    <numa>\n"
        "      <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
        "    </numa>\n"
        "  </cpu>\n"
        "  <devices>\n"
        "    <memory model='dimm'>\n"
        "      <source><nodemask>3</nodemask></source>\n"
        "      <target><size unit='KiB'>524288</size><node>0</node></target>\n"
        "    </memory>\n"
        "  </devices>\n"
        "</domain>\n";

static void test_apply_status(void **state)
{
        static const char status[] =
                "<domstatus state='running' reason='booted' pid='4242'>\n"
                "  <taint flag='high-privileges'/>\n"
                "  <numad nodeset='1-2' cpuset='4-11'/>\n"
                "  <domain type='kvm'><name>numad</name></domain>\n"
                "</domstatus>\n";
        np_error err = { "" };
        np_intent *in = NULL;
        char buf[64];

        (void)state;
        assert_int_equal(np_intent_from_domxml(auto_xml, strlen(auto_xml), "a.xml", &in, &err), 0);
        assert_true(in->regions[0].placement_auto);
        assert_false(in->regions[0].has_nodes);
        assert_int_equal(np_intent_apply_status(in, status, strlen(status), "numad.xml", &err), 0);
        assert_true(in->numad_resolved);
        assert_true(in->has_nodes);
        np_bitmap_format(&in->nodes, buf, sizeof(buf));
        assert_string_equal(buf, "1-2");
        assert_true(in->regions[0].has_nodes);
        np_bitmap_format(&in->regions[0].nodes, buf, sizeof(buf));
        assert_string_equal(buf, "1-2");
        /* the dimm's own nodemask is no numad advice */
        assert_string_equal(in->regions[1].id, "memdimm0");
        assert_false(in->regions[1].placement_auto);
        np_bitmap_format(&in->regions[1].nodes, buf, sizeof(buf));
        assert_string_equal(buf, "3");
        np_intent_free(in);
}

static void test_apply_status_without_numad(void **state)
{
        static const char status[] = "<domstatus state='running' pid='1'>\n  <domain/>\n</domstatus>\n";
        np_error err = { "" };
        np_intent *in = NULL;

        (void)state;
        assert_int_equal(np_intent_from_domxml(auto_xml, strlen(auto_xml), "a.xml", &in, &err), 0);
        assert_int_equal(np_intent_apply_status(in, status, strlen(status), "s.xml", &err), 0);
        assert_false(in->numad_resolved);
        assert_false(in->regions[0].has_nodes);
        np_intent_free(in);
}

static void test_apply_status_static(void **state)
{
        static const char status[] = "<domstatus>\n  <numad nodeset='1' cpuset='2-3'/>\n</domstatus>\n";
        np_error err = { "" };
        np_intent *in = NULL;
        char buf[64];

        (void)state;
        /* numad may place the vCPUs only; static memory stays as written */
        assert_int_equal(np_intent_from_domxml(file_xml, strlen(file_xml), "f.xml", &in, &err), 0);
        assert_int_equal(np_intent_apply_status(in, status, strlen(status), "s.xml", &err), 0);
        assert_false(in->numad_resolved);
        np_bitmap_format(&in->regions[0].nodes, buf, sizeof(buf));
        assert_string_equal(buf, "0");
        np_bitmap_format(&in->nodes, buf, sizeof(buf));
        assert_string_equal(buf, "0");
        np_intent_free(in);
}

static void test_apply_status_bad(void **state)
{
        static const struct {
                const char *xml;
                const char *want;
        } cases[] = {
                { "<domstatus>\n  <numad nodeset='1-x'/>\n</domstatus>\n",
                  "s.xml: line 2: <numad nodeset='1-x'>: expected a number at 'x'" },
                { "<domain>\n  <name>x</name>\n</domain>\n",
                  "s.xml: line 1: <domain>: the root element must be <domstatus>" },
                { "<domstatus>\n  <numad nodeset='1'>\n</domstatus>\n",
                  "s.xml: line 3: not well-formed XML" },
                { "<!DOCTYPE domstatus [<!ENTITY a 'b'>]>\n<domstatus/>\n",
                  "s.xml: line 1: <!DOCTYPE domstatus>" },
        };
        np_error err = { "" };
        np_intent *in = NULL;

        (void)state;
        assert_int_equal(np_intent_from_domxml(auto_xml, strlen(auto_xml), "a.xml", &in, &err), 0);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                assert_int_equal(np_intent_apply_status(in, cases[i].xml, strlen(cases[i].xml),
                                                        "s.xml", &err), -EINVAL);
                if (!strstr(err.msg, cases[i].want))
                        fail_msg("message '%s' lacks '%s'", err.msg, cases[i].want);
        }
        assert_false(in->numad_resolved);
        np_intent_free(in);
}

static void test_default_hugepage(void **state)
{
        static const char xml[] =
                "<domain>\n"
                "  <name>x</name>\n"
                "  <memory unit='GiB'>3</memory>\n"
                "  <memoryBacking>\n"
                "    <hugepages>\n"
                "      <page size='2048' unit='KiB' nodeset='1'/>\n"
                "      <page size='0' unit='KiB' nodeset='0'/>\n"
                "    </hugepages>\n"
                "  </memoryBacking>\n"
                "  <cpu><numa>\n"
                "    <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
                "    <cell id='1' cpus='1' memory='1' unit='GiB'/>\n"
                "    <cell id='2' cpus='2' memory='1' unit='GiB'/>\n"
                "  </numa></cpu>\n"
                "</domain>\n";
        static const char xml_default[] =
                "<domain>\n"
                "  <name>x</name>\n"
                "  <maxMemory slots='1' unit='GiB'>3</maxMemory>\n"
                "  <memory unit='GiB'>2</memory>\n"
                "  <memoryBacking><hugepages/></memoryBacking>\n"
                "  <cpu><numa>\n"
                "    <cell id='0' cpus='0' memory='1' unit='GiB'/>\n"
                "    <cell id='1' cpus='1' memory='1' unit='GiB'/>\n"
                "  </numa></cpu>\n"
                "  <devices>\n"
                "    <memory model='dimm'>\n"
                "      <source><pagesize unit='KiB'>2048</pagesize></source>\n"
                "      <target><size unit='GiB'>1</size><node>1</node></target>\n"
                "    </memory>\n"
                "  </devices>\n"
                "</domain>\n";
        np_error err = { "" };
        np_intent *in = NULL;

        (void)state;
        /* a zero page size is refused, as libvirt refuses it */
        assert_int_equal(np_intent_from_domxml(xml, strlen(xml), "h.xml", &in, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "h.xml: line 7: <page size='0'>: a page size cannot be zero"));

        assert_int_equal(np_intent_from_domxml(xml_default, strlen(xml_default), "h.xml", &in, &err), 0);
        assert_int_equal(in->n_regions, 3);
        assert_true(in->regions[0].pagesize_default);
        assert_true(in->regions[1].pagesize_default);
        assert_false(in->regions[2].pagesize_default); /* the dimm names its size */
        np_intent_set_default_hugepage(in, 1048576);
        assert_int_equal(in->regions[0].pagesize_kib, 1048576);
        assert_int_equal(in->regions[1].pagesize_kib, 1048576);
        assert_int_equal(in->regions[2].pagesize_kib, 2048);
        np_intent_free(in);
        np_intent_free(NULL);
}

static void test_strings(void **state)
{
        (void)state;
        assert_string_equal(np_mode_to_string(NP_MODE_STRICT), "strict");
        assert_string_equal(np_mode_to_string(NP_MODE_PREFERRED), "preferred");
        assert_string_equal(np_mode_to_string(NP_MODE_INTERLEAVE), "interleave");
        assert_string_equal(np_mode_to_string(NP_MODE_RESTRICTIVE), "restrictive");
        assert_string_equal(np_mode_to_string(NP_MODE_NONE), "none");
        assert_string_equal(np_backing_to_string(NP_BACKING_ANONYMOUS), "anonymous");
        assert_string_equal(np_backing_to_string(NP_BACKING_FILE), "file");
        assert_string_equal(np_backing_to_string(NP_BACKING_MEMFD), "memfd");
        assert_string_equal(np_enforcement_to_string(NP_ENFORCE_NONE), "none");
        assert_string_equal(np_enforcement_to_string(NP_ENFORCE_MBIND), "mbind");
        assert_string_equal(np_enforcement_to_string(NP_ENFORCE_CGROUP), "cgroup");
        assert_string_equal(np_thread_kind_to_string(NP_THREAD_VCPU), "vcpu");
        assert_string_equal(np_thread_kind_to_string(NP_THREAD_EMULATOR), "emulator");
        assert_string_equal(np_thread_kind_to_string(NP_THREAD_IOTHREAD), "iothread");
}

/* Values libvirt would never run: no such page size, a vCPU list beyond
 * any guest. */
static void test_impossible_values(void **state)
{
        static const struct {
                const char *xml, *want;
        } cases[] = {
                { "<domain><name>x</name><memory unit='KiB'>2048</memory>"
                  "<memoryBacking><hugepages><page size='3' unit='KiB'/></hugepages></memoryBacking></domain>",
                  "h.xml: line 1: <page size='3'>: no such page size (a power of two of at least 4 KiB)" },
                { "<domain><name>x</name><memory unit='KiB'>6144</memory>"
                  "<memoryBacking><hugepages><page size='6' unit='MiB'/></hugepages></memoryBacking></domain>",
                  "h.xml: line 1: <page size='6'>: no such page size (a power of two of at least 4 KiB)" },
                { "<domain><name>x</name><memory unit='KiB'>2048</memory><vcpu>1</vcpu>"
                  "<cpu><numa><cell id='0' cpus='0-4294967295' memory='2048' unit='KiB'/></numa></cpu></domain>",
                  "h.xml: line 1: <cell cpus='0-4294967295'>: number out of range (limit 8191)" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                np_error err = { "" };
                np_intent *in = NULL;

                assert_int_equal(np_intent_from_domxml(cases[i].xml, strlen(cases[i].xml), "h.xml", &in, &err), -EINVAL);
                assert_string_equal(err.msg, cases[i].want);
        }
}

/* libvirt takes any iothread id above 0, not only those below 8192. */
static void test_large_iothread_ids(void **state)
{
        static const char xml[] =
                "<domain><name>x</name><memory unit='KiB'>2048</memory><vcpu>1</vcpu>"
                "<iothreads>2</iothreads><iothreadids><iothread id='10000'/><iothread id='4294967295'/></iothreadids>"
                "<cputune><iothreadpin iothread='10000' cpuset='1'/><iothreadpin iothread='4294967295' cpuset='0'/></cputune>"
                "</domain>";
        np_error err = { "" };
        np_intent *in = NULL;
        unsigned seen = 0;

        (void)state;
        assert_int_equal(np_intent_from_domxml(xml, strlen(xml), "h.xml", &in, &err), 0);
        for (size_t i = 0; i < in->n_pins; i++) {
                if (in->pins[i].kind != NP_THREAD_IOTHREAD)
                        continue;
                assert_true(in->pins[i].id == 10000 || in->pins[i].id == 4294967295u);
                assert_true(np_bitmap_test(&in->pins[i].cpus, in->pins[i].id == 10000 ? 1 : 0));
                seen++;
        }
        assert_int_equal(seen, 2);
        np_intent_free(in);
}

/* Host PCI devices: every spelling of a number libvirt reads (base 0),
 * the host address from <source>, never the guest's, and what is not a
 * host PCI device left out. */
static void test_hostdevs(void **state)
{
        static const char xml[] =
                "<domain type='kvm'><name>d</name><memory unit='MiB'>64</memory><devices>"
                "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                "<address domain='0x0000' bus='0x21' slot='0x1f' function='0x7'/></source>"
                "<address type='pci' domain='0x0000' bus='0x07' slot='0x00' function='0x0'/></hostdev>"
                "<hostdev type='pci'><source><address domain='1' bus='65' slot='010' function='0'/></source></hostdev>"
                "<interface type='hostdev'><source><address type='pci' bus='0x03' slot='0x00' function='0x1'/></source></interface>"
                "<interface type='network'><source network='default'/></interface>"
                "<hostdev mode='subsystem' type='usb'><source><address bus='1' device='2'/></source></hostdev>"
                "<hostdev mode='capabilities' type='storage'><source><block>/dev/sdb</block></source></hostdev>"
                "</devices></domain>";
        static const struct {
                const char *bus;
                const char *message;
        } bad_bus[] = {
                { "0x100", "<address bus='0x100'>: expected a number no larger than 0xff" },
                { "-1", "<address bus='-1'>: expected a number no larger than 0xff" },
                { "0x2g", "<address bus='0x2g'>: expected a number no larger than 0xff" },
                { "", "<address bus=''>: expected a number no larger than 0xff" },
        };
        np_intent *in = NULL;
        np_error err = { "" };

        (void)state;
        assert_int_equal(np_intent_from_domxml(xml, strlen(xml), "d.xml", &in, &err), 0);
        assert_int_equal(in->n_hostdevs, 3);
        assert_string_equal(in->hostdevs[0].address, "0000:21:1f.7");
        assert_false(in->hostdevs[0].interface);
        assert_string_equal(in->hostdevs[1].address, "0001:41:08.0");
        assert_string_equal(in->hostdevs[2].address, "0000:03:00.1");
        assert_true(in->hostdevs[2].interface);
        np_intent_free(in);

        for (size_t i = 0; i < sizeof(bad_bus) / sizeof(bad_bus[0]); i++) {
                char doc[512];

                snprintf(doc, sizeof(doc),
                         "<domain><name>d</name><memory>1024</memory><devices><hostdev type='pci'>"
                         "<source><address bus='%s'/></source></hostdev></devices></domain>", bad_bus[i].bus);
                in = NULL;
                assert_int_equal(np_intent_from_domxml(doc, strlen(doc), "d.xml", &in, &err), -EINVAL);
                assert_null(in);
                assert_non_null(strstr(err.msg, bad_bus[i].message));
                assert_non_null(strstr(err.msg, "d.xml: line 1"));
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_good),
                cmocka_unit_test(test_units),
                cmocka_unit_test(test_bad),
                cmocka_unit_test(test_too_large),
                cmocka_unit_test(test_read_file),
                cmocka_unit_test(test_read_stdin),
                cmocka_unit_test(test_read_missing),
                cmocka_unit_test(test_read_error_names_file),
                cmocka_unit_test(test_apply_status),
                cmocka_unit_test(test_apply_status_without_numad),
                cmocka_unit_test(test_apply_status_static),
                cmocka_unit_test(test_apply_status_bad),
                cmocka_unit_test(test_default_hugepage),
                cmocka_unit_test(test_strings),
                cmocka_unit_test(test_impossible_values),
                cmocka_unit_test(test_large_iothread_ids),
                cmocka_unit_test(test_hostdevs),
        };

        return cmocka_run_group_tests_name("intent", tests, NULL, NULL);
}
