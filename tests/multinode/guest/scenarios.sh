#!/bin/sh
# The misplacement classes of issue 4, run inside a 2- or 4-node guest.
#
# Each scenario starts a real nested QEMU whose memory backends are written
# the way libvirt 9.0 writes them (JSON -object, ids ram-nodeN, hugepage
# files under /dev/hugepages/libvirt/qemu/) or the way LXD writes them, runs
# `numaplace check --json` against it with a domain XML from /mn/xml, and
# compares the verdict and the per-node KiB with np-pageoracle, which asks
# the kernel (move_pages) where every page is.  numaplace's per-node figures
# are never compared with anything numaplace computed itself.  In the
# 2-node guest a real libvirtd then starts guests through the numaplace
# hook (enforce mode), judged the same way.
#
# Output, for the host to relay: "NPMN PASS name (figures)" or
# "NPMN FAIL name: why" followed by "NPMN   " detail lines (exact QEMU
# command line, numaplace output, oracle output).
#
# busybox ash: no arrays, and $(...) runs in a subshell, so helpers that
# record errors set globals instead of printing.
set -u

XML=/mn/xml
T=/tmp/mn
NODES=$(find /sys/devices/system/node -maxdepth 1 -name 'node[0-9]*' | wc -l)
POOL=48          # 2 MiB pages on nodes 0 and 1: one 64 MiB backend each, with room
QEMU_TIMEOUT=90  # seconds any nested QEMU or helper may live
CHECK_TIMEOUT=60
# QEMU_COMMON is split into words on purpose where it is used; a 16 MiB
# translation cache keeps each nested QEMU small in a 1-2 GiB guest.
# Prealloc is added to every backend, also to 4 KiB RAM where libvirt leaves
# it off: a guest stopped with -S touches nothing, and a region with no
# present page is "nothing to judge".
QEMU_COMMON="-machine pc,usb=off,dump-guest-core=off -accel tcg,tb-size=16 -nodefaults -no-user-config -display none -S"
MiB=1048576
# np.verbose=1 on the kernel command line: details after PASS lines too
VERBOSE=$(sed -n 's/.*np\.verbose=\([01]\).*/\1/p' /proc/cmdline)

mkdir -p "$T"

# ---- results -------------------------------------------------------------

begin() {
        NAME=$1
        ERRS=
        DETAILS=
        NOTE=
        QPID=
        CPUMASK=
}

err() { ERRS="$ERRS${ERRS:+; }$*"; }

detail() {
        DETAILS="$DETAILS
$*"
}

note() { NOTE="$NOTE${NOTE:+, }$*"; }

finish() {
        qemu_stop
        if [ -z "$ERRS" ]; then
                echo "NPMN PASS $NAME${NOTE:+ ($NOTE)}"
                [ "$VERBOSE" = 1 ] && printf '%s\n' "$DETAILS" | sed '/^$/d; s/^/NPMN   /'
                return
        fi
        echo "NPMN FAIL $NAME: $ERRS"
        printf '%s\n' "$DETAILS" | sed '/^$/d; s/^/NPMN   /'
}

# ---- hugepage pools --------------------------------------------------------

pool_dir() { echo "/sys/devices/system/node/node$1/hugepages/hugepages-2048kB"; }
pool_set() { echo "$2" >"$(pool_dir "$1")/nr_hugepages"; }
pool_free() { cat "$(pool_dir "$1")/free_hugepages"; }

# ---- nested QEMU -------------------------------------------------------------

# qemu_start NAME ARGS...: start QEMU in the background under a hard
# timeout, on the CPUs of hex mask $CPUMASK when set.  busybox taskset and
# timeout exec their command in place, so $! is QEMU's own pid and
# /proc/$!/cmdline is QEMU's own argv.
qemu_start() {
        log=$T/$1.qemu.log
        shift
        detail "${CPUMASK:+taskset $CPUMASK }qemu-system-x86_64 $QEMU_COMMON $*"
        # shellcheck disable=SC2086 # QEMU_COMMON is a list of options
        if [ -n "${CPUMASK:-}" ]; then
                taskset "$CPUMASK" timeout -s KILL $QEMU_TIMEOUT qemu-system-x86_64 $QEMU_COMMON "$@" </dev/null >"$log" 2>&1 &
        else
                timeout -s KILL $QEMU_TIMEOUT qemu-system-x86_64 $QEMU_COMMON "$@" </dev/null >"$log" 2>&1 &
        fi
        QPID=$!
}

