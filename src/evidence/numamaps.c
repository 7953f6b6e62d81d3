/* numamaps.c: parse and stream /proc/PID/numa_maps.
 *
 * The kernel prints one line per mapping (fs/proc/task_mmu.c
 * show_numa_map): the start address, the policy as mm/mempolicy.c
 * mpol_to_str() formats it, then space separated tokens.  Two traps shape
 * this parser.  The policy may itself contain a space ("prefer (many):0-1",
 * "weighted interleave:0-3"), so it is matched against the known mode
 * names instead of being cut at the first space.  File paths are escaped
 * with \ooo for space, tab, newline and '=', so the " (deleted)" that
 * d_path() appends arrives as "\040(deleted)". */
#include "numamaps.h"
#include "enum.h"
#include "error.h"
#include "number.h"
#include "proclines.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* mpol_to_str() writes into a 64 byte buffer: a policy printed with 63
 * characters may have lost the end of its node list. */
#define KERNEL_POLICY_BUFFER 64

static const char *const policy_names[NP_POLICY__COUNT] = {
        [NP_POLICY_DEFAULT] = "default",
        [NP_POLICY_LOCAL] = "local",
        [NP_POLICY_BIND] = "bind",
        [NP_POLICY_PREFERRED] = "prefer",
        [NP_POLICY_PREFERRED_MANY] = "prefer (many)",
        [NP_POLICY_INTERLEAVE] = "interleave",
        [NP_POLICY_WEIGHTED_INTERLEAVE] = "weighted interleave",
};

/* Tried in this order so that "prefer (many)" is not read as "prefer"
 * followed by a token "(many):0-1". */
static const np_policy_kind policy_match_order[] = {
        NP_POLICY_WEIGHTED_INTERLEAVE,
        NP_POLICY_PREFERRED_MANY,
        NP_POLICY_INTERLEAVE,
        NP_POLICY_PREFERRED,
        NP_POLICY_DEFAULT,
        NP_POLICY_LOCAL,
        NP_POLICY_BIND,
};

NP_ENUM_TO_STRING(np_policy_kind_to_string, np_policy_kind, policy_names, "unknown")

uint64_t np_numamaps_entry_page_kib(const np_numamaps_entry *entry)
{
        return entry->kernelpagesize_kib ? entry->kernelpagesize_kib : 4;
}

static int parse_address(const char **pp, uint64_t *ret, np_error *err)
{
        if (!**pp || **pp == ' ')
                return np_err(err, EINVAL, "expected a hexadecimal address at the start of the line");
        if (np_parse_hex(pp, ' ', ret) < 0)
                return np_err(err, EINVAL, "'%.*s': expected a hexadecimal address",
                              NP_QUOTE_LEN(strcspn(*pp, " ")), *pp);
        return 0;
}

/* "MODE[=FLAG[|FLAG]][:NODES]", MODE possibly containing a space. */
static int parse_policy(const char **pp, np_numamaps_entry *e, np_error *err)
{
        const char *start = *pp, *p, *nodes = NULL;
        const char *name = NULL;
        size_t len, nodes_len = 0;

        for (size_t i = 0; i < sizeof(policy_match_order) / sizeof(policy_match_order[0]); i++) {
                const char *cand = policy_names[policy_match_order[i]];
                size_t n = strlen(cand);

                /* strchr() also matches the NUL: a policy ending the line */
                if (strncmp(start, cand, n) == 0 && strchr("=: ", start[n])) {
                        e->policy = policy_match_order[i];
                        name = cand;
                        break;
                }
        }
        if (!name)
                return np_err(err, EINVAL, "policy '%.*s': unknown mode",
                              NP_QUOTE_LEN(strcspn(start, " ")), start);
        p = start + strlen(name);

        if (*p == '=') {
                /* static or relative, and balancing: newer kernels join
                 * two flags with '|' ("bind=static|balancing:0-1") */
                p++;
                for (;;) {
                        const char *w = p;

                        while (*p >= 'a' && *p <= 'z')
                                p++;
                        if (p == w)
                                return np_err(err, EINVAL, "policy '%.*s': expected a mode flag after '%c'",
                                              NP_QUOTE_LEN(strcspn(start, " ")), start, p[-1]);
                        if (*p != '|')
                                break;
                        p++;
                }
        }
        if (*p == ':') {
                p++;
                nodes = p;
                nodes_len = strspn(p, "0123456789,-");
                p += nodes_len;
                if (nodes_len == 0)
                        return np_err(err, EINVAL, "policy '%.*s': expected a node list after ':'",
                                      NP_QUOTE_LEN(strcspn(start, " ")), start);
        }
        if (*p && *p != ' ')
                return np_err(err, EINVAL, "policy '%.*s': unexpected '%c'",
                              NP_QUOTE_LEN(strcspn(start, " ")), start, *p);

        len = (size_t)(p - start);
        if (len >= sizeof(e->policy_text))
                return np_err(err, EINVAL, "policy '%.*s...': too long", 40, start);
        memcpy(e->policy_text, start, len);
        e->policy_text[len] = '\0';

        if (nodes && len >= KERNEL_POLICY_BUFFER - 1) {
                /* The kernel cut the node list to fit its buffer: the set
                 * printed is not the set in force, so claim none. */
                e->has_policy_nodes = false;
        } else if (nodes) {
                char buf[KERNEL_POLICY_BUFFER * 2];
                np_error sub;

                if (nodes_len >= sizeof(buf))
                        return np_err(err, EINVAL, "policy '%s': node list too long", e->policy_text);
                memcpy(buf, nodes, nodes_len);
                buf[nodes_len] = '\0';
                if (np_bitmap_parse_list(buf, NP_NODE_MAX, &e->policy_nodes, &sub) < 0)
                        return np_err(err, EINVAL, "policy '%s': %s", e->policy_text, sub.msg);
                e->has_policy_nodes = true;
        }
        *pp = p;
        return 0;
}

