/* numaplace-hook.c: the libvirt qemu hook (installed as
 * /etc/libvirt/hooks/qemu.d/numaplace).
 *
 * libvirt runs it as `HOOK NAME OP SUBOP EXTRA` with the domain XML on
 * standard input.  Three operations get work:
 *   prepare begin    pre-flight of the XML against the host (no QEMU yet)
 *   started begin    full check of the running QEMU (pid from the pid file)
 *   reconnect begin  the same check, logged only: a non-zero exit there
 *                    would kill a running guest when libvirtd restarts
 * Every other operation exits 0 before doing anything.
 *
 * The hook never writes to standard output (in qemu.d, output at
 * migrate/restore replaces the domain XML), never calls libvirt (the
 * daemon waits for us: deadlock), and never hangs: the work runs in a
 * child process that the parent kills when timeout_ms runs out.  Exit 0
 * lets libvirt go on, exit 1 stops the start, and libvirt shows the one
 * line written to standard error in the error of `virsh start`. */
#include "atomic_file.h"
#include "check.h"
#include "decide.h"
#include "error.h"
#include "hookconf.h"
#include "host.h"
#include "intent.h"
#include "json.h"
#include "libvirt_run.h"
#include "preflight.h"
#include "report.h"
#include "subprocess.h"
#include "sysroot.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define SUMMARY_MAX 2048
#define LINE_MAX_SHOWN 1000   /* longest reason put on stderr */
#define CHILD_REPLY_MAX (32u << 20)

/* What the checking child sends back: this header, then json_len bytes
 * of a JSON object whose members are added to the decision log line. */
typedef struct outcome {
        int status;                  /* 0, or -errno when the check could not be done */
        bool parsed;                 /* the domain XML parsed: uuid and mode are set */
        char uuid[64];               /* the domain's <uuid>, or "" */
        char override_mode[32];      /* numaplace:policy mode= in its metadata, or "" */
        bool off;                    /* that mode is off: nothing was checked */
        np_verdict verdict;
        char error[NP_ERROR_MAX];    /* when status < 0 */
        char summary[SUMMARY_MAX];   /* per-region summary or shortfalls */
        size_t json_len;
} outcome;

typedef struct hook {
        np_hook_op op;
        const char *name;
        np_hookconf conf;
        bool conf_broken;
        char conf_error[NP_ERROR_MAX];
        np_hook_mode mode;
        const char *mode_source;     /* "config" or "metadata" */
        np_intent *intent;           /* in the child only */
        const char *xml;             /* the domain XML, parsed by the child */
        size_t xml_len;
        const char *uuid;            /* from the child's parse, or NULL */
        uint64_t started_us;         /* np_monotonic_us() at the start */
} hook;

/* Only "OP begin" gets work; the operations are the decider's names. */
static np_hook_op parse_op(const char *op, const char *subop)
{
        np_hook_op o;

        if (strcmp(subop, "begin") != 0 || np_hook_op_from_string(op, &o) < 0)
                return NP_HOOK_OP_OTHER;
        return o;
}

static int64_t ms_since_start(const hook *h)
{
        return (int64_t)((np_monotonic_us() - h->started_us) / 1000);
}

/* Standard output must stay empty whatever a library might print. */
static void silence_stdout(void)
{
        int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

        if (fd < 0) {
                close(STDOUT_FILENO);
                return;
        }
        if (fd != STDOUT_FILENO) {
                dup2(fd, STDOUT_FILENO);
                close(fd);
        }
}

static int write_all(int fd, const void *buf, size_t len)
{
        const char *p = buf;

        while (len) {
                ssize_t n = write(fd, p, len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

/* The hook's deadline: timeout_ms after it started. */
static uint64_t deadline_us(const hook *h)
{
        return h->started_us + (uint64_t)h->conf.timeout_ms * 1000u;
}

/* Read standard input (the domain XML) until EOF, at most until
 * timeout_ms after the hook started.  Returns 0 or -errno (-ETIMEDOUT,
 * -EFBIG beyond NP_DOMXML_MAX). */
static int read_stdin(const hook *h, char **ret, size_t *ret_len)
{
        return np_fd_read_deadline(STDIN_FILENO, deadline_us(h), NP_DOMXML_MAX, ret, ret_len);
}

/* The configuration file must not be writable by anyone the hook (root)
 * should not trust: it names a file the hook appends to. */
static void load_config(hook *h)
{
        struct stat st;
        np_error err = { "" };
        int r;

        np_hookconf_init(&h->conf);
        if (stat(NP_HOOKCONF_PATH, &st) == 0 &&
            ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH)))) {
                snprintf(h->conf_error, sizeof(h->conf_error),
                         "%s is writable by others than its owner or not owned by root, ignoring it",
                         NP_HOOKCONF_PATH);
                h->conf_broken = true;
                return;
        }
        r = np_hookconf_read(NP_HOOKCONF_PATH, &h->conf, &err);
        if (r < 0 && r != -ENOENT) {
                snprintf(h->conf_error, sizeof(h->conf_error), "%s; using the defaults", err.msg);
                h->conf_broken = true;
        }
}