# The vCPU threads are created after every memory backend is complete
# (allocated, bound and preallocated), so their existence means "ready".
qemu_ready() {
        i=0
        while [ $i -lt 600 ]; do
                if ! kill -0 "$QPID" 2>/dev/null; then
                        err "QEMU exited early: $(tail -n 3 "$log" | tr '\n' ' ')"
                        return 1
                fi
                grep -qs '^CPU 0/TCG$' /proc/"$QPID"/task/*/comm && return 0
                usleep 100000
                i=$((i + 1))
        done
        err "QEMU not ready after 60 s"
        return 1
}

qemu_stop() {
        [ -n "$QPID" ] || return 0
        kill -9 "$QPID" 2>/dev/null
        wait "$QPID" 2>/dev/null
        QPID=
}

# vcpu_tid N: the thread id of "CPU N/TCG" in $QPID
vcpu_tid() {
        for c in /proc/"$QPID"/task/*/comm; do
                if [ "$(cat "$c" 2>/dev/null)" = "CPU $1/TCG" ]; then
                        t=${c%/comm}
                        echo "${t##*/}"
                        return
                fi
        done
}

# The kernel's view of a thread's CPUs, as Cpus_allowed_list prints them.
cpus_allowed() { sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/"$QPID"/task/"$1"/status; }

# ---- numaplace and the oracle -------------------------------------------------

# np_check OUT ARGS...: `numaplace check ARGS --json`; sets RC, leaves OUT.json
np_check() {
        out=$T/$1
        shift
        timeout -s KILL $CHECK_TIMEOUT numaplace check "$@" --json >"$out.json" 2>"$out.err"
        RC=$?
        detail "numaplace check $* --json -> exit $RC: $(tr -d '\n' <"$out.json" | head -c 4000) $(head -c 600 "$out.err" | tr '\n' ' ')"
        if ! jq -e . "$out.json" >/dev/null 2>&1; then
                err "numaplace check $* printed no JSON (exit $RC: $(head -c 300 "$out.err" | tr '\n' ' '))"
                return 1
        fi
        # scenario files may judge the same process another way too
        # ($after_check: functions called with OUT ARGS...)
        for h in ${after_check:-}; do
                $h "${out##*/}" "$@"
        done
        return 0
}

# oracle ARGS...: the kernel's per-node KiB of one mapping of $QPID, e.g.
# {"1":65536}, in $OK.  Every page must be present: the backends are
# preallocated, so an absent page means the scenario is not what it claims.
oracle() {
        OK='{}'
        if ! np-pageoracle -J --pid "$QPID" "$@" >"$T/oracle.json" 2>"$T/oracle.err"; then
                err "oracle $*: $(tr '\n' ' ' <"$T/oracle.err")"
                return 1
        fi
        detail "np-pageoracle --pid $QPID $*: $(cat "$T/oracle.json")"
        OK=$(jq -cS .kib "$T/oracle.json")
        absent=$(jq '.absent + .errors' "$T/oracle.json")
        [ "$absent" = 0 ] || err "oracle $*: $absent pages not present"
}

# expect_oracle JSON: the kernel placed the pages as the scenario intends
# (if not, the scenario itself is broken, not numaplace).
expect_oracle() {
        [ "$OK" = "$1" ] || err "setup: oracle says $OK, scenario needs $1"
}

expect_rc() { [ "$RC" = "$1" ] || err "exit $RC, expected $1"; }

expect_verdict() {
        v=$(jq -r .verdict "$T/$1.json" 2>/dev/null)
        [ "$v" = "$2" ] || err "verdict '$v', expected '$2'"
}

region_get() { jq -r --arg id "$2" "[.regions[]? | select(.id == \$id)][0].$3 // empty" "$T/$1.json" 2>/dev/null; }

expect_region() {
        v=$(region_get "$1" "$2" verdict)
        [ "$v" = "$3" ] || err "$2 verdict '$v', expected '$3' (reason: $(region_get "$1" "$2" reason))"
}

# expect_pages OUT ID: numaplace's per-node KiB for ID equals the oracle's $OK
expect_pages() {
        got=$(jq -cS --arg id "$2" '[.regions[]? | select(.id == $id)][0].pages_kib // {} | with_entries(select(.value > 0))' "$T/$1.json" 2>/dev/null)
        [ "$got" = "$OK" ] || err "$2 pages_kib $got, oracle says $OK"
        note "$2 $OK"
        # and compare their own figures with the oracle's ($after_pages:
        # functions called with OUT ID, the oracle's figures in $OK)
        for h in ${after_pages:-}; do
                $h "$1" "$2"
        done
}

thread_get() { jq -r --arg n "$2" "[.threads[]? | select(.name == \$n)][0].$3 // empty" "$T/$1.json" 2>/dev/null; }

