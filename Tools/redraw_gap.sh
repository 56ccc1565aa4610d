#!/usr/bin/env bash
# Longest pause between two drawn frames of the viewer while a model loads and runs, then while the
# toolbar's Run runs it again (issue bar: ≤ 100 ms). Run under xvfb-run. Usage:
#   Tools/redraw_gap.sh MODEL [INPUT]      (default input: random)
# Needs STRATA_BIN (the built strata) and xdotool; reads the viewer's frame log (STRATA_FRAME_LOG).
set -eu
BIN=${STRATA_BIN:?set STRATA_BIN to the built strata binary}
MODEL=${1:?usage: redraw_gap.sh MODEL [INPUT]}
INPUT=${2:-random}
PY=${STRATA_PYTHON:-python3}
LOG=$(mktemp /tmp/strata-gap-XXXXXX.log)
STRATA_FRAME_LOG=$LOG "$BIN" "$MODEL" --input "$INPUT" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$LOG"' EXIT
name=$(basename "$MODEL")
# Prints "True" once the last logged frame shows the model drawn and no job running.
ready() { tail -n 1 "$LOG" 2>/dev/null | "$PY" -c "
import json, sys
d = json.loads(sys.stdin.read() or '{}')
print(d.get('model') == '$name' and not d.get('busy', True) and len(d.get('blocks', [])) > 0)" 2>/dev/null; }
wait_ready() { for _ in $(seq 1 600); do [ "$(ready)" = True ] && return 0; sleep 0.2; done; echo "timed out"; exit 1; }
# The longest gap between consecutive frames from line $1 of the log on, and the frame count.
gap() { tail -n +"$1" "$LOG" | "$PY" -c "
import json, os, sys
frames = [json.loads(l) for l in sys.stdin if l.strip()]
t = [f['t'] for f in frames]
g = max((b - a for a, b in zip(t, t[1:])), default=0)
print('%.1f ms longest gap over %d frames (%.1f s)' % (g * 1000, len(t), t[-1] - t[0] if t else 0))
if os.environ.get('GAP_DETAIL'):
    print('  gaps > 50 ms (frame, gap ms, its draw ms):', [(i + 1, round((b['t'] - a['t']) * 1000), round(b.get('draw_ms', 0)))
          for i, (a, b) in enumerate(zip(frames, frames[1:])) if b['t'] - a['t'] > 0.05])"; }
wait_ready
echo "load and run $name: $(gap 1)"
lines=$(wc -l < "$LOG")
WID=$(timeout 5 xdotool search --name "$name" | head -n 1)
run_xy=$(tail -n 1 "$LOG" | "$PY" -c "
import json, sys
d = json.loads(sys.stdin.read())
print(next('%d %d' % (w['x'] + w['w'] / 2, w['y'] + w['h'] / 2) for w in d['widgets'] if w['text'] == 'Run'))")
timeout 5 xdotool mousemove --window "$WID" $run_xy click 1
for _ in $(seq 1 50); do tail -n 1 "$LOG" | grep -q '"busy":true' && break; sleep 0.05; done
wait_ready
echo "Run again:  $(gap $((lines + 1)))"
