/* intent_domxml.c: what a libvirt domain XML demands of memory and CPU
 * placement.
 *
 * Every guest RAM region is named, sized, bound and backed the way libvirt
 * builds the QEMU memory backend that will hold it, following libvirt's
 * rules in src/conf/numa_conf.c (numatune, cells), src/conf/domain_conf.c
 * and domain_validate.c (hugepages, memory sizes), src/qemu/qemu_command.c
 * (qemuBuildMemoryBackendProps), src/qemu/qemu_domain.c (size alignment)
 * and src/qemu/qemu_alias.c (memory device names), so that a region can be
 * found again in the running process.  tests/test_conformance.c holds the
 * result against libvirt's own XML -> QEMU command line test pairs.
 *
 * The document is untrusted: it is read without network access, without
 * entity substitution and without any DTD, and its size is bounded. */
#include "intent.h"
#include "array.h"
#include "bitmap.h"
#include "error.h"
#include "number.h"
#include "sysroot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include "libxml_load.h"

/* libxml2, once read_document() has opened it (libxml_load.h says why
 * it is not linked).  Not a variable set there: scans parse documents
 * in several threads at once. */
#define X (np_libxml_loaded())

/* libxml2 2.12 made the structured error callback take a const error. */
#if LIBXML_VERSION >= 21200
#define NP_XML_ERROR const xmlError
#else
#define NP_XML_ERROR xmlError
#endif

#define CELL_ALIGN_KIB 1024u      /* guest cells and pc.ram: 1 MiB on x86 */
#define DIMM_ALIGN_KIB 2048u      /* dimm and nvdimm modules: 2 MiB */
#define MIN_BLOCK_KIB 2048u       /* virtio-mem: the THP size of x86 hosts */
#define SYSTEM_PAGE_KIB 4u        /* a "huge" page of this size is no huge page */
#define DEFAULT_HUGEPAGE_KIB 2048u /* assumed until the host says otherwise */
#define MAX_MEMORY_DEVICES 4096u
#define MAX_IOTHREADS NP_BITMAP_MAX
#define VALUE_SHOWN 64            /* longest value quoted in a message */

#define NOVA_NS_PREFIX "http://openstack.org/xmlns/libvirt/nova/"
#define NUMAPLACE_NS "http://numaplace.org/xmlns/numaplace/1.0"

/* ---- what the XML says, before it becomes regions ---------------------- */

enum access {
        ACCESS_DEFAULT,
        ACCESS_SHARED,
        ACCESS_PRIVATE,
};

enum source {
        SOURCE_ANONYMOUS,
        SOURCE_FILE,
        SOURCE_MEMFD,
};

struct cell {
        bool defined;
        uint64_t kib;               /* as written, before alignment */
        enum access access;
        bool has_memnode;
        np_mode memnode_mode;
        np_bitmap memnode_nodes;
};

struct page {
        uint64_t kib;               /* 0: the host's default huge page size */
        bool has_cells;             /* false: applies to cells no other page names */
        np_bitmap cells;
        xmlNode *node;
};

struct memdev {
        bool skip;                  /* not guest RAM numaplace judges */
        np_region_kind kind;
        const char *prefix;         /* libvirt's alias prefix */
        const char *alias;          /* <alias name>, or the one assigned */
        char alias_buf[NP_ID_MAX];
        xmlNode *node;              /* <memory model> */
        xmlNode *alias_node;        /* the <alias> that counts, if any */
        xmlNode *slot_node;         /* <address type='dimm' slot> */
        bool has_slot;
        unsigned slot;
        uint64_t block_kib;         /* virtio-mem <target><block> */
        int cell;                   /* <target><node>, -1 when absent */
        uint64_t kib;               /* <target><size> as written */
        enum access access;
        bool has_nodemask;
        np_bitmap nodemask;
        uint64_t pagesize_kib;      /* <source><pagesize>, 0 when absent */
};

struct domain {
        /* A live or status XML (<domain id=..>, <domstatus>): libvirt has
         * named the devices and sized the memory as the backends got
         * them.  A configuration still goes through both at start. */
        bool live;

        bool has_memory;
        uint64_t memory_kib;
        xmlNode *max_node;          /* <maxMemory>, NULL when absent */
        uint64_t max_memory_kib;
        unsigned max_slots;

        unsigned vcpus;
        bool vcpu_auto;
        bool has_cpuset;
        np_bitmap cpuset;

        struct cell *cells;
        size_t n_cells;
        struct page *pages;
        size_t n_pages;
        struct memdev *devs;
        size_t n_devs;

        enum source source;
        enum access access;

        /* the domain-wide binding, as libvirt's numa->memory */
        bool specified;
        np_mode mode;
        bool placement_auto;
        np_bitmap nodes;
};

/* ---- parse state and messages ------------------------------------------ */

struct parse {
        const char *file;
        np_error *err;
        xmlDoc *doc;
        xmlXPathContext *xpath;
        bool oom;

        /* values handed out by attr()/text(), freed together at the end */
        xmlChar **strings;
        size_t n_strings;
        size_t cap_strings;
        size_t cap_hostdevs;    /* of the intent's hostdevs */

        /* the first error libxml2 reported, and a DOCTYPE if one was seen */
        bool xml_failed;
        long xml_line;
        char xml_msg[256];
        bool doctype;
        long doctype_line;
        char doctype_name[VALUE_SHOWN + 1];
};

static int oom(struct parse *p)
{
        return np_err(p->err, ENOMEM, "%s: out of memory", p->file);
}

/* The one sentence: "FILE: line N: WHAT: MESSAGE".  Returns -EINVAL (or
 * -ENOMEM when an allocation failed on the way, which would otherwise
 * masquerade as missing data). */
__attribute__((format(printf, 4, 0)))
static int failv(struct parse *p, const xmlNode *node, const char *what,
                 const char *fmt, va_list ap)
{
        char msg[NP_ERROR_MAX];

        if (p->oom)
                return oom(p);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        if (node)
                return np_err(p->err, EINVAL, "%s: line %ld: %s: %s", p->file,
                              X->GetLineNo(node), what, msg);
        return np_err(p->err, EINVAL, "%s: %s: %s", p->file, what, msg);
}

/* "<name>: ..." */
__attribute__((format(printf, 3, 4)))
static int fail_elem(struct parse *p, const xmlNode *node, const char *fmt, ...)
{
        char what[NP_ID_MAX + 8];
        va_list ap;
        int r;

        snprintf(what, sizeof(what), "<%s>", (const char *)node->name);
        va_start(ap, fmt);
        r = failv(p, node, what, fmt, ap);
        va_end(ap);
        return r;
}

/* "<name attr='value'>: ..." */
__attribute__((format(printf, 5, 6)))
static int fail_attr(struct parse *p, const xmlNode *node, const char *attr_name,
                     const char *value, const char *fmt, ...)
{
        char what[2 * NP_ID_MAX + VALUE_SHOWN + 16];
        va_list ap;
        int r;

        snprintf(what, sizeof(what), "<%s %s='%.*s%s'>", (const char *)node->name,
                 attr_name, VALUE_SHOWN, value,
                 strlen(value) > VALUE_SHOWN ? "..." : "");
        va_start(ap, fmt);
        r = failv(p, node, what, fmt, ap);
        va_end(ap);
        return r;
}

/* "<name>value</name>: ..." */
__attribute__((format(printf, 4, 5)))
static int fail_text(struct parse *p, const xmlNode *node, const char *value,
                     const char *fmt, ...)
{
        char what[2 * NP_ID_MAX + VALUE_SHOWN + 16];
        va_list ap;
        int r;

        snprintf(what, sizeof(what), "<%s>%.*s%s</%s>", (const char *)node->name,
                 VALUE_SHOWN, value, strlen(value) > VALUE_SHOWN ? "..." : "",
                 (const char *)node->name);
        va_start(ap, fmt);
        r = failv(p, node, what, fmt, ap);
        va_end(ap);
        return r;
}

/* A value is either an attribute (@attr_name) or the element's text (NULL). */
__attribute__((format(printf, 5, 6)))
static int fail_value(struct parse *p, const xmlNode *node, const char *attr_name,
                      const char *value, const char *fmt, ...)
{
        char msg[NP_ERROR_MAX];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (attr_name)
                return fail_attr(p, node, attr_name, value, "%s", msg);
        return fail_text(p, node, value, "%s", msg);
}

static const char *keep(struct parse *p, xmlChar *s)
{
        if (np_array_reserve(&p->strings, &p->cap_strings, p->n_strings + 1) < 0) {
                X->Free(s);
                p->oom = true;
                return NULL;
        }
        p->strings[p->n_strings++] = s;
        return (const char *)s;
}

/* An attribute without namespace, or NULL when absent. */
static const char *attr(struct parse *p, const xmlNode *node, const char *name)
{
        xmlChar *v = X->GetNoNsProp(node, (const xmlChar *)name);

        return v ? keep(p, v) : NULL;
}

/* The element's text with surrounding white space cut off. */
static const char *text(struct parse *p, const xmlNode *node)
{
        xmlChar *v = X->NodeGetContent(node);
        char *s, *end;

        if (!v) {
                p->oom = true;
                return NULL;
        }
        if (!keep(p, v))
                return NULL;
        s = (char *)v;
        while (isspace((unsigned char)*s))
                s++;
        end = s + strlen(s);
        while (end > s && isspace((unsigned char)end[-1]))
                *--end = '\0';
        return s;
}

struct nodes {
        xmlXPathObject *obj;
        xmlNode **tab;
        int n;
};

/* Elements matching @expr relative to @node, in document order. */
static int find_all(struct parse *p, xmlNode *node, const char *expr,
                    struct nodes *ret)
{
        xmlXPathObject *obj = X->XPathNodeEval(node, (const xmlChar *)expr, p->xpath);

