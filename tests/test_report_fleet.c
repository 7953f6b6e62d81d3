/* test_report_fleet.c: the scan reports: verdicts and summaries per VM,
 * the Prometheus textfile and JUnit XML byte for byte (escaping of
 * hostile names included), the JSON document's fields, and the HTML
 * page's escaping, counts and bars. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "check.h"
#include "host.h"
#include "intent.h"
#include "report_fleet.h"
#include "utf8.h"

/* ---- a scan built by hand ---- */

static np_region r_web, r_db;
static np_region_result rr_web, rr_db;
static np_thread_result t_web;
static np_check_result res_web, res_db, res_odd;
static np_intent in_web, in_db, in_odd;
static np_finding f_db = { NP_VERDICT_VIOLATION, "mem0", "mem0 has no host-nodes although limits.cpu.nodes is 1" };
static np_scan_vm vms[4];
static np_hugepool pools[1] = { { 2048, 512, 256, 0 } };
static np_host_node hnodes[1];
static np_host host;
static np_scan scan;

static void build(void)
{
        memset(&r_web, 0, sizeof(r_web));
        snprintf(r_web.id, sizeof(r_web.id), "ram-node0");
        r_web.mode = NP_MODE_STRICT;
        r_web.has_nodes = true;
        np_bitmap_set(&r_web.nodes, 0);
        r_web.pagesize_kib = 2048;
        r_web.enforcement = NP_ENFORCE_MBIND;

        memset(&rr_web, 0, sizeof(rr_web));
        rr_web.region = &r_web;
        rr_web.verdict = NP_VERDICT_COMPLIANT;
        snprintf(rr_web.reason, sizeof(rr_web.reason), "all 128 MiB on node 0");
        rr_web.pages_kib[0] = 131072;
        np_bitmap_set(&rr_web.nodes_seen, 0);

        memset(&t_web, 0, sizeof(t_web));
        snprintf(t_web.name, sizeof(t_web.name), "CPU 0/KVM");
        t_web.verdict = NP_VERDICT_COMPLIANT;

        memset(&res_web, 0, sizeof(res_web));
        res_web.pid = 100;
        res_web.verdict = NP_VERDICT_COMPLIANT;
        res_web.regions = &rr_web;
        res_web.n_regions = 1;
        res_web.threads = &t_web;
        res_web.n_threads = 1;

        memset(&in_web, 0, sizeof(in_web));
        in_web.name = "web-1";
        in_web.uuid = "11111111-2222-3333-4444-555555555555";
        in_web.nova_uuid = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
        in_web.nova_flavor = "m1.numa";

        memset(&r_db, 0, sizeof(r_db));
        snprintf(r_db.id, sizeof(r_db.id), "mem0");
        r_db.mode = NP_MODE_STRICT;
        r_db.has_nodes = true;
        np_bitmap_set(&r_db.nodes, 1);
        r_db.pagesize_kib = 4;
        r_db.enforcement = NP_ENFORCE_MBIND;

        memset(&rr_db, 0, sizeof(rr_db));
        rr_db.region = &r_db;
        rr_db.verdict = NP_VERDICT_VIOLATION;
        snprintf(rr_db.reason, sizeof(rr_db.reason), "64 MiB of 64 MiB off its nodes (64 MiB on node 0), bound to node 1");
        rr_db.pages_kib[0] = 65536;
        rr_db.off_node_kib = 65536;
        np_bitmap_set(&rr_db.nodes_seen, 0);

        memset(&res_db, 0, sizeof(res_db));
        res_db.pid = 200;
        res_db.verdict = NP_VERDICT_VIOLATION;
        res_db.regions = &rr_db;
        res_db.n_regions = 1;
        res_db.cgroup_verdict = NP_VERDICT_UNVERIFIED;
        snprintf(res_db.cgroup_reason, sizeof(res_db.cgroup_reason), "no cpuset cgroup could be read");

        memset(&in_db, 0, sizeof(in_db));
        in_db.name = "db1";

        memset(&res_odd, 0, sizeof(res_odd));
        res_odd.verdict = NP_VERDICT_WARNING;
        res_odd.cgroup_verdict = NP_VERDICT_WARNING;
        snprintf(res_odd.cgroup_reason, sizeof(res_odd.cgroup_reason), "cpuset.mems 0-1 is wider");
        memset(&in_odd, 0, sizeof(in_odd));
        in_odd.uuid = "u\"1";

        memset(vms, 0, sizeof(vms));
        vms[0] = (np_scan_vm){ .name = "web-1", .source = "libvirt", .pid = 100, .intent = &in_web,
                               .result = &res_web, .duration_us = 1500 };
        vms[1] = (np_scan_vm){ .name = "prod_db1", .source = "lxd", .project = "prod", .pid = 200,
                               .intent = &in_db, .findings = { &f_db, 1 }, .result = &res_db,
                               .duration_us = 2000000 };
        vms[2] = (np_scan_vm){ .name = "pid 42", .source = "pid", .pid = 42, .error = "process 42 is not running" };
        vms[3] = (np_scan_vm){ .name = "we\"ird\\name\n<&>\xff", .source = "pid", .intent = &in_odd,
                               .result = &res_odd };

        memset(hnodes, 0, sizeof(hnodes));
        np_bitmap_set(&hnodes[0].cpus, 0);
        np_bitmap_set(&hnodes[0].cpus, 1);
        hnodes[0].mem_total_kib = 8388608;
        hnodes[0].mem_free_kib = 4194304;
        hnodes[0].pools = pools;
        hnodes[0].n_pools = 1;
        memset(&host, 0, sizeof(host));
        host.nodes = hnodes;
        host.n_nodes = 1;
        host.default_hugepage_kib = 2048;

        scan = (np_scan){ .hostname = "kvm.example.org", .host = &host, .timestamp = 1795000000,
                          .duration_us = 2501234, .vms = vms, .n_vms = 4 };
}

