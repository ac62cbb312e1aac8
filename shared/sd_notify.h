// systemd readiness (Type=notify): tells the service manager "READY=1" once the daemon
// accepts work, and "STOPPING=1" when it begins shutting down. The protocol is one datagram
// to $NOTIFY_SOCKET, so no libsystemd is needed. Outside systemd this does nothing.
#pragma once

#include <string_view>

namespace vc {

// Returns true if a notification was sent.
bool sd_notify(std::string_view state);

}  // namespace vc