/* Undo the kernel's \ooo escaping of @len bytes of @s into @out.  A
 * backslash not followed by three octal digits is a literal backslash:
 * the kernel does not escape backslashes themselves. */
static int unescape_path(const char *s, size_t len, char *out, size_t out_len)
{
        size_t o = 0;

        for (size_t i = 0; i < len; i++) {
                char c = s[i];

                if (c == '\\' && i + 3 < len &&
                    s[i + 1] >= '0' && s[i + 1] <= '3' &&
                    s[i + 2] >= '0' && s[i + 2] <= '7' &&
                    s[i + 3] >= '0' && s[i + 3] <= '7') {
                        unsigned v = (unsigned)(s[i + 1] - '0') << 6 |
                                     (unsigned)(s[i + 2] - '0') << 3 |
                                     (unsigned)(s[i + 3] - '0');

                        if (v != 0) {
                                c = (char)v;
                                i += 3;
                        }
                }
                if (o + 1 >= out_len)
                        return -ENAMETOOLONG;
                out[o++] = c;
        }
        out[o] = '\0';
        return 0;
}

static int set_file(np_numamaps_entry *e, const char *val, size_t len, np_error *err)
{
        static const char deleted[] = " (deleted)";
        size_t n, dl = sizeof(deleted) - 1;

        if (len == 0)
                return np_err(err, EINVAL, "file=: expected a path");
        if (unescape_path(val, len, e->path, sizeof(e->path)) < 0)
                return np_err(err, EINVAL, "file=%.40s...: path longer than %u bytes",
                              val, (unsigned)sizeof(e->path) - 1);
        n = strlen(e->path);
        if (n > dl && strcmp(e->path + n - dl, deleted) == 0) {
                e->path[n - dl] = '\0';
                e->deleted = true;
        }
        e->has_file = true;
        return 0;
}

static bool token_is(const char *tok, size_t len, const char *word)
{
        return strlen(word) == len && memcmp(tok, word, len) == 0;
}

/* The counters show_numa_map() prints as key=value, by key. */
static const char *const counter_keys[] = {
        "anon", "dirty", "mapped", "mapmax", "swapcache", "active",
        "writeback", "kernelpagesize_kB",
};

/* "N<node>": an 'N' and anything but a letter (a later kernel's "Nfoo"
 * counter): "N-1" and "N1x" are malformed node keys, not unknown keys. */
static bool is_node_key(const char *key, size_t len)
{
        return len >= 2 && key[0] == 'N' &&
               !((key[1] >= 'a' && key[1] <= 'z') || (key[1] >= 'A' && key[1] <= 'Z'));
}

/* The page sizes a kernel can print: powers of two from 4 KiB up to
 * 16 GiB (the largest hugetlb page, on powerpc). */
#define PAGE_KIB_MAX (16ull << 20)

