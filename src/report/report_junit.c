/* report_junit.c: a host's scan as JUnit XML, the test report format
 * Jenkins (JUnit plugin) and GitLab (unit test reports) read.
 *
 * The structure is Ant's junit report as those tools parse it:
 * <testsuites>, one <testsuite> per host, one <testcase> per VM; inside
 * a testcase <failure> and <error> elements, then <system-out>.  A
 * violation is a failure; something that could not be proven (an
 * unverified region, a VM that could not be checked) is an error, so CI
 * shows "broken" apart from "wrong".  tests/scan/junit.xsd is the schema
 * the output is validated against. */
#include "report_fleet.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

/* Text or attribute content: markup escaped, and the control
 * characters XML 1.0 forbids replaced by a space. */
static const char *xml_escape(unsigned char c)
{
        switch (c) {
        case '&': return "&amp;";
        case '<': return "&lt;";
        case '>': return "&gt;";
        case '"': return "&quot;";
        case '\'': return "&apos;";
        case '\n': return "&#10;";
        case '\t': return "&#9;";
        default: return c < 0x20 ? " " : NULL;
        }
}

static void xml_text(FILE *out, const char *s)
{
        np_utf8_write(out, s, xml_escape);
}

/* A classname part from the host name: letters, digits, '-' and '_'
 * only.  Jenkins splits a classname into package and class at its last
 * dot, so the host's own dots must not count. */
static void class_text(FILE *out, const char *host)
{
        for (; host && *host; host++) {
                unsigned char c = (unsigned char)*host;

                fputc(c < 0x80 && (isalnum(c) || c == '-' || c == '_') ? c : '_', out);
        }
}

static void seconds(FILE *out, uint64_t us)
{
        fprintf(out, "%" PRIu64 ".%03" PRIu64, us / 1000000, us / 1000 % 1000);
}

/* One <failure> or <error>: @what names the region, thread or "not
 * checked"; NULL when @reason is a whole sentence already (findings). */
static void problem(FILE *out, np_verdict v, const char *what, const char *reason)
{
        const char *el = np_verdict_unproven(v) ? "error" : "failure";

        fprintf(out, "      <%s type=\"%s\" message=\"", el, np_verdict_to_string(v));
        for (int i = 0; i < 2; i++) {
                if (what) {
                        xml_text(out, what);
                        fputs(": ", out);
                }
                xml_text(out, reason);
                fputs(i == 0 ? "\">" : "", out);
        }
        fprintf(out, "</%s>\n", el);
}


/* Every violation as a failure, then everything unproven as an error. */
static void problems(FILE *out, const np_scan_vm *vm)
{
        const np_check_result *res = vm->result;

        if (!res) {
                problem(out, NP_VERDICT_ERROR, "not checked", vm->error ? vm->error : "no reason given");
                return;
        }
        for (int pass = 0; pass < 2; pass++) {
                /* pass 0: violations; pass 1: unverified and errors */
#define WANTED(v) (!np_verdict_holds(v) && np_verdict_unproven(v) == (pass == 1))
                for (size_t i = 0; i < vm->findings.n; i++)
                        if (WANTED(vm->findings.items[i].verdict))
                                problem(out, vm->findings.items[i].verdict, NULL,
                                        vm->findings.items[i].reason);
                for (size_t i = 0; i < res->n_regions; i++)
                        if (WANTED(res->regions[i].verdict))
                                problem(out, res->regions[i].verdict, res->regions[i].region->id,
                                        res->regions[i].reason);
                for (size_t i = 0; i < res->n_threads; i++)
                        if (WANTED(res->threads[i].verdict))
                                problem(out, res->threads[i].verdict, res->threads[i].name, res->threads[i].reason);
                if (WANTED(res->cgroup_verdict))
                        problem(out, res->cgroup_verdict, "cgroup", res->cgroup_reason);
                for (size_t i = 0; i < res->n_devices; i++)
                        if (WANTED(res->devices[i].verdict))
                                problem(out, res->devices[i].verdict, res->devices[i].device->address,
                                        res->devices[i].reason);
#undef WANTED
        }
}

