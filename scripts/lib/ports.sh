# Loopback ports for scripts/stack.sh, scripts/run-tests.sh and the shell suites. Source it.

port_open() {  # port: something accepts connections on 127.0.0.1:port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {  # prints a port nothing listens on
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    port_open "$port" || { echo "$port"; return; }
  done
}