/* The one line libvirt shows: no newline inside, bounded length. */
static void one_line(char *s)
{
        for (char *p = s; *p; p++)
                if (*p == '\n' || *p == '\r')
                        *p = ' ';
        if (strlen(s) > LINE_MAX_SHOWN)
                strcpy(s + LINE_MAX_SHOWN - 3, "...");
}

/* ---- the work, run in the child ---------------------------------------- */

/* The require_binding rule (decide.h) for this VM on @host: its
 * verdict, and a sentence in @buf or "" when the VM passes. */
static np_verdict binding_rule(const hook *h, const np_host *host, char *buf, size_t len)
{
        return np_hook_binding_rule(h->conf.require_binding, h->intent->has_numatune,
                                    host->n_nodes, buf, len);
}

static void append(char *buf, size_t len, const char *s)
{
        size_t used = strlen(buf);

        if (!*s || used + 1 >= len)
                return;
        snprintf(buf + used, len - used, "%s%s", used ? "; " : "", s);
}

static void shortfalls_json(np_json *j, const np_preflight *pf)
{
        np_json_key(j, "shortfalls");
        np_json_array_begin(j);
        for (size_t i = 0; i < pf->n_items; i++) {
                const np_shortfall *s = &pf->items[i];
                char nodes[256];

                np_bitmap_format(&s->nodes, nodes, sizeof(nodes));
                np_json_object_begin(j);
                np_json_kv_string(j, "kind", np_shortfall_kind_to_string(s->kind));
                np_json_kv_string(j, "regions", s->regions);
                np_json_kv_string(j, "nodes", nodes);
                if (s->pagesize_kib)
                        np_json_kv_u64(j, "pagesize_kib", s->pagesize_kib);
                if (s->kind == NP_SHORTFALL_HUGEPAGES) {
                        np_json_kv_u64(j, "needed", s->needed);
                        np_json_kv_u64(j, "free", s->available);
                }
                np_json_kv_bool(j, "preferred_only", s->preferred_only);
                np_json_kv_string(j, "message", s->message);
                np_json_object_end(j);
        }
        np_json_array_end(j);
}

static int do_prepare(const hook *h, const np_sysroot *root, outcome *o, FILE *json)
{
        char binding[256];
        np_error err = { "" };
        np_preflight *pf = NULL;
        np_host *host = NULL;
        np_json j;
        int r;

        r = np_host_read(root, &host, &err);
        if (r < 0) {
                snprintf(o->error, sizeof(o->error), "%s", err.msg);
                return r;
        }
        r = np_preflight_run(h->intent, host, &pf, &err);
        if (r < 0) {
                snprintf(o->error, sizeof(o->error), "%s", err.msg);
                np_host_free(host);
                return r;
        }
        o->verdict = np_hook_prepare_verdict(binding_rule(h, host, binding, sizeof(binding)), pf,
                                             h->conf.preferred_is_violation);
        append(o->summary, sizeof(o->summary), binding);
        for (size_t i = 0; i < pf->n_items; i++)
                append(o->summary, sizeof(o->summary), pf->items[i].message);
        if (!o->summary[0])
                snprintf(o->summary, sizeof(o->summary), "%zu region%s fit%s the host",
                         h->intent->n_regions, h->intent->n_regions == 1 ? "" : "s",
                         h->intent->n_regions == 1 ? "s" : "");

        np_json_init(&j, json, false);
        np_json_object_begin(&j);
        np_json_kv_string(&j, "binding", binding[0] ? binding : NULL);
        shortfalls_json(&j, pf);
        np_json_object_end(&j);
        np_json_finish(&j);

        np_preflight_free(pf);
        np_host_free(host);
        return 0;
}

static int read_pid(const hook *h, const np_sysroot *root, pid_t *ret, np_error *err)
{
        return np_libvirt_run_pid(root, h->name, ret, err);
}