/* One testcase per host check, after the VMs'. */
static void host_checks(FILE *out, const np_scan *scan)
{
        const np_hostcheck_report *rp = scan->host_checks;

        for (size_t i = 0; rp && i < rp->n_checks; i++) {
                const np_hostcheck *c = &rp->checks[i];

                fputs("    <testcase classname=\"numaplace.", out);
                class_text(out, scan->hostname);
                fputs(".host\" name=\"", out);
                xml_text(out, c->name);
                fputs("\" time=\"0.000\">\n", out);
                if (c->status == NP_HOSTCHECK_FAIL || c->status == NP_HOSTCHECK_SKIP) {
                        const char *el = c->status == NP_HOSTCHECK_FAIL ? "failure" : "skipped";

                        fprintf(out, "      <%s type=\"%s\" message=\"", el, np_hostcheck_status_to_string(c->status));
                        bool value = strcmp(c->value, "-") != 0;

                        for (int k = 0; k < 2; k++) {
                                if (value)
                                        xml_text(out, c->value);
                                if (c->advice[0]) {
                                        fputs(value ? ": " : "", out);
                                        xml_text(out, c->advice);
                                }
                                fputs(k == 0 ? "\">" : "", out);
                        }
                        fprintf(out, "</%s>\n", el);
                }
                fprintf(out, "      <system-out>%s; ", np_hostcheck_status_to_string(c->status));
                if (c->file[0]) {
                        xml_text(out, c->file);
                        fputs(" = ", out);
                }
                xml_text(out, c->value);
                if (c->advice[0]) {
                        fputs("; ", out);
                        xml_text(out, c->advice);
                }
                fputs("</system-out>\n    </testcase>\n", out);
        }
}

int np_report_scan_junit(FILE *out, const np_scan *scan)
{
        size_t failures = 0, errors = 0, skipped = 0, tests = scan->n_vms;
        char ts[32], summary[4096];
        time_t t = (time_t)scan->timestamp;
        struct tm tm;

        for (size_t i = 0; i < scan->n_vms; i++) {
                np_verdict v = np_scan_vm_verdict(&scan->vms[i]);

                /* a testcase counts once, as its worst problem */
                if (np_verdict_unproven(v))
                        errors++;
                else if (!np_verdict_holds(v))
                        failures++;
        }
        for (size_t i = 0; scan->host_checks && i < scan->host_checks->n_checks; i++) {
                tests++;
                failures += scan->host_checks->checks[i].status == NP_HOSTCHECK_FAIL;
                skipped += scan->host_checks->checks[i].status == NP_HOSTCHECK_SKIP;
        }
        gmtime_r(&t, &tm);
        strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);

        fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"numaplace scan\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"",
                tests, failures, errors);
        seconds(out, scan->duration_us);
        fputs("\">\n  <testsuite name=\"", out);
        xml_text(out, scan->hostname);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"",
                tests, failures, errors, skipped);
        seconds(out, scan->duration_us);
        fprintf(out, "\" timestamp=\"%s\" hostname=\"", ts);
        xml_text(out, scan->hostname);
        fprintf(out, "\">\n    <properties>\n"
                     "      <property name=\"numaplace.version\" value=\"%s\"/>\n"
                     "      <property name=\"numaplace.verdict\" value=\"%s\"/>\n"
                     "    </properties>\n",
                NP_VERSION, np_verdict_to_string(np_scan_verdict(scan)));
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];
                np_verdict v = np_scan_vm_verdict(vm);

                fputs("    <testcase classname=\"numaplace.", out);
                class_text(out, scan->hostname);
                fputs(".", out);
                xml_text(out, vm->source);
                fputs("\" name=\"", out);
                xml_text(out, vm->name);
                fputs("\" time=\"", out);
                seconds(out, vm->duration_us);
                fputs("\">\n", out);
                if (!np_verdict_holds(v))
                        problems(out, vm);
                fprintf(out, "      <system-out>verdict %s%s; source %s", np_verdict_to_string(v),
                        vm->result && vm->result->by_totals ? " by totals (the cgroup's statistics; no page walk)" : "",
                        vm->source);
                if (vm->project) {
                        fputs("; project ", out);
                        xml_text(out, vm->project);
                }
                if (vm->pid)
                        fprintf(out, "; pid %d", (int)vm->pid);
                if (*np_scan_vm_uuid(vm)) {
                        fputs("; uuid ", out);
                        xml_text(out, np_scan_vm_uuid(vm));
                }
                if (vm->intent && (vm->intent->nova_uuid || vm->intent->nova_flavor)) {
                        fputs("; nova instance ", out);
                        xml_text(out, vm->intent->nova_uuid ? vm->intent->nova_uuid : "-");
                        fputs(", flavor ", out);
                        xml_text(out, vm->intent->nova_flavor ? vm->intent->nova_flavor : "-");
                }
                np_scan_vm_summary(vm, summary, sizeof(summary));
                fputs("; ", out);
                xml_text(out, summary);
                fputs("</system-out>\n    </testcase>\n", out);
        }
        host_checks(out, scan);
        fputs("  </testsuite>\n</testsuites>\n", out);
        return ferror(out) ? -EIO : 0;
}
