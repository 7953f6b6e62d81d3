#!/usr/bin/env bash
# tests/bench/hook.sh: wall time of the libvirt hook at `started begin`,
# next to the floor it cannot go below: `cat /proc/PID/numa_maps` of the
# same process.
#
# Two processes are measured:
#   - a 64 MiB hugepage guest: a real QEMU (TCG, paused) with the memory
#     backend libvirt would give it (hugetlbfs file, prealloc, bound to
#     node 0), described by a matching domain XML;
#   - a synthetic QEMU-shaped process with 16 GiB of touched 4 KiB pages
#     (tests/helpers/np-fakeqemu; skipped when it is not built, or scaled
#     down when the machine has less memory available).
# The hook is run as libvirt runs it (argv, XML on stdin, pid from
# /run/libvirt/qemu/NAME.pid), so library loading and the timeout child
# are included.  Also shown: an operation the hook ignores, and
# `prepare begin`.
#
# Needs root.  Reserves huge pages, mounts a private hugetlbfs, writes
# the pid files, and replaces /etc/numaplace/numaplace.conf with a
# bench configuration for the run (warn mode, no JSON log); all of it is
# put back on exit.
#
# Environment: NP_BUILD (build directory), NP_BENCH_RUNS (default 21),
# NP_BENCH_SYNTH_GIB (default 16).
set -u

: "${NP_BUILD:?NP_BUILD must point at the build directory}"
HOOK=$NP_BUILD/numaplace-hook
FAKE=$NP_BUILD/tests/helpers/np-fakeqemu
RUNS=${NP_BENCH_RUNS:-21}
SYNTH_GIB=${NP_BENCH_SYNTH_GIB:-16}
CONF=/etc/numaplace/numaplace.conf
RUNDIR=/run/libvirt/qemu

