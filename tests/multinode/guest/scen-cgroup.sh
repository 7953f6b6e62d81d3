# scen-cgroup.sh, sourced by scenarios.sh: the cgroup row's per-node
# figures (memory.numa_stat, hugetlb.2MB.numa_stat on cgroup v2) against
# np-pageoracle, and scan --screen on the same QEMU processes.
#
# The guest's /init mounts cgroup2 on /sys/fs/cgroup; here the memory and
# hugetlb controllers are enabled for the root's children and every QEMU
# runs in a child cgroup of its own, moved there before it allocates
# anything (a page is charged to the cgroup of the task that faults it, and
# charges do not follow a task that moves).  The cgroup holds that one
# process and nothing else: a busybox `timeout` would leave its watcher
# in it, so the scenarios kill QEMU from a watchdog in the root cgroup.
#
# What can honestly be compared: huge pages exactly (QEMU's own
# allocations never use hugetlb, so the cgroup's hugetlb figures are the
# backend's pages the oracle counts); anon memory only as "at least": the
# cgroup's anon figure holds the process's heap, stacks and libraries'
# data besides the guest RAM the oracle counts.

plan="$plan cg1-strict-hugepages-node1 cg2-lxd-15082 cg3-late-bind-4k"
more="$more s_cgroup_stats"

CGROOT=/sys/fs/cgroup

# Enable memory and hugetlb below the root; cg_restore turns off again
# what was off before.
cg_enable() {
        CG_WAS=$(cat $CGROOT/cgroup.subtree_control 2>/dev/null)
        echo "+memory +hugetlb" >$CGROOT/cgroup.subtree_control 2>/dev/null
}

cg_restore() {
        for c in memory hugetlb; do
                case " $CG_WAS " in
                *" $c "*) ;;
                *) echo "-$c" >$CGROOT/cgroup.subtree_control 2>/dev/null ;;
                esac
        done
}

# cg_qemu_start CGROUP NAME ARGS...: QEMU in a new child cgroup of its own
# from its first instruction, on the CPUs of hex mask $CPUMASK; QPID is
# QEMU's pid.
cg_qemu_start() {
        CGDIR=$CGROOT/$1
        log=$T/$2.qemu.log
        shift 2
        rmdir "$CGDIR" 2>/dev/null
        mkdir "$CGDIR" || { err "cannot create $CGDIR"; return 1; }
        detail "in $CGDIR: ${CPUMASK:+taskset $CPUMASK }qemu-system-x86_64 $QEMU_COMMON $*"
        # "0" moves the writer, the subshell that then becomes QEMU
        # shellcheck disable=SC2086 # QEMU_COMMON is a list of options
        (echo 0 >"$CGDIR/cgroup.procs" && exec taskset "$CPUMASK" qemu-system-x86_64 $QEMU_COMMON "$@") \
                </dev/null >"$log" 2>&1 &
        QPID=$!
        cg_watchdog
}

# Kill $QPID after $QEMU_TIMEOUT seconds, from the root cgroup.
cg_watchdog() {
        (sleep $QEMU_TIMEOUT; kill -9 "$QPID" 2>/dev/null) </dev/null >/dev/null 2>&1 &
        WATCHDOG=$!
}

# The cgroup holds QEMU alone, and numaplace found it there.
cg_expect_alone() {
        procs=$(tr '\n' ' ' <"$CGDIR/cgroup.procs")
        [ "$procs" = "$QPID " ] || err "setup: $CGDIR holds '$procs', not QEMU ($QPID) alone"
        p=$(jq -r '.cgroup.memory_path // empty' "$T/$1.json")
        [ "$p" = "/${CGDIR##*/}" ] || err "cgroup memory_path '$p', the process is in /${CGDIR##*/}"
}