/* numad's nodeset for placement='auto' is only in the status XML; without
 * it the regions stay unresolved and the check says unverified. */
static void apply_status(const hook *h, const np_sysroot *root)
{
        np_libvirt_run_apply_status(root, h->name, h->intent, NULL);
}

/* {"binding":..,"check":{the check document}} on one line. */
static int write_check_json(const hook *h, const np_check_result *res,
                            const char *binding, FILE *json)
{
        char *doc = NULL;
        size_t len = 0;
        np_json j;
        FILE *mem;

        mem = open_memstream(&doc, &len);
        if (!mem)
                return -ENOMEM;
        np_report_check_json(mem, h->intent, res, false);
        if (fclose(mem) != 0) {
                free(doc);
                return -ENOMEM;
        }
        while (len && (doc[len - 1] == '\n' || doc[len - 1] == ' '))
                doc[--len] = '\0';
        fputs("{\"binding\":", json);
        np_json_init(&j, json, false);
        np_json_string(&j, binding[0] ? binding : NULL);
        fprintf(json, ",\"check\":%s}\n", doc);
        free(doc);
        return 0;
}

static int do_check(const hook *h, const np_sysroot *root, outcome *o, FILE *json)
{
        np_check_options opts = {
                .preferred_is_violation = h->conf.preferred_is_violation,
                .device_policy = h->conf.device_policy,
                .sample_pages = h->conf.sample_pages,
                .sample_above_kib = h->conf.sample_above_kib,
                .pid_from_name = true, /* /run/libvirt/qemu/NAME.pid */
        };
        np_check_result *res = NULL;
        np_error err = { "" };
        np_host *host = NULL;
        char binding[256] = "";
        np_verdict binding_verdict = NP_VERDICT_COMPLIANT;
        pid_t pid = 0;
        int r;

        r = np_host_read(root, &host, &err);
        if (r == 0) {
                if (host->default_hugepage_kib)
                        np_intent_set_default_hugepage(h->intent, host->default_hugepage_kib);
                binding_verdict = binding_rule(h, host, binding, sizeof(binding));
                np_host_free(host);
        }
        /* without the host the check itself may still succeed: go on */

        r = read_pid(h, root, &pid, &err);
        if (r < 0) {
                snprintf(o->error, sizeof(o->error), "%s", err.msg);
                return r;
        }
        apply_status(h, root);
        r = np_check_process(root, h->intent, pid, &opts, &res, &err);
        if (r < 0) {
                snprintf(o->error, sizeof(o->error), "%s", err.msg);
                return r;
        }
        o->verdict = np_hook_check_verdict(res->verdict, binding_verdict);
        append(o->summary, sizeof(o->summary), binding);
        if (res->verdict != NP_VERDICT_COMPLIANT || !binding[0]) {
                char summary[SUMMARY_MAX];

                np_report_summary(res, summary, sizeof(summary));
                append(o->summary, sizeof(o->summary), summary);
        }

        r = write_check_json(h, res, binding, json);
        np_check_result_free(res);
        if (r < 0)
                snprintf(o->error, sizeof(o->error), "out of memory");
        return r;
}

/* The domain XML is parsed here, inside timeout_ms: a document with a
 * million cells takes long enough to stall libvirt otherwise. */
static int parse_domain(hook *h, outcome *o)
{
        np_error err = { "" };
        int r;

        r = np_intent_from_domxml(h->xml, h->xml_len, "domain XML", &h->intent, &err);
        if (r < 0) {
                snprintf(o->error, sizeof(o->error), "%s", err.msg);
                return r;
        }
        o->parsed = true;
        snprintf(o->uuid, sizeof(o->uuid), "%s", h->intent->uuid ? h->intent->uuid : "");
        if (h->intent->override_mode) {
                np_hook_mode m;

                snprintf(o->override_mode, sizeof(o->override_mode), "%s", h->intent->override_mode);
                o->off = np_hook_mode_from_string(h->intent->override_mode, &m) == 0 &&
                         m == NP_HOOK_MODE_OFF;
        } else {
                o->off = h->mode == NP_HOOK_MODE_OFF;
        }
        return 0;
}