        if (!obj) {
                p->oom = true;
                return oom(p);
        }
        ret->obj = obj;
        ret->tab = obj->nodesetval ? obj->nodesetval->nodeTab : NULL;
        ret->n = obj->nodesetval ? obj->nodesetval->nodeNr : 0;
        return 0;
}

static void nodes_done(struct nodes *ns)
{
        X->XPathFreeObject(ns->obj);
        ns->obj = NULL;
}

/* The first element matching @expr, or NULL (also on failure, which sets
 * p->oom so that the caller's next error reports it). */
static xmlNode *find_one(struct parse *p, xmlNode *node, const char *expr)
{
        struct nodes ns = { 0 };
        xmlNode *found;

        if (find_all(p, node, expr, &ns) < 0)
                return NULL;
        found = ns.n > 0 ? ns.tab[0] : NULL;
        nodes_done(&ns);
        return found;
}

/* ---- values ------------------------------------------------------------- */

static int value_uint(struct parse *p, const xmlNode *node, const char *attr_name,
                      const char *value, unsigned max, unsigned *ret)
{
        uint64_t v;

        if (np_parse_u64_max(value, max, &v) < 0)
                return fail_value(p, node, attr_name, value,
                                  "expected a non-negative integer no larger than %u", max);
        *ret = (unsigned)v;
        return 0;
}

/* A memory size as libvirt's virDomainParseMemory reads it: an integer in
 * the unit named by the element's "unit" attribute (KiB when absent),
 * returned in KiB rounded up.  @value_attr names the attribute holding the
 * number, NULL for the element's text. */
static int value_kib(struct parse *p, const xmlNode *node, const char *value_attr,
                     const char *value, uint64_t *ret)
{
        const char *unit = attr(p, node, "unit");
        uint64_t n, scale = 1024, bytes;

        if (np_parse_u64_max(value, UINT64_MAX, &n) < 0)
                return fail_value(p, node, value_attr, value,
                                  "expected a size, a non-negative integer");
        if (unit && np_parse_libvirt_unit(unit, &scale) < 0)
                return fail_attr(p, node, "unit", unit,
                                 "unknown unit (expected b, KiB, MiB, GiB, TiB, KB, MB, GB, TB or the like)");
        if (__builtin_mul_overflow(n, scale, &bytes))
                return fail_value(p, node, value_attr, value, "size too large");
        *ret = bytes / 1024 + (bytes % 1024 != 0);
        return 0;
}

/* A node or CPU set in libvirt's grammar.  np_bitmap_parse's message
 * starts by quoting the set, which our own prefix already does. */
static int value_set(struct parse *p, const xmlNode *node, const char *attr_name,
                     const char *value, unsigned max, np_bitmap *ret)
{
        char prefix[VALUE_SHOWN + 32];
        const char *msg;
        np_error e;

        e.msg[0] = '\0';
        if (np_bitmap_parse(value, max, ret, &e) == 0)
                return 0;
        snprintf(prefix, sizeof(prefix), "nodeset '%s': ", value);
        msg = e.msg;
        if (!strncmp(msg, prefix, strlen(prefix)))
                msg += strlen(prefix);
        return fail_value(p, node, attr_name, value, "%s", msg);
}

static int value_access(struct parse *p, const xmlNode *node, const char *attr_name,
                        const char *value, enum access *ret)
{
        if (!strcmp(value, "shared"))
                *ret = ACCESS_SHARED;
        else if (!strcmp(value, "private"))
                *ret = ACCESS_PRIVATE;
        else
                return fail_attr(p, node, attr_name, value,
                                 "unknown memory access mode (expected shared or private)");
        return 0;
}

static int value_mode(struct parse *p, const xmlNode *node, const char *value,
                      np_mode *ret)
{
        for (np_mode m = NP_MODE_STRICT; m < NP_MODE__COUNT; m++)
                if (!strcmp(value, np_mode_to_string(m))) {
                        *ret = m;
                        return 0;
                }
        return fail_attr(p, node, "mode", value,
                         "unknown mode (expected strict, preferred, interleave or restrictive)");
}

static uint64_t align_up(uint64_t v, uint64_t to)
{
        uint64_t r = v % to;

        return r ? v + (to - r) : v;
}

/* ---- reading the document ----------------------------------------------- */

static void record_xml_error(struct parse *p, NP_XML_ERROR *e)
{
        size_t n;

        if (p->xml_failed || !e || e->level < XML_ERR_ERROR)
                return;
        p->xml_failed = true;
        p->xml_line = e->line;
        snprintf(p->xml_msg, sizeof(p->xml_msg), "%s",
                 e->message ? e->message : "unknown error");
        n = strlen(p->xml_msg);
        while (n && isspace((unsigned char)p->xml_msg[n - 1]))
                p->xml_msg[--n] = '\0';
        /* some messages run over several lines; ours is one sentence */
        for (char *c = p->xml_msg; *c; c++)
                if (*c == '\n' || *c == '\r')
                        *c = ' ';
}

/* libxml2 hands parser errors to the SAX structured handler with the
 * parser context as user data; ours lives in its _private field.  Setting
 * the handler also keeps libxml2 from printing to stderr. */
static void on_parser_error(void *user, NP_XML_ERROR *e)
{
        xmlParserCtxt *ctxt = user;

        record_xml_error(ctxt->_private, e);
}

static void on_xpath_error(void *user, NP_XML_ERROR *e)
{
        record_xml_error(user, e);
}

/* A DOCTYPE is where entities are declared (billion laughs, external
 * entities naming local files); libvirt never writes one.  Stop at the
 * declaration, before its internal subset is read. */
static void on_doctype(void *user, const xmlChar *name,
                       const xmlChar *external_id, const xmlChar *system_id)
{
        xmlParserCtxt *ctxt = user;
        struct parse *p = ctxt->_private;

        (void)external_id;
        (void)system_id;
        p->doctype = true;
        p->doctype_line = ctxt->input ? ctxt->input->line : 0;
        snprintf(p->doctype_name, sizeof(p->doctype_name), "%s",
                 name ? (const char *)name : "");
        X->StopParser(ctxt);
}

/* Parse @buf into p->doc and set up XPath; the root must be @root_name
 * (any name when NULL, for the caller to judge). */
static int read_document(struct parse *p, const char *buf, size_t len,
                         const char *root_name, xmlNode **ret_root)
{
        xmlParserCtxt *ctxt;
        xmlDoc *doc;
        xmlNode *root;

        if (len > NP_DOMXML_MAX)
                return np_err(p->err, EINVAL,
                              "%s: the document is %zu bytes, more than the %u accepted",
                              p->file, len, NP_DOMXML_MAX);
        if (!buf || len == 0)
                return np_err(p->err, EINVAL, "%s: the document is empty", p->file);
        if (!np_libxml_load(p->err))
                return -ENOENT;

        ctxt = X->NewParserCtxt();
        if (!ctxt)
                return oom(p);
        ctxt->_private = p;
        ctxt->sax->serror = on_parser_error;
        ctxt->sax->internalSubset = on_doctype;
        /* No XML_PARSE_NOENT, DTDLOAD or DTDATTR: entities stay unexpanded
         * and nothing outside the buffer is ever read. */
        doc = X->CtxtReadMemory(ctxt, buf, (int)len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_BIG_LINES);
        if (doc && (!ctxt->wellFormed || p->doctype)) {
                X->FreeDoc(doc);
                doc = NULL;
        }
        X->FreeParserCtxt(ctxt);

        if (p->doctype)
                return np_err(p->err, EINVAL,
                              "%s: line %ld: <!DOCTYPE %s>: document type declarations are not accepted, they can define entities that expand without bound or read local files",
                              p->file, p->doctype_line, p->doctype_name);
        if (!doc) {
                if (p->xml_failed)
                        return np_err(p->err, EINVAL, "%s: line %ld: not well-formed XML: %s",
                                      p->file, p->xml_line, p->xml_msg);
                return np_err(p->err, EINVAL, "%s: not well-formed XML", p->file);
        }
        p->doc = doc;

        root = X->DocGetRootElement(doc);
        if (!root)
                return np_err(p->err, EINVAL, "%s: the document has no root element", p->file);
        if (root_name && strcmp((const char *)root->name, root_name))
                return fail_elem(p, root, "the root element must be <%s>", root_name);
        if (root->ns)
                return fail_elem(p, root, "the root element must be <%s> without a namespace",
                                 root_name ? root_name : (const char *)root->name);

        p->xpath = X->XPathNewContext(doc);
        if (!p->xpath)
                return oom(p);
        p->xpath->error = on_xpath_error;
        p->xpath->userData = p;
        *ret_root = root;
        return 0;
}

static void parse_done(struct parse *p)
{
        if (p->xpath)
                X->XPathFreeContext(p->xpath);
        if (p->doc)
                X->FreeDoc(p->doc);
        for (size_t i = 0; i < p->n_strings; i++)
                X->Free(p->strings[i]);
        free(p->strings);
}

/* ---- the sections of the domain ----------------------------------------- */

static int dup_string(struct parse *p, const char *s, char **ret)
{
        *ret = strdup(s);
        if (!*ret) {
                p->oom = true;
                return oom(p);
        }
        return 0;
}

static int parse_identity(struct parse *p, xmlNode *root, np_intent *in)
{
        xmlNode *n;
        const char *s;
        int r;

        n = find_one(p, root, "./name");
        if (!n || !(s = text(p, n)) || !*s)
                return n ? fail_elem(p, n, "the domain name is empty")
                         : fail_elem(p, root, "missing <name>");
        r = dup_string(p, s, &in->name);
        if (r < 0)
                return r;

        n = find_one(p, root, "./uuid");
        if (n && (s = text(p, n)) && *s) {
                r = dup_string(p, s, &in->uuid);
                if (r < 0)
                        return r;
        }
        return p->oom ? oom(p) : 0;
}

