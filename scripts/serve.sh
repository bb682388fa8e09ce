#!/bin/sh
# `make run`: the web server and the task worker (signing, indexing, checkpoints, scheduled
# jobs) side by side on one machine. Stopping the server (Ctrl-C) stops the worker too.
set -eu
zhifa="$1"
host="$2"
"$zhifa" run_huey --workers "${ZHIFA_TASK_WORKERS:-2}" &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo "任务队列工作进程已启动（PID $worker）。"
"$zhifa" runserver --noreload "$host"