/* The checking child: its outcome and JSON go to @fd. */
static void child_main(int fd, void *userdata)
{
        hook h_copy = *(const hook *)userdata, *h = &h_copy;
        outcome o;
        np_error err = { "" };
        np_sysroot *root = NULL;
        char *json = NULL;
        size_t json_len = 0;
        FILE *mem;
        int devnull, r;

        /* A child that outlives the parent (stuck in the kernel after
         * SIGKILL) must not keep libvirt's pipes open. */
        devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (devnull >= 0) {
                dup2(devnull, STDIN_FILENO);
                dup2(devnull, STDOUT_FILENO);
                dup2(devnull, STDERR_FILENO);
                if (devnull > STDERR_FILENO)
                        close(devnull);
        }

        memset(&o, 0, sizeof(o));
        mem = open_memstream(&json, &json_len);
        if (!mem) {
                o.status = -ENOMEM;
                snprintf(o.error, sizeof(o.error), "out of memory");
        } else if ((r = parse_domain(h, &o)) < 0 || o.off) {
                o.status = r;
                fclose(mem);
                json_len = 0;
        } else {
                r = np_sysroot_open(h->conf.sysroot, &root, &err);
                if (r < 0) {
                        o.status = r;
                        snprintf(o.error, sizeof(o.error), "%s", err.msg);
                } else if (h->op == NP_HOOK_OP_PREPARE) {
                        o.status = do_prepare(h, root, &o, mem);
                } else {
                        o.status = do_check(h, root, &o, mem);
                }
                np_sysroot_free(root);
                if (fclose(mem) != 0 && o.status == 0) {
                        o.status = -ENOMEM;
                        snprintf(o.error, sizeof(o.error), "out of memory");
                }
                if (o.status < 0)
                        json_len = 0;
        }
        o.json_len = json_len;
        if (write_all(fd, &o, sizeof(o)) == 0 && json_len)
                write_all(fd, json, json_len);
        _exit(0);
}

/* ---- the parent: bounded wait, decision, logs --------------------------- */

typedef struct reply {
        outcome o;
        char *json;                  /* NUL-terminated, may be NULL */
        bool timed_out;
} reply;

/* Run child_main() and wait for its reply until timeout_ms after the
 * hook started.  Fills @rep; on any trouble rep->o.status < 0 with a
 * sentence in rep->o.error. */
static void run_child(const hook *h, reply *rep)
{
        np_subprocess p = {
                .child = child_main,
                .userdata = (void *)h,
                .deadline_us = deadline_us(h),
                .max_out = CHILD_REPLY_MAX,
        };
        np_subprocess_result res;
        int r;

        memset(rep, 0, sizeof(*rep));
        r = np_subprocess_run(&p, &res);
        if (res.failed) {
                rep->o.status = r;
                snprintf(rep->o.error, sizeof(rep->o.error), "%s: %s", res.failed, strerror(-r));
                return;
        }
        if (r < 0) {
                /* killed; a child stuck in the kernel is left to init
                 * rather than stalling libvirt */
                rep->timed_out = res.timed_out;
                rep->o.status = res.timed_out ? -ETIMEDOUT : -EIO;
                if (res.timed_out)
                        snprintf(rep->o.error, sizeof(rep->o.error),
                                 "the check did not finish within timeout_ms = %u; it was killed",
                                 h->conf.timeout_ms);
                else
                        snprintf(rep->o.error, sizeof(rep->o.error),
                                 "could not read the check's reply");
                return;
        }
        if (res.out_len < sizeof(outcome)) {
                rep->o.status = -EIO;
                if (WIFSIGNALED(res.status))
                        snprintf(rep->o.error, sizeof(rep->o.error),
                                 "the check was killed by signal %d", WTERMSIG(res.status));
                else
                        snprintf(rep->o.error, sizeof(rep->o.error),
                                 "the check ended without a reply");
                np_subprocess_result_done(&res);
                return;
        }
        memcpy(&rep->o, res.out, sizeof(outcome));
        rep->o.error[sizeof(rep->o.error) - 1] = '\0';
        rep->o.summary[sizeof(rep->o.summary) - 1] = '\0';
        if (rep->o.json_len && rep->o.json_len == res.out_len - sizeof(outcome)) {
                /* the JSON follows the header; the buffer is NUL-terminated */
                memmove(res.out, res.out + sizeof(outcome), rep->o.json_len + 1);
                rep->json = res.out;
                return;
        }
        np_subprocess_result_done(&res);
}

typedef struct decision {
        np_verdict verdict;
        np_hook_action act;
        bool silent;                 /* mode off */
        const char *error;           /* internal error, or NULL */
        const char *summary;
        const char *note;            /* why the action differs from the verdict */
} decision;