# expect_thread OUT NAME TID VERDICT CPUS_SEEN CPUS_WANTED
expect_thread() {
        [ "$(thread_get "$1" "$2" tid)" = "$3" ] || err "thread '$2' tid '$(thread_get "$1" "$2" tid)', kernel says $3"
        v=$(thread_get "$1" "$2" verdict)
        [ "$v" = "$4" ] || err "thread '$2' verdict '$v', expected '$4'"
        v=$(thread_get "$1" "$2" cpus_seen)
        [ "$v" = "$5" ] || err "thread '$2' cpus_seen '$v', kernel says '$5'"
        v=$(thread_get "$1" "$2" cpus_wanted)
        [ "$v" = "$6" ] || err "thread '$2' cpus_wanted '$v', XML says '$6'"
}

# A libvirt-style hugepage backend: one cell, its file under the per-domain
# directory so QEMU names it qemu_back_mem.<id>.XXXXXX.
hugepage_dir() {
        d=/dev/hugepages/libvirt/qemu/$1
        mkdir -p "$d"
        echo "$d"
}

# ---- scenarios ---------------------------------------------------------------

s_topology() {
        begin topology
        want=$(sed -n 's/.*np\.nodes=\([0-9]*\).*/\1/p' /proc/cmdline)
        [ "$NODES" = "$want" ] || err "kernel sees $NODES nodes, host asked for $want"
        n=0
        while [ $n -lt "$NODES" ]; do
                c=$(cat /sys/devices/system/node/node$n/cpulist)
                [ "$c" = "$n" ] || err "node $n has CPUs '$c', expected '$n'"
                n=$((n + 1))
        done
        for n in 0 1; do
                [ "$(pool_free $n)" = $POOL ] || err "node $n has $(pool_free $n) free 2 MiB pages, $POOL reserved"
        done
        [ "$(cat /proc/sys/kernel/numa_balancing)" = 0 ] || err "numa_balancing still on"
        note "$NODES nodes, $POOL x 2 MiB pages free on nodes 0 and 1"
        finish
}

# 1. strict bind of hugepages to node 1: compliant
s_strict_hugepages() {
        begin s1-strict-hugepages-node1
        d=$(hugepage_dir 1-npmn-s1)
        qemu_start s1 -name guest=npmn-s1,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","prealloc":true,"size":67108864,"host-nodes":[1],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if qemu_ready; then
                oracle --path qemu_back_mem.ram-node0.
                expect_oracle '{"1":65536}'
                if np_check s1 --xml $XML/strict-hugepages-node1.xml --pid "$QPID"; then
                        expect_rc 0
                        expect_verdict s1 compliant
                        expect_region s1 ram-node0 compliant
                        expect_pages s1 ram-node0
                fi
        fi
        finish
}

# 2. LXD #15082 replayed on the command line: prealloc'd hugepage file with
# no host-nodes and no policy, while the intent says strict node 1.  QEMU
# runs on CPU 0, so first touch puts the pages on node 0.
s_lxd_unbound() {
        begin s2-lxd-15082-unbound-backend
        d=$(hugepage_dir 2-npmn-s2)
        CPUMASK=1
        qemu_start s2 -name guest=npmn-s2,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","share":true,"prealloc":true,"size":67108864}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if qemu_ready; then
                oracle --path qemu_back_mem.ram-node0.
                expect_oracle '{"0":65536}'
                if np_check s2 --xml $XML/strict-hugepages-node1.xml --pid "$QPID"; then
                        expect_rc 1
                        expect_verdict s2 violation
                        expect_region s2 ram-node0 violation
                        expect_pages s2 ram-node0
                        r=$(region_get s2 ram-node0 reason)
                        echo "$r" | grep -Eiq '(node[s]?[ :=]*|N)0([^0-9-]|$)' ||
                                err "ram-node0 reason does not name node 0, where the pages are: '$r'"
                fi
        fi
        finish
}

# 3. preferred node 1 with node 1's pool empty: the kernel falls back to
# node 0 silently; numaplace warns by default, fails with --preferred=violation.
s_preferred_fallback() {
        begin s3-preferred-fallback
        pool_set 1 0
        d=$(hugepage_dir 3-npmn-s3)
        qemu_start s3 -name guest=npmn-s3,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","prealloc":true,"size":67108864,"host-nodes":[1],"policy":"preferred"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if qemu_ready; then
                oracle --path qemu_back_mem.ram-node0.
                expect_oracle '{"0":65536}'
                if np_check s3 --xml $XML/preferred-hugepages-node1.xml --pid "$QPID"; then
                        expect_rc 0
                        expect_verdict s3 warning
                        expect_region s3 ram-node0 warning
                        expect_pages s3 ram-node0
                fi
                if np_check s3v --xml $XML/preferred-hugepages-node1.xml --pid "$QPID" --preferred=violation; then
                        expect_rc 1
                        expect_verdict s3v violation
                        expect_region s3v ram-node0 violation
                fi
        fi
        qemu_stop
        pool_set 1 $POOL
        finish
}

