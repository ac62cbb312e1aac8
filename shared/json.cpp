#include "json.h"

#include "api_errors.h"
#include "rapidjson.h"

namespace vc {

struct JsonWriter::Impl {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};
};

JsonWriter::JsonWriter() : impl_(std::make_unique<Impl>()) {}
JsonWriter::~JsonWriter() = default;

void JsonWriter::start_object() {
  impl_->writer.StartObject();
}
void JsonWriter::end_object() {
  impl_->writer.EndObject();
}
void JsonWriter::start_array() {
  impl_->writer.StartArray();
}
void JsonWriter::end_array() {
  impl_->writer.EndArray();
}
void JsonWriter::key(std::string_view name) {
  impl_->writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
}
void JsonWriter::value(std::string_view s) {
  impl_->writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void JsonWriter::value(int64_t n) {
  impl_->writer.Int64(n);
}
void JsonWriter::value(double d) {
  impl_->writer.Double(d);
}
void JsonWriter::value(bool b) {
  impl_->writer.Bool(b);
}
void JsonWriter::null() {
  impl_->writer.Null();
}
void JsonWriter::raw(std::string_view json) {
  impl_->writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}
std::string JsonWriter::take() {
  return std::string(impl_->buffer.GetString(), impl_->buffer.GetSize());
}

struct JsonObject::Impl {
  rapidjson::Document doc;
  const rapidjson::Value* member(const char* name) const {
    auto it = doc.FindMember(name);
    return it == doc.MemberEnd() ? nullptr : &it->value;
  }
};

JsonObject::JsonObject(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonObject::JsonObject(JsonObject&&) noexcept = default;
JsonObject::~JsonObject() = default;

Result<JsonObject> JsonObject::parse(std::string_view text) {
  auto impl = std::make_unique<Impl>();
  // Strict JSON: valid UTF-8, no NaN/Infinity, no comments, nothing after the value.
  impl->doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (impl->doc.HasParseError())
    return Error{
        api_error::kInvalidJson,
        std::string("malformed JSON: ") + rapidjson::GetParseError_En(impl->doc.GetParseError())};
  if (!impl->doc.IsObject())
    return Error{api_error::kInvalidJson, "the body must be a JSON object"};
  return JsonObject(std::move(impl));
}

bool JsonObject::has(const char* name) const {
  return impl_->member(name) != nullptr;
}

Result<std::string> JsonObject::string_field(const char* name) const {
  const rapidjson::Value* v = impl_->member(name);
  if (!v) return Error{api_error::kMissingField, std::string(name) + " is required"};
  if (!v->IsString())
    return Error{api_error::kInvalidField, std::string(name) + " must be a string"};
  return std::string(v->GetString(), v->GetStringLength());
}

Result<std::optional<std::string>> JsonObject::optional_string_field(const char* name) const {
  const rapidjson::Value* v = impl_->member(name);
  if (!v || v->IsNull()) return std::optional<std::string>();
  if (!v->IsString())
    return Error{api_error::kInvalidField, std::string(name) + " must be a string"};
  return std::optional<std::string>(std::string(v->GetString(), v->GetStringLength()));
}

Result<bool> JsonObject::bool_field(const char* name) const {
  const rapidjson::Value* v = impl_->member(name);
  if (!v) return Error{api_error::kMissingField, std::string(name) + " is required"};
  if (!v->IsBool())
    return Error{api_error::kInvalidField, std::string(name) + " must be true or false"};
  return v->GetBool();
}

Result<int64_t> JsonObject::int_field(const char* name) const {
  const rapidjson::Value* v = impl_->member(name);
  if (!v) return Error{api_error::kMissingField, std::string(name) + " is required"};
  if (!v->IsInt64())
    return Error{api_error::kInvalidField, std::string(name) + " must be an integer"};
  return v->GetInt64();
}

Result<std::vector<int64_t>> JsonObject::int_array_field(const char* name) const {
  const rapidjson::Value* v = impl_->member(name);
  if (!v) return Error{api_error::kMissingField, std::string(name) + " is required"};
  const Error wrong{api_error::kInvalidField, std::string(name) + " must be an array of integers"};
  if (!v->IsArray()) return wrong;
  std::vector<int64_t> out;
  out.reserve(v->Size());
  for (const auto& item : v->GetArray()) {
    if (!item.IsInt64()) return wrong;
    out.push_back(item.GetInt64());
  }
  return out;
}

Result<std::string> JsonObject::object_field_text(const char* name) const {
  const rapidjson::Value* v = impl_->member(name);
  if (!v) return Error{api_error::kMissingField, std::string(name) + " is required"};
  if (!v->IsObject())
    return Error{api_error::kInvalidField, std::string(name) + " must be an object"};
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v->Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace vc