/* <vcpu placement cpuset>N</vcpu>; absent means one vCPU, placed
 * statically.  libvirt ignores cpuset when placement is auto. */
static int parse_vcpu(struct parse *p, xmlNode *root, struct domain *d)
{
        xmlNode *n = find_one(p, root, "./vcpu");
        const char *s, *placement, *cpuset;
        int r;

        d->vcpus = 1;
        if (!n)
                return p->oom ? oom(p) : 0;
        s = text(p, n);
        if (!s)
                return oom(p);
        r = value_uint(p, n, NULL, s, NP_BITMAP_MAX, &d->vcpus);
        if (r < 0)
                return r;
        if (d->vcpus == 0)
                return fail_text(p, n, s, "a domain needs at least one vCPU");

        placement = attr(p, n, "placement");
        if (placement && !strcmp(placement, "auto"))
                d->vcpu_auto = true;
        else if (placement && strcmp(placement, "static"))
                return fail_attr(p, n, "placement", placement,
                                 "unknown placement (expected static or auto)");

        cpuset = attr(p, n, "cpuset");
        if (cpuset && !d->vcpu_auto) {
                r = value_set(p, n, "cpuset", cpuset, NP_BITMAP_MAX, &d->cpuset);
                if (r < 0)
                        return r;
                d->has_cpuset = true;
        }
        return p->oom ? oom(p) : 0;
}

/* <maxMemory slots unit>: libvirt wants both a size and slots, or
 * neither (virDomainDefParseMemory). */
static int parse_max_memory(struct parse *p, xmlNode *root, struct domain *d)
{
        xmlNode *n = find_one(p, root, "./maxMemory");
        const char *s, *slots;
        int r;

        if (!n)
                return p->oom ? oom(p) : 0;
        s = text(p, n);
        if (!s)
                return oom(p);
        r = value_kib(p, n, NULL, s, &d->max_memory_kib);
        if (r < 0)
                return r;
        slots = attr(p, n, "slots");
        if (slots) {
                r = value_uint(p, n, "slots", slots, UINT32_MAX, &d->max_slots);
                if (r < 0)
                        return r;
        }
        if (p->oom)
                return oom(p);
        d->max_node = n;
        if (d->live)
                return 0; /* see check_hotplug() */
        if (d->max_memory_kib == 0 || d->max_slots == 0)
                return fail_elem(p, n, "memory hotplug needs both a maximum size and a slot count greater than 0");
        return 0;
}

static int parse_memory(struct parse *p, xmlNode *root, struct domain *d)
{
        xmlNode *n = find_one(p, root, "./memory");
        const char *s;
        int r;

        if (!n)
                n = find_one(p, root, "./currentMemory");
        if (n) {
                s = text(p, n);
                if (!s)
                        return oom(p);
                d->has_memory = true;
                r = value_kib(p, n, NULL, s, &d->memory_kib);
                if (r < 0)
                        return r;
        }
        return p->oom ? oom(p) : parse_max_memory(p, root, d);
}

/* <cpu><numa><cell id memory unit memAccess>: cells may be listed in any
 * order but their ids must run from 0 without gaps; without ids they are
 * numbered in document order (virDomainNumaDefParseXML). */
static int parse_cells(struct parse *p, xmlNode *root, struct domain *d)
{
        xmlNode *numa = find_one(p, root, "./cpu/numa");
        struct nodes cells = { 0 };
        int r = 0;

        if (!numa)
                return p->oom ? oom(p) : 0;
        r = find_all(p, numa, "./cell", &cells);
        if (r < 0)
                return r;
        if (cells.n == 0) {
                nodes_done(&cells);
                return fail_elem(p, numa, "a NUMA topology needs at least one <cell>");
        }
        if ((unsigned)cells.n > NP_NODE_MAX) {
                nodes_done(&cells);
                return fail_elem(p, numa, "more than %u NUMA cells", NP_NODE_MAX);
        }
        d->cells = calloc((size_t)cells.n, sizeof(*d->cells));
        if (!d->cells) {
                nodes_done(&cells);
                p->oom = true;
                return oom(p);
        }
        d->n_cells = (size_t)cells.n;

        for (int i = 0; i < cells.n && r == 0; i++) {
                xmlNode *c = cells.tab[i];
                const char *id = attr(p, c, "id");
                const char *mem = attr(p, c, "memory");
                const char *access = attr(p, c, "memAccess");
                unsigned cid = (unsigned)i;
                struct cell *cell;

                if (id) {
                        r = value_uint(p, c, "id", id, NP_NODE_MAX, &cid);
                        if (r < 0)
                                break;
                        if (cid >= d->n_cells) {
                                r = fail_attr(p, c, "id", id,
                                              "cell ids must run from 0 to %zu without gaps",
                                              d->n_cells - 1);
                                break;
                        }
                }
                cell = &d->cells[cid];
                if (cell->defined) {
                        r = id ? fail_attr(p, c, "id", id, "a second cell with this id")
                               : fail_elem(p, c, "a second definition of cell %u", cid);
                        break;
                }
                cell->defined = true;
                if (!mem) {
                        r = p->oom ? oom(p) : fail_elem(p, c, "missing attribute 'memory'");
                        break;
                }
                r = value_kib(p, c, "memory", mem, &cell->kib);
                if (r == 0 && access)
                        r = value_access(p, c, "memAccess", access, &cell->access);
                if (r == 0) {
                        /* not used to judge, but a vCPU list no guest can
                         * have is no domain libvirt runs */
                        const char *cpus = attr(p, c, "cpus");
                        np_bitmap vcpus;

                        if (cpus && *cpus)
                                r = value_set(p, c, "cpus", cpus, NP_BITMAP_MAX, &vcpus);
                }
        }
        nodes_done(&cells);
        return r;
}

/* <numatune>, as virDomainNumatuneParseXML and virDomainNumatuneSet read
 * it.  @placement_static is false when <vcpu placement='auto'>: then a
 * missing <memory> or a <memory> without nodeset means numad decides. */
/* <numatune><memory> (@mem, NULL when absent): the whole guest's
 * binding.  Without it, a guest whose vCPUs numad places gets its memory
 * placed by numad too. */
static int parse_numatune_memory(struct parse *p, xmlNode *mem, struct domain *d)
{
        bool placement_static = !d->vcpu_auto, has_nodeset = false, is_auto;
        const char *mode, *placement, *nodeset;
        int r;

        if (!mem) {
                if (!placement_static) {
                        d->specified = true;
                        d->mode = NP_MODE_STRICT;
                        d->placement_auto = true;
                }
                return 0;
        }
        mode = attr(p, mem, "mode");
        placement = attr(p, mem, "placement");
        nodeset = attr(p, mem, "nodeset");
        d->specified = true;
        d->mode = NP_MODE_STRICT;
        if (mode) {
                r = value_mode(p, mem, mode, &d->mode);
                if (r < 0)
                        return r;
        }
        if (placement && strcmp(placement, "auto") && strcmp(placement, "static"))
                return fail_attr(p, mem, "placement", placement,
                                 "unknown placement (expected static or auto)");
        if (nodeset) {
                r = value_set(p, mem, "nodeset", nodeset, NP_NODE_MAX, &d->nodes);
                if (r < 0)
                        return r;
                has_nodeset = true;
        }
        if (placement)
                is_auto = !strcmp(placement, "auto");
        else
                is_auto = !has_nodeset && !placement_static;
        if (!is_auto && !has_nodeset)
                return fail_elem(p, mem, "a nodeset is required unless placement is 'auto'");
        /* libvirt drops a nodeset given together with placement='auto' */
        d->placement_auto = is_auto;
        if (is_auto)
                np_bitmap_clear(&d->nodes);
        return 0;
}

/* One <numatune><memnode>: the binding of one guest cell. */
static int parse_memnode(struct parse *p, xmlNode *m, struct domain *d)
{
        const char *cellid = attr(p, m, "cellid");
        const char *mode = attr(p, m, "mode");
        const char *nodeset = attr(p, m, "nodeset");
        struct cell *cell;
        unsigned cid = 0;
        int r;

        if (d->specified && d->placement_auto)
                return fail_elem(p, m, "per-cell binding cannot be combined with automatic (numad) placement");
        if (d->n_cells == 0)
                return fail_elem(p, m, "the guest has no NUMA cells to bind");
        if (!cellid)
                return p->oom ? oom(p) : fail_elem(p, m, "missing attribute 'cellid'");
        r = value_uint(p, m, "cellid", cellid, UINT32_MAX, &cid);
        if (r < 0)
                return r;
        if (cid >= d->n_cells)
                return fail_attr(p, m, "cellid", cellid,
                                 "the guest has no NUMA cell %u (its cells are 0-%zu)",
                                 cid, d->n_cells - 1);
        cell = &d->cells[cid];
        if (cell->has_memnode)
                return fail_attr(p, m, "cellid", cellid, "a second <memnode> for this cell");
        cell->memnode_mode = NP_MODE_STRICT;
        if (mode) {
                r = value_mode(p, m, mode, &cell->memnode_mode);
                if (r < 0)
                        return r;
        }
        if (d->specified && d->mode == NP_MODE_RESTRICTIVE &&
            cell->memnode_mode != NP_MODE_RESTRICTIVE)
                return fail_attr(p, m, "mode", mode ? mode : "strict",
                                 "must be 'restrictive' when <memory mode='restrictive'>");
        if (!nodeset)
                return p->oom ? oom(p) : fail_elem(p, m, "missing attribute 'nodeset'");
        r = value_set(p, m, "nodeset", nodeset, NP_NODE_MAX, &cell->memnode_nodes);
        if (r < 0)
                return r;
        cell->has_memnode = true;
        return 0;
}