static char *render(int (*fn)(FILE *, const np_scan *), const np_scan *s)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        assert_non_null(f);
        assert_int_equal(fn(f, s), 0);
        assert_int_equal(fclose(f), 0);
        return buf;
}

/* ---- verdicts and summaries ---- */

static void test_verdicts(void **state)
{
        static const struct {
                size_t vm;
                const char *verdict;
                const char *summary;
        } cases[] = {
                { 0, "compliant", "all 1 region and 1 thread compliant" },
                { 1, "violation", "mem0 has no host-nodes although limits.cpu.nodes is 1 (violation); "
                                  "mem0: 64 MiB of 64 MiB off its nodes (64 MiB on node 0), bound to node 1 (violation); "
                                  "cgroup: no cpuset cgroup could be read (unverified)" },
                { 2, "error", "process 42 is not running" },
                { 3, "warning", "cgroup: cpuset.mems 0-1 is wider (warning)" },
        };

        (void)state;
        build();
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[1024];

                assert_string_equal(np_verdict_to_string(np_scan_vm_verdict(&vms[cases[i].vm])), cases[i].verdict);
                assert_int_equal(np_scan_vm_summary(&vms[cases[i].vm], buf, sizeof(buf)), strlen(cases[i].summary));
                assert_string_equal(buf, cases[i].summary);
        }
        assert_string_equal(np_verdict_to_string(np_scan_verdict(&scan)), "error");
        scan.n_vms = 0;
        assert_string_equal(np_verdict_to_string(np_scan_verdict(&scan)), "compliant");
}

/* A summary cut to its buffer still says how long it wanted to be. */
static void test_summary_truncated(void **state)
{
        char buf[16];

        (void)state;
        build();
        assert_int_equal(np_scan_vm_summary(&vms[0], buf, sizeof(buf)), 35);
        assert_string_equal(buf, "all 1 region an");
        assert_int_equal(np_scan_vm_summary(&vms[1], buf, 0), 204);
}

