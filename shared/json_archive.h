// The archives that read and write cereal `serialize` functions straight against rapidjson.
// JsonLoadArchive walks a document the caller has already parsed (one parse per message);
// JsonSaveArchive writes compact JSON in one pass. cereal's own JSON archives parse again from
// an std::istream, build their own document, and always pretty-print.
//
// A serialize function names each field with cereal::make_nvp (see protocol.h). Supported
// field types: std::string, int64_t, bool, std::vector of those, structs that have a
// serialize function of their own, and std::optional of any of them (absent or null in JSON
// when empty; written as null).
#pragma once

#include <cereal/cereal.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "rapidjson.h"

namespace vc {

// A struct with a serialize function of its own (as opposed to a string, number or vector).
template <class T, class = void>
struct IsSerializable : std::false_type {};
template <class T>
struct IsSerializable<T, std::void_t<decltype(&T::template serialize<cereal::NameValuePair<int&>>)>>
    : std::true_type {};

// Loads one JSON object into a struct. The first field that is missing or of the wrong JSON
// type ends the load; error() names it by its path ("description.sdp is required").
class JsonLoadArchive {
 public:
  explicit JsonLoadArchive(const rapidjson::Value& object, std::string path = "")
      : object_(object), path_(std::move(path)) {}

  template <class T>
  JsonLoadArchive& operator()(cereal::NameValuePair<T>&& field) {
    load(field.name, field.value);
    return *this;
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  template <class T>
  void load(const char* name, std::optional<T>& value) {
    if (!ok()) return;
    auto it = object_.FindMember(name);
    value.reset();
    if (it == object_.MemberEnd() || it->value.IsNull()) return;
    if (!read(it->value, value.emplace(), name) && ok())
      error_ = path_ + name + " has the wrong type";
  }
  template <class T>
  void load(const char* name, T& value) {
    if (!ok()) return;
    auto it = object_.FindMember(name);
    if (it == object_.MemberEnd()) {
      error_ = path_ + name + " is required";
    } else if (!read(it->value, value, name)) {
      if (ok()) error_ = path_ + name + " has the wrong type";
    }
  }

  static bool read(const rapidjson::Value& v, std::string& out, const char*) {
    if (!v.IsString()) return false;
    out.assign(v.GetString(), v.GetStringLength());
    return true;
  }
  static bool read(const rapidjson::Value& v, int64_t& out, const char*) {
    if (!v.IsInt64()) return false;
    out = v.GetInt64();
    return true;
  }
  static bool read(const rapidjson::Value& v, bool& out, const char*) {
    if (!v.IsBool()) return false;
    out = v.GetBool();
    return true;
  }
  template <class T>
  bool read(const rapidjson::Value& v, std::vector<T>& out, const char* name) {
    if (!v.IsArray()) return false;
    out.clear();
    out.reserve(v.Size());
    for (const auto& item : v.GetArray()) {
      if (!read(item, out.emplace_back(), name)) return false;
    }
    return true;
  }
  // A nested struct: its own fields, named under this one's path.
  template <class T, class = std::enable_if_t<IsSerializable<T>::value>>
  bool read(const rapidjson::Value& v, T& out, const char* name) {
    if (!v.IsObject()) return false;
    JsonLoadArchive inner(v, path_ + name + ".");
    out.serialize(inner);
    error_ = inner.error_;
    return true;
  }

  const rapidjson::Value& object_;
  const std::string path_;
  std::string error_;
};

// Writes a struct's fields as the members of the JSON object being written.
class JsonSaveArchive {
 public:
  using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
  explicit JsonSaveArchive(Writer& writer) : writer_(writer) {}

  template <class T>
  JsonSaveArchive& operator()(cereal::NameValuePair<T>&& field) {
    writer_.Key(field.name);
    write(field.value);
    return *this;
  }

 private:
  void write(const std::string& s) {
    writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  void write(int64_t n) { writer_.Int64(n); }
  void write(bool b) { writer_.Bool(b); }
  template <class T>
  void write(std::optional<T>& value) {
    if (value)
      write(*value);
    else
      writer_.Null();
  }
  template <class T>
  void write(const std::vector<T>& items) {
    writer_.StartArray();
    for (const auto& item : items) write(item);
    writer_.EndArray();
  }
  // serialize() loads and saves, so it is not const; saving reads the struct only.
  template <class T, class = std::enable_if_t<IsSerializable<T>::value>>
  void write(T& nested) {
    writer_.StartObject();
    nested.serialize(*this);
    writer_.EndObject();
  }

  Writer& writer_;
};

}  // namespace vc