static bool is_page_kib(uint64_t v)
{
        return v >= 4 && v <= PAGE_KIB_MAX && (v & (v - 1)) == 0;
}

static bool is_known_key(const char *key, size_t len)
{
        for (size_t i = 0; i < sizeof(counter_keys) / sizeof(counter_keys[0]); i++)
                if (token_is(key, len, counter_keys[i]))
                        return true;
        return is_node_key(key, len);
}

/* A start of a word the kernel prints ("kernelpage", "dir"): what a
 * line cut short in the middle of a token leaves. */
static bool is_truncated_word(const char *tok, size_t len)
{
        static const char *const words[] = { "file", "heap", "stack", "huge" };

        for (size_t i = 0; i < sizeof(counter_keys) / sizeof(counter_keys[0]); i++)
                if (len < strlen(counter_keys[i]) && memcmp(tok, counter_keys[i], len) == 0)
                        return true;
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                if (len < strlen(words[i]) && memcmp(tok, words[i], len) == 0)
                        return true;
        return false;
}

static int set_node_pages(np_numamaps_entry *e, const char *tok, size_t klen,
                          const char *val, size_t vlen, np_bitmap *seen,
                          np_error *err)
{
        uint64_t node, pages;

        if (strspn(tok + 1, "0123456789") < klen - 1)
                return np_err(err, EINVAL, "%.*s=%.*s: expected N<node>=<pages>",
                              NP_QUOTE_LEN(klen), tok, NP_QUOTE_LEN(vlen), val);
        if (np_parse_u64(tok + 1, klen - 1, &node) < 0 || node >= NP_NODE_MAX)
                return np_err(err, EINVAL, "%.*s=%.*s: node out of range (limit %u)",
                              NP_QUOTE_LEN(klen), tok, NP_QUOTE_LEN(vlen), val, NP_NODE_MAX - 1);
        if (np_parse_u64(val, vlen, &pages) < 0)
                return np_err(err, EINVAL, "%.*s=%.*s: expected a page count",
                              NP_QUOTE_LEN(klen), tok, NP_QUOTE_LEN(vlen), val);
        if (np_bitmap_test(seen, (unsigned)node))
                return np_err(err, EINVAL, "%.*s=%.*s: node %u appears twice",
                              NP_QUOTE_LEN(klen), tok, NP_QUOTE_LEN(vlen), val, (unsigned)node);
        np_bitmap_set(seen, (unsigned)node);
        e->nodes[e->n_nodes].node = (unsigned)node;
        e->nodes[e->n_nodes].pages = pages;
        e->n_nodes++;
        return 0;
}

static int parse_token(np_numamaps_entry *e, const char *tok, size_t len,
                       np_bitmap *seen, np_error *err)
{
        const char *eq = memchr(tok, '=', len);
        size_t klen, vlen;
        const char *val;
        uint64_t v;

        if (!eq) {
                if (token_is(tok, len, "heap"))
                        e->heap = true;
                else if (token_is(tok, len, "stack"))
                        e->stack = true;
                else if (token_is(tok, len, "huge"))
                        e->huge = true;
                else if (is_known_key(tok, len))
                        return np_err(err, EINVAL, "%.*s: expected '=' and a number", NP_QUOTE_LEN(len), tok);
                else if (is_truncated_word(tok, len))
                        return np_err(err, EINVAL, "'%.*s': truncated token", NP_QUOTE_LEN(len), tok);
                else {
                        /* A bare lowercase word is a flag some later kernel
                         * prints; anything else is not numa_maps. */
                        for (size_t i = 0; i < len; i++)
                                if (!((tok[i] >= 'a' && tok[i] <= 'z') || tok[i] == '_'))
                                        return np_err(err, EINVAL, "'%.*s': unexpected token", NP_QUOTE_LEN(len), tok);
                }
                return 0;
        }

        klen = (size_t)(eq - tok);
        val = eq + 1;
        vlen = len - klen - 1;
        if (token_is(tok, klen, "file"))
                return set_file(e, val, vlen, err);
        if (is_node_key(tok, klen))
                return set_node_pages(e, tok, klen, val, vlen, seen, err);
        if (!is_known_key(tok, klen))
                return 0; /* a counter some later kernel prints */
        if (np_parse_u64(val, vlen, &v) < 0)
                return np_err(err, EINVAL, "%.*s: expected %s", NP_QUOTE_LEN(len), tok,
                              token_is(tok, klen, "kernelpagesize_kB") ?
                              "a page size in KiB" : "a page count");
        if (token_is(tok, klen, "anon"))
                e->anon = v;
        else if (token_is(tok, klen, "dirty"))
                e->dirty = v;
        else if (token_is(tok, klen, "mapped"))
                e->mapped = v;
        else if (token_is(tok, klen, "kernelpagesize_kB")) {
                if (!is_page_kib(v))
                        return np_err(err, EINVAL, "%.*s: not a page size (a power of two from 4 to %llu KiB)",
                                      NP_QUOTE_LEN(len), tok, PAGE_KIB_MAX);
                e->kernelpagesize_kib = v;
        }
        return 0;
}