static void test_utf8(void **state)
{
        static const struct {
                const char *s;
                size_t want;
        } cases[] = {
                { "a", 1 }, { "\xc3\xa9", 2 }, { "\xe2\x82\xac", 3 }, { "\xf0\x9f\x98\x80", 4 },
                { "\xff", 0 }, { "\xc3", 0 }, { "\xc0\xaf", 0 }, { "\xe0\x80\xaf", 0 },
                { "\xed\xa0\x80", 0 }, { "\xf4\x90\x80\x80", 0 }, { "\xc3\x28", 0 },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                assert_int_equal(np_utf8_char_len(cases[i].s), cases[i].want);
}

/* ---- Prometheus ---- */

static void test_prometheus(void **state)
{
        char *got;

        (void)state;
        build();
        got = render(np_report_scan_prometheus, &scan);
        assert_string_equal(got,
                "# HELP numaplace_vm_compliant 1 when the VM's memory and vCPUs sit where its configuration binds them (warnings allowed), else 0.\n"
                "# TYPE numaplace_vm_compliant gauge\n"
                "numaplace_vm_compliant{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\"} 1\n"
                "numaplace_vm_compliant{domain=\"prod_db1\",uuid=\"\",source=\"lxd\",project=\"prod\"} 0\n"
                "numaplace_vm_compliant{domain=\"pid 42\",uuid=\"\",source=\"pid\"} 0\n"
                "numaplace_vm_compliant{domain=\"we\\\"ird\\\\name\\n<&>\xef\xbf\xbd\",uuid=\"u\\\"1\",source=\"pid\"} 1\n"
                "# HELP numaplace_vm_check_error 1 when the VM could not be checked or part of its placement could not be proven, else 0.\n"
                "# TYPE numaplace_vm_check_error gauge\n"
                "numaplace_vm_check_error{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\"} 0\n"
                "numaplace_vm_check_error{domain=\"prod_db1\",uuid=\"\",source=\"lxd\",project=\"prod\"} 0\n"
                "numaplace_vm_check_error{domain=\"pid 42\",uuid=\"\",source=\"pid\"} 1\n"
                "numaplace_vm_check_error{domain=\"we\\\"ird\\\\name\\n<&>\xef\xbf\xbd\",uuid=\"u\\\"1\",source=\"pid\"} 0\n"
                "# HELP numaplace_region_bytes Resident bytes of a guest RAM region on a host NUMA node (every node it is bound to, and every node holding its pages).\n"
                "# TYPE numaplace_region_bytes gauge\n"
                "numaplace_region_bytes{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\",region=\"ram-node0\",node=\"0\",pagesize=\"2097152\"} 134217728\n"
                "numaplace_region_bytes{domain=\"prod_db1\",uuid=\"\",source=\"lxd\",project=\"prod\",region=\"mem0\",node=\"0\",pagesize=\"4096\"} 67108864\n"
                "numaplace_region_bytes{domain=\"prod_db1\",uuid=\"\",source=\"lxd\",project=\"prod\",region=\"mem0\",node=\"1\",pagesize=\"4096\"} 0\n"
                "# HELP numaplace_region_off_node_bytes Resident bytes of a guest RAM region outside the host nodes it is bound to.\n"
                "# TYPE numaplace_region_off_node_bytes gauge\n"
                "numaplace_region_off_node_bytes{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\",region=\"ram-node0\",pagesize=\"2097152\"} 0\n"
                "numaplace_region_off_node_bytes{domain=\"prod_db1\",uuid=\"\",source=\"lxd\",project=\"prod\",region=\"mem0\",pagesize=\"4096\"} 67108864\n"
                "# HELP numaplace_vm_checked_by_totals 1 when the VM was judged from its cgroup's per-node statistics alone (scan --screen: all its memory on its allowed nodes, no page walk), else 0.\n"
                "# TYPE numaplace_vm_checked_by_totals gauge\n"
                "numaplace_vm_checked_by_totals{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\"} 0\n"
                "numaplace_vm_checked_by_totals{domain=\"prod_db1\",uuid=\"\",source=\"lxd\",project=\"prod\"} 0\n"
                "numaplace_vm_checked_by_totals{domain=\"pid 42\",uuid=\"\",source=\"pid\"} 0\n"
                "numaplace_vm_checked_by_totals{domain=\"we\\\"ird\\\\name\\n<&>\xef\xbf\xbd\",uuid=\"u\\\"1\",source=\"pid\"} 0\n"
                "# HELP numaplace_vm_node_bytes Bytes the VM's cgroup is charged on a host NUMA node, by type (anon, file, hugetlb_<page size in KiB>), from memory.numa_stat and hugetlb.<size>.numa_stat.\n"
                "# TYPE numaplace_vm_node_bytes gauge\n"
                "# HELP numaplace_device_off_node 1 when a host PCI device of the VM sits on a NUMA node the VM is not bound to, else 0 (node is empty when the kernel does not know it).\n"
                "# TYPE numaplace_device_off_node gauge\n"
                "# HELP numaplace_scan_timestamp_seconds When the scan ran, in seconds since the epoch.\n"
                "# TYPE numaplace_scan_timestamp_seconds gauge\n"
                "numaplace_scan_timestamp_seconds 1795000000\n"
                "# HELP numaplace_scan_duration_seconds How long the scan took.\n"
                "# TYPE numaplace_scan_duration_seconds gauge\n"
                "numaplace_scan_duration_seconds 2.501234\n"
                "# HELP numaplace_scan_vms VMs the scan found, checked or not.\n"
                "# TYPE numaplace_scan_vms gauge\n"
                "numaplace_scan_vms 4\n");
        free(got);
}

/* ---- JUnit ---- */

static void test_junit(void **state)
{
        char *got;

        (void)state;
        build();
        got = render(np_report_scan_junit, &scan);
        assert_string_equal(got,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<testsuites name=\"numaplace scan\" tests=\"4\" failures=\"1\" errors=\"1\" time=\"2.501\">\n"
                "  <testsuite name=\"kvm.example.org\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"0\" time=\"2.501\" timestamp=\"2026-11-18T11:06:40\" hostname=\"kvm.example.org\">\n"
                "    <properties>\n"
                "      <property name=\"numaplace.version\" value=\"" NP_VERSION "\"/>\n"
                "      <property name=\"numaplace.verdict\" value=\"error\"/>\n"
                "    </properties>\n"
                "    <testcase classname=\"numaplace.kvm_example_org.libvirt\" name=\"web-1\" time=\"0.001\">\n"
                "      <system-out>verdict compliant; source libvirt; pid 100; uuid 11111111-2222-3333-4444-555555555555; nova instance aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee, flavor m1.numa; all 1 region and 1 thread compliant</system-out>\n"
                "    </testcase>\n"
                "    <testcase classname=\"numaplace.kvm_example_org.lxd\" name=\"prod_db1\" time=\"2.000\">\n"
                "      <failure type=\"violation\" message=\"mem0 has no host-nodes although limits.cpu.nodes is 1\">mem0 has no host-nodes although limits.cpu.nodes is 1</failure>\n"
                "      <failure type=\"violation\" message=\"mem0: 64 MiB of 64 MiB off its nodes (64 MiB on node 0), bound to node 1\">mem0: 64 MiB of 64 MiB off its nodes (64 MiB on node 0), bound to node 1</failure>\n"
                "      <error type=\"unverified\" message=\"cgroup: no cpuset cgroup could be read\">cgroup: no cpuset cgroup could be read</error>\n"
                "      <system-out>verdict violation; source lxd; project prod; pid 200; mem0 has no host-nodes although limits.cpu.nodes is 1 (violation); mem0: 64 MiB of 64 MiB off its nodes (64 MiB on node 0), bound to node 1 (violation); cgroup: no cpuset cgroup could be read (unverified)</system-out>\n"
                "    </testcase>\n"
                "    <testcase classname=\"numaplace.kvm_example_org.pid\" name=\"pid 42\" time=\"0.000\">\n"
                "      <error type=\"error\" message=\"not checked: process 42 is not running\">not checked: process 42 is not running</error>\n"
                "      <system-out>verdict error; source pid; pid 42; process 42 is not running</system-out>\n"
                "    </testcase>\n"
                "    <testcase classname=\"numaplace.kvm_example_org.pid\" name=\"we&quot;ird\\name&#10;&lt;&amp;&gt;\xef\xbf\xbd\" time=\"0.000\">\n"
                "      <system-out>verdict warning; source pid; uuid u&quot;1; cgroup: cpuset.mems 0-1 is wider (warning)</system-out>\n"
                "    </testcase>\n"
                "  </testsuite>\n"
                "</testsuites>\n");
        free(got);
}

/* ---- HTML ---- */

static void test_html(void **state)
{
        char *got;

        (void)state;
        build();
        /* half of db1's region off its node */
        rr_db.pages_kib[1] = 65536;
        np_bitmap_set(&rr_db.nodes_seen, 1);
        got = render(np_report_scan_html, &scan);
        assert_non_null(strstr(got, "<!DOCTYPE html>\n<html lang=\"en\">\n"));
        assert_non_null(strstr(got, "<title>NUMA placement on kvm.example.org: error</title>"));
        assert_non_null(strstr(got, "<time id=\"scan-time\" datetime=\"2026-11-18T11:06:40Z\">2026-11-18 11:06:40 UTC</time>; 4 VMs;"));
        assert_non_null(strstr(got, "<li class=\"v-compliant\" id=\"count-compliant\"><span class=\"n\">1</span>compliant</li>"));
        assert_non_null(strstr(got, "<li class=\"v-unverified zero\" id=\"count-unverified\"><span class=\"n\">0</span>unverified</li>"));
        assert_non_null(strstr(got, "<h2>Errors (1)</h2>"));
        assert_non_null(strstr(got, "<li><span class=\"what\">pid 42</span>: process 42 is not running</li>"));
        /* markup, quotes, a newline and a byte that is not UTF-8 */
        assert_non_null(strstr(got, "<td class=\"vm\">we&quot;ird\\name\n&lt;&amp;&gt;\xef\xbf\xbd<small>pid</small><small>u&quot;1</small></td>"));
        assert_null(strstr(got, "<&>"));
        assert_non_null(strstr(got, "<span class=\"off\" data-node=\"0\" style=\"width:50.0%\" title=\"node 0: 64 MiB off-node\">node 0 off-node</span>"
                                    "<span class=\"bound\" data-node=\"1\" style=\"width:50.0%\" title=\"node 1: 64 MiB\">node 1</span>"));
        assert_non_null(strstr(got, "<strong class=\"off-total\">64 MiB off its nodes</strong>"));
        assert_non_null(strstr(got, "<li class=\"bound\">node 0: 128 MiB (bound)</li>"));
        assert_null(strstr(got, "<script"));
        free(got);

        /* estimated from a sample: the figures say so */
        rr_db.sample.sampled = true;
        rr_db.sample.present = 700;
        rr_db.sample.margin_kib = 2048;
        got = render(np_report_scan_html, &scan);
        assert_non_null(strstr(got, "bound to node 1; ~128 MiB resident (estimated from 700 sampled pages, "
                                    "each node's share within 2 MiB), <strong"));
        assert_non_null(strstr(got, "<li class=\"off\">node 0: ~64 MiB off-node</li>"));
        free(got);
        rr_db.sample.sampled = false;

        /* compliant by the cgroup's totals (scan --screen): no regions */
        res_web.by_totals = true;
        res_web.n_regions = 0;
        res_web.numa_stat.has_allowed = true;
        np_bitmap_set(&res_web.numa_stat.allowed, 0);
        got = render(np_report_scan_html, &scan);
        assert_non_null(strstr(got, "<p class=\"totals\">checked by totals: the cgroup's per-node statistics hold all "
                                    "of its memory on its allowed node 0; its pages were not walked</p>"));
        free(got);
}

/* ---- JSON ---- */

static void test_json(void **state)
{
        static const char *const want[] = {
                "{\n  \"verdict\": \"error\",\n  \"host\": {\n    \"hostname\": \"kvm.example.org\",\n"
                "    \"default_hugepage_kib\": 2048,\n    \"nodes\": [\n      {\n        \"node\": 0,\n"
                "        \"cpus\": \"0-1\",\n        \"memory_kib\": 8388608,\n        \"free_kib\": 4194304,\n"
                "        \"hugepages\": [\n          {\n            \"size_kib\": 2048,\n            \"total\": 512,\n"
                "            \"free\": 256,\n            \"surplus\": 0\n          }\n        ]\n      }\n    ]\n  },\n"
                "  \"scan\": {\n    \"timestamp\": 1795000000,\n    \"duration_ms\": 2501,\n    \"vms\": 4,\n"
                "    \"compliant\": 1,\n    \"warning\": 1,\n    \"unverified\": 0,\n    \"violation\": 1,\n    \"error\": 1,\n"
                "    \"checked_by_totals\": 0\n  },\n",
                "      \"name\": \"web-1\",\n      \"uuid\": \"11111111-2222-3333-4444-555555555555\",\n"
                "      \"source\": \"libvirt\",\n      \"pid\": 100,\n      \"nova\": {\n"
                "        \"uuid\": \"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",\n        \"flavor\": \"m1.numa\"\n      },\n"
                "      \"verdict\": \"compliant\",\n      \"summary\": \"all 1 region and 1 thread compliant\",\n"
                "      \"error\": null,\n      \"findings\": [],\n      \"check\": {\"verdict\":\"compliant\",\"domain\":{\"name\":\"web-1\"",
                "      \"source\": \"lxd\",\n      \"project\": \"prod\",\n      \"pid\": 200,\n      \"verdict\": \"violation\",\n",
                "      \"findings\": [\n        {\n          \"subject\": \"mem0\",\n          \"verdict\": \"violation\",\n"
                "          \"reason\": \"mem0 has no host-nodes although limits.cpu.nodes is 1\"\n        }\n      ],\n",
                "      \"name\": \"pid 42\",\n      \"uuid\": null,\n      \"source\": \"pid\",\n      \"pid\": 42,\n"
                "      \"verdict\": \"error\",\n      \"summary\": \"process 42 is not running\",\n"
                "      \"error\": \"process 42 is not running\",\n      \"findings\": [],\n      \"check\": null\n",
                "      \"name\": \"we\\\"ird\\\\name\\n<&>",
        };
        char *got;

        (void)state;
        build();
        got = render(np_report_scan_json, &scan);
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
                if (!strstr(got, want[i]))
                        fail_msg("missing from the JSON document:\n%s\n--- document:\n%s", want[i], got);
        }
        assert_int_equal(strncmp(got, want[0], strlen(want[0])), 0);
        free(got);
}

