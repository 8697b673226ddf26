#include "gateway/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace gongkai::gateway {
namespace {

using Digest = std::array<unsigned char, 32>;

// Keys longer than this are refused without hashing (they cannot be ours).
constexpr size_t kMaxPresentedKeyLength = 512;

Digest Sha256(absl::string_view data) {
  Digest digest;
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    std::fprintf(stderr, "gongkai gateway: OpenSSL SHA-256 failed\n");
    std::abort();
  }
  return digest;
}

uint64_t Prefix(const Digest& digest) {
  uint64_t prefix;
  std::memcpy(&prefix, digest.data(), sizeof(prefix));
  return prefix;
}

struct KeyEntry {
  Digest hash;
  auth::Principal principal;
};

class HashedApiKeyStore final : public ApiKeyStore {
 public:
  explicit HashedApiKeyStore(std::vector<KeyEntry> entries) : size_(entries.size()) {
    for (KeyEntry& entry : entries) {
      by_prefix_[Prefix(entry.hash)].push_back(std::move(entry));
    }
  }

  absl::StatusOr<auth::Principal> Authenticate(absl::string_view presented_key) const override {
    if (presented_key.empty()) return absl::UnauthenticatedError("empty API key");
    if (presented_key.size() > kMaxPresentedKeyLength) {
      return absl::UnauthenticatedError("unknown API key");
    }
    const Digest digest = Sha256(presented_key);
    // The index narrows by the first 8 bytes of the hash; the full 32 bytes are then
    // compared with CRYPTO_memcmp, whose time does not depend on where they differ.
    auto candidates = by_prefix_.find(Prefix(digest));
    if (candidates != by_prefix_.end()) {
      for (const KeyEntry& entry : candidates->second) {
        if (CRYPTO_memcmp(entry.hash.data(), digest.data(), digest.size()) == 0) {
          return entry.principal;
        }
      }
    }
    return absl::UnauthenticatedError("unknown API key");
  }

  size_t size() const override { return size_; }

 private:
  size_t size_;
  absl::flat_hash_map<uint64_t, std::vector<KeyEntry>> by_prefix_;
};

absl::Status Invalid(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

absl::StatusOr<std::string> RequiredString(const nlohmann::json& entry, absl::string_view where,
                                           const char* field) {
  auto it = entry.find(field);
  if (it == entry.end()) return Invalid(absl::StrCat(where, ".", field), "is required");
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return Invalid(absl::StrCat(where, ".", field), "must be a non-empty string");
  }
  return it->get<std::string>();
}