static void entry_reset(np_numamaps_entry *e)
{
        /* Field by field: the entry is ~22 KiB and reused per line. */
        e->start = 0;
        e->policy = NP_POLICY_DEFAULT;
        e->has_policy_nodes = false;
        np_bitmap_clear(&e->policy_nodes);
        e->policy_text[0] = '\0';
        e->has_file = false;
        e->path[0] = '\0';
        e->deleted = false;
        e->heap = e->stack = e->huge = false;
        e->anon = e->dirty = e->mapped = 0;
        e->kernelpagesize_kib = 0;
        e->n_nodes = 0;
}

int np_numamaps_parse_line(const char *line, np_numamaps_entry *ret, np_error *err)
{
        np_bitmap seen;
        const char *p = line;
        int r;

        entry_reset(ret);
        if (!*line)
                return np_err(err, EINVAL, "empty line");
        r = parse_address(&p, &ret->start, err);
        if (r < 0)
                return r;
        while (*p == ' ')
                p++;
        if (!*p)
                return np_err(err, EINVAL, "missing policy after the address");
        r = parse_policy(&p, ret, err);
        if (r < 0)
                return r;

        np_bitmap_clear(&seen);
        for (;;) {
                size_t len;

                while (*p == ' ')
                        p++;
                if (!*p)
                        break;
                len = strcspn(p, " ");
                /* Written by something that unescaped the path: the
                 * suffix then stands apart as its own token. */
                if (ret->has_file && !ret->deleted && token_is(p, len, "(deleted)")) {
                        ret->deleted = true;
                        p += len;
                        continue;
                }
                r = parse_token(ret, p, len, &seen, err);
                if (r < 0)
                        return r;
                p += len;
        }

        /* Every sum made of these later must fit: the pages of one
         * mapping, in KiB, fit in 64 bits or the line is no kernel's. */
        {
                uint64_t pages = 0, page = np_numamaps_entry_page_kib(ret);

                for (unsigned i = 0; i < ret->n_nodes; i++)
                        if (__builtin_add_overflow(pages, ret->nodes[i].pages, &pages))
                                return np_err(err, EINVAL, "page counts overflow");
                if (pages > UINT64_MAX / page)
                        return np_err(err, EINVAL, "%llu pages of %llu KiB overflow",
                                      (unsigned long long)pages, (unsigned long long)page);
        }
        return 0;
}

uint64_t np_numamaps_entry_kib(const np_numamaps_entry *entry)
{
        uint64_t pages = 0;

        for (unsigned i = 0; i < entry->n_nodes; i++)
                pages += entry->nodes[i].pages;
        return pages * np_numamaps_entry_page_kib(entry);
}

typedef struct numamaps_state {
        np_numamaps_entry *entry;
        np_numamaps_cb cb;
        void *userdata;
} numamaps_state;

static int numamaps_line(char *line, void *userdata, np_error *err)
{
        numamaps_state *st = userdata;
        int r = np_numamaps_parse_line(line, st->entry, err);

        if (r < 0)
                return r;
        return st->cb(st->entry, st->userdata);
}

int np_numamaps_read(const np_sysroot *root, pid_t pid, np_numamaps_cb cb,
                     void *userdata, np_error *err)
{
        /* one entry, reused for every line: it holds a page count per
         * possible node, too large for the stack */
        numamaps_state st = { .entry = malloc(sizeof(np_numamaps_entry)), .cb = cb, .userdata = userdata };
        int r;

        if (!st.entry)
                return np_err(err, ENOMEM, "out of memory");
        r = np_proc_lines_read(root, pid, "numa_maps", numamaps_line, &st, err);
        free(st.entry);
        return r;
}
