#!/usr/bin/env bash
# Benchmark: numaplace scan of N QEMU-like processes (np-fakeqemu, one
# 64 MiB strictly bound cell each, every page touched) given as
# --pid/--xml pairs, against the cost of reading their numa_maps:
#
#   cat-each   one `cat /proc/PID/numa_maps` per process, summed (what a
#              script looping over the VMs pays)
#   cat-once   one cat reading every numa_maps file (the kernel's page
#              walk and nothing else: the floor)
#   scan -j1   numaplace scan --no-libvirt --no-lxd -j 1 --pid P --xml X ...
#              (one VM at a time: what the scan costs in CPU)
#   scan       the same with its default workers (the CPUs, at most 4):
#              the wall time a nightly scan takes
#
# at 25, 50 and 100 processes, to show the scan grows linearly; then
# at 25 processes with 4 times the memory each, where the kernel's page
# walk weighs more against the fixed cost of a VM (its task, cgroup and
# XML reads).  At both, scan --screen against the full scan: each
# process runs in a memory cgroup of its own (made for the run below the
# memory hierarchy, removed afterwards; root only), so that its cgroup
# statistics describe it alone and a compliant one is judged by its
# totals without a page walk.  Prints figures, asserts
# nothing.  Medians of
# NP_BENCH_RUNS runs (default 7); NP_BENCH_MIB sets the memory per
# process (default 64).
set -u
: "${NP_BUILD:?NP_BUILD must point at the build directory}"
np=$NP_BUILD/numaplace
fake=$NP_BUILD/tests/helpers/np-fakeqemu
runs=${NP_BENCH_RUNS:-7}
mib=${NP_BENCH_MIB:-64}
sizes=(25 50 100)
max=${sizes[-1]}
work=$(mktemp -d)
pids=()
cgbase=
cleanup() {
        local p
        for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
        wait 2>/dev/null
        cg_remove
        rm -rf "$work"
}

# A memory cgroup per process when this machine lets us make them: v1's
# memory hierarchy, or v2 with the memory controller on for the root's
# children.
cg_base() {
        local root=/sys/fs/cgroup
        if [ -d $root/memory ] && [ -w $root/memory ]; then
                echo "$root/memory/np-bench.$$"
        elif [ -f $root/cgroup.subtree_control ] && grep -qw memory $root/cgroup.subtree_control && [ -w $root ]; then
                echo "$root/np-bench.$$"
        fi
}

cg_remove() {
        local d
        [ -n "$cgbase" ] && [ -d "$cgbase" ] || return 0
        for d in "$cgbase"/vm*; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
        rmdir "$cgbase" 2>/dev/null
}
trap cleanup EXIT

for f in "$np" "$fake"; do
        [ -x "$f" ] || { echo "bench scan: $f is not built (make tests-build)"; exit 1; }