# 4. strict node 1 with node 1's pool empty: QEMU's prealloc dies of SIGBUS,
# and numaplace's pre-flight on the same XML says so beforehand.
s_bind_empty_pool() {
        begin s4-bind-empty-pool
        x=$XML/strict-hugepages-node1.xml
        timeout $CHECK_TIMEOUT numaplace preflight --xml $x >"$T/s4a.out" 2>&1
        RC=$?
        detail "numaplace preflight --xml $x with $(pool_free 1) free on node 1 -> exit $RC: $(tr '\n' ' ' <"$T/s4a.out")"
        [ $RC = 0 ] || err "preflight with $(pool_free 1) free pages on node 1: exit $RC, expected 0"
        pool_set 1 0
        [ "$(pool_free 1)" = 0 ] || err "setup: node 1 pool did not empty"
        timeout $CHECK_TIMEOUT numaplace preflight --xml $x >"$T/s4b.out" 2>&1
        RC=$?
        detail "numaplace preflight --xml $x with node 1 empty -> exit $RC: $(tr '\n' ' ' <"$T/s4b.out")"
        [ $RC = 1 ] || err "preflight with node 1 empty: exit $RC, expected 1"
        grep 'ram-node0' "$T/s4b.out" | grep -q 'node 1' || err "preflight names no shortfall of ram-node0 on node 1"
        d=$(hugepage_dir 4-npmn-s4)
        qemu_start s4 -name guest=npmn-s4,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","prealloc":true,"size":67108864,"host-nodes":[1],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        wait "$QPID"
        qrc=$?
        QPID=
        detail "QEMU exit $qrc: $(tr '\n' ' ' <"$T/s4.qemu.log")"
        if [ $qrc = 0 ] || [ $qrc = 137 ]; then
                err "QEMU exit $qrc, expected a failed start of its own"
        fi
        grep -q 'prealloc' "$T/s4.qemu.log" || err "QEMU did not fail in prealloc: $(head -c 200 "$T/s4.qemu.log")"
        pool_set 1 $POOL
        note "preflight exit 0 then 1, QEMU exit $qrc"
        finish
}

# 5. two cells with memnode, cell 1 put on node 0 instead of 1 (the Nova
# wrong-cell class): only ram-node1 is flagged.
s_memnode_wrong_cell() {
        begin s5-memnode-wrong-cell
        d=$(hugepage_dir 5-npmn-s5)
        qemu_start s5 -name guest=npmn-s5,debug-threads=on -m size=65536k -smp 2 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","prealloc":true,"size":33554432,"host-nodes":[0],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node1","mem-path":"'"$d"'","prealloc":true,"size":33554432,"host-nodes":[0],"policy":"bind"}' \
                -numa node,nodeid=1,cpus=1,memdev=ram-node1
        if qemu_ready && np_check s5 --xml $XML/memnode-two-cells.xml --pid "$QPID"; then
                expect_rc 1
                expect_verdict s5 violation
                expect_region s5 ram-node0 compliant
                expect_region s5 ram-node1 violation
                oracle --path qemu_back_mem.ram-node0.
                expect_oracle '{"0":32768}'
                expect_pages s5 ram-node0
                oracle --path qemu_back_mem.ram-node1.
                expect_oracle '{"0":32768}'
                expect_pages s5 ram-node1
        fi
        finish
}

# nodes_json FIRST LAST: "[FIRST,...,LAST]"
nodes_json() {
        s=
        n=$1
        while [ "$n" -le "$2" ]; do
                s="$s${s:+,}$n"
                n=$((n + 1))
        done
        echo "[$s]"
}

# even_json COUNT KIB: the oracle's answer for KIB interleaved over nodes 0..COUNT-1
even_json() {
        s=
        n=0
        while [ $n -lt "$1" ]; do
                s="$s${s:+,}\"$n\":$(($2 / $1))"
                n=$((n + 1))
        done
        echo "{$s}"
}