cg_done() {
        [ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null
        WATCHDOG=
        qemu_stop
        [ -n "${CGDIR:-}" ] && rmdir "$CGDIR" 2>/dev/null
        CGDIR=
}

cg_get() { jq -cS "$2" "$T/$1.json" 2>/dev/null; }

# cg_expect_hugetlb OUT: the cgroup's 2 MiB figures equal the oracle's $OK
cg_expect_hugetlb() {
        got=$(cg_get "$1" '.cgroup.numa_stat_kib.hugetlb_2048 // {} | with_entries(select(.value > 0))')
        [ "$got" = "$OK" ] || err "cgroup hugetlb_2048 $got, oracle says $OK"
        src=$(cg_get "$1" '.cgroup.numa_stat_files.hugetlb_2048 // ""')
        [ "$src" = "\"$CGDIR/hugetlb.2MB.numa_stat\"" ] || err "cgroup hugetlb_2048 came from $src"
        w=$(cg_get "$1" '.cgroup.walk_disagrees')
        [ "$w" = false ] || err "cross-check: walk_disagrees $w: $(cg_get "$1" .cgroup.numa_stat_reason)"
        note "cgroup hugetlb_2048 $got"
}

# cg_scan_screen OUT XML: `numaplace scan --screen` on $QPID, the VM's
# entry in $T/OUT-vm.json; sets CHECKED_BY
cg_scan_screen() {
        timeout -s KILL $CHECK_TIMEOUT numaplace scan --no-libvirt --no-lxd --screen --pid "$QPID" --xml "$2" --json \
                >"$T/$1.json" 2>"$T/$1.err"
        RC=$?
        detail "numaplace scan --screen --pid $QPID --xml $2 --json -> exit $RC: $(tr -d '\n' <"$T/$1.json" | head -c 3000) $(head -c 600 "$T/$1.err" | tr '\n' ' ')"
        jq '.vms[0]' "$T/$1.json" >"$T/$1-vm.json" 2>/dev/null
        CHECKED_BY=$(jq -r '.vms[0].check.checked_by // empty' "$T/$1.json" 2>/dev/null)
}

s_cgroup_stats() {
        if [ ! -f $CGROOT/cgroup.controllers ]; then
                for n in cg1-strict-hugepages-node1 cg2-lxd-15082 cg3-late-bind-4k; do
                        echo "NPMN FAIL $n: no cgroup2 mounted on $CGROOT"
                done
                return
        fi
        cg_t0=$(date +%s)
        cg_enable
        s_cg_strict
        s_cg_lxd
        s_cg_late_bind
        cg_restore
        echo "NPMN   cgroup statistics scenarios: $(($(date +%s) - cg_t0)) s"
}

# A strict node-1 hugepage guest, run on node 1's CPU so that QEMU's own
# pages land there too: compliant from the cgroup row, huge pages equal
# to the oracle's, and compliant by totals for scan --screen.
s_cg_strict() {
        begin cg1-strict-hugepages-node1
        d=$(hugepage_dir 11-npmn-cg1)
        CPUMASK=2
        cg_qemu_start npmn-cg1 cg1 -name guest=npmn-cg1,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","prealloc":true,"size":67108864,"host-nodes":[1],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if qemu_ready; then
                oracle --path qemu_back_mem.ram-node0.
                expect_oracle '{"1":65536}'
                if np_check cg1 --xml $XML/strict-hugepages-node1.xml --pid "$QPID"; then
                        expect_rc 0
                        expect_region cg1 ram-node0 compliant
                        cg_expect_alone cg1
                        cg_expect_hugetlb cg1
                        v=$(cg_get cg1 '.cgroup.numa_stat_verdict')
                        [ "$v" = '"compliant"' ] || err "cgroup statistics verdict $v: $(cg_get cg1 .cgroup.numa_stat_reason)"
                        note "anon $(cg_get cg1 '.cgroup.numa_stat_kib.anon')"
                fi
                cg_scan_screen cg1s $XML/strict-hugepages-node1.xml
                expect_rc 0
                [ "$CHECKED_BY" = totals ] || err "scan --screen checked it by '$CHECKED_BY', not by totals"
                expect_verdict cg1s-vm compliant
                note "scan --screen: by $CHECKED_BY"
        fi
        cg_done
        finish
}

# LXD #15082: the hugepage backend without host-nodes, QEMU on node 0's
# CPU, the XML strict node 1: the cgroup row alone shows the violation,
# with the oracle's figures; scan --screen walks it.
s_cg_lxd() {
        begin cg2-lxd-15082
        d=$(hugepage_dir 12-npmn-cg2)
        CPUMASK=1
        cg_qemu_start npmn-cg2 cg2 -name guest=npmn-cg2,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","share":true,"prealloc":true,"size":67108864}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if qemu_ready; then
                oracle --path qemu_back_mem.ram-node0.
                expect_oracle '{"0":65536}'
                if np_check cg2 --xml $XML/strict-hugepages-node1.xml --pid "$QPID"; then
                        expect_rc 1
                        expect_region cg2 ram-node0 violation
                        cg_expect_alone cg2
                        cg_expect_hugetlb cg2
                        v=$(cg_get cg2 '.cgroup.numa_stat_verdict')
                        [ "$v" = '"violation"' ] || err "cgroup statistics verdict $v, expected violation"
                        o=$(cg_get cg2 '.cgroup.outside_kib.hugetlb_2048')
                        [ "$o" = "$(echo "$OK" | jq '.["0"]')" ] || err "cgroup outside_kib.hugetlb_2048 $o, oracle has $OK off node 1"
                        cg_get cg2 .cgroup.numa_stat_reason | grep -q '64 MiB of 2M huge pages outside node 1 (64 MiB on node 0)' ||
                                err "cgroup reason does not give the amount: $(cg_get cg2 .cgroup.numa_stat_reason)"
                fi
                cg_scan_screen cg2s $XML/strict-hugepages-node1.xml
                expect_rc 1
                [ "$CHECKED_BY" = walk ] || err "scan --screen checked it by '$CHECKED_BY', not by the walk"
                expect_verdict cg2s-vm violation
                note "scan --screen: by $CHECKED_BY"
        fi
        cg_done
        finish
}

# Late bind of 4 KiB RAM (np-latebind, as in s8): 64 MiB touched on node
# 0, then bound to node 1.  The cgroup's anon figure on node 0 holds at
# least those 64 MiB (and the helper's own few pages).
s_cg_late_bind() {
        begin cg3-late-bind-4k
        mkdir -p "$T/latebind"
        cp /mn/np-latebind "$T/latebind/qemu-system-x86_64"
        spec="memory-backend-ram,id=ram-node0,size=64M,host-nodes=1,policy=bind"
        CGDIR=$CGROOT/npmn-cg3
        rmdir "$CGDIR" 2>/dev/null
        mkdir "$CGDIR" || err "cannot create $CGDIR"
        detail "in $CGDIR: NP_LATEBIND_CPU=0 np-latebind (as qemu-system-x86_64) -name guest=npmn-cg3 -object $spec -numa node,nodeid=0,memdev=ram-node0"
        (echo 0 >"$CGDIR/cgroup.procs" && export NP_LATEBIND_CPU=0 && exec "$T/latebind/qemu-system-x86_64" \
                -name guest=npmn-cg3 -object "$spec" -numa node,nodeid=0,memdev=ram-node0) \
                </dev/null >"$T/cg3.out" 2>&1 &
        QPID=$!
        cg_watchdog
        i=0
        while ! grep -q '^ready' "$T/cg3.out" && [ $i -lt 300 ] && kill -0 "$QPID" 2>/dev/null; do
                usleep 100000
                i=$((i + 1))
        done
        if grep -q '^ready' "$T/cg3.out"; then
                oracle --size $((64 * MiB))
                expect_oracle '{"0":65536}'
                if np_check cg3 --xml $XML/strict-4k-node1.xml --pid "$QPID"; then
                        expect_rc 1
                        expect_region cg3 ram-node0 violation
                        cg_expect_alone cg3
                        a0=$(cg_get cg3 '.cgroup.numa_stat_kib.anon["0"] // 0')
                        o=$(cg_get cg3 '.cgroup.outside_kib.anon // 0')
                        [ "$a0" -ge 65536 ] 2>/dev/null || err "cgroup anon on node 0 is $a0 KiB, the oracle counts 65536 there"
                        [ "$o" -ge 65536 ] 2>/dev/null || err "cgroup anon outside node 1 is $o KiB, the oracle counts 65536 on node 0"
                        v=$(cg_get cg3 '.cgroup.numa_stat_verdict')
                        [ "$v" = '"warning"' ] || err "cgroup statistics verdict $v, expected warning"
                        note "cgroup anon $(cg_get cg3 '.cgroup.numa_stat_kib.anon'), oracle $OK"
                fi
        else
                err "np-latebind never ready: $(tr '\n' ' ' <"$T/cg3.out")"
        fi
        cg_done
        finish
}
