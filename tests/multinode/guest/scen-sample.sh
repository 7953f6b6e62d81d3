# Sampled checks (numaplace check --sample N) on the real multi-node kernel.
# Sourced by scenarios.sh (busybox ash).
#
# 1. Every `np_check` of the core scenarios (scenarios.sh) gets a sampled twin: the same
#    check with --sample 700 must reach the same exit code and the same
#    verdict for every region, and where a scenario compares a region's
#    figures with np-pageoracle's, each node's estimate must lie within
#    the margin the sampled check states (exact when it asked about every
#    page).  The margin and the off-node bound are recomputed here from
#    the counts in the JSON, with the formulas the README gives.
# 2. s10: about 1% of a region's pages moved off its node, then the
#    sampled check run K times: detections must come at the rate the bound
#    is built on (see s_sample_one_percent).

SAMPLE_N=700
ALPHA=0.001

# sample_twin OUT ARGS...: after `np_check OUT ARGS...` (its exit in $RC)
sample_twin() {
        local base=$1 full_rc=$RC src fv sv f
        shift
        f=$T/$base-sample
        timeout -s KILL $CHECK_TIMEOUT numaplace check "$@" --sample $SAMPLE_N --json >"$f.json" 2>"$f.err"
        src=$?
        RC=$full_rc
        detail "sampled twin: numaplace check $* --sample $SAMPLE_N --json -> exit $src: $(tr -d '\n' <"$f.json" | head -c 3000) $(head -c 300 "$f.err" | tr '\n' ' ')"
        if ! jq -e . "$f.json" >/dev/null 2>&1; then
                err "sampled twin printed no JSON (exit $src)"
                rm -f "$f.json"
                return
        fi
        [ "$src" = "$full_rc" ] || err "sampled check exit $src, full walk exit $full_rc"
        fv=$(jq -r '[.verdict, (.regions[] | "\(.id)=\(.verdict)")] | join(" ")' "$T/$base.json")
        sv=$(jq -r '[.verdict, (.regions[] | "\(.id)=\(.verdict)")] | join(" ")' "$f.json")
        [ "$sv" = "$fv" ] || err "sampled verdicts '$sv', full walk '$fv'"
        jq -e '[.regions[] | select(.attributed_by != null) | .sample.pages == '$SAMPLE_N'] | all' "$f.json" >/dev/null ||
                err "a sampled region carries no sample of $SAMPLE_N pages"
        note "sampled: $sv"
}