# 6. 96 MiB of 4 KiB RAM interleaved over every node: compliant; the same
# with the last node left out of host-nodes: violation.
s_interleave() {
        name=$1 used=$2 rc=$3 verdict=$4
        begin "$name"
        qemu_start "$name" -name guest=npmn-s6,debug-threads=on -m size=98304k -smp 1 \
                -object '{"qom-type":"memory-backend-ram","id":"ram-node0","prealloc":true,"size":100663296,"host-nodes":'"$(nodes_json 0 $((used - 1)))"',"policy":"interleave"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if qemu_ready; then
                oracle --size $((96 * MiB))
                expect_oracle "$(even_json "$used" 98304)"
                if np_check "$name" --xml "$XML/interleave-all-$NODES.xml" --pid "$QPID"; then
                        expect_rc "$rc"
                        expect_verdict "$name" "$verdict"
                        expect_region "$name" ram-node0 "$verdict"
                        expect_pages "$name" ram-node0
                fi
        fi
        finish
}

# 7. vCPU 0 must run on CPU 1 only: unpinned it is flagged; after taskset
# moves that thread to CPU 1 it is compliant.
s_vcpu_pin() {
        begin s7-vcpu-pin
        d=$(hugepage_dir 7-npmn-s7)
        qemu_start s7 -name guest=npmn-s7,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","prealloc":true,"size":67108864,"host-nodes":[1],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if qemu_ready; then
                tid=$(vcpu_tid 0)
                all=$(cpus_allowed "$tid")
                [ "$all" = "0-$((NODES - 1))" ] || err "setup: CPU 0/TCG allowed on '$all' before the pin"
                if np_check s7a --xml $XML/vcpupin-cpu1.xml --pid "$QPID"; then
                        expect_rc 1
                        expect_verdict s7a violation
                        expect_thread s7a "CPU 0/TCG" "$tid" violation "$all" 1
                        expect_region s7a ram-node0 compliant
                fi
                taskset -p 2 "$tid" >/dev/null
                pinned=$(cpus_allowed "$tid")
                [ "$pinned" = 1 ] || err "setup: taskset left CPU 0/TCG on '$pinned'"
                if np_check s7b --xml $XML/vcpupin-cpu1.xml --pid "$QPID"; then
                        expect_rc 0
                        expect_verdict s7b compliant
                        expect_thread s7b "CPU 0/TCG" "$tid" compliant "$pinned" 1
                fi
                note "CPU 0/TCG tid $tid: $all flagged, $pinned compliant"
        fi
        finish
}

# 8. 4 KiB RAM touched on node 0, then mbind(MPOL_BIND, node 1) without
# MPOL_MF_MOVE: policy bind:1, pages on node 0.  QEMU cannot do this, so a
# helper stands in, with QEMU's option syntax in its command line and
# QEMU's name, as numaplace would meet it.
s_late_bind() {
        begin s8-late-bind
        mkdir -p "$T/latebind"
        cp /mn/np-latebind "$T/latebind/qemu-system-x86_64"
        spec="memory-backend-ram,id=ram-node0,size=64M,host-nodes=1,policy=bind"
        detail "NP_LATEBIND_CPU=0 np-latebind (as qemu-system-x86_64) -name guest=npmn-s8 -object $spec -numa node,nodeid=0,memdev=ram-node0"
        NP_LATEBIND_CPU=0 timeout -s KILL $QEMU_TIMEOUT "$T/latebind/qemu-system-x86_64" \
                -name guest=npmn-s8 -object "$spec" -numa node,nodeid=0,memdev=ram-node0 \
                </dev/null >"$T/s8.out" 2>&1 &
        QPID=$!
        i=0
        while ! grep -q '^ready' "$T/s8.out" && [ $i -lt 300 ] && kill -0 "$QPID" 2>/dev/null; do
                usleep 100000
                i=$((i + 1))
        done
        if grep -q '^ready' "$T/s8.out"; then
                oracle --size $((64 * MiB))
                expect_oracle '{"0":65536}'
                if np_check s8 --xml $XML/strict-4k-node1.xml --pid "$QPID"; then
                        expect_rc 1
                        expect_verdict s8 violation
                        expect_region s8 ram-node0 violation
                        p=$(region_get s8 ram-node0 policy_seen)
                        [ "$p" = "bind:1" ] || err "ram-node0 policy_seen '$p', the helper applied bind:1"
                        expect_pages s8 ram-node0
                fi
        else
                err "np-latebind never ready: $(tr '\n' ' ' <"$T/s8.out")"
        fi
        finish
}

