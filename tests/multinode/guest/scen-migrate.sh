# Sourced by scenarios.sh: `numaplace migrate` and `numaplace capture`
# against real QEMU processes, judged by np-pageoracle.
#
# m1: a strict node-1 hugepage cell whose pages were moved to node 0 after
#     the start (np-pageoracle --move-to 0): the dry run moves nothing
#     (oracle before == after), --apply makes check compliant and the
#     oracle counts every page on node 1.
# c1: the same guest, misplaced, captured: the archive holds no trace of
#     the secret on QEMU's command line or of the XML's VNC password, and
#     is printed on the console ("NPMN B64 capture ...", with the live
#     check as "NPMN B64 check ...") for tests/multinode/run to replay on
#     the host and compare.
# m2: the same guest misplaced again while node 1's pool holds fewer free
#     pages than the region needs: refused, not one page moved.
# m3: 4 KiB RAM touched on node 0 before its bind to node 1 (np-latebind):
#     moved back, paced with --rate.

SECRET=TOPSECRET-npmn-c1
VNC_SECRET=VNCSECRET-npmn-c1

# np_migrate OUT ARGS...: `numaplace migrate ARGS`; sets RC, leaves OUT.out
np_migrate() {
        out=$T/$1
        shift
        timeout -s KILL $CHECK_TIMEOUT numaplace migrate "$@" >"$out.out" 2>&1
        RC=$?
        detail "numaplace migrate $* -> exit $RC: $(tr '\n' '|' <"$out.out" | head -c 3000)"
}

expect_out() { # OUT TEXT: the migrate output says TEXT
        grep -qF -- "$2" "$T/$1.out" || err "migrate output lacks '$2'"
}

# send NAME FILE: FILE base64-encoded on the console for the host
send() {
        base64 "$2" | sed "s/^/NPMN B64 $1 /"
}

s_migrate_hugepages() {
        begin m1-migrate-moved-hugepages
        d=$(hugepage_dir 10-npmn-m1)
        qemu_start m1 -name guest=npmn-strict-hugepages,debug-threads=on -m size=65536k -smp 1 \
                -object "secret,id=sec0,data=$SECRET" \
                -object '{"qom-type":"memory-backend-file","id":"ram-node0","mem-path":"'"$d"'","prealloc":true,"size":67108864,"host-nodes":[1],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if ! qemu_ready; then
                finish
                echo "NPMN FAIL c1-capture-in-guest: m1-migrate-moved-hugepages's QEMU did not start"
                echo "NPMN FAIL m2-migrate-no-free-hugepages: m1-migrate-moved-hugepages's QEMU did not start"
                return
        fi
        M1_PID=$QPID
        oracle --path qemu_back_mem.ram-node0.
        expect_oracle '{"1":65536}'
        oracle --path qemu_back_mem.ram-node0. --move-to 0
        expect_oracle '{"0":65536}'
        if np_check m1a --xml $XML/strict-hugepages-node1.xml --pid "$QPID"; then
                expect_rc 1
                expect_region m1a ram-node0 violation
                expect_pages m1a ram-node0
        fi
        np_migrate m1-dry --xml $XML/strict-hugepages-node1.xml --pid "$QPID"
        expect_rc 1
        expect_out m1-dry "node 0 -> node 1: 64 MiB (32 2M pages)"
        expect_out m1-dry "nothing moved"
        oracle --path qemu_back_mem.ram-node0.
        [ "$OK" = '{"0":65536}' ] || err "the dry run moved pages: oracle says $OK"

        # the misplaced guest is captured between the dry run and --apply
        m1_errs=$ERRS m1_details=$DETAILS m1_note=$NOTE
        s_capture
        NAME=m1-migrate-moved-hugepages ERRS=$m1_errs DETAILS=$m1_details NOTE=$m1_note QPID=$M1_PID
        np_migrate m1-apply --xml $XML/strict-hugepages-node1.xml --pid "$QPID" --apply
        expect_rc 0
        expect_out m1-apply "ram-node0: moved 64 MiB (32 2M pages), all of it"
        expect_out m1-apply "Verdict: compliant"
        oracle --path qemu_back_mem.ram-node0.
        expect_oracle '{"1":65536}'
        if np_check m1b --xml $XML/strict-hugepages-node1.xml --pid "$QPID"; then
                expect_rc 0
                expect_region m1b ram-node0 compliant
                expect_pages m1b ram-node0
        fi
        QPID=   # m2 goes on with this guest
        finish
        s_migrate_no_room
}

