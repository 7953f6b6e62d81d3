#!/usr/bin/env bash
# Benchmark: sampled checks (--sample N, move_pages) against the full walk
# of numa_maps, for one QEMU-like process (np-fakeqemu, one strictly bound
# cell, every page touched) of NP_BENCH_SAMPLE_GIB GiB (default 16):
#
#   cat        cat /proc/PID/numa_maps: the kernel's page walk alone (the
#              floor of every tool that reads numa_maps)
#   walk       numaplace check (reads numa_maps)
#   N=700      numaplace check --sample 700
#   N=4096     numaplace check --sample 4096 (what scan and the hook use)
#   N=16384    numaplace check --sample 16384
#
# in three layouts: 4 KiB pages, transparent huge pages (MADV_HUGEPAGE);
# then the sampled check at 1 and 4 GiB next to the full size, to show it
# is flat in guest size; last 1 GiB hugetlbfs pages when the kernel can
# reserve them.  Medians of NP_BENCH_RUNS runs (default 7), peak RSS of one
# run.  NP_BENCH_SAMPLE_LAYOUTS picks some of "4k thp flat 1g".  Prints
# figures, asserts nothing.  Only one process is alive at a
# time, and each is killed as soon as it is measured: the 16 GiB are
# touched for real.  The 1 GiB pool is the host's: it is set under the
# lock the real-stack tests take and put back as it was.
set -u
: "${NP_BUILD:?NP_BUILD must point at the build directory}"
np=$NP_BUILD/numaplace
fake=$NP_BUILD/tests/helpers/np-fakeqemu
runs=${NP_BENCH_RUNS:-7}
gib=${NP_BENCH_SAMPLE_GIB:-16}
layouts=" ${NP_BENCH_SAMPLE_LAYOUTS:-4k thp flat 1g} "
want() { [[ $layouts == *" $1 "* ]]; }
work=$(mktemp -d)
pid=
gpool=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
cleanup() {
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
        wait 2>/dev/null
        mountpoint -q "$work/huge1g" 2>/dev/null && umount "$work/huge1g"
        rm -rf "$work"
}
trap cleanup EXIT

for f in "$np" "$fake"; do
        [ -x "$f" ] || { echo "bench sample: $f is not built (make tests-build)"; exit 1; }
done

# start ARGS...: np-fakeqemu in the background until it says ready; sets $pid
start() {
        "$fake" "$@" >"$work/fake.out" 2>&1 &
        pid=$!
        for _ in $(seq 1200); do
                grep -q ready "$work/fake.out" && return 0
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
        done
        echo "  np-fakeqemu did not come up: $(cat "$work/fake.out")"
        pid=
        return 1
}

stop() {
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        pid=
}

# median wall time in milliseconds of a command, over $runs runs
median_ms() {
        local t=() s e
        for _ in $(seq "$runs"); do
                s=$(date +%s%N)
                "$@" >/dev/null 2>&1
                e=$(date +%s%N)
                t+=($(((e - s) / 1000)))
        done
        printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%d.%03d", m/1000, m%1000}'
}

peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

# xml NAME GIB [MEMORY-BACKING]
xml() {
        cat <<XML
<domain type='kvm'><name>$1</name><memory unit='GiB'>$2</memory><vcpu>1</vcpu>
${3:-}
<numatune><memory mode='strict' nodeset='0'/></numatune>
<cpu><numa><cell id='0' cpus='0' memory='$2' unit='GiB'/></numa></cpu></domain>
XML
}