/* The decision table (decide.h) applied to the child's reply. */
static decision decide(const hook *h, const reply *rep)
{
        np_hook_decision nd = np_hook_decide(h->mode, h->op, rep->o.status, rep->o.verdict,
                                             h->conf.on_error_refuse, h->conf.unverified_refuse);
        decision d = {
                .verdict = nd.verdict,
                .act = nd.action,
                .silent = nd.silent,
                .summary = rep->o.summary,
                .note = nd.note,
        };

        if (!d.silent && d.verdict == NP_VERDICT_ERROR) {
                d.error = rep->o.status < 0 ? rep->o.error : rep->o.summary;
                d.summary = d.error;
        }
        return d;
}

static void format_time(char *buf, size_t len)
{
        struct timespec ts;
        struct tm tm;
        char base[32];

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf, len, "%s.%03ldZ", base, ts.tv_nsec / 1000000);
}

/* Append one line to log_json with a single write(), so that lines of
 * hooks running at once never interleave. */
static void log_json_line(const hook *h, const decision *d, const reply *rep, int64_t elapsed)
{
        char when[48], *line = NULL;
        np_error err = { "" };
        size_t len = 0;
        np_json j;
        FILE *mem;
        int fd;

        if (!h->conf.log_json)
                return;
        mem = open_memstream(&line, &len);
        if (!mem)
                return;
        format_time(when, sizeof(when));
        np_json_init(&j, mem, false);
        np_json_object_begin(&j);
        np_json_kv_string(&j, "time", when);
        np_json_kv_string(&j, "domain", h->name);
        np_json_kv_string(&j, "uuid", h->uuid);
        np_json_kv_string(&j, "operation", np_hook_op_to_string(h->op));
        np_json_kv_string(&j, "mode", np_hook_mode_to_string(h->mode));
        np_json_kv_string(&j, "mode_from", h->mode_source);
        np_json_kv_string(&j, "verdict", np_verdict_to_string(d->verdict));
        np_json_kv_string(&j, "action", np_hook_action_to_string(d->act));
        np_json_kv_string(&j, "summary", d->summary);
        np_json_kv_string(&j, "error", d->error);
        np_json_kv_bool(&j, "timed_out", rep->timed_out);
        np_json_kv_string(&j, "note", d->note);
        np_json_kv_string(&j, "config_error", h->conf_broken ? h->conf_error : NULL);
        np_json_kv_i64(&j, "elapsed_ms", elapsed);
        np_json_object_end(&j);
        np_json_finish(&j);
        if (fclose(mem) != 0 || len < 3) {
                free(line);
                return;
        }

        /* Merge the child's members: "{a}\n" + "{b}\n" -> "{a,b}\n". */
        if (rep->json) {
                size_t jl = strlen(rep->json);

                while (jl && (rep->json[jl - 1] == '\n' || rep->json[jl - 1] == ' '))
                        jl--;
                if (jl > 2 && rep->json[0] == '{' && rep->json[jl - 1] == '}') {
                        char *merged = malloc(len + jl + 2);

                        if (merged) {
                                size_t pl = len;

                                while (pl && line[pl - 1] != '}')
                                        pl--;
                                memcpy(merged, line, pl - 1);
                                merged[pl - 1] = ',';
                                memcpy(merged + pl, rep->json + 1, jl - 1);
                                merged[pl + jl - 1] = '\n';
                                free(line);
                                line = merged;
                                len = pl + jl;
                        }
                }
        }

        fd = np_log_file_open(h->conf.log_json, &err);
        if (fd < 0)
                syslog(LOG_ERR, "log_json: %s, ignoring", err.msg);
        else if (write_all(fd, line, len) < 0)
                syslog(LOG_ERR, "cannot append to log_json '%s': %s, ignoring",
                       h->conf.log_json, strerror(errno));
        if (fd >= 0)
                close(fd);
        free(line);
}

static void log_decision(const hook *h, const decision *d, const reply *rep)
{
        static const char *const done[] = {
                [NP_HOOK_ACTION_ALLOW] = "allowed",
                [NP_HOOK_ACTION_WARN] = "allowed with a warning",
                [NP_HOOK_ACTION_REFUSE] = "refused",
        };
        int prio = LOG_INFO;
        int64_t elapsed = ms_since_start(h);

        if (d->act == NP_HOOK_ACTION_WARN)
                prio = LOG_WARNING;
        if (d->act == NP_HOOK_ACTION_REFUSE || d->error)
                prio = LOG_ERR;
        syslog(prio, "'%s' uuid=%s %s: %s, %s (mode %s from %s%s%s): %s [%" PRId64 " ms]",
               h->name, h->uuid ? h->uuid : "-",
               np_hook_op_to_string(h->op), np_verdict_to_string(d->verdict), done[d->act],
               np_hook_mode_to_string(h->mode), h->mode_source,
               d->note ? "; " : "", d->note ? d->note : "", d->summary, elapsed);
        log_json_line(h, d, rep, elapsed);
}

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: numaplace-hook NAME OPERATION SUB-OPERATION EXTRA < DOMAIN-XML\n"
                "libvirt qemu hook: checks NUMA placement at prepare, started and reconnect.\n"
                "Configuration: %s\n", NP_HOOKCONF_PATH);
}

