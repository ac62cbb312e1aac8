# Process checks for scripts/stack.sh and the shell suites. Source it.

# Running, and not a zombie: where PID 1 does not reap, a stopped daemon lingers as one.
running() { kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