# measure LABEL XML: the four figures for the running $pid
measure() {
        local label=$1 x=$2 cat_ms walk_ms s700 s4k s16k v
        v=$("$np" check --xml "$x" --pid "$pid" --sample 700 -r -n -o NAME,PAGES,VERDICT | head -n 1)
        echo "  $label: $("$np" check --xml "$x" --pid "$pid" -r -n -o NAME,PAGES,VERDICT | head -n 1) | sampled: $v"
        cat_ms=$(median_ms cat /proc/"$pid"/numa_maps)
        walk_ms=$(median_ms "$np" check --xml "$x" --pid "$pid")
        s700=$(median_ms "$np" check --xml "$x" --pid "$pid" --sample 700)
        s4k=$(median_ms "$np" check --xml "$x" --pid "$pid" --sample 4096)
        s16k=$(median_ms "$np" check --xml "$x" --pid "$pid" --sample 16384)
        printf '    %-31s %9s ms\n' "cat /proc/PID/numa_maps" "$cat_ms"
        printf '    %-31s %9s ms  peak RSS %s KiB\n' "numaplace check (walk)" "$walk_ms" \
                "$(peak_kib "$np" check --xml "$x" --pid "$pid")"
        printf '    %-31s %9s ms  peak RSS %s KiB\n' "numaplace check --sample 700" "$s700" \
                "$(peak_kib "$np" check --xml "$x" --pid "$pid" --sample 700)"
        printf '    %-31s %9s ms  (the default of scan and the hook)\n' "numaplace check --sample 4096" "$s4k"
        printf '    %-31s %9s ms  peak RSS %s KiB\n' "numaplace check --sample 16384" "$s16k" \
                "$(peak_kib "$np" check --xml "$x" --pid "$pid" --sample 16384)"
        last="$cat_ms $s700 $s16k"
        awk -v c="$cat_ms" -v w="$walk_ms" -v a="$s700" -v b="$s16k" \
                'BEGIN { printf "    cat / N=700: %.1fx, cat / N=16384: %.1fx, walk / N=700: %.1fx\n", c / a, c / b, w / a }'
}

ram="memory-backend-ram,id=ram-node0,size=${gib}G,host-nodes=0,policy=bind"
numa="node,nodeid=0,memdev=ram-node0"
xml bench "$gib" >"$work/ram.xml"

echo "== sampled checks: $gib GiB, 4 KiB pages (median of $runs)"
if want 4k && start -object "$ram" -numa "$numa"; then
        measure "4 KiB" "$work/ram.xml"
        last4k=$last
        stop
fi

echo "== sampled checks: $gib GiB, transparent huge pages"
if ! want thp; then
        :
elif [ "$(cat /sys/kernel/mm/transparent_hugepage/enabled)" = "always madvise [never]" ]; then
        echo "  THP is disabled on this host (transparent_hugepage/enabled = never)"
elif start --thp -object "$ram" -numa "$numa"; then
        echo "  AnonHugePages of the process: $(awk '/^AnonHugePages/ {s += $2} END {print s + 0}' /proc/"$pid"/smaps_rollup) KiB"
        measure "THP" "$work/ram.xml"
        stop
fi

echo "== sampled checks are flat in guest size (4 KiB pages)"
for g in 1 4; do
        want flat || break
        xml flat "$g" >"$work/flat.xml"
        start -object "memory-backend-ram,id=ram-node0,size=${g}G,host-nodes=0,policy=bind" -numa "$numa" || continue
        printf '  %3s GiB: cat %9s ms, N=700 %7s ms, N=16384 %7s ms\n' "$g" \
                "$(median_ms cat /proc/"$pid"/numa_maps)" \
                "$(median_ms "$np" check --xml "$work/flat.xml" --pid "$pid" --sample 700)" \
                "$(median_ms "$np" check --xml "$work/flat.xml" --pid "$pid" --sample 16384)"
        stop
done
[ -n "${last4k:-}" ] && printf '  %3s GiB: cat %9s ms, N=700 %7s ms, N=16384 %7s ms (from the first run)\n' "$gib" $last4k

echo "== sampled checks: $gib GiB, 1 GiB huge pages"
if ! want 1g; then
        :
elif [ ! -w "$gpool" ]; then
        echo "  this kernel offers no 1 GiB huge pages (no $gpool, or not root)"
else
        exec 9>/tmp/np-realstack.lock
        flock 9
        old=$(cat "$gpool")
        echo $((old + gib)) >"$gpool"
        got=$(($(cat "$gpool") - old))
        mkdir -p "$work/huge1g"
        g1=$gib
        if [ "$got" -lt "$gib" ]; then
                echo "  the kernel reserved $got of $gib 1 GiB pages (memory too fragmented): measuring $got GiB"
                g1=$got
        fi
        if [ "$g1" -gt 0 ] && mount -t hugetlbfs -o pagesize=1G none "$work/huge1g"; then
                xml bench1g "$g1" "<memoryBacking><hugepages><page size='1' unit='GiB'/></hugepages></memoryBacking>" \
                        >"$work/1g.xml"
                if start -object "memory-backend-file,id=ram-node0,size=${g1}G,mem-path=$work/huge1g,host-nodes=0,policy=bind" \
                        -numa "$numa"; then
                        measure "1 GiB pages" "$work/1g.xml"
                        stop
                fi
                umount "$work/huge1g"
        fi
        echo "$old" >"$gpool"
        flock -u 9
fi
