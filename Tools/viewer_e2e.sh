#!/usr/bin/env bash
# End to end in a real window (run under xvfb-run; `make test` does): starts `strata` with no arguments
# (the bundled digits CNN), clicks a closed block and checks the next frames show its feature maps, drags
# and checks the camera turned, clicks Open, picks a bundled model in the in-app file dialog, Open, and
# checks it is drawn, then clicks Save snapshot and re-runs the file it wrote. Reads the viewer's frame log
# (STRATA_FRAME_LOG: camera, blocks and the UI's widgets with their window rects). Prints
# "N passed, M failed" and exits non-zero on a failure.
set -u
BIN=${STRATA_BIN:?set STRATA_BIN to the built strata binary}
LOG=$(mktemp /tmp/strata-e2e-XXXXXX.log)
PY=${STRATA_PYTHON:-python3}
SNAPSHOT=$(mktemp -u /tmp/strata-e2e-XXXXXX.strata)
STRATA_FRAME_LOG=$LOG STRATA_SNAPSHOT=$SNAPSHOT "$BIN" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$LOG" "$SNAPSHOT"' EXIT
passed=0; failed=0
last() { tail -n 1 "$LOG" 2>/dev/null; }
field() { last | "$PY" -c "import json,sys; d=json.loads(sys.stdin.read() or '{}'); print($1)" 2>/dev/null; }
wait_for() { for _ in $(seq 1 ${2:-150}); do [ "$(field "$1")" = "True" ] && return 0; sleep 0.2; done; return 1; }

wait_for "d.get('model') == 'digits_cnn.onnx' and len(d.get('blocks', [])) > 0" 300 || { echo "viewer did not load"; echo "0 passed, 1 failed"; exit 1; }
WID=$(timeout 5 xdotool search --name 'digits_cnn.onnx' | head -n 1)
[ -n "$WID" ] || { echo "window not found"; echo "0 passed, 1 failed"; exit 1; }

items0=$(field "d['feature_map_items']")
clicked=""
while read -r layer x y; do
    timeout 5 xdotool mousemove --window "$WID" "$x" "$y"
    if wait_for "d.get('hover') == '$layer'" 15; then timeout 5 xdotool click 1; clicked=$layer; break; fi
done < <(field "'\n'.join('%s %d %d' % (b['layer'], round(b['x']), round(b['y'])) for b in d['blocks'] if b['layer'] not in d['expanded'] and b['layer'] != 'image')")
if [ -n "$clicked" ] && wait_for "'$clicked' in d['expanded'] and d['feature_map_items'] > $items0"; then
    echo "ok: a click on block '$clicked' opens its feature maps"; passed=$((passed + 1))
else
    echo "FAIL: a click on a closed block did not open it"; failed=$((failed + 1))
fi

yaw0=$(field "d['yaw']")
timeout 5 xdotool mousemove --window "$WID" 300 150 mousedown 1
for x in 320 340 360 380 400 420 440 460; do timeout 5 xdotool mousemove --window "$WID" $x 160; done
timeout 5 xdotool mouseup 1
if wait_for "abs(d['yaw'] - ($yaw0)) > 0.3"; then
    echo "ok: a left-drag orbits the camera"; passed=$((passed + 1))
else
    echo "FAIL: a left-drag did not turn the camera"; failed=$((failed + 1))
fi
# The centre of the first widget whose text is $1 (and whose id contains $2, if given): "x y".
# Retried: the log's last line may be half written when it is read.
widget() {
    local xy=""
    for _ in $(seq 1 25); do
        xy=$(field "next(('%d %d' % (w['x'] + w['w'] / 2, w['y'] + w['h'] / 2) for w in d.get('widgets', []) if w['text'] == '$1' and '${2:-}' in w['id']), '')")
        [ -n "$xy" ] && break
        sleep 0.2
    done
    echo "$xy"
}
opened=""
xy=$(widget "Open")
if [ -n "$xy" ]; then
    timeout 5 xdotool mousemove --window "$WID" $xy click 1
    if wait_for "any(w['text'] == 'resnet_small.onnx' and 'files' in w['id'] for w in d.get('widgets', []))" 50; then
        row=$(widget "resnet_small.onnx" "files")
        timeout 5 xdotool mousemove --window "$WID" $row click 1
        sleep 0.5
        timeout 5 xdotool mousemove --window "$WID" $(widget "Open" "fileDialog") click 1
        wait_for "d.get('model') == 'resnet_small.onnx' and len(d.get('blocks', [])) > 10 and not d.get('busy')" 150 && opened=yes
    fi
fi
if [ -n "$opened" ]; then
    echo "ok: Open, resnet_small.onnx chosen in the in-app dialog, Open: that model is drawn"; passed=$((passed + 1))
else
    echo "FAIL: opening resnet_small.onnx through the toolbar's file dialog (Open at '$xy')"; failed=$((failed + 1))
fi
xy=$(widget "Save snapshot")
[ -n "$xy" ] && timeout 5 xdotool mousemove --window "$WID" $xy click 1
if wait_for "d.get('message', '').startswith('saved snapshot')" 50 && "$BIN" run "$SNAPSHOT" >/dev/null 2>&1; then
    echo "ok: Save snapshot writes a .strata file that strata run re-runs"; passed=$((passed + 1))
else
    echo "FAIL: Save snapshot (button at '$xy') did not write a working $SNAPSHOT"; failed=$((failed + 1))
fi
echo "viewer e2e: $passed passed, $failed failed"
[ $failed -eq 0 ]