static int parse_numatune(struct parse *p, xmlNode *root, struct domain *d)
{
        struct nodes tunes = { 0 }, memnodes = { 0 };
        xmlNode *mem;
        int r;

        r = find_all(p, root, "./numatune", &tunes);
        if (r < 0)
                return r;
        if (tunes.n > 1)
                r = fail_elem(p, tunes.tab[1], "only one <numatune> is allowed");
        nodes_done(&tunes);
        if (r < 0)
                return r;
        mem = find_one(p, root, "./numatune/memory");
        if (p->oom)
                return oom(p);
        r = parse_numatune_memory(p, mem, d);
        if (r == 0)
                r = find_all(p, root, "./numatune/memnode", &memnodes);
        for (int i = 0; r == 0 && i < memnodes.n; i++)
                r = parse_memnode(p, memnodes.tab[i], d);
        if (memnodes.obj)
                nodes_done(&memnodes);
        return r;
}

/* <memoryBacking>: huge pages, memory source and access mode. */
static int parse_backing(struct parse *p, xmlNode *root, struct domain *d)
{
        xmlNode *mb = find_one(p, root, "./memoryBacking");
        xmlNode *hp, *n;
        struct nodes pages = { 0 };
        int r = 0;

        if (!mb)
                return p->oom ? oom(p) : 0;

        n = find_one(p, mb, "./source");
        if (n) {
                const char *type = attr(p, n, "type");

                if (!type || !strcmp(type, "anonymous"))
                        d->source = SOURCE_ANONYMOUS;
                else if (!strcmp(type, "file"))
                        d->source = SOURCE_FILE;
                else if (!strcmp(type, "memfd"))
                        d->source = SOURCE_MEMFD;
                else
                        return fail_attr(p, n, "type", type,
                                         "unknown memory source (expected anonymous, file or memfd)");
        }
        n = find_one(p, mb, "./access");
        if (n) {
                const char *mode = attr(p, n, "mode");

                if (mode) {
                        r = value_access(p, n, "mode", mode, &d->access);
                        if (r < 0)
                                return r;
                }
        }

        hp = find_one(p, mb, "./hugepages");
        if (!hp)
                return p->oom ? oom(p) : 0;
        r = find_all(p, hp, "./page", &pages);
        if (r < 0)
                return r;
        /* <hugepages/> alone: one page of the host's default size for all */
        d->pages = calloc(pages.n ? (size_t)pages.n : 1, sizeof(*d->pages));
        if (!d->pages) {
                nodes_done(&pages);
                p->oom = true;
                return oom(p);
        }
        d->n_pages = pages.n ? (size_t)pages.n : 1;
        d->pages[0].node = hp;

        for (int i = 0; i < pages.n && r == 0; i++) {
                xmlNode *pn = pages.tab[i];
                struct page *pg = &d->pages[i];
                const char *size = attr(p, pn, "size");
                const char *nodeset = attr(p, pn, "nodeset");

                pg->node = pn;
                if (!size) {
                        r = p->oom ? oom(p) : fail_elem(p, pn, "missing attribute 'size'");
                        break;
                }
                r = value_kib(p, pn, "size", size, &pg->kib);
                if (r < 0)
                        break;
                if (pg->kib == 0) {
                        r = fail_attr(p, pn, "size", size, "a page size cannot be zero");
                        break;
                }
                /* every page size a kernel has is a power of two of at
                 * least 4 KiB */
                if (pg->kib < 4 || (pg->kib & (pg->kib - 1))) {
                        r = fail_attr(p, pn, "size", size, "no such page size (a power of two of at least 4 KiB)");
                        break;
                }
                if (nodeset) {
                        r = value_set(p, pn, "nodeset", nodeset, NP_NODE_MAX, &pg->cells);
                        if (r < 0)
                                break;
                        pg->has_cells = true;
                }
        }
        nodes_done(&pages);
        return r;
}

/* The checks of virDomainDefPostParseMemtune and virDomainDefMemtuneValidate:
 * page nodesets name GUEST cells, must not overlap, and at most one page
 * may go without a nodeset.  A guest without cells is one implicit cell 0,
 * so a page naming only cell 0 is the page for all its memory. */
static int check_pages(struct parse *p, struct domain *d)
{
        for (size_t i = 0; i < d->n_pages; i++) {
                struct page *pg = &d->pages[i];
                const char *nodeset;
                int last;

                if (!pg->has_cells)
                        continue;
                nodeset = attr(p, pg->node, "nodeset");
                if (!nodeset)
                        return oom(p);
                if (d->n_cells == 0 && np_bitmap_next(&pg->cells, 1) < 0) {
                        pg->has_cells = false;
                        continue;
                }
                last = -1;
                for (int b = np_bitmap_next(&pg->cells, 0); b >= 0;
                     b = np_bitmap_next(&pg->cells, (unsigned)b + 1))
                        last = b;
                if ((size_t)last >= d->n_cells) {
                        if (d->n_cells == 0)
                                return fail_attr(p, pg->node, "nodeset", nodeset,
                                                 "the guest has no NUMA cells, so a page can only name cell 0");
                        return fail_attr(p, pg->node, "nodeset", nodeset,
                                         "names guest cell %d, but the guest's cells are 0-%zu",
                                         last, d->n_cells - 1);
                }
        }
        for (size_t i = 0; i < d->n_pages; i++) {
                for (size_t j = 0; j < i; j++) {
                        struct page *a = &d->pages[i], *b = &d->pages[j];

                        if (!a->has_cells && !b->has_cells)
                                return fail_elem(p, a->node,
                                                 "a second page size for all cells; only one <page> may go without a nodeset");
                        if (a->has_cells && b->has_cells) {
                                np_bitmap both = a->cells;

                                np_bitmap_and(&both, &b->cells);
                                if (!np_bitmap_is_empty(&both)) {
                                        const char *nodeset = attr(p, a->node, "nodeset");

                                        return fail_attr(p, a->node, "nodeset",
                                                         nodeset ? nodeset : "",
                                                         "overlaps the nodeset of an earlier <page>");
                                }
                        }
                }
        }
        return 0;
}

static const struct {
        const char *model;
        np_region_kind kind;
        const char *prefix;
} memory_models[] = {
        { "dimm", NP_REGION_DIMM, "dimm" },
        { "nvdimm", NP_REGION_NVDIMM, "nvdimm" },
        { "virtio-mem", NP_REGION_VIRTIO_MEM, "virtiomem" },
        { "virtio-pmem", NP_REGION_VIRTIO_PMEM, "virtiopmem" },
};

/* A user alias libvirt keeps in a configuration
 * (virDomainDeviceInfoParseXML): "ua-" and then only these characters.
 * Every other alias there is dropped and the device named afresh. */
static bool user_alias(const char *s)
{
        static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

        return !strncmp(s, "ua-", 3) && strspn(s, chars) == strlen(s);
}

/* The text of the first element matching @expr below @node: 1 with
 * *@ret_node and *@ret_text, 0 when there is none, < 0 on failure. */
static int find_text(struct parse *p, xmlNode *node, const char *expr, xmlNode **ret_node,
                     const char **ret_text)
{
        xmlNode *n = find_one(p, node, expr);

        if (!n)
                return p->oom ? oom(p) : 0;
        if (!(*ret_text = text(p, n)))
                return oom(p);
        *ret_node = n;
        return 1;
}

/* virtio-mem's <block> and <requested>, checked as
 * virDomainMemoryDefValidate does: the block a power of two no smaller
 * than a transparent huge page, the requested size a whole number of
 * blocks within <size>. */
static int parse_virtio_mem(struct parse *p, xmlNode *m, struct memdev *dev)
{
        uint64_t requested = 0;
        const char *s;
        xmlNode *n;
        int r;

        r = find_text(p, m, "./target/block", &n, &s);
        if (r == 0)
                return fail_elem(p, m, "missing <target><block>, the block size virtio-mem needs");
        if (r > 0)
                r = value_kib(p, n, NULL, s, &dev->block_kib);
        if (r < 0)
                return r;
        if (dev->block_kib == 0 || (dev->block_kib & (dev->block_kib - 1)))
                return fail_text(p, n, s, "the block size must be a power of two");
        if (dev->block_kib < MIN_BLOCK_KIB)
                return fail_text(p, n, s, "the block size must be at least %u KiB", MIN_BLOCK_KIB);
        r = find_text(p, m, "./target/requested", &n, &s);
        if (r <= 0)
                return r;
        r = value_kib(p, n, NULL, s, &requested);
        if (r < 0)
                return r;
        if (requested > dev->kib)
                return fail_text(p, n, s, "more than the device's <size> (%" PRIu64 " KiB)", dev->kib);
        if (requested % dev->block_kib)
                return fail_text(p, n, s, "not a whole number of blocks of %" PRIu64 " KiB",
                                 dev->block_kib);
        return 0;
}

/* The device's model, or dev->skip for one that holds no guest RAM. */
static int parse_device_model(struct parse *p, xmlNode *m, struct memdev *dev)
{
        const char *model = attr(p, m, "model");
        size_t k;

        /* SGX enclave page cache is no guest RAM: libvirt neither counts
         * it in the memory size nor gives it a NUMA binding of its own */
        if (model && !strcmp(model, "sgx-epc")) {
                dev->skip = true;
                return 0;
        }
        for (k = 0; k < sizeof(memory_models) / sizeof(memory_models[0]); k++)
                if (model && !strcmp(model, memory_models[k].model))
                        break;
        if (k == sizeof(memory_models) / sizeof(memory_models[0])) {
                if (!model)
                        return p->oom ? oom(p) : fail_elem(p, m, "missing attribute 'model'");
                return fail_attr(p, m, "model", model,
                                 "unknown memory device model (expected dimm, nvdimm, virtio-mem or virtio-pmem)");
        }
        dev->kind = memory_models[k].kind;
        dev->prefix = memory_models[k].prefix;
        return 0;
}

