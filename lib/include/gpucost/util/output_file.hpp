#pragma once

// Writing a file the user named (`catalog export -o PATH`): never replaces what is not a regular
// file, keeps an existing file's mode, and never creates directories.

#include <gpucost/util/error.hpp>

#include <string>
#include <string_view>

namespace gpucost {

// Writes `contents` to the user-named `path`:
// - a symbolic link is followed and its target written (the link stays);
// - an existing regular file is replaced atomically (a temporary file beside it, renamed over it)
//   and keeps its permission bits (and, best effort, its owner);
// - a new file is created the same way (mode 0666 less the umask) in a directory that must exist;
// - a FIFO, character device or socket (/dev/null, /dev/stdout, a named pipe) is opened and written
//   to as it is, never replaced;
// - a directory, or a path whose directory is missing, is refused.
// Fails with "cannot write PATH: reason" and leaves an existing file as it was.
Status write_output_file(const std::string& path, std::string_view contents);

// Writes all of `contents` to the open descriptor `fd`, retrying on EINTR and short writes; false
// with errno set on failure.
bool write_all_to_fd(int fd, std::string_view contents);

} // namespace gpucost
