#!/usr/bin/env bash
# End to end for the drawing pad in a real window (run under xvfb-run): starts `strata` with no arguments
# (the bundled digits CNN on digit_3; or `strata MODEL --input SAMPLE` with STRATA_MODEL and STRATA_INPUT set), draws a vertical stroke (a "1") on the input panel's pad with xdotool,
# and checks that live runs happened without the progress box, that the output's top class or its
# probability changed, and that the camera and open layers stayed. Reads the frame log (STRATA_FRAME_LOG:
# `pad` rect, `top`, `top_p`, `live_runs`). Prints "N passed, M failed" and exits non-zero on a failure.
set -u
BIN=${STRATA_BIN:?set STRATA_BIN to the built strata binary}
LOG=$(mktemp /tmp/strata-e2e-pad-XXXXXX.log)
CONFIG=$(mktemp -d /tmp/strata-e2e-pad-config-XXXXXX)
PY=${STRATA_PYTHON:-python3}
# A fresh config folder: the in-app dialog and no recent files, whatever the user's settings.
MODEL=${STRATA_MODEL:-}
ARGS=()
[ -n "$MODEL" ] && ARGS=("$MODEL" --input "${STRATA_INPUT:?set STRATA_INPUT with STRATA_MODEL}")
NAME=$(basename "${MODEL:-digits_cnn.onnx}")
XDG_CONFIG_HOME=$CONFIG STRATA_FRAME_LOG=$LOG "$BIN" "${ARGS[@]}" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$LOG" "$CONFIG"' EXIT
passed=0; failed=0
last() { tail -n 1 "$LOG" 2>/dev/null; }
field() { last | "$PY" -c "import json,sys; d=json.loads(sys.stdin.read() or '{}'); print($1)" 2>/dev/null; }
wait_for() { for _ in $(seq 1 ${2:-150}); do [ "$(field "$1")" = "True" ] && return 0; sleep 0.2; done; return 1; }
check() { if [ "$1" = ok ]; then echo "ok: $2"; passed=$((passed + 1)); else echo "FAIL: $2"; failed=$((failed + 1)); fi; }

wait_for "d.get('model') == '$NAME' and 'top' in d and 'pad' in d and not d.get('busy')" 300 \
    || { echo "viewer did not load or shows no pad"; echo "0 passed, 1 failed"; exit 1; }
WID=$(timeout 5 xdotool search --name "$NAME" | head -n 1)
[ -n "$WID" ] || { echo "window not found"; echo "0 passed, 1 failed"; exit 1; }

top0=$(field "d['top']"); p0=$(field "d['top_p']"); runs0=$(field "d['live_runs']")
yaw0=$(field "d['yaw']"); expanded0=$(field "d['expanded']")
read -r px py pw ph < <(field "' '.join(str(round(v)) for v in d['pad'])")
echo "before: top '$top0' p=$p0, pad at x=$px y=$py ${pw}x$ph"

# A "1": a vertical stroke down the middle of the pad, from 20 % to 80 % of its height.
x=$((px + pw / 2)); y0=$((py + ph / 5)); y1=$((py + ph * 4 / 5))
timeout 5 xdotool mousemove --window "$WID" "$x" "$y0" mousedown 1
busy_seen=0
for y in $(seq "$y0" 6 "$y1"); do
    timeout 5 xdotool mousemove --window "$WID" "$x" "$y"
    sleep 0.03
    [ "$(field "d.get('busy')")" = "True" ] && busy_seen=1
done
timeout 5 xdotool mouseup 1

if wait_for "d['live_runs'] > $runs0 and not d['live_busy']" 100; then
    check ok "drawing on the pad re-ran the model live ($(field "d['live_submitted']") pictures drawn, $(field "d['live_runs'] - $runs0") live runs shown)"
else
    check fail "no live run was shown after drawing on the pad"
fi
top1=$(field "d['top']"); p1=$(field "d['top_p']")
echo "after: top '$top1' p=$p1"
if [ "$top1" != "$top0" ] || [ "$(field "abs(d['top_p'] - $p0) > 0.05")" = "True" ]; then
    check ok "the output changed: top '$top0' ($p0) -> '$top1' ($p1)"
else
    check fail "the output did not change: top '$top1' ($p1)"
fi
if [ $busy_seen -eq 0 ] && [ "$(field "abs(d['yaw'] - ($yaw0)) < 1e-4 and d['expanded'] == $expanded0")" = "True" ]; then
    check ok "live runs showed no progress box and kept the camera and open layers"
else
    check fail "a live run showed the progress box or moved the camera / closed layers (busy seen: $busy_seen)"
fi
echo "viewer pad e2e: $passed passed, $failed failed"
[ $failed -eq 0 ]
