// Output files and output streams: `catalog export -o PATH` writes through links, FIFOs and
// devices without replacing them, keeps an existing file's mode, never creates directories; a
// command whose output cannot be written exits 1.

#include "app.hpp"
#include "cli_runner.hpp"
#include "temp_dir.hpp"

#include <gpucost/util/output_file.hpp>
#include <gpucost/util/temp_cleanup.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <streambuf>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_output_file {

namespace fs = std::filesystem;
using namespace gpucost;
using gpucost::test::pinned_env;
using gpucost::test::run_cli;
using gpucost::test::TempDir;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

mode_t mode_of(const fs::path& path) {
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return status.st_mode;
}

// A stream buffer that refuses every byte, as /dev/full does.
class FullBuffer : public std::streambuf {
protected:
  int_type overflow(int_type /*c*/) override { return traits_type::eof(); }
  std::streamsize xsputn(const char* /*s*/, std::streamsize /*n*/) override { return 0; }
};

} // namespace

TEST_SUITE("output_file") {
  TEST_CASE("catalog export over an existing 0600 file keeps its mode") {
    TempDir temp;
    const auto target = temp.path() / "prices.json";
    std::ofstream(target) << "old";
    ::chmod(target.c_str(), 0600);
    const auto outcome =
        run_cli({"catalog", "export", "-o", target.string()}, pinned_env(temp.path().string()));
    CHECK(outcome.code == 0);
    CHECK((mode_of(target) & 07777) == 0600);
    CHECK(read_file(target).find("\"offers\"") != std::string::npos);
  }

  TEST_CASE("catalog export through a symbolic link writes its target and keeps the link") {
    TempDir temp;
    const auto real = temp.path() / "real.json";
    const auto link = temp.path() / "link.json";
    std::ofstream(real) << "old";
    fs::create_symlink(real, link);
    const auto outcome =
        run_cli({"catalog", "export", "-o", link.string()}, pinned_env(temp.path().string()));
    CHECK(outcome.code == 0);
    CHECK(fs::is_symlink(link));
    CHECK(read_file(real).find("\"offers\"") != std::string::npos);
  }

  TEST_CASE("catalog export to a FIFO writes into it and leaves the FIFO in place") {
    TempDir temp;
    const auto fifo = temp.path() / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string received;
    std::thread reader([&] { received = read_file(fifo); });
    const auto outcome =
        run_cli({"catalog", "export", "-o", fifo.string()}, pinned_env(temp.path().string()));
    if (outcome.code != 0) {
      // Unblock the reader: the writer never opened the FIFO.
      const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd >= 0) {
        ::close(fd);
      }
    }
    reader.join();
    CHECK(outcome.code == 0);
    CHECK(fs::is_fifo(fifo));
    CHECK(received.find("\"offers\"") != std::string::npos);
  }

  TEST_CASE("catalog export into a missing directory fails and creates nothing") {
    TempDir temp;
    const auto target = temp.path() / "no" / "such" / "prices.json";
    const auto outcome =
        run_cli({"catalog", "export", "-o", target.string()}, pinned_env(temp.path().string()));
    CHECK(outcome.code == 1);
    CHECK(outcome.err.find("does not exist") != std::string::npos);
    CHECK_FALSE(fs::exists(temp.path() / "no"));
  }

  TEST_CASE("catalog export onto a directory fails with a message") {
    TempDir temp;
    const auto outcome = run_cli({"catalog", "export", "-o", temp.path().string()},
                                 pinned_env(temp.path().string()));
    CHECK(outcome.code == 1);
    CHECK(outcome.err.find("is a directory") != std::string::npos);
  }

  TEST_CASE("write_output_file writes to /dev/null without replacing it") {
    REQUIRE(write_output_file("/dev/null", "{}\n"));
    CHECK(S_ISCHR(mode_of("/dev/null")));
  }

  TEST_CASE("write_output_file creates a new file with the umask's mode and no temporary left") {
    TempDir temp;
    const auto target = temp.path() / "new.json";
    const mode_t previous = ::umask(022);
    const auto written = write_output_file(target.string(), "{}\n");
    ::umask(previous);
    REQUIRE(written);
    CHECK((mode_of(target) & 07777) == 0644);
    CHECK(read_file(target) == "{}\n");
    CHECK(std::distance(fs::directory_iterator(temp.path()), fs::directory_iterator()) == 1);
  }

  TEST_CASE("write_output_file follows a dangling link to create its target") {
    TempDir temp;
    const auto link = temp.path() / "link.json";
    fs::create_symlink("made.json", link);
    REQUIRE(write_output_file(link.string(), "x"));
    CHECK(fs::is_symlink(link));
    CHECK(read_file(temp.path() / "made.json") == "x");
  }

  TEST_CASE("a command whose output cannot be written exits 1 and says so on stderr") {
    TempDir temp;
    FullBuffer full;
    std::ostream out(&full);
    std::ostringstream err;
    const auto env = pinned_env(temp.path().string());
    cli::Context context{
        .out = out, .err = err, .env = [env](std::string_view name) -> std::optional<std::string> {
          const auto it = env.find(std::string(name));
          return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
        }};
    for (const std::vector<const char*>& args :
         {std::vector<const char*>{"gpucost", "offers"},
          std::vector<const char*>{"gpucost", "catalog", "status"},
          std::vector<const char*>{"gpucost", "catalog", "export", "-o", "-"}}) {
      err.str("");
      out.clear();
      context.exit_code = 0;
      CAPTURE(args[1]);
      CHECK(cli::run(static_cast<int>(args.size()), args.data(), context) == 1);
      CHECK(err.str().find("cannot write the output") != std::string::npos);
    }
  }

  TEST_CASE("a temporary file registered for cleanup is removed when SIGTERM ends the process") {
    TempDir temp;
    const auto kept = temp.path() / "done.tmp";
    const auto torn = temp.path() / ".catalog.json.tmp.1.x";
    std::ofstream(kept) << "renamed already";
    std::ofstream(torn) << "half written";
    const pid_t child = ::fork();
    if (child == 0) {
      install_temporary_cleanup();
      const int done = register_temporary(kept.c_str());
      unregister_temporary(done);
      register_temporary(torn.c_str());
      std::raise(SIGTERM);
      ::_exit(0); // not reached
    }
    REQUIRE(child > 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGTERM);
    CHECK_FALSE(fs::exists(torn));
    CHECK(fs::exists(kept));
  }
}

} // namespace gpucost_test_output_file