say() { printf '%s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
        say "SKIP bench-hook: needs root"
        exit 0
fi
if [ ! -x "$HOOK" ]; then
        say "FAIL bench-hook: $HOOK is not built"
        exit 1
fi

W=$(mktemp -d /tmp/np-bench-hook.XXXXXX)
hp_sys=/proc/sys/vm/nr_hugepages
hp_orig=$(cat "$hp_sys")
conf_saved=
created_rundir=
created_runparent=
huge_mounted=
pids=()
pidfiles=()

cleanup() {
        local p
        for p in "${pids[@]}"; do
                kill "$p" 2>/dev/null
                wait "$p" 2>/dev/null
        done
        [ -f "$W/qemu.pid" ] && kill "$(cat "$W/qemu.pid")" 2>/dev/null && sleep 0.3
        for p in "${pidfiles[@]}"; do rm -f "$p"; done
        [ -n "$created_rundir" ] && rmdir "$RUNDIR" 2>/dev/null
        [ -n "$created_runparent" ] && rmdir /run/libvirt 2>/dev/null
        [ -n "$huge_mounted" ] && umount "$W/huge"
        echo "$hp_orig" >"$hp_sys"
        if [ -n "$conf_saved" ]; then
                cp -a "$W/numaplace.conf.saved" "$CONF"
        else
                rm -f "$CONF"
                rmdir /etc/numaplace 2>/dev/null
        fi
        rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -e "$CONF" ]; then
        cp -a "$CONF" "$W/numaplace.conf.saved"
        conf_saved=1
fi
mkdir -p /etc/numaplace
printf '# tests/bench/hook.sh\nmode = warn\nrequire_binding = no\n' >"$CONF"
chmod 0644 "$CONF"

if [ ! -d "$RUNDIR" ]; then
        [ -d /run/libvirt ] || created_runparent=1
        mkdir -p "$RUNDIR" && created_rundir=1
fi

# Median and minimum of the numbers in a file, in ms with one decimal.
stats() {
        sort -n "$1" | awk '{ v[NR] = $1 } END {
                printf "median %.1f ms, min %.1f ms, max %.1f ms (%d runs)",
                       v[int((NR + 1) / 2)], v[1], v[NR], NR }'
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'; }

# Wall time of one command in ms (bash's EPOCHREALTIME: no extra fork).
time_ms() { # out-file, command...
        local out=$1 t0 t1
        shift
        t0=$EPOCHREALTIME
        "$@"
        t1=$EPOCHREALTIME
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >>"$out"
}

run_hook() { # name op xml
        "$HOOK" "$1" "$2" begin - <"$3" 2>/dev/null
}

cat_numamaps() { cat "/proc/$1/numa_maps" >/dev/null; }

# Measure one process; $1 label, $2 domain name, $3 pid, $4 XML file.
measure() {
        local label=$1 name=$2 pid=$3 xml=$4 i f
        printf '%s' "$pid" >"$RUNDIR/$name.pid"
        pidfiles+=("$RUNDIR/$name.pid")
        f=$W/$name
        run_hook "$name" started "$xml" # warm the page cache
        cat_numamaps "$pid"
        for ((i = 0; i < RUNS; i++)); do
                time_ms "$f.cat" cat_numamaps "$pid"
                time_ms "$f.hook" run_hook "$name" started "$xml"
        done
        say "$label:"
        say "  cat /proc/PID/numa_maps    $(stats "$f.cat")"
        say "  hook started begin         $(stats "$f.hook")"
        say "  hook minus cat (medians)   $(awk -v a="$(median "$f.hook")" -v b="$(median "$f.cat")" 'BEGIN { printf "%.1f ms", a - b }')"
        say "  numa_maps lines: $(wc -l <"/proc/$pid/numa_maps"), $(wc -c <"/proc/$pid/numa_maps") bytes"
        if command -v perf >/dev/null 2>&1; then
                # perf's own repeat loop; each run is "sh -c 'exec CMD <FILE'"
                # so that the hook gets its XML afresh every time
                say "  perf stat -r $RUNS, elapsed: cat $(perf_ms /dev/null cat "/proc/$pid/numa_maps"), hook $(perf_ms "$xml" "$HOOK" "$name" started begin -)"
        fi
}

perf_ms() { # stdin-file command... -> "X.YZ ms (+- N%)"
        local in=$1
        shift
        perf stat -r "$RUNS" sh -c 'in=$1; shift; exec "$@" <"$in" >/dev/null 2>&1' sh "$in" "$@" 2>&1 |
                awk '/seconds time elapsed/ { printf "%.2f ms (+- %s)", $1 * 1000, $(NF - 1) }'
}

# One more run with the JSON log on, to show what the hook decided.
verdict_of() { # name xml
        printf '# tests/bench/hook.sh\nmode = warn\nrequire_binding = no\nlog_json = %s\n' "$W/verdict.jsonl" >"$CONF"
        run_hook "$1" started "$2"
        printf '# tests/bench/hook.sh\nmode = warn\nrequire_binding = no\n' >"$CONF"
        say "  decision: $(tail -1 "$W/verdict.jsonl" | sed 's/,"binding":.*//' | sed 's/.*"verdict":/"verdict":/')"
}

domxml() { # name MiB extra
        cat <<EOF
<domain type='qemu'>
  <name>$1</name>
  <uuid>$(cat /proc/sys/kernel/random/uuid)</uuid>
  <metadata><numaplace:policy xmlns:numaplace='http://numaplace.org/xmlns/numaplace/1.0' mode='warn'/></metadata>
  <memory unit='MiB'>$2</memory>
  <vcpu>1</vcpu>
  $3
  <numatune><memory mode='strict' nodeset='0'/></numatune>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>
EOF
}

say "numaplace hook benchmark ($(uname -r), $(nproc) CPUs, THP $(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null))"

# ---- operations with little or no work ---------------------------------------

domxml np-bench-idle 64 "" >"$W/idle.xml"
for ((i = 0; i < RUNS; i++)); do
        time_ms "$W/other" run_hook np-bench-idle start "$W/idle.xml"
        time_ms "$W/true" /bin/true
        time_ms "$W/prepare" run_hook np-bench-idle prepare "$W/idle.xml"
done
say "process start floor (/bin/true)  $(stats "$W/true")"
say "hook on an ignored operation     $(stats "$W/other")"
say "hook prepare begin (pre-flight)  $(stats "$W/prepare")"

# ---- 64 MiB hugepage guest (real QEMU) ---------------------------------------

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
        say "SKIP bench-hook-hugepage-guest: qemu-system-x86_64 is not installed"
else
        echo $((hp_orig + 40)) >"$hp_sys"
        mkdir -p "$W/huge"
        mount -t hugetlbfs -o pagesize=2M none "$W/huge" && huge_mounted=1
        domxml np-bench-huge 64 "<memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages></memoryBacking>" >"$W/huge.xml"
        if qemu-system-x86_64 -name guest=np-bench-huge,debug-threads=on -S \
                -machine pc,accel=tcg,memory-backend=pc.ram -m 64 \
                -object memory-backend-file,id=pc.ram,size=64M,mem-path="$W/huge",prealloc=on,host-nodes=0,policy=bind \
                -display none -nodefaults -daemonize -pidfile "$W/qemu.pid" >"$W/qemu.log" 2>&1; then
                measure "64 MiB hugepage guest (QEMU TCG, pid $(cat "$W/qemu.pid"))" \
                        np-bench-huge "$(cat "$W/qemu.pid")" "$W/huge.xml"
                verdict_of np-bench-huge "$W/huge.xml"
        else
                say "FAIL bench-hook-hugepage-guest: QEMU did not start: $(tr '\n' ' ' <"$W/qemu.log")"
        fi
fi

# ---- synthetic process with many touched 4 KiB pages -------------------------

if [ ! -x "$FAKE" ]; then
        say "SKIP bench-hook-synthetic: $FAKE is not built"
else
        avail_gib=$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)
        gib=$SYNTH_GIB
        if [ "$avail_gib" -lt $((gib + 2)) ]; then
                gib=$((avail_gib - 2))
                say "note: only ${avail_gib} GiB available, the synthetic process gets ${gib} GiB"
        fi
        if [ "$gib" -lt 1 ]; then
                say "SKIP bench-hook-synthetic: not enough memory available"
        else
                domxml np-bench-synth $((gib * 1024)) \
                        "<cpu><numa><cell id='0' cpus='0' memory='$gib' unit='GiB'/></numa></cpu>" >"$W/synth.xml"
                coproc FAKEQ { exec "$FAKE" -object "memory-backend-ram,id=ram-node0,size=${gib}G,host-nodes=0,policy=bind" \
                        -numa "node,nodeid=0,memdev=ram-node0"; }
                fake_pid=$FAKEQ_PID
                pids+=("$fake_pid")
                t0=$SECONDS
                if read -r -t 300 line <&"${FAKEQ[0]}" && [ "$line" = ready ]; then
                        say "(touching ${gib} GiB took $((SECONDS - t0)) s)"
                        measure "synthetic process, ${gib} GiB of touched 4 KiB pages (pid $fake_pid)" \
                                np-bench-synth "$fake_pid" "$W/synth.xml"
                        verdict_of np-bench-synth "$W/synth.xml"
                else
                        say "FAIL bench-hook-synthetic: np-fakeqemu did not get ready"
                fi
        fi
fi
exit 0
