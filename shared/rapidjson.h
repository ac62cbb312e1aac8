// rapidjson, configured once for the whole program. Every file that uses rapidjson includes
// this header instead of rapidjson's own, so its inline code is the same in every translation
// unit: cereal's JSON header sets the macros (assertions throw, so a misuse is an exception at
// an edge, never undefined behaviour) and then includes rapidjson itself.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cereal/archives/json.hpp>