# 9. two memfd cells: both mappings are /memfd:memory-backend-memfd, only
# sizes (64 and 48 MiB) and policies differ.  First as configured
# (compliant), then with the two bindings swapped (both violations):
# attribution must follow the backend, not the node the pages are on.
s_memfd() {
        name=$1 node0=$2 node1=$3 rc=$4 verdict=$5
        begin "$name"
        qemu_start "$name" -name guest=npmn-s9,debug-threads=on -m size=114688k -smp 2 \
                -object '{"qom-type":"memory-backend-memfd","id":"ram-node0","share":true,"prealloc":true,"size":67108864,"host-nodes":['"$node0"'],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0 \
                -object '{"qom-type":"memory-backend-memfd","id":"ram-node1","share":true,"prealloc":true,"size":50331648,"host-nodes":['"$node1"'],"policy":"bind"}' \
                -numa node,nodeid=1,cpus=1,memdev=ram-node1
        if qemu_ready && np_check "$name" --xml $XML/memfd-two-cells.xml --pid "$QPID"; then
                expect_rc "$rc"
                expect_verdict "$name" "$verdict"
                expect_region "$name" ram-node0 "$verdict"
                expect_region "$name" ram-node1 "$verdict"
                oracle --path memfd:memory-backend-memfd --size $((64 * MiB))
                expect_oracle "{\"$node0\":65536}"
                expect_pages "$name" ram-node0
                oracle --path memfd:memory-backend-memfd --size $((48 * MiB))
                expect_oracle "{\"$node1\":49152}"
                expect_pages "$name" ram-node1
        fi
        finish
}

# 2, second half: the same bug through LXD's own files: a QEMU started
# with -readconfig on the qemu.conf LXD wrote, found by `numaplace scan`
# in an LXD_DIR, its config as `lxc config show` prints it.  The bug
# must show from the config (the finding) and from the pages (the
# region's figures equal the oracle's).
s_lxd_readconfig() {
        begin s2-lxd-15082-readconfig
        lxd=$T/lxd
        mkdir -p "$lxd/logs/npmn"
        cat >"$lxd/logs/npmn/qemu.conf" <<EOF
[machine]
type = "pc"
accel = "tcg"

[smp-opts]
cpus = "1"

[memory]
size = "64M"

[object "mem0"]
qom-type = "memory-backend-file"
mem-path = "/dev/hugepages"
prealloc = "on"
share = "on"
size = "64M"

[numa]
type = "node"
nodeid = "0"
memdev = "mem0"
EOF
        # as `lxc config show npmn` prints it
        cat >"$lxd/npmn.yaml" <<EOF
architecture: x86_64
config:
  limits.cpu: "1"
  limits.cpu.nodes: "1"
  limits.memory: 64MiB
  limits.memory.hugepages: "true"
name: npmn
type: virtual-machine
EOF
        detail "qemu-system-x86_64 -readconfig $lxd/logs/npmn/qemu.conf: $(tr '\n' ' ' <"$lxd/logs/npmn/qemu.conf")"
        taskset 1 timeout -s KILL $QEMU_TIMEOUT qemu-system-x86_64 -name npmn,debug-threads=on -S -nodefaults -no-user-config \
                -display none -readconfig "$lxd/logs/npmn/qemu.conf" -pidfile "$lxd/logs/npmn/qemu.pid" \
                </dev/null >"$T/s2b.qemu.log" 2>&1 &
        QPID=$!
        if qemu_ready; then
                oracle --path qemu_back_mem.mem0.
                expect_oracle '{"0":65536}'
                timeout -s KILL $CHECK_TIMEOUT numaplace scan --lxd-dir "$lxd" --lxd-config "npmn=$lxd/npmn.yaml" --json \
                        >"$T/s2b.json" 2>"$T/s2b.err"
                RC=$?
                detail "numaplace scan --lxd-dir $lxd --lxd-config npmn=$lxd/npmn.yaml --json -> exit $RC: $(tr -d '\n' <"$T/s2b.json" | head -c 4000) $(head -c 600 "$T/s2b.err" | tr '\n' ' ')"
                expect_rc 1
                # the VM's own check document, for the region helpers
                jq '.vms[] | select(.name == "npmn") | .check' "$T/s2b.json" >"$T/s2b-vm.json" 2>/dev/null
                v=$(jq -r '.vms[] | select(.name == "npmn") | [.source, .verdict, .findings[0].reason] | join("|")' \
                        "$T/s2b.json" 2>/dev/null)
                [ "$v" = "lxd|violation|mem0 has no host-nodes although limits.cpu.nodes is 1" ] ||
                        err "config finding: '$v'"
                expect_region s2b-vm mem0 violation
                expect_pages s2b-vm mem0
        fi
        finish
}

# ---- the whole stack: libvirtd with the numaplace hook ---------------------