int main(int argc, char **argv)
{
        decision d = { .act = NP_HOOK_ACTION_ALLOW };
        reply rep;
        hook h;
        int rc = 0;
        char *xml = NULL;
        size_t xml_len = 0;
        int r;

        if (argc == 2 && strcmp(argv[1], "--help") == 0) {
                usage(stdout);
                return 0;
        }
        if (argc == 2 && strcmp(argv[1], "--version") == 0) {
                printf("numaplace-hook %s\n", NP_VERSION);
                return 0;
        }
        silence_stdout();
        if (argc < 4) {
                usage(stderr);
                return 0;
        }

        memset(&h, 0, sizeof(h));
        h.started_us = np_monotonic_us();
        h.op = parse_op(argv[2], argv[3]);
        if (h.op == NP_HOOK_OP_OTHER)
                return 0;
        h.name = argv[1];

        openlog("numaplace", LOG_PID, LOG_DAEMON);
        load_config(&h);
        if (h.conf_broken)
                syslog(LOG_ERR, "configuration: %s", h.conf_error);
        h.mode = h.conf.mode;
        h.mode_source = "config";
        memset(&rep, 0, sizeof(rep));

        if (!*h.name || strchr(h.name, '/') || strcmp(h.name, ".") == 0 || strcmp(h.name, "..") == 0) {
                rep.o.status = -EINVAL;
                snprintf(rep.o.error, sizeof(rep.o.error), "domain name '%s' cannot name a file", h.name);
                goto decided;
        }
        r = read_stdin(&h, &xml, &xml_len);
        if (r < 0) {
                rep.o.status = r;
                rep.timed_out = r == -ETIMEDOUT;
                if (r == -ETIMEDOUT)
                        snprintf(rep.o.error, sizeof(rep.o.error),
                                 "the domain XML did not arrive within timeout_ms = %u", h.conf.timeout_ms);
                else if (r == -EFBIG)
                        snprintf(rep.o.error, sizeof(rep.o.error),
                                 "the domain XML is larger than %u bytes", NP_DOMXML_MAX);
                else
                        snprintf(rep.o.error, sizeof(rep.o.error), "reading the domain XML: %s", strerror(-r));
                goto decided;
        }
        /* mode = off in the configuration: nothing to do unless the
         * domain's metadata asks for more, which only its parse (in the
         * child, within timeout_ms) can tell */
        h.xml = xml;
        h.xml_len = xml_len;
        run_child(&h, &rep);
        free(xml);
        xml = NULL;
        if (rep.o.parsed) {
                h.uuid = rep.o.uuid[0] ? rep.o.uuid : NULL;
                if (rep.o.override_mode[0]) {
                        np_hook_mode m;

                        if (np_hook_mode_from_string(rep.o.override_mode, &m) == 0) {
                                h.mode = m;
                                h.mode_source = "metadata";
                        } else {
                                syslog(LOG_WARNING, "'%s': unknown numaplace:policy mode '%s' in the domain metadata, ignoring",
                                       h.name, rep.o.override_mode);
                        }
                }
        }
        if (rep.o.parsed && rep.o.off)
                goto out;

decided:
        d = decide(&h, &rep);
        if (d.silent)
                goto out;
        log_decision(&h, &d, &rep);
        if (d.act == NP_HOOK_ACTION_REFUSE) {
                char line[SUMMARY_MAX + 128];

                if (d.error)
                        snprintf(line, sizeof(line), "check failed: %s (%s)", d.error, d.note);
                else
                        snprintf(line, sizeof(line), "%s", d.summary);
                one_line(line);
                fprintf(stderr, "numaplace: refusing '%s': %s\n", h.name, line);
                rc = 1;
        }
out:
        free(rep.json);
        np_intent_free(h.intent);
        np_hookconf_done(&h.conf);
        closelog();
        return rc;
}