# sample_pages_twin OUT ID: each node's estimate within the stated margin
# of the oracle's $OK, and the stated margin and bound what the counts
# give.  The arithmetic is jq's: busybox awk has no math functions.
sample_pages_twin() {
        local f=$T/$1-sample.json bad
        [ -f "$f" ] || return 0
        bad=$(jq -r --argjson ok "$OK" --arg id "$2" --argjson a $ALPHA '
                [.regions[] | select(.id == $id)][0] as $r | $r.sample as $s |
                (($r.pages_kib | keys) + ($ok | keys) | unique) as $nodes |
                [ (if $s.exhaustive then empty else
                        ([((2 * ($nodes | length) / $a | log) / (2 * $s.drawn) | sqrt), 1] | min) as $m |
                        (if ($s.margin - $m | fabs) > 1e-5 * $m then "margin \($s.margin), the counts give \($m)" else empty end),
                        (if $s.off_node == 0 and $s.present > 0 then
                                (1 - (($a | log) / $s.present | exp)) as $b |
                                if ($s.off_node_bound - $b | fabs) > 1e-5 * $b then
                                        "off-node bound \($s.off_node_bound), the counts give \($b)" else empty end
                         else empty end)
                   end),
                  ($nodes[] as $n | ($r.pages_kib[$n] // 0) as $e | ($ok[$n] // 0) as $o | ($e - $o | fabs) as $d |
                        if $s.exhaustive and $d != 0 then "node \($n): \($e) KiB asked page by page, oracle \($o)"
                        elif ($s.exhaustive | not) and $d > $s.margin_kib + 1 then
                                "node \($n): estimate \($e) KiB, oracle \($o), stated margin \($s.margin_kib) KiB"
                        else empty end)
                ] | join("; ")' "$f" 2>&1)
        [ -z "$bad" ] || err "$2 sampled: $bad"
        note "$2 sampled $(jq -c --arg id "$2" '[.regions[] | select(.id == $id)][0] | {est: .pages_kib, margin_kib: .sample.margin_kib, margin: .sample.margin, bound: .sample.off_node_bound}' "$f")"
}

after_check="${after_check:-} sample_twin"
after_pages="${after_pages:-} sample_pages_twin"

# The twins judge the core scenarios (scenarios.sh); the scenario files'
# own scenarios, which run after them, are left as their authors wrote
# them.
sample_twins_off() {
        after_check=
        after_pages=
}

# s10. 64 MiB of 4 KiB RAM bound to node 1 (prealloc), then every 100th
# page moved to node 0: 164 of 16384 pages, f = 1.001% off its node.
#
# A sampled check with N pages misses every one of them with probability
# (1 - f)^N; that is the whole basis of its bound (none of n off, so
# f < 1 - alpha^(1/n), because a larger f would show with probability
# 1 - alpha or more).  So the test counts detections over K checks and
# wants the rate the formula gives:
#   - N = 100 keeps the rate away from 0 and 1, where it says most:
#     p = 1 - (1 - 0.01001)^100 = 0.634 per check.
#   - K = 40: detections are Binomial(40, 0.634), mean 25.4, sd 3.05.
#     The test accepts mean +- 3.6 sd, 15 to 36: a sound sampler fails
#     it with probability 2.7e-4 per guest (exact binomial tails
#     P(X <= 14) + P(X >= 37)), while one that sees the off-node pages a
#     third as often as they are (0.3%) passes with probability 0.07,
#     and one that sees them three times as often (3%) with 0.12.
#   - every check that found nothing must state a bound above the true
#     f (1 - 0.001^(1/100) = 6.7%), and with N = 2000 the sampled
#     check must reach the full walk's verdict: it misses with
#     probability (1 - f)^2000 = 2e-9.
# 40 checks of ~0.1 s each keep this under ten seconds per guest.
s_sample_one_percent() {
        local k=0 det=0 rc off total f lo hi b fails=
        begin s10-sample-one-percent
        qemu_start s10 -name guest=npmn-s10,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-ram","id":"ram-node0","prealloc":true,"size":67108864,"host-nodes":[1],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if ! qemu_ready; then
                finish
                return
        fi
        if ! np-movepages --pid "$QPID" --size $((64 * MiB)) --every 100 --to 0 >"$T/s10-move.json" 2>&1; then
                err "np-movepages: $(tr '\n' ' ' <"$T/s10-move.json")"
                finish
                return
        fi
        detail "np-movepages --pid $QPID --size 64M --every 100 --to 0: $(cat "$T/s10-move.json")"
        oracle --size $((64 * MiB))
        expect_oracle '{"0":656,"1":64880}'
        off=$(echo "$OK" | jq '."0" // 0')
        total=$(echo "$OK" | jq '[.[]] | add')
        if np_check s10 --xml $XML/strict-4k-node1.xml --pid "$QPID"; then
                expect_rc 1
                expect_verdict s10 violation
                expect_pages s10 ram-node0
        fi
        timeout -s KILL $CHECK_TIMEOUT numaplace check --xml $XML/strict-4k-node1.xml --pid "$QPID" --sample 2000 --json \
                >"$T/s10-2000.json" 2>&1
        rc=$?
        [ $rc = 1 ] || err "--sample 2000: exit $rc, expected 1 (the full walk's): $(head -c 300 "$T/s10-2000.json")"
        while [ $k -lt 40 ]; do
                timeout -s KILL $CHECK_TIMEOUT numaplace check --xml $XML/strict-4k-node1.xml --pid "$QPID" --sample 100 --json \
                        >"$T/s10-k.json" 2>&1
                rc=$?
                if [ $rc = 1 ]; then
                        det=$((det + 1))
                elif [ $rc = 0 ]; then
                        jq -e --argjson o "$off" --argjson t "$total" '.regions[0].sample.off_node_bound > $o / $t' \
                                "$T/s10-k.json" >/dev/null ||
                                fails="$fails bound $(jq '.regions[0].sample.off_node_bound' "$T/s10-k.json") not above the true $off/$total;"
                else
                        fails="$fails exit $rc: $(head -c 200 "$T/s10-k.json");"
                fi
                k=$((k + 1))
        done
        [ -z "$fails" ] || err "sampled checks:$fails"
        # jq's arithmetic: busybox awk has no math functions
        range=$(jq -rn --argjson o "$off" --argjson t "$total" '(1 - pow(1 - $o / $t; 100)) as $p | (40 * $p) as $m |
                (40 * $p * (1 - $p) | sqrt) as $s | "\($m - 3.6 * $s | ceil) \($m + 3.6 * $s | floor) \($m * 10 | round / 10)"')
        lo=${range%% *}
        hi=${range#* }
        hi=${hi%% *}
        case "$lo$hi" in
        *[!0-9]* | "") err "the acceptance range '$range' did not compute" ;;
        esac
        if [ "$det" -lt "$lo" ] || [ "$det" -gt "$hi" ]; then
                err "$det of 40 checks at N=100 found the off-node pages; the bound's basis, 1 - (1 - $off/$total)^100, wants $lo to $hi"
        fi
        note "$det of 40 sampled checks at N=100 detected $off KiB off node 1 (expected ${range##* }, accepted $lo-$hi)"
        finish
}

plan="$plan s10-sample-one-percent"
more="sample_twins_off $more s_sample_one_percent"
