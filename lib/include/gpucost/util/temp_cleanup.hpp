#pragma once

// Temporary files removed when the process is interrupted (SIGINT, SIGTERM, SIGHUP) while writing
// them, so Ctrl-C during a cache write leaves no ".NAME.tmp.PID.RANDOM" behind. (A SIGKILL cannot
// be caught: remove_stale_temporaries in sources/cache.hpp removes those on the next update.)

namespace gpucost {

// Installs the handlers, once per process (the CLI does, at start); a later call does nothing.
// Each handler removes the registered files, then re-raises the signal with its default action.
void install_temporary_cleanup();

// Registers `path` (copied; at most 4095 bytes) for removal on an interrupt; returns a slot to
// pass to unregister_temporary, or -1 when the table (64 files) is full or the path too long.
int register_temporary(const char* path);

// Forgets a registered file (it was renamed into place or removed); -1 is ignored.
void unregister_temporary(int slot);

} // namespace gpucost
