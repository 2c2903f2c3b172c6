#pragma once

// What identifies one version of a file without reading it, and records that remember a file's
// SHA-256 for that version (like git's index: a file whose identity is unchanged need not be
// hashed again).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// Device, inode, size, modification and change time (nanoseconds) of a regular file. Any write
// changes the change time, which no user can set back; a replacement changes the inode.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

// The identity of `path` now; nullopt when it is not a regular file or cannot be examined.
std::optional<FileIdentity> file_identity(const std::filesystem::path& path);

// The SHA-256 hex that the record at `record` holds for `identity`; nullopt when there is no
// record, it is for another version of the file or it is not one write_digest_record wrote.
std::optional<std::string> read_digest_record(const std::filesystem::path& record,
                                              const FileIdentity& identity);

// Writes `record` (atomically, by rename; not synced: a lost record only means hashing again)
// saying that the file with `identity` has SHA-256 `sha256_hex`. Best effort, never fails; writes
// nothing for a file changed less than two seconds ago, as a change within the same timestamp
// tick could leave the identity unchanged (git's "racily clean" case).
void write_digest_record(const std::filesystem::path& record,
                         const FileIdentity& identity,
                         std::string_view sha256_hex);

} // namespace gpucost