/* What names the device in the process: its alias (a live domain's, or
 * one the user gave) and its DIMM slot. */
static int parse_device_names(struct parse *p, xmlNode *m, const struct domain *d,
                              struct memdev *dev)
{
        xmlNode *n = find_one(p, m, "./alias");
        const char *s;
        int r;

        if (n && (s = attr(p, n, "name")) && (d->live || user_alias(s))) {
                if (strlen("mem") + strlen(s) >= NP_ID_MAX || !*s)
                        return fail_attr(p, n, "name", s,
                                         "an alias must be 1 to %d characters long",
                                         NP_ID_MAX - 4);
                dev->alias = s;
                dev->alias_node = n;
        }
        n = find_one(p, m, "./address");
        if (n) {
                const char *type = attr(p, n, "type");
                const char *slot = attr(p, n, "slot");

                if (type && !strcmp(type, "dimm") && slot) {
                        r = value_uint(p, n, "slot", slot, NP_BITMAP_MAX - 1, &dev->slot);
                        if (r < 0)
                                return r;
                        dev->has_slot = true;
                        dev->slot_node = n;
                }
        }
        return p->oom ? oom(p) : 0;
}

/* <target>: the size, virtio-mem's blocks and the guest cell; first
 * the file a persistent memory device maps. */
static int parse_device_target(struct parse *p, xmlNode *m, const struct domain *d,
                               struct memdev *dev)
{
        const char *s, *model;
        unsigned cell = 0;
        xmlNode *n;
        int r;

        /* nvdimm and virtio-pmem map a file; virDomainMemorySourceDefParseXML
         * insists on it */
        if (dev->kind == NP_REGION_NVDIMM || dev->kind == NP_REGION_VIRTIO_PMEM) {
                r = find_text(p, m, "./source/path", &n, &s);
                model = r >= 0 ? attr(p, m, "model") : NULL;
                if (!model)
                        return oom(p);
                if (r == 0 || !*s)
                        return fail_attr(p, m, "model", model,
                                         "needs the file it maps in <source><path>");
        }
        r = find_text(p, m, "./target/size", &n, &s);
        if (r == 0)
                return fail_elem(p, m, "missing <target><size>");
        if (r > 0)
                r = value_kib(p, n, NULL, s, &dev->kib);
        if (r == 0 && dev->kind == NP_REGION_VIRTIO_MEM)
                r = parse_virtio_mem(p, m, dev);
        if (r == 0)
                r = find_text(p, m, "./target/node", &n, &s);
        if (r <= 0)
                return r;
        r = value_uint(p, n, NULL, s, UINT32_MAX, &cell);
        if (r < 0)
                return r;
        if (cell >= d->n_cells && d->n_cells == 0)
                return fail_text(p, n, s, "the guest has no NUMA cells");
        if (cell >= d->n_cells)
                return fail_text(p, n, s, "the guest has no NUMA cell %u (its cells are 0-%zu)",
                                 cell, d->n_cells - 1);
        dev->cell = (int)cell;
        return 0;
}

/* <source> of the RAM-like modules: a host nodemask and a page size
 * (nvdimm and virtio-pmem are backed by their <source><path>). */
static int parse_device_source(struct parse *p, xmlNode *m, struct memdev *dev)
{
        const char *s;
        xmlNode *n;
        int r;

        if (dev->kind != NP_REGION_DIMM && dev->kind != NP_REGION_VIRTIO_MEM)
                return 0;
        r = find_text(p, m, "./source/nodemask", &n, &s);
        if (r > 0) {
                r = value_set(p, n, NULL, s, NP_NODE_MAX, &dev->nodemask);
                dev->has_nodemask = r == 0;
        }
        if (r == 0)
                r = find_text(p, m, "./source/pagesize", &n, &s);
        if (r > 0)
                r = value_kib(p, n, NULL, s, &dev->pagesize_kib);
        return r < 0 ? r : 0;
}

static int parse_device(struct parse *p, xmlNode *m, struct domain *d,
                        struct memdev *dev)
{
        const char *access;
        int r;

        dev->cell = -1;
        dev->node = m;
        r = parse_device_model(p, m, dev);
        if (r < 0 || dev->skip)
                return r;
        access = attr(p, m, "access");
        if (access) {
                r = value_access(p, m, "access", access, &dev->access);
                if (r < 0)
                        return r;
        }
        r = parse_device_names(p, m, d, dev);
        if (r == 0)
                r = parse_device_target(p, m, d, dev);
        if (r == 0)
                r = parse_device_source(p, m, dev);
        if (r < 0)
                return r;
        return p->oom ? oom(p) : 0;
}

/* A libvirt alias index: "dimm3" with prefix "dimm" is 3; -1 otherwise
 * (qemuDomainDeviceAliasIndex). */
static long alias_index(const char *alias, const char *prefix)
{
        size_t n = strlen(prefix);
        uint64_t v;

        if (!alias || strncmp(alias, prefix, n) || np_parse_u64_max(alias + n, INT32_MAX, &v) < 0)
                return -1;
        return (long)v;
}

/* Names as libvirt gives them: dimm and nvdimm modules share the DIMM
 * slots, those without <address type='dimm' slot> take the lowest free one
 * in document order, and their alias carries the slot number; virtio-mem
 * and virtio-pmem sit on PCI and count up from the highest alias of their
 * kind so far (qemuDomainAssignMemorySlots, qemuAssignDeviceMemoryAlias). */
static void name_devices(struct domain *d)
{
        np_bitmap used;

        np_bitmap_clear(&used);
        for (size_t i = 0; i < d->n_devs; i++)
                if (d->devs[i].has_slot)
                        np_bitmap_set(&used, d->devs[i].slot);
        for (size_t i = 0; i < d->n_devs; i++) {
                struct memdev *dev = &d->devs[i];
                unsigned slot = 0;

                if (dev->skip || dev->has_slot ||
                    (dev->kind != NP_REGION_DIMM && dev->kind != NP_REGION_NVDIMM))
                        continue;
                while (slot < NP_BITMAP_MAX - 1 && np_bitmap_test(&used, slot))
                        slot++;
                np_bitmap_set(&used, slot);
                dev->slot = slot;
                dev->has_slot = true;
        }

        for (size_t i = 0; i < d->n_devs; i++) {
                struct memdev *dev = &d->devs[i];
                long idx = 0;

                if (dev->skip || dev->alias)
                        continue;
                if (dev->kind == NP_REGION_DIMM || dev->kind == NP_REGION_NVDIMM) {
                        idx = dev->slot;
                } else {
                        for (size_t j = 0; j < d->n_devs; j++) {
                                long other = d->devs[j].skip ? -1
                                           : alias_index(d->devs[j].alias, dev->prefix);

                                if (other >= idx)
                                        idx = other + 1;
                        }
                }
                snprintf(dev->alias_buf, sizeof(dev->alias_buf), "%s%ld", dev->prefix, idx);
                dev->alias = dev->alias_buf;
        }
}

static int parse_devices(struct parse *p, xmlNode *root, struct domain *d)
{
        struct nodes mems = { 0 };
        int r;

        r = find_all(p, root, "./devices/memory", &mems);
        if (r < 0)
                return r;
        if (mems.n == 0) {
                nodes_done(&mems);
                return 0;
        }
        if ((unsigned)mems.n > MAX_MEMORY_DEVICES) {
                r = fail_elem(p, mems.tab[MAX_MEMORY_DEVICES], "more than %u memory devices",
                              MAX_MEMORY_DEVICES);
                nodes_done(&mems);
                return r;
        }
        d->devs = calloc((size_t)mems.n, sizeof(*d->devs));
        if (!d->devs) {
                nodes_done(&mems);
                p->oom = true;
                return oom(p);
        }
        d->n_devs = (size_t)mems.n;
        for (int i = 0; i < mems.n && r == 0; i++)
                r = parse_device(p, mems.tab[i], d, &d->devs[i]);
        nodes_done(&mems);
        if (r == 0)
                name_devices(d);
        return r;
}

/* The memory hotplug rules libvirt 9.0 enforces when it defines a domain
 * (virDomainDefPostParseMemory, virDomainDefValidate,
 * qemuDomainDefValidateMemoryHotplug): memory devices need <maxMemory>
 * and NUMA cells, each takes one of its slots, modules name their cell,
 * explicit slots exist and differ, user aliases are unique, and the
 * memory stays within the maximum.  A live XML passed the rules of the
 * libvirt that runs it, and those change: later versions let virtio-mem
 * and virtio-pmem go without slots. */