done

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# median wall time of a command in microseconds
median_us() {
        local t=() s
        for _ in $(seq "$runs"); do
                s=$(now_us)
                "$@" >/dev/null 2>&1
                t+=($(($(now_us) - s)))
        done
        printf '%s\n' "${t[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }

start_all() { # count mib
        local i
        for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
        wait 2>/dev/null
        pids=()
        echo "== starting $1 QEMU-like processes, $2 MiB touched each"
        t0=$(now_us)
        for ((i = 0; i < $1; i++)); do
                start_one "$i" "$2"
        done
        for ((i = 0; i < $1; i++)); do
                for _ in $(seq 600); do grep -q ready "$work/$i.out" && break; sleep 0.05; done
                grep -q ready "$work/$i.out" || { echo "process $i did not come up: $(cat "$work/$i.out")"; exit 1; }
        done
        echo "   up in $(ms $(($(now_us) - t0))) ms; $(awk '{ s += $1 } END { print s }' \
                <(for p in "${pids[@]}"; do grep -c . /proc/$p/numa_maps; done)) numa_maps lines in all"
        args=()
        for ((i = 0; i < $1; i++)); do args+=(--pid "${pids[$i]}" --xml "$work/$i.xml"); done
        # check every process once: all compliant, all found
        "$np" scan --no-libvirt --no-lxd -o VERDICT -n "${args[@]}" | sort | uniq -c | sed 's/^/   verdicts: /'
}

start_one() { # index mib
        local i=$1 mib=$2
        if [ -n "$cgbase" ]; then
                # in its cgroup before it touches a page: charges stay
                # where they were made
                mkdir -p "$cgbase/vm$i"
                (echo 0 >"$cgbase/vm$i/cgroup.procs" && exec "$fake" \
                        -object "memory-backend-ram,id=ram-node0,size=${mib}M,host-nodes=0,policy=bind" \
                        -numa node,nodeid=0,memdev=ram-node0) >"$work/$i.out" 2>&1 &
        else
                "$fake" -object "memory-backend-ram,id=ram-node0,size=${mib}M,host-nodes=0,policy=bind" \
                        -numa node,nodeid=0,memdev=ram-node0 >"$work/$i.out" 2>&1 &
        fi
        pids+=("$!")
        cat >"$work/$i.xml" <<XML
<domain type='kvm'><name>bench-$i</name><uuid>00000000-0000-4000-8000-$(printf %012d "$i")</uuid>
<memory unit='MiB'>$mib</memory><vcpu>1</vcpu>
<numatune><memory mode='strict' nodeset='0'/></numatune>
<cpu><numa><cell id='0' cpus='0' memory='$mib' unit='MiB'/></numa></cpu></domain>
XML
}

cat_each() { # n
        local i
        for ((i = 0; i < $1; i++)); do cat "/proc/${pids[$i]}/numa_maps" >/dev/null; done
}
cat_once() { # n
        local files=() i
        for ((i = 0; i < $1; i++)); do files+=("/proc/${pids[$i]}/numa_maps"); done
        cat "${files[@]}" >/dev/null
}
scan_n() { # n [options]
        local n=$1
        shift
        "$np" scan --no-libvirt --no-lxd "$@" "${args[@]:0:$((4 * n))}" --json-file "$work/report.json" \
                --junit "$work/report.xml" --prometheus "$work/numaplace.prom"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

table() { # sizes...
        local n each once s1 sc
        echo "== scan against reading numa_maps (median of $runs runs; $(nproc) CPUs)"
        printf '   %4s %11s %11s %11s %11s %9s %10s %10s\n' VMs cat-each cat-once 'scan -j1' scan \
                'per-VM' '-j1/once' 'scan/once'
        for n in "$@"; do
                each=$(median_us cat_each "$n")
                once=$(median_us cat_once "$n")
                s1=$(median_us scan_n "$n" -j 1)
                sc=$(median_us scan_n "$n")
                printf '   %4d %8s ms %8s ms %8s ms %8s ms %6s ms %10s %10s\n' "$n" "$(ms "$each")" "$(ms "$once")" \
                        "$(ms "$s1")" "$(ms "$sc")" \
                        "$(awk -v u="$s1" -v n="$n" 'BEGIN { printf "%.2f", u / n / 1000 }')" \
                        "$(ratio "$s1" "$once")" "$(ratio "$sc" "$once")"
        done
        echo "   (per-VM: scan -j1 divided by the VMs; every scan run writes its JSON, JUnit and Prometheus reports)"
}

# scan --screen against the full scan, every process in its own cgroup
screen_table() { # n
        local n=$1 full1 scr1 full scr
        echo "== scan --screen against the full scan (median of $runs runs; $(nproc) CPUs)"
        "$np" scan --no-libvirt --no-lxd --screen -o CHECKED -n "${args[@]:0:$((4 * n))}" | sort | uniq -c |
                sed 's/^/   checked by: /'
        full1=$(median_us scan_n "$n" -j 1)
        scr1=$(median_us scan_n "$n" -j 1 --screen)
        full=$(median_us scan_n "$n")
        scr=$(median_us scan_n "$n" --screen)
        printf '   %4s %12s %16s %11s %13s %10s\n' VMs 'scan -j1' 'scan -j1 --screen' scan 'scan --screen' 'full/screen'
        printf '   %4d %9s ms %13s ms %8s ms %10s ms %10s\n' "$n" "$(ms "$full1")" "$(ms "$scr1")" "$(ms "$full")" \
                "$(ms "$scr")" "$(ratio "$full" "$scr")"
        echo "   (--screen reads each VM's memory.numa_stat instead of walking its pages when all of it is on its allowed nodes)"
}

cgbase=$(cg_base)
if [ -z "$cgbase" ] || ! mkdir "$cgbase" 2>/dev/null; then
        cgbase=
fi
start_all "$max" "$mib"
table "${sizes[@]}"
if [ -n "$cgbase" ]; then screen_table "$max"; fi
start_all "${sizes[0]}" $((mib * 4))
table "${sizes[0]}"
if [ -n "$cgbase" ]; then
        screen_table "${sizes[0]}"
else
        echo "== scan --screen: skipped (no memory cgroup hierarchy this user may create cgroups in)"
fi