# libvirtd without systemd, virtlogd or security drivers: what is left is
# exactly the path from domain XML to QEMU to the hook.
libvirt_setup() {
        mkdir -p /etc/libvirt/hooks/qemu.d /etc/libvirt/qemu /etc/numaplace /var/lib/libvirt/qemu \
                /var/cache/libvirt/qemu /var/log/libvirt/qemu /run/libvirt
        cat >/etc/libvirt/qemu.conf <<EOF
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
namespaces = [ ]
stdio_handler = "file"
EOF
        echo 'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"' >/etc/libvirt/libvirtd.conf
        cp /mn/numaplace-hook /etc/libvirt/hooks/qemu.d/numaplace
        cp /mn/hook-race /etc/libvirt/hooks/qemu.d/00-npmn-race
        # TCG inside TCG is slow: give the check time before on_error applies
        cat >/etc/numaplace/numaplace.conf <<EOF
[numaplace]
mode = enforce
preferred = violation
timeout_ms = 30000
log_json = $T/hook.jsonl
EOF
        chmod 644 /etc/numaplace/numaplace.conf
}

libvirt_start() {
        libvirtd -d -p /run/libvirtd.pid || return 1
        deadline=$(($(date +%s) + 60))
        while [ "$(date +%s)" -lt $deadline ]; do
                timeout 10 virsh -c qemu:///system uri >/dev/null 2>&1 && return 0
                usleep 200000
        done
        return 1
}

libvirt_stop() {
        [ -f /run/libvirtd.pid ] || return 0
        kill "$(cat /run/libvirtd.pid)" 2>/dev/null
        i=0
        while [ -f /run/libvirtd.pid ] && [ $i -lt 100 ]; do
                usleep 100000
                i=$((i + 1))
        done
}

# virsh_start XML NAME: define and start; sets VRC, leaves $T/virsh.out
virsh_start() {
        timeout 60 virsh -c qemu:///system define "$1" >/dev/null 2>&1
        timeout 120 virsh -c qemu:///system start "$2" >"$T/virsh.out" 2>&1
        VRC=$?
        detail "virsh start $2 (from $1) -> exit $VRC: $(tr '\n' ' ' <"$T/virsh.out")"
}

# The whole stack (stretch of issue 4), in the 2-node guest: libvirtd with
# the numaplace hook in enforce mode and preferred = violation.
s_libvirt_stack() {
        [ "$NODES" = 2 ] || return 0
        if ! command -v libvirtd >/dev/null || [ ! -x /mn/numaplace-hook ]; then
                echo "NPMN SKIP libvirt-stack: libvirtd or numaplace-hook not in the initramfs"
                return
        fi
        begin libvirt-stack
        libvirt_setup
        if ! libvirt_start; then
                err "libvirtd did not answer within 60 s: $(tail -n 5 /var/log/libvirt/libvirtd.log 2>/dev/null | tr '\n' ' ')"
                finish
                return
        fi
        s_libvirt_accepts_strict
        s_libvirt_refuses_at_prepare
        s_libvirt_refuses_at_started
        libvirt_stop
}

# A strict node-1 hugepage guest starts, and its pages are on node 1.
s_libvirt_accepts_strict() {
        begin libvirt-hook-accepts-strict
        virsh_start $XML/strict-hugepages-node1.xml npmn-strict-hugepages
        if [ "$VRC" = 0 ]; then
                QPID=$(cat /run/libvirt/qemu/npmn-strict-hugepages.pid)
                oracle --path qemu_back_mem.ram-node0.
                expect_oracle '{"1":65536}'
                expect_hook_pages npmn-strict-hugepages started
                note "ram-node0 $OK"
                timeout 60 virsh -c qemu:///system destroy npmn-strict-hugepages >/dev/null 2>&1
                QPID=
        else
                err "strict node-1 guest refused"
        fi
        hook_log_detail npmn-strict-hugepages
        finish
}

# A preferred node-1 hugepage guest while node 1's pool is empty: the
# pre-flight at prepare predicts the fallback and the hook refuses it
# before QEMU exists.
s_libvirt_refuses_at_prepare() {
        begin libvirt-hook-refuses-preferred-at-prepare
        pool_set 1 0
        virsh_start $XML/preferred-hugepages-node1.xml npmn-preferred-hugepages
        expect_refused npmn-preferred-hugepages prepare
        pool_set 1 $POOL
        hook_log_detail npmn-preferred-hugepages
        finish
}