/* ---- a VM judged by its cgroup's totals (scan --screen) ---- */

static void test_by_totals(void **state)
{
        static np_node_kib anon_nodes[2] = { { 0, 0 }, { 1, 12708 } };
        static np_node_kib huge_nodes[2] = { { 0, 0 }, { 1, 65536 } };
        static const char *const want_prom[] = {
                "numaplace_vm_checked_by_totals{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\"} 1\n",
                "numaplace_vm_node_bytes{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\",type=\"anon\",node=\"0\"} 0\n",
                "numaplace_vm_node_bytes{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\",type=\"anon\",node=\"1\"} 13012992\n",
                "numaplace_vm_node_bytes{domain=\"web-1\",uuid=\"11111111-2222-3333-4444-555555555555\",source=\"libvirt\",nova_instance=\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",nova_flavor=\"m1.numa\",type=\"hugetlb_2048\",node=\"1\"} 67108864\n",
        };
        np_cgroup_stat stat;
        np_check_result res;
        np_scan one;
        char *got;

        (void)state;
        build();
        memset(&stat, 0, sizeof(stat));
        stat.path = "/machine/qemu-1-web-1.libvirt-qemu";
        stat.rows[0] = (np_stat_row){ .kind = NP_STAT_ANON, .name = "anon", .source = "/sys/fs/cgroup/memory/m/memory.numa_stat",
                                      .nodes = anon_nodes, .n_nodes = 2, .total_kib = 12708 };
        stat.rows[1] = (np_stat_row){ .kind = NP_STAT_HUGETLB, .pagesize_kib = 2048, .name = "hugetlb_2048",
                                      .source = "/sys/fs/cgroup/hugetlb/m/hugetlb.2MB.numa_stat",
                                      .nodes = huge_nodes, .n_nodes = 2, .total_kib = 65536 };
        stat.n_rows = 2;
        memset(&res, 0, sizeof(res));
        res.pid = 100;
        res.verdict = NP_VERDICT_COMPLIANT;
        res.threads = &t_web;
        res.n_threads = 1;
        res.by_totals = true;
        res.numa_stat.stat = &stat;
        res.numa_stat.has_allowed = true;
        np_bitmap_set(&res.numa_stat.allowed, 1);
        snprintf(res.numa_stat.reason, sizeof(res.numa_stat.reason), "all 76.4 MiB the cgroup holds on node 1");
        vms[0].result = &res;
        one = scan;
        one.n_vms = 1;

        got = render(np_report_scan_prometheus, &one);
        for (size_t i = 0; i < sizeof(want_prom) / sizeof(want_prom[0]); i++)
                if (!strstr(got, want_prom[i]))
                        fail_msg("missing from the Prometheus file:\n%s\n--- file:\n%s", want_prom[i], got);
        free(got);

        got = render(np_report_scan_junit, &one);
        if (!strstr(got, "<system-out>verdict compliant by totals (the cgroup's statistics; no page walk); source libvirt; pid 100; "))
                fail_msg("JUnit does not say 'by totals':\n%s", got);
        if (!strstr(got, "compliant by totals: all 76.4 MiB the cgroup holds on node 1 (cgroup statistics; no page walk)</system-out>"))
                fail_msg("JUnit summary:\n%s", got);
        free(got);

        got = render(np_report_scan_json, &one);
        if (!strstr(got, "\"summary\": \"compliant by totals: all 76.4 MiB the cgroup holds on node 1 (cgroup statistics; no page walk)\""))
                fail_msg("JSON summary:\n%s", got);
        if (!strstr(got, "\"checked_by_totals\": 1\n"))
                fail_msg("JSON scan object does not count the VM checked by totals:\n%s", got);
        if (!strstr(got, "\"checked_by\":\"totals\",\"regions\":[]"))
                fail_msg("JSON check document does not say checked_by totals:\n%s", got);
        if (!strstr(got, "\"numa_stat_kib\":{\"anon\":{\"0\":0,\"1\":12708},\"hugetlb_2048\":{\"0\":0,\"1\":65536}}"))
                fail_msg("JSON numa_stat_kib:\n%s", got);
        if (!strstr(got, "\"numa_stat_files\":{\"anon\":\"/sys/fs/cgroup/memory/m/memory.numa_stat\",\"hugetlb_2048\":\"/sys/fs/cgroup/hugetlb/m/hugetlb.2MB.numa_stat\"}"))
                fail_msg("JSON numa_stat_files:\n%s", got);
        free(got);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_verdicts),
                cmocka_unit_test(test_summary_truncated),
                cmocka_unit_test(test_utf8),
                cmocka_unit_test(test_prometheus),
                cmocka_unit_test(test_junit),
                cmocka_unit_test(test_html),
                cmocka_unit_test(test_json),
                cmocka_unit_test(test_by_totals),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
