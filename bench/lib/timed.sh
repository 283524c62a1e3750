#!/usr/bin/env bash
# timed.sh TIMESFILE [PIDFILE|-] cmd args…
# Runs cmd in the foreground, then writes bash's `times` to TIMESFILE: its second line is the user and
# system CPU of the children (the generator alone, all its threads; reaped children included).
out=$1; pidfile=$2; shift 2
[ "$pidfile" != "-" ] && echo $$ > "$pidfile"
"$@"
rc=$?
times > "$out.tmp" && mv "$out.tmp" "$out"
exit $rc