# The same guest with node 1's pool full at prepare and drained by another
# tenant at start (00-npmn-race): QEMU's pages fall back to node 0, and
# the hook refuses the running guest at started, where libvirt kills it.
s_libvirt_refuses_at_started() {
        begin libvirt-hook-refuses-preferred-fallback-at-started
        rm -f "$T/started-npmn-preferred-hugepages.oracle.json"
        touch "$T/drain-node1"
        virsh_start $XML/preferred-hugepages-node1.xml npmn-preferred-hugepages
        rm -f "$T/drain-node1"
        expect_refused npmn-preferred-hugepages started
        f=$T/started-npmn-preferred-hugepages.oracle.json
        if [ -s "$f" ]; then
                detail "np-pageoracle at started (00-npmn-race): $(cat "$f")"
                OK=$(jq -cS .kib "$f" 2>/dev/null)
                expect_oracle '{"0":65536}'
                expect_hook_pages npmn-preferred-hugepages started
                note "oracle at started: ram-node0 $OK"
        else
                err "no oracle reading at started"
        fi
        pool_set 1 $POOL
        hook_log_detail npmn-preferred-hugepages
        finish
}

# expect_refused NAME OP: virsh start failed because the numaplace hook
# exited 1 at OP, and nothing of the guest is left running.
expect_refused() {
        if [ "$VRC" = 0 ]; then
                err "guest $1 was started"
                timeout 60 virsh -c qemu:///system destroy "$1" >/dev/null 2>&1
                return
        fi
        grep -q "hooks/qemu.d/numaplace $1 $2 begin" "$T/virsh.out" ||
                err "virsh start failed, but not in the numaplace hook at $2"
        grep -q 'numaplace: refusing' "$T/virsh.out" || err "no refusal message from the hook"
        st=$(timeout 30 virsh -c qemu:///system domstate "$1" 2>&1 | sed '/^$/d')
        [ "$st" = "shut off" ] || err "refused guest is '$st', not 'shut off'"
        note "refused at $2: $(sed -n 's/.*unexpected exit status 1: //p' "$T/virsh.out" | head -c 300)"
}

# expect_hook_pages NAME OP: the per-node KiB the numaplace hook judged at
# OP (its JSON decision log) equal the oracle's $OK.
expect_hook_pages() {
        got=$(grep "\"domain\":\"$1\"" "$T/hook.jsonl" 2>/dev/null | grep "\"operation\":\"$2\"" | tail -n 1 |
                jq -cS '[.check.regions[]? | select(.id == "ram-node0")][0].pages_kib // {} | with_entries(select(.value > 0))' 2>/dev/null)
        [ "$got" = "$OK" ] || err "hook at $2 judged ram-node0 pages_kib '$got', oracle says $OK"
}

# The numaplace hook's own decision log lines for NAME.
hook_log_detail() {
        [ -f "$T/hook.jsonl" ] || return 0
        detail "hook log: $(grep "\"domain\":\"$1\"" "$T/hook.jsonl" | tail -n 2 | tr '\n' ' ' | head -c 4000)"
}

# ---- run ---------------------------------------------------------------------

pool_set 0 $POOL
pool_set 1 $POOL
last=$((NODES - 1))

# The plan lets the host report every scenario the guest never got to.
plan="topology s1-strict-hugepages-node1 s2-lxd-15082-unbound-backend s2-lxd-15082-readconfig s3-preferred-fallback"
plan="$plan s4-bind-empty-pool s5-memnode-wrong-cell s6-interleave-all s6-interleave-missing-node"
plan="$plan s7-vcpu-pin s8-late-bind s9-memfd-two-cells s9-memfd-two-cells-swapped"
if [ "$NODES" = 2 ] && command -v libvirtd >/dev/null && [ -x /mn/numaplace-hook ]; then
        plan="$plan libvirt-hook-accepts-strict libvirt-hook-refuses-preferred-at-prepare"
        plan="$plan libvirt-hook-refuses-preferred-fallback-at-started"
fi
# Scenario files /mn/scen-*.sh (tests/multinode/guest/scen-*.sh) each
# append their scenario names to $plan and the functions that run them to
# $more; they run after the scenarios above, before the libvirt stack.
more=
for f in /mn/scen-*.sh; do
        [ -f "$f" ] && . "$f"
done
echo "NPMN PLAN $plan"
s_topology
s_strict_hugepages
s_lxd_unbound
s_lxd_readconfig
s_preferred_fallback
s_bind_empty_pool
s_memnode_wrong_cell
s_interleave s6-interleave-all "$NODES" 0 compliant
s_interleave s6-interleave-missing-node "$last" 1 violation
s_vcpu_pin
s_late_bind
s_memfd s9-memfd-two-cells 0 1 0 compliant
s_memfd s9-memfd-two-cells-swapped 1 0 1 violation
for fn in $more; do
        $fn
done
s_libvirt_stack