static int check_hotplug(struct parse *p, struct domain *d)
{
        unsigned count = 0;
        uint64_t total = 0;
        np_bitmap slots;

        if (d->live)
                return 0;
        np_bitmap_clear(&slots);
        for (size_t i = 0; i < d->n_devs; i++) {
                struct memdev *dev = &d->devs[i];

                if (dev->skip)
                        continue;
                count++;
                if (!d->max_node)
                        return fail_elem(p, dev->node,
                                         "a memory device needs memory hotplug, but there is no <maxMemory>");
                if (count > d->max_slots)
                        return fail_elem(p, dev->node,
                                         "memory device %u, but <maxMemory slots='%u'> (dimm, nvdimm, virtio-mem and virtio-pmem take one slot each)",
                                         count, d->max_slots);
                if (dev->cell < 0 && d->n_cells && dev->kind != NP_REGION_VIRTIO_PMEM)
                        return fail_elem(p, dev->node,
                                         "missing <target><node>: the guest has NUMA cells, so the device must name one");
                if (dev->slot_node) {
                        const char *slot = attr(p, dev->slot_node, "slot");

                        if (!slot)
                                return oom(p);
                        if (dev->slot >= d->max_slots)
                                return fail_attr(p, dev->slot_node, "slot", slot,
                                                 "beyond the %u slots of <maxMemory> (0-%u)",
                                                 d->max_slots, d->max_slots - 1);
                        if (np_bitmap_test(&slots, dev->slot))
                                return fail_attr(p, dev->slot_node, "slot", slot,
                                                 "a second memory device in this slot");
                        np_bitmap_set(&slots, dev->slot);
                }
                for (size_t j = 0; dev->alias_node && j < i; j++)
                        if (d->devs[j].alias_node && !strcmp(d->devs[j].alias, dev->alias))
                                return fail_attr(p, dev->alias_node, "name", dev->alias,
                                                 "a second device with this alias");
                if (__builtin_add_overflow(total, dev->kib, &total))
                        return fail_elem(p, dev->node, "the memory devices add up to more than can be counted");
        }
        if (!d->max_node)
                return 0;
        if (d->n_cells == 0)
                return fail_elem(p, d->max_node,
                                 "memory hotplug needs at least one NUMA cell in <cpu><numa>");
        for (size_t i = 0; i < d->n_cells; i++)
                if (__builtin_add_overflow(total, d->cells[i].kib, &total))
                        return fail_elem(p, d->max_node, "the cells add up to more than can be counted");
        if (total > d->max_memory_kib)
                return fail_elem(p, d->max_node,
                                 "%" PRIu64 " KiB is less than the cells and memory devices together (%" PRIu64 " KiB)",
                                 d->max_memory_kib, total);
        return 0;
}

/* ---- regions ----------------------------------------------------------- */

/* The page size libvirt's qemuBuildMemoryGetPagesize picks: the device's
 * own, else the first <page> naming the cell, else the one without
 * nodeset.  A region without a cell (pc.ram) only takes the latter. */
static void region_pages(const struct domain *d, uint64_t own_kib, int cell,
                         np_region *r, bool *ret_huge)
{
        uint64_t kib = own_kib;
        bool huge = own_kib != 0;

        if (!huge) {
                const struct page *master = NULL, *found = NULL;

                for (size_t i = 0; i < d->n_pages && !found; i++) {
                        const struct page *pg = &d->pages[i];

                        if (!pg->has_cells)
                                master = pg;
                        else if (cell >= 0 && np_bitmap_test(&pg->cells, (unsigned)cell))
                                found = pg;
                }
                if (!found)
                        found = master;
                if (found) {
                        kib = found->kib;
                        huge = true;
                }
        }
        r->pagesize_default = false;
        if (huge && kib == SYSTEM_PAGE_KIB) {
                huge = false;
        } else if (huge && kib == 0) {
                kib = DEFAULT_HUGEPAGE_KIB;
                r->pagesize_default = true;
        }
        r->pagesize_kib = huge ? kib : SYSTEM_PAGE_KIB;
        *ret_huge = huge;
}

/* Binding, following qemuBuildMemoryBackendProps: the mode of the cell's
 * memnode, else of <memory>, else strict (which only matters for a device
 * with its own nodemask); the nodes of the device's nodemask, else numad's
 * (placement auto), else the cell's memnode, else <memory>'s. */
static void region_binding(const struct domain *d, const struct memdev *dev,
                           int cell, np_region *r)
{
        const struct cell *c = cell >= 0 ? &d->cells[cell] : NULL;

        np_bitmap_clear(&r->nodes);
        r->has_nodes = false;
        r->placement_auto = false;

        if (c && c->has_memnode)
                r->mode = c->memnode_mode;
        else if (d->specified)
                r->mode = d->mode;
        else
                r->mode = NP_MODE_STRICT;

        if (dev && dev->has_nodemask) {
                r->nodes = dev->nodemask;
                r->has_nodes = true;
        } else if (d->specified && d->placement_auto) {
                r->placement_auto = true;
        } else if (c && c->has_memnode) {
                r->nodes = c->memnode_nodes;
                r->has_nodes = true;
        } else if (d->specified) {
                r->nodes = d->nodes;
                r->has_nodes = true;
        } else {
                r->mode = NP_MODE_NONE;
        }

        if (r->mode == NP_MODE_NONE)
                r->enforcement = NP_ENFORCE_NONE;
        else if (r->mode == NP_MODE_RESTRICTIVE)
                r->enforcement = NP_ENFORCE_CGROUP;
        else
                r->enforcement = NP_ENFORCE_MBIND;
}

/* Backing, following qemuBuildMemoryBackendProps: nvdimm and virtio-pmem
 * map their path; otherwise <source type='memfd'> gives memfd, and huge
 * pages, any explicit access mode or <source type='file'> a file. */
static void region_backing(const struct domain *d, const struct memdev *dev,
                           int cell, bool huge, np_region *r)
{
        enum access access = dev ? dev->access : ACCESS_DEFAULT;

        /* virtio-pmem writes must reach the file: libvirt makes it shared
         * unless the device says otherwise (observed on 9.0: share=true) */
        if (access == ACCESS_DEFAULT && dev && dev->kind == NP_REGION_VIRTIO_PMEM)
                access = ACCESS_SHARED;
        if (access == ACCESS_DEFAULT && cell >= 0)
                access = d->cells[cell].access;
        if (access == ACCESS_DEFAULT)
                access = d->access;
        r->shared = access == ACCESS_SHARED;

        if (dev && (dev->kind == NP_REGION_NVDIMM || dev->kind == NP_REGION_VIRTIO_PMEM))
                r->backing = NP_BACKING_FILE;
        else if (d->source == SOURCE_MEMFD)
                r->backing = NP_BACKING_MEMFD;
        else if (huge || access != ACCESS_DEFAULT || d->source == SOURCE_FILE)
                r->backing = NP_BACKING_FILE;
        else
                r->backing = NP_BACKING_ANONYMOUS;
}

static void fill_region(const struct domain *d, const struct memdev *dev,
                        int cell, np_region *r)
{
        bool huge;

        r->cell = cell;
        region_pages(d, dev ? dev->pagesize_kib : 0, cell, r, &huge);
        if (dev && (dev->kind == NP_REGION_NVDIMM || dev->kind == NP_REGION_VIRTIO_PMEM)) {
                /* the file at <source><path> holds it, whatever pages the cell has */
                huge = false;
                r->pagesize_kib = SYSTEM_PAGE_KIB;
                r->pagesize_default = false;
        }
        region_binding(d, dev, cell, r);
        region_backing(d, dev, cell, huge, r);
}

/* The size a backend gets.  A domain started anew has its sizes rounded
 * up (qemuDomainAlignMemorySizes: cells to 1 MiB, dimm and nvdimm modules
 * to 2 MiB, virtio-mem to its block) and the live XML shows the result;
 * a domain started for an incoming migration or from a saved image
 * keeps the sizes it came with.  (virtio-pmem is aligned like a DIMM:
 * observed on 9.0, 30000 KiB became 31457280 bytes.)  A configuration is taken as started
 * anew, a live XML as it stands. */
static uint64_t started_size(const struct domain *d, uint64_t kib, uint64_t align)
{
        return d->live ? kib : align_up(kib, align);
}

static int build_regions(struct parse *p, xmlNode *root, const struct domain *d,
                         np_intent *in)
{
        size_t n = d->n_cells ? d->n_cells : 1;
        uint64_t devs_kib = 0;
        size_t k = 0;

        for (size_t i = 0; i < d->n_devs; i++) {
                if (d->devs[i].skip)
                        continue;
                n++;
                if (__builtin_add_overflow(devs_kib, d->devs[i].kib, &devs_kib))
                        return fail_elem(p, root, "the memory devices add up to more than can be counted");
        }

        /* virDomainDefPostParseMemory: with cells, the memory is theirs
         * and the devices'; else <memory>, which holds the devices too */
        if (d->n_cells) {
                in->memory_kib = devs_kib;
                for (size_t i = 0; i < d->n_cells; i++)
                        if (__builtin_add_overflow(in->memory_kib, d->cells[i].kib, &in->memory_kib))
                                return fail_elem(p, root, "the cells add up to more than can be counted");
        } else if (d->has_memory) {
                in->memory_kib = d->memory_kib;
                if (devs_kib > d->memory_kib)
                        return fail_elem(p, root,
                                         "the memory devices (%" PRIu64 " KiB) exceed <memory> (%" PRIu64 " KiB)",
                                         devs_kib, d->memory_kib);
        } else {
                return fail_elem(p, root, "missing <memory>");
        }

        in->regions = calloc(n, sizeof(*in->regions));
        if (!in->regions) {
                p->oom = true;
                return oom(p);
        }

        if (d->n_cells) {
                for (size_t i = 0; i < d->n_cells; i++, k++) {
                        np_region *r = &in->regions[k];

                        snprintf(r->id, sizeof(r->id), "ram-node%zu", i);
                        r->kind = NP_REGION_CELL;
                        r->xml_kib = d->cells[i].kib;
                        r->size_kib = started_size(d, r->xml_kib, CELL_ALIGN_KIB);
                        fill_region(d, NULL, (int)i, r);
                }
        } else {
                np_region *r = &in->regions[k++];
                uint64_t base = in->memory_kib - (d->has_memory ? devs_kib : 0);

                if (base == 0)
                        return fail_elem(p, root, "no memory is left for the guest's base RAM");
                snprintf(r->id, sizeof(r->id), "pc.ram");
                r->kind = NP_REGION_MACHINE;
                r->xml_kib = base;
                r->size_kib = started_size(d, base, CELL_ALIGN_KIB);
                fill_region(d, NULL, -1, r);
        }

        for (size_t i = 0; i < d->n_devs; i++) {
                const struct memdev *dev = &d->devs[i];
                np_region *r;

                if (dev->skip)
                        continue;
                r = &in->regions[k++];
                snprintf(r->id, sizeof(r->id), "mem%s", dev->alias);
                r->kind = dev->kind;
                r->xml_kib = dev->kib;
                if (dev->kind != NP_REGION_VIRTIO_MEM)
                        r->size_kib = started_size(d, dev->kib, DIMM_ALIGN_KIB);
                else
                        r->size_kib = started_size(d, dev->kib, dev->block_kib);
                fill_region(d, dev, dev->cell, r);
        }
        in->n_regions = k;

        in->live = d->live;
        in->has_numatune = d->specified;
        in->mode = d->specified ? d->mode : NP_MODE_NONE;
        in->placement_auto = d->specified && d->placement_auto;
        in->has_nodes = d->specified && !d->placement_auto;
        in->nodes = d->nodes;
        return 0;
}