absl::StatusOr<KeyEntry> ParseEntry(const nlohmann::json& entry, absl::string_view where) {
  if (!entry.is_object()) return Invalid(where, "must be an object");
  for (const auto& item : entry.items()) {
    const std::string& field = item.key();
    if (field != "name" && field != "sha256" && field != "subject" && field != "unit_id" &&
        field != "roles") {
      return Invalid(where, absl::StrCat("unknown field \"", field,
                                         "\" (known: name, sha256, subject, unit_id, roles)"));
    }
  }
  KeyEntry result;
  absl::StatusOr<std::string> hex = RequiredString(entry, where, "sha256");
  if (!hex.ok()) return hex.status();
  if (hex->size() != 64 || !std::all_of(hex->begin(), hex->end(), [](char c) {
        return absl::ascii_isxdigit(static_cast<unsigned char>(c));
      })) {
    return Invalid(absl::StrCat(where, ".sha256"),
                   "must be 64 hexadecimal digits (the SHA-256 of the key, see gongkai-api-key)");
  }
  const std::string raw = absl::HexStringToBytes(*hex);
  std::memcpy(result.hash.data(), raw.data(), result.hash.size());

  absl::StatusOr<std::string> subject = RequiredString(entry, where, "subject");
  if (!subject.ok()) return subject.status();
  result.principal.subject = *std::move(subject);

  if (auto unit = entry.find("unit_id"); unit != entry.end()) {
    if (!unit->is_number_integer() || unit->get<int64_t>() <= 0) {
      return Invalid(absl::StrCat(where, ".unit_id"), "must be a positive integer");
    }
    result.principal.unit_id = unit->get<int64_t>();
  }

  if (auto roles = entry.find("roles"); roles != entry.end()) {
    if (!roles->is_array()) return Invalid(absl::StrCat(where, ".roles"), "must be an array");
    for (size_t i = 0; i < roles->size(); ++i) {
      const nlohmann::json& role_name = (*roles)[i];
      const std::string field = absl::StrCat(where, ".roles[", i, "]");
      std::optional<auth::Role> role;
      if (role_name.is_string()) role = auth::ParseRole(role_name.get<std::string>());
      // SERVICE is the suite's own services calling each other (service_identity.h): an
      // outside system holding an API key is never one of them.
      if (!role.has_value() || *role == auth::Role::kPublic || *role == auth::Role::kService) {
        return Invalid(
            field, "must be one of STAFF, REVIEWER, OFFICE, INSPECTOR, ADMIN, HEAD, SUPERVISION");
      }
      if ((*role == auth::Role::kStaff || *role == auth::Role::kReviewer ||
           *role == auth::Role::kHead) &&
          !result.principal.unit_id.has_value()) {
        return Invalid(field, absl::StrCat(auth::RoleName(*role), " requires unit_id"));
      }
      result.principal.roles.Add(*role);
    }
  }
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ApiKeyStore>> ParseApiKeyStore(absl::string_view json_text) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json_text.begin(), json_text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrCat("API key file is not JSON: ", e.what()));
  }
  if (!root.is_object()) return absl::InvalidArgumentError("API key file: must be a JSON object");
  for (const auto& item : root.items()) {
    if (item.key() != "keys") {
      return absl::InvalidArgumentError(
          absl::StrCat("API key file: unknown field \"", item.key(), "\" (known: keys)"));
    }
  }
  auto keys = root.find("keys");
  if (keys == root.end() || !keys->is_array()) {
    return absl::InvalidArgumentError("API key file: \"keys\" must be an array");
  }

  std::vector<KeyEntry> entries;
  absl::flat_hash_set<std::string> names;
  absl::flat_hash_map<std::string, std::string> hashes;  // Raw hash -> entry name.
  for (size_t i = 0; i < keys->size(); ++i) {
    const nlohmann::json& entry = (*keys)[i];
    std::string where = absl::StrCat("keys[", i, "]");
    if (!entry.is_object()) return Invalid(where, "must be an object");
    absl::StatusOr<std::string> name = RequiredString(entry, where, "name");
    if (!name.ok()) return name.status();
    absl::StrAppend(&where, " (\"", *name, "\")");
    if (!names.insert(*name).second) return Invalid(where, "another entry has the same name");
    absl::StatusOr<KeyEntry> parsed = ParseEntry(entry, where);
    if (!parsed.ok()) return parsed.status();
    const std::string raw_hash(parsed->hash.begin(), parsed->hash.end());
    if (auto [it, inserted] = hashes.emplace(raw_hash, *name); !inserted) {
      return Invalid(absl::StrCat(where, ".sha256"),
                     absl::StrCat("same key as entry \"", it->second, "\""));
    }
    entries.push_back(*std::move(parsed));
  }
  return std::unique_ptr<ApiKeyStore>(new HashedApiKeyStore(std::move(entries)));
}

absl::StatusOr<std::unique_ptr<ApiKeyStore>> LoadApiKeyStoreFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("API key file ", path, " cannot be read"));
  std::stringstream contents;
  contents << in.rdbuf();
  absl::StatusOr<std::unique_ptr<ApiKeyStore>> store = ParseApiKeyStore(contents.str());
  if (!store.ok()) {
    return absl::Status(store.status().code(), absl::StrCat(path, ": ", store.status().message()));
  }
  return store;
}

std::string HashApiKeyHex(absl::string_view key) {
  const Digest digest = Sha256(key);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string GenerateApiKey() {
  unsigned char random[32];
  if (RAND_bytes(random, sizeof(random)) != 1) {
    std::fprintf(stderr, "gongkai gateway: RAND_bytes failed (no entropy source)\n");
    std::abort();
  }
  return absl::StrCat("gk_", absl::WebSafeBase64Escape(absl::string_view(
                                 reinterpret_cast<const char*>(random), sizeof(random))));
}

}  // namespace gongkai::gateway