s_capture() {
        begin c1-capture-in-guest
        sed "s|</devices>|<graphics type='vnc' port='-1' passwd='$VNC_SECRET'/></devices>|" \
                $XML/strict-hugepages-node1.xml >"$T/c1.xml"
        grep -q "$VNC_SECRET" "$T/c1.xml" || err "setup: no VNC password in the XML"
        tr '\0' ' ' <"/proc/$M1_PID/cmdline" | grep -q "$SECRET" || err "setup: no secret on QEMU's command line"
        np_check c1 --xml "$T/c1.xml" --pid "$M1_PID"
        rm -f "$T/c1.tar.gz"
        timeout -s KILL $CHECK_TIMEOUT numaplace capture --xml "$T/c1.xml" --pid "$M1_PID" -o "$T/c1.tar.gz" \
                >"$T/c1.capture" 2>&1
        RC=$?
        detail "numaplace capture --xml $T/c1.xml --pid $M1_PID -o $T/c1.tar.gz -> exit $RC: $(cat "$T/c1.capture")"
        expect_rc 0
        if [ -s "$T/c1.tar.gz" ]; then
                mkdir -p "$T/c1x" && tar -xzf "$T/c1.tar.gz" -C "$T/c1x" || err "the archive does not unpack"
                detail "capture contents: $(cd "$T/c1x" && find . -type f | sort | tr '\n' ' ' | head -c 3000)"
                detail "redactions.txt: $(cat "$T"/c1x/*/redactions.txt | tr '\n' '|')"
                if zcat "$T/c1.tar.gz" | grep -qa -e "$SECRET" -e "$VNC_SECRET"; then
                        err "a secret is in the archive"
                fi
                grep -rq -e "$SECRET" -e "$VNC_SECRET" "$T/c1x" && err "a secret is in the unpacked tree"
                grep -q "argument .*(-object, id sec0): the value of 'data'" "$T"/c1x/*/redactions.txt ||
                        err "redactions.txt does not list the secret object's data"
                grep -q "passwd attribute of <graphics>" "$T"/c1x/*/redactions.txt ||
                        err "redactions.txt does not list the VNC password"
                note "$(head -c 120 "$T/c1.capture")"
                send capture "$T/c1.tar.gz"
                send check "$T/c1.json"
        else
                err "no archive written"
        fi
        QPID=   # the guest lives on for m1
        finish
}

s_migrate_no_room() {
        begin m2-migrate-no-free-hugepages
        QPID=$M1_PID
        oracle --path qemu_back_mem.ram-node0. --move-to 0
        expect_oracle '{"0":65536}'
        pool_set 1 16
        [ "$(pool_free 1)" = 16 ] || err "setup: node 1 has $(pool_free 1) free pages, 16 wanted"
        np_migrate m2 --xml $XML/strict-hugepages-node1.xml --pid "$QPID" --apply
        expect_rc 1
        expect_out m2 "node 1 has 16 free 2M huge pages, 32 needed; nothing of this region moves"
        oracle --path qemu_back_mem.ram-node0.
        [ "$OK" = '{"0":65536}' ] || err "pages moved although the region was refused: oracle says $OK"
        [ "$(pool_free 1)" = 16 ] || err "node 1's pool changed: $(pool_free 1) free"
        qemu_stop
        pool_set 1 $POOL
        note "oracle stays $OK, node 1 pool 16 free"
        finish
}

s_migrate_late_bind() {
        begin m3-migrate-4k-late-bind
        mkdir -p "$T/latebind"
        cp /mn/np-latebind "$T/latebind/qemu-system-x86_64"
        spec="memory-backend-ram,id=ram-node0,size=64M,host-nodes=1,policy=bind"
        NP_LATEBIND_CPU=0 timeout -s KILL $QEMU_TIMEOUT "$T/latebind/qemu-system-x86_64" \
                -name guest=npmn-strict-4k -object "$spec" -numa node,nodeid=0,memdev=ram-node0 \
                </dev/null >"$T/m3.out" 2>&1 &
        QPID=$!
        i=0
        while ! grep -q '^ready' "$T/m3.out" && [ $i -lt 300 ] && kill -0 "$QPID" 2>/dev/null; do
                usleep 100000
                i=$((i + 1))
        done
        if grep -q '^ready' "$T/m3.out"; then
                oracle --size $((64 * MiB))
                expect_oracle '{"0":65536}'
                np_migrate m3-dry --xml $XML/strict-4k-node1.xml --pid "$QPID"
                expect_rc 1
                expect_out m3-dry "node 0 -> node 1: 64 MiB (16384 4K pages)"
                oracle --size $((64 * MiB))
                [ "$OK" = '{"0":65536}' ] || err "the dry run moved pages: oracle says $OK"
                np_migrate m3-apply --xml $XML/strict-4k-node1.xml --pid "$QPID" --apply --rate 128
                expect_rc 0
                expect_out m3-apply "ram-node0: moved 64 MiB (16384 4K pages), all of it"
                oracle --size $((64 * MiB))
                expect_oracle '{"1":65536}'
                if np_check m3 --xml $XML/strict-4k-node1.xml --pid "$QPID"; then
                        expect_rc 0
                        expect_region m3 ram-node0 compliant
                        expect_pages m3 ram-node0
                fi
        else
                err "np-latebind never ready: $(tr '\n' ' ' <"$T/m3.out")"
        fi
        finish
}

plan="$plan m1-migrate-moved-hugepages c1-capture-in-guest m2-migrate-no-free-hugepages m3-migrate-4k-late-bind"
more="$more s_migrate_hugepages s_migrate_late_bind"
