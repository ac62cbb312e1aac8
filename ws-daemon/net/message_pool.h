// websocketpp's per-connection message manager (config::con_msg_manager_type), pooled. The stock
// one takes a message object and a payload buffer from malloc for every frame read or written,
// and frees both a moment later; this one hands back messages that were used before, their
// payload buffers still allocated, and the shared_ptr control blocks too.
//
// Threading: the pool belongs to the thread that runs the loop (thread_local), like every
// connection; a message is returned on the thread that used it last.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <vector>
#include <websocketpp/frame.hpp>

namespace vc::ws {

// Kept for reuse, at most: enough for a busy loop, where a message lives from one read or write
// to its handler; beyond that they go back to malloc.
inline constexpr size_t kPooledMessages = 256;
// A payload buffer larger than this (an SDP of many candidates) is freed, not kept.
inline constexpr size_t kPooledPayloadBytes = 4096;

// Blocks of one size from a free list: the control blocks of pooled messages' shared_ptrs.
template <class T>
struct FreeListAllocator {
  using value_type = T;
  FreeListAllocator() = default;
  template <class U>
  FreeListAllocator(const FreeListAllocator<U>&) {}

  T* allocate(size_t n) {
    auto& free = blocks();
    if (n != 1 || free.empty()) return static_cast<T*>(::operator new(n * sizeof(T)));
    void* block = free.back();
    free.pop_back();
    return static_cast<T*>(block);
  }
  void deallocate(T* p, size_t n) {
    auto& free = blocks();
    if (n != 1 || free.size() >= kPooledMessages) return ::operator delete(p);
    free.push_back(p);
  }
  template <class U>
  bool operator==(const FreeListAllocator<U>&) const {
    return true;
  }
  template <class U>
  bool operator!=(const FreeListAllocator<U>&) const {
    return false;
  }

 private:
  // Never destroyed: a block may come back during exit, after thread_local destructors ran.
  static std::vector<void*>& blocks() {
    thread_local auto* free = new std::vector<void*>();
    return *free;
  }
};

template <class Message>
class PooledMessages : public std::enable_shared_from_this<PooledMessages<Message>> {
 public:
  using ptr = std::shared_ptr<PooledMessages>;
  using weak_ptr = std::weak_ptr<PooledMessages>;
  using message_ptr = std::shared_ptr<Message>;

  message_ptr get_message() { return get_message(websocketpp::frame::opcode::text, 0); }

  message_ptr get_message(websocketpp::frame::opcode::value op, size_t size) {
    auto& free = messages();
    Message* m;
    if (free.empty()) {
      // No manager: it would be asked only to recycle(), which this pool does differently.
      m = new Message(typename Message::con_msg_man_ptr(), op, size);
    } else {
      m = free.back();
      free.pop_back();
      m->set_opcode(op);
      m->set_prepared(false);
      m->set_fin(true);
      m->set_terminal(false);
      m->set_compressed(false);
      m->set_header(std::string());
      m->get_raw_payload().clear();
      m->get_raw_payload().reserve(size);
    }
    return message_ptr(m, GiveBack{}, FreeListAllocator<Message>());
  }

  // websocketpp's own hook, which it never calls; reuse happens when the last owner lets go.
  bool recycle(Message*) { return false; }

 private:
  struct GiveBack {
    void operator()(Message* m) const {
      auto& free = messages();
      if (free.size() >= kPooledMessages) return delete m;
      if (m->get_raw_payload().capacity() > kPooledPayloadBytes)
        std::string().swap(m->get_raw_payload());
      free.push_back(m);
    }
  };
  static std::vector<Message*>& messages() {
    thread_local auto* free = new std::vector<Message*>();
    return *free;
  }
};

}  // namespace vc::ws