/* ---- CPU pins ------------------------------------------------------------ */

static int pin_order(const void *a, const void *b)
{
        const np_pin *x = a, *y = b;

        if (x->kind != y->kind)
                return x->kind < y->kind ? -1 : 1;
        return x->id < y->id ? -1 : x->id > y->id;
}

/* A set of iothread ids: libvirt takes any unsigned id above 0, far
 * beyond what a bitmap holds, so a sorted array. */
struct idset {
        unsigned *ids;
        size_t n, cap;
};

static bool idset_has(const struct idset *set, unsigned id)
{
        size_t lo = 0, hi = set->n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (set->ids[mid] == id)
                        return true;
                if (set->ids[mid] < id)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return false;
}

/* Add @id (not yet in the set); -ENOMEM. */
static int idset_add(struct idset *set, unsigned id)
{
        size_t at = set->n;

        if (np_array_reserve(&set->ids, &set->cap, set->n + 1) < 0)
                return -ENOMEM;
        while (at > 0 && set->ids[at - 1] > id)
                at--;
        memmove(set->ids + at + 1, set->ids + at, (set->n - at) * sizeof(*set->ids));
        set->ids[at] = id;
        set->n++;
        return 0;
}

static void idset_done(struct idset *set)
{
        free(set->ids);
        memset(set, 0, sizeof(*set));
}

/* The ids of the iothreads: those of <iothreadids>, then the lowest unused
 * ones until there are <iothreads> of them (as libvirt fills them). */
static int parse_iothreads(struct parse *p, xmlNode *root, struct idset *ids,
                           unsigned *ret_count)
{
        xmlNode *n = find_one(p, root, "./iothreads");
        struct nodes list = { 0 };
        unsigned want = 0, have = 0;
        int r;

        if (n) {
                const char *s = text(p, n);

                if (!s)
                        return oom(p);
                r = value_uint(p, n, NULL, s, MAX_IOTHREADS, &want);
                if (r < 0)
                        return r;
        }
        r = find_all(p, root, "./iothreadids/iothread", &list);
        if (r < 0)
                return r;
        for (int i = 0; i < list.n && r == 0; i++) {
                const char *id = attr(p, list.tab[i], "id");
                unsigned v = 0;

                if (!id) {
                        r = p->oom ? oom(p) : fail_elem(p, list.tab[i], "missing attribute 'id'");
                        break;
                }
                if (i >= (int)MAX_IOTHREADS) {
                        r = fail_elem(p, list.tab[i], "more than %u iothreads", MAX_IOTHREADS);
                        break;
                }
                r = value_uint(p, list.tab[i], "id", id, UINT32_MAX, &v);
                if (r == 0 && v == 0)
                        r = fail_attr(p, list.tab[i], "id", id, "iothread ids start at 1");
                if (r == 0 && idset_has(ids, v))
                        r = fail_attr(p, list.tab[i], "id", id, "a second iothread with this id");
                if (r == 0) {
                        if (idset_add(ids, v) < 0)
                                r = oom(p);
                        have++;
                }
        }
        nodes_done(&list);
        if (r < 0)
                return r;
        for (unsigned id = 1; have < want && id < UINT32_MAX; id++)
                if (!idset_has(ids, id)) {
                        if (idset_add(ids, id) < 0)
                                return oom(p);
                        have++;
                }
        *ret_count = have;
        return 0;
}

/* The threads a domain pins, by kind: each has its pin element; an
 * emulator has one thread, named by no attribute. */
static const struct pin_kind {
        np_thread_kind kind;
        const char *expr;       /* its pin elements (the emulator's first) */
        const char *element;
        const char *id_attr;    /* which thread the element pins, or NULL */
        const char *thread;     /* a thread in messages */
} pin_kinds[] = {
        { NP_THREAD_VCPU, "./cputune/vcpupin", "vcpupin", "vcpu", "vCPU" },
        { NP_THREAD_EMULATOR, "(./cputune/emulatorpin)[1]", "emulatorpin", NULL, "emulator" },
        { NP_THREAD_IOTHREAD, "./cputune/iothreadpin", "iothreadpin", "iothread", "iothread" },
};

/* The pin element @n of kind @k, for one of @threads not yet in @pinned. */
static int parse_pin(struct parse *p, xmlNode *n, const struct pin_kind *k,
                     const struct idset *threads, struct idset *pinned,
                     const struct domain *d, np_intent *in)
{
        const char *id_text = k->id_attr ? attr(p, n, k->id_attr) : "0";
        const char *cpuset = attr(p, n, "cpuset");
        np_pin *pin = &in->pins[in->n_pins];
        unsigned id = 0;
        int r;

        if (!id_text || !cpuset)
                return p->oom ? oom(p) : fail_elem(p, n, "missing attribute '%s'",
                                                   id_text ? "cpuset" : k->id_attr);
        if (k->id_attr) {
                r = value_uint(p, n, k->id_attr, id_text, UINT32_MAX, &id);
                if (r < 0)
                        return r;
                if (!idset_has(threads, id) && k->kind == NP_THREAD_VCPU)
                        return fail_attr(p, n, k->id_attr, id_text, "the domain has %u vCPUs (0-%u)",
                                         d->vcpus, d->vcpus - 1);
                if (!idset_has(threads, id))
                        return fail_attr(p, n, k->id_attr, id_text, "the domain has no iothread %u", id);
                if (idset_has(pinned, id))
                        return fail_attr(p, n, k->id_attr, id_text, "a second <%s> for this %s",
                                         k->element, k->thread);
        }
        r = value_set(p, n, "cpuset", cpuset, NP_BITMAP_MAX, &pin->cpus);
        if (r < 0)
                return r;
        if (idset_add(pinned, id) < 0)
                return oom(p);
        pin->kind = k->kind;
        pin->id = id;
        in->n_pins++;
        return 0;
}

/* The pins of the @threads of kind @k: their pin elements, then <vcpu
 * cpuset> for those without one, as libvirt's qemuProcessSetupPid falls
 * back to it. */
static int parse_pins_of(struct parse *p, xmlNode *root, const struct pin_kind *k,
                         const struct idset *threads, const struct domain *d, np_intent *in)
{
        struct nodes list = { 0 };
        struct idset pinned = { 0 };
        int r = find_all(p, root, k->expr, &list);

        for (int i = 0; r == 0 && i < list.n; i++)
                r = parse_pin(p, list.tab[i], k, threads, &pinned, d, in);
        if (list.obj)
                nodes_done(&list);
        for (size_t t = 0; r == 0 && d->has_cpuset && t < threads->n; t++) {
                if (!idset_has(&pinned, threads->ids[t])) {
                        np_pin *pin = &in->pins[in->n_pins++];

                        pin->kind = k->kind;
                        pin->id = threads->ids[t];
                        pin->cpus = d->cpuset;
                }
        }
        idset_done(&pinned);
        return r;
}

/* The threads of each kind, by id: vCPUs 0 to vcpus - 1, the emulator
 * (0), the iothreads. */
static int list_threads(struct parse *p, xmlNode *root, const struct domain *d,
                        struct idset threads[NP_THREAD__COUNT])
{
        unsigned n_iothreads;
        int r = parse_iothreads(p, root, &threads[NP_THREAD_IOTHREAD], &n_iothreads);

        for (unsigned id = 0; r == 0 && id < d->vcpus; id++)
                if (idset_add(&threads[NP_THREAD_VCPU], id) < 0)
                        r = oom(p);
        if (r == 0 && idset_add(&threads[NP_THREAD_EMULATOR], 0) < 0)
                r = oom(p);
        return r;
}

static int parse_pins(struct parse *p, xmlNode *root, const struct domain *d,
                      np_intent *in)
{
        struct idset threads[NP_THREAD__COUNT] = { { 0 } };
        size_t n_threads = 0;
        int r = list_threads(p, root, d, threads);

        for (size_t k = 0; k < NP_THREAD__COUNT; k++)
                n_threads += threads[k].n;
        if (r == 0 && !(in->pins = calloc(n_threads, sizeof(*in->pins)))) {
                p->oom = true;
                r = oom(p);
        }
        for (size_t k = 0; r == 0 && k < sizeof(pin_kinds) / sizeof(pin_kinds[0]); k++)
                r = parse_pins_of(p, root, &pin_kinds[k], &threads[pin_kinds[k].kind], d, in);
        for (size_t k = 0; k < NP_THREAD__COUNT; k++)
                idset_done(&threads[k]);
        if (r < 0)
                return r;
        qsort(in->pins, in->n_pins, sizeof(*in->pins), pin_order);
        in->vcpus = d->vcpus;
        return 0;
}

