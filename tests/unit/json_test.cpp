#include "json.h"

#include <gtest/gtest.h>

using vc::JsonObject;

TEST(JsonObject, ReadsStringAndIntegerFields) {
  auto o = JsonObject::parse(R"({"username":"ann","n":42,"nested":{"a":[1,2]}})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o->string_field("username"), "ann");
  EXPECT_EQ(*o->int_field("n"), 42);
  EXPECT_EQ(*o->object_field_text("nested"), R"({"a":[1,2]})");
}

TEST(JsonObject, MalformedTextIsInvalidJson) {
  for (const char* text : {"", "{", "{\"a\":}", "{} x", "{'a':1}", "{\"a\":NaN}", "{\"a\":1,}"}) {
    auto o = JsonObject::parse(text);
    ASSERT_FALSE(o.ok()) << text;
    EXPECT_EQ(o.error().code, "invalid_json") << text;
  }
}

TEST(JsonObject, NonObjectDocumentIsRefused) {
  for (const char* text : {"[]", "\"s\"", "1", "null"}) {
    auto o = JsonObject::parse(text);
    ASSERT_FALSE(o.ok()) << text;
    EXPECT_EQ(o.error().code, "invalid_json");
  }
}

TEST(JsonObject, InvalidUtf8IsRefused) {
  EXPECT_FALSE(JsonObject::parse("{\"a\":\"\xff\xfe\"}").ok());
}

TEST(JsonObject, FieldErrorsNameTheField) {
  auto o = JsonObject::parse(R"({"username":7,"display_name":null})");
  ASSERT_TRUE(o.ok());
  auto u = o->string_field("username");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, "invalid_field");
  EXPECT_EQ(u.error().message, "username must be a string");
  auto p = o->string_field("password");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "missing_field");
  EXPECT_EQ(p.error().message, "password is required");
  auto d = o->optional_string_field("display_name");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->has_value());
  EXPECT_FALSE(o->int_field("display_name").ok());
}

TEST(JsonObject, ReadsBooleansAndArraysOfIntegers) {
  auto o = JsonObject::parse(R"({"on":true,"ids":[3,1,2],"empty":[],"mixed":[1,"2"],"n":1})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o->bool_field("on"), true);
  EXPECT_EQ(o->bool_field("n").error().code, "invalid_field");
  EXPECT_EQ(*o->int_array_field("ids"), (std::vector<int64_t>{3, 1, 2}));
  EXPECT_TRUE(o->int_array_field("empty")->empty());
  EXPECT_EQ(o->int_array_field("mixed").error().message, "mixed must be an array of integers");
  EXPECT_EQ(o->int_array_field("n").error().code, "invalid_field");
  EXPECT_EQ(o->int_array_field("none").error().code, "missing_field");
}

TEST(JsonWriter, EscapesStringsAndWritesTypes) {
  vc::JsonWriter w;
  w.start_object();
  w.field("s", std::string("a\"b\\c\n<script>"));
  w.field("n", int64_t{-5});
  w.field("b", true);
  w.key("z");
  w.null();
  w.end_object();
  EXPECT_EQ(w.take(), R"({"s":"a\"b\\c\n<script>","n":-5,"b":true,"z":null})");
}
