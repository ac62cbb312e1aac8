#include "fcgi_server.h"

#include <fcgiapp.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "api_errors.h"
#include "log.h"
#include "routes.h"
#include "sd_notify.h"
#include "text.h"
#include "worker.h"

namespace vc {
namespace {

std::string param(FCGX_Request& req, const char* name) {
  const char* v = FCGX_GetParam(name, req.envp);
  return v ? v : "";
}

HttpRequest read_request(FCGX_Request& req) {
  HttpRequest r;
  r.method = param(req, "REQUEST_METHOD");
  r.path = param(req, "DOCUMENT_URI");
  if (r.path.empty()) r.path = param(req, "SCRIPT_NAME");
  r.query = param(req, "QUERY_STRING");
  r.remote_addr = param(req, "REMOTE_ADDR");
  r.request_id = param(req, "REQUEST_ID");
  for (char** e = req.envp; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.substr(0, 5) != "HTTP_") continue;
    size_t eq = kv.find('=');
    std::string name(kv.substr(5, eq - 5));
    for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
    r.headers[name] = std::string(kv.substr(eq + 1));
  }
  r.headers["content-type"] = param(req, "CONTENT_TYPE");
  r.content_length = std::strtoull(param(req, "CONTENT_LENGTH").c_str(), nullptr, 10);
  // An oversize body is refused unread; dispatch answers 413.
  if (r.content_length > 0 && r.content_length <= kMaxBodyBytes) {
    r.body.resize(r.content_length);
    int got = FCGX_GetStr(r.body.data(), static_cast<int>(r.body.size()), req.in);
    r.body.resize(got > 0 ? static_cast<size_t>(got) : 0);
  }
  return r;
}

void write_response(FCGX_Request& req, const HttpResponse& response) {
  std::string head =
      "Status: " + std::to_string(response.status) + " " + reason_phrase(response.status) + "\r\n";
  head += "Cache-Control: no-store\r\n";
  for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
  head += "\r\n";
  FCGX_PutStr(head.data(), static_cast<int>(head.size()), req.out);
  if (!response.body.empty())
    FCGX_PutStr(response.body.data(), static_cast<int>(response.body.size()), req.out);
}

void handle_one(FCGX_Request& req, Worker& worker) {
  auto started = std::chrono::steady_clock::now();
  HttpRequest request = read_request(req);
  HttpResponse response;
  try {
    response = dispatch(worker, request);
  } catch (const std::exception& e) {
    log_event(LogLevel::error, "fcgi", "handler_exception",
              {{"request_id", request.request_id}, {"error", e.what()}});
    response = error_response({api_error::kInternalError, "internal server error"});
  }
  write_response(req, response);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  log_event(response.status >= 500 ? LogLevel::error : LogLevel::info, "fcgi", "request",
            {{"request_id", request.request_id},
             {"method", request.method},
             {"path", request.path},
             {"status", response.status},
             {"duration_ms", ms},
             {"remote_ip", request.remote_addr}});
}

}  // namespace

int serve_fcgi(const Config& config, const std::string& dummy_hash, int listen_fd) {
  // Signals go to the waiting thread below, never to a worker in the middle of a request.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::mutex accept_mutex;
  std::atomic<bool> stopping{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < config.fcgi_threads; ++i) {
    threads.emplace_back([&] {
      Worker worker(config, dummy_hash);
      FCGX_Request req;
      FCGX_InitRequest(&req, listen_fd, 0);
      for (;;) {
        int rc;
        {
          std::lock_guard lock(accept_mutex);
          rc = stopping ? -1 : FCGX_Accept_r(&req);
        }
        if (rc < 0) break;
        handle_one(req, worker);
        FCGX_Finish_r(&req);
      }
      FCGX_Free(&req, 0);
    });
  }
  log_event(LogLevel::info, "fcgi", "started", {{"threads", config.fcgi_threads}});
  sd_notify("READY=1");

  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      log_reopen();
      log_event(LogLevel::info, "fcgi", "log_reopened");
      continue;
    }
    break;
  }
  log_event(LogLevel::info, "fcgi", "stopping");
  sd_notify("STOPPING=1");
  stopping = true;
  // Wakes the thread blocked in accept(); the others see `stopping` and leave.
  ::shutdown(listen_fd, SHUT_RDWR);
  for (auto& t : threads) t.join();
  log_event(LogLevel::info, "fcgi", "stopped");
  return 0;
}

}  // namespace vc