/* ---- metadata ------------------------------------------------------------ */

static bool element_in_ns(const xmlNode *n, const char *name, const char *ns,
                          bool ns_is_prefix)
{
        const char *href;

        if (n->type != XML_ELEMENT_NODE || !n->ns || !n->ns->href ||
            strcmp((const char *)n->name, name))
                return false;
        href = (const char *)n->ns->href;
        return ns_is_prefix ? !strncmp(href, ns, strlen(ns)) : !strcmp(href, ns);
}

static int parse_metadata(struct parse *p, xmlNode *root, np_intent *in)
{
        xmlNode *md = find_one(p, root, "./metadata");
        bool nova = false, policy = false;
        int r;

        if (!md)
                return p->oom ? oom(p) : 0;
        for (xmlNode *n = md->children; n; n = n->next) {
                if (!nova && element_in_ns(n, "instance", NOVA_NS_PREFIX, true)) {
                        nova = true;
                        if (in->uuid) {
                                r = dup_string(p, in->uuid, &in->nova_uuid);
                                if (r < 0)
                                        return r;
                        }
                        for (xmlNode *c = n->children; c; c = c->next) {
                                const char *name;

                                if (!element_in_ns(c, "flavor", (const char *)n->ns->href, false))
                                        continue;
                                name = attr(p, c, "name");
                                if (name) {
                                        r = dup_string(p, name, &in->nova_flavor);
                                        if (r < 0)
                                                return r;
                                }
                                break;
                        }
                } else if (!policy && element_in_ns(n, "policy", NUMAPLACE_NS, false)) {
                        const char *mode = attr(p, n, "mode");

                        policy = true;
                        if (!mode)
                                return p->oom ? oom(p) : fail_elem(p, n, "missing attribute 'mode'");
                        if (strcmp(mode, "enforce") && strcmp(mode, "warn") && strcmp(mode, "off"))
                                return fail_attr(p, n, "mode", mode,
                                                 "unknown numaplace policy (expected enforce, warn or off)");
                        r = dup_string(p, mode, &in->override_mode);
                        if (r < 0)
                                return r;
                }
        }
        return p->oom ? oom(p) : 0;
}

/* ---- host PCI devices ---------------------------------------------------- */

/* One part of a PCI address as libvirt reads it (virStrToLong_uip with
 * base 0: "0x21", "33" and "041" are the same bus), no larger than @max.
 * An absent part is 0. */
static int address_part(struct parse *p, const xmlNode *node, const char *name,
                        unsigned max, unsigned *ret)
{
        const char *v = attr(p, node, name);
        uint64_t n;

        *ret = 0;
        if (!v)
                return p->oom ? oom(p) : 0;
        if (np_parse_u64_base0(v, max, &n) < 0)
                return fail_attr(p, node, name, v, "expected a number no larger than 0x%x", max);
        *ret = (unsigned)n;
        return 0;
}

static int add_hostdev(struct parse *p, xmlNode *address, bool interface, np_intent *in)
{
        unsigned domain, bus, slot, function;
        const char *type = attr(p, address, "type");
        np_hostdev *n;
        int r;

        if (type && strcmp(type, "pci"))
                return p->oom ? oom(p) : 0;
        r = address_part(p, address, "domain", 0xffff, &domain);
        if (r == 0)
                r = address_part(p, address, "bus", 0xff, &bus);
        if (r == 0)
                r = address_part(p, address, "slot", 0x1f, &slot);
        if (r == 0)
                r = address_part(p, address, "function", 0x7, &function);
        if (r < 0)
                return r;
        if (np_array_reserve(&in->hostdevs, &p->cap_hostdevs, in->n_hostdevs + 1) < 0)
                return oom(p);
        n = &in->hostdevs[in->n_hostdevs++];
        memset(n, 0, sizeof(*n));
        snprintf(n->address, sizeof(n->address), "%04x:%02x:%02x.%x", domain, bus, slot, function);
        n->interface = interface;
        return 0;
}

/* <hostdev mode='subsystem' type='pci'> (mode defaults to subsystem) and
 * <interface type='hostdev'>: the host address is in <source><address>;
 * the <address> beside <source> is the guest's. */
static int parse_hostdevs(struct parse *p, xmlNode *root, np_intent *in)
{
        static const struct {
                const char *expr;
                bool interface;
        } kinds[] = {
                { "./devices/hostdev[@type='pci' and (not(@mode) or @mode='subsystem')]/source/address", false },
                { "./devices/interface[@type='hostdev']/source/address", true },
        };
        int r = 0;

        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && r == 0; k++) {
                struct nodes ns = { 0 };

                r = find_all(p, root, kinds[k].expr, &ns);
                for (int i = 0; r == 0 && i < ns.n; i++)
                        r = add_hostdev(p, ns.tab[i], kinds[k].interface, in);
                nodes_done(&ns);
        }
        return r;
}

/* ---- entry points ---------------------------------------------------------- */

static void domain_done(struct domain *d)
{
        free(d->cells);
        free(d->pages);
        free(d->devs);
}

/* The <domain> of a domain XML or of a libvirt status XML
 * (/run/libvirt/qemu/NAME.xml), and which of the two it is: libvirt
 * writes id='N' on the domain of a running one. */
static int find_domain(struct parse *p, xmlNode **root, struct domain *d)
{
        xmlNode *dom = *root;

        if (!strcmp((const char *)dom->name, "domstatus")) {
                dom = find_one(p, *root, "./domain");
                if (!dom)
                        return p->oom ? oom(p) : fail_elem(p, *root, "a status XML without <domain>");
                d->live = true;
        } else if (strcmp((const char *)dom->name, "domain")) {
                return fail_elem(p, dom, "the root element must be <domain>");
        }
        if (!d->live) {
                const char *id = attr(p, dom, "id");

                if (p->oom)
                        return oom(p);
                d->live = id && *id;
        }
        *root = dom;
        return 0;
}

int np_intent_from_domxml(const char *buf, size_t len, const char *filename,
                          np_intent **ret, np_error *err)
{
        struct parse p = { .file = filename ? filename : "domain XML", .err = err };
        struct domain *d = calloc(1, sizeof(*d));
        np_intent *in = calloc(1, sizeof(*in));
        xmlNode *root = NULL;
        int r;

        if (!d || !in) {
                free(d);
                free(in);
                return oom(&p);
        }
        r = read_document(&p, buf, len, NULL, &root);
        if (r == 0)
                r = find_domain(&p, &root, d);
        if (r == 0)
                r = parse_identity(&p, root, in);
        if (r == 0)
                r = parse_vcpu(&p, root, d);
        if (r == 0)
                r = parse_memory(&p, root, d);
        if (r == 0)
                r = parse_cells(&p, root, d);
        if (r == 0)
                r = parse_numatune(&p, root, d);
        if (r == 0)
                r = parse_backing(&p, root, d);
        if (r == 0)
                r = check_pages(&p, d);
        if (r == 0)
                r = parse_devices(&p, root, d);
        if (r == 0)
                r = check_hotplug(&p, d);
        if (r == 0)
                r = build_regions(&p, root, d, in);
        if (r == 0)
                r = parse_pins(&p, root, d, in);
        if (r == 0)
                r = parse_metadata(&p, root, in);
        if (r == 0)
                r = parse_hostdevs(&p, root, in);
        if (r == 0 && p.oom)
                r = oom(&p);

        domain_done(d);
        free(d);
        parse_done(&p);
        if (r < 0) {
                np_intent_free(in);
                return r;
        }
        *ret = in;
        return 0;
}

int np_intent_read_domxml(const char *path, np_intent **ret, np_error *err)
{
        bool is_stdin = !strcmp(path, "-");
        const char *name = is_stdin ? "<stdin>" : path;
        char *buf = NULL;
        size_t len = 0;
        int fd, r;

        fd = is_stdin ? STDIN_FILENO : np_file_open(path, 0, err);
        if (fd < 0)
                return fd;
        r = np_fd_read_all(fd, name, NP_DOMXML_MAX, &buf, &len, err);
        if (!is_stdin)
                close(fd);
        if (r < 0)
                return r;
        r = np_intent_from_domxml(buf, len, name, ret, err);
        free(buf);
        return r;
}

int np_intent_apply_status(np_intent *intent, const char *buf, size_t len,
                           const char *filename, np_error *err)
{
        struct parse p = { .file = filename ? filename : "status XML", .err = err };
        xmlNode *root = NULL, *numad;
        const char *nodeset;
        np_bitmap nodes;
        int r;

        r = read_document(&p, buf, len, "domstatus", &root);
        if (r < 0)
                goto out;
        numad = find_one(&p, root, "./numad");
        nodeset = numad ? attr(&p, numad, "nodeset") : NULL;
        if (p.oom) {
                r = oom(&p);
                goto out;
        }
        if (!nodeset || !*nodeset)
                goto out;
        r = value_set(&p, numad, "nodeset", nodeset, NP_NODE_MAX, &nodes);
        if (r < 0)
                goto out;

        for (size_t i = 0; i < intent->n_regions; i++) {
                np_region *reg = &intent->regions[i];

                if (!reg->placement_auto)
                        continue;
                reg->nodes = nodes;
                reg->has_nodes = true;
                intent->numad_resolved = true;
        }
        if (intent->placement_auto) {
                intent->nodes = nodes;
                intent->has_nodes = true;
                intent->numad_resolved = true;
        }
out:
        parse_done(&p);
        return r;
}
