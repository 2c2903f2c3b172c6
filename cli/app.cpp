#include "app.hpp"

#include "commands.hpp"

#include <gpucost/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iostream>
#include <unistd.h>

namespace gpucost::cli {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
  Context context{out, err, process_env(), false, false, "", 0};
  context.out_is_terminal = isatty(STDOUT_FILENO) == 1;
  context.err_is_terminal = isatty(STDERR_FILENO) == 1;
  return run(argc, argv, context);
}

int run(int argc, const char* const* argv, Context& context)
{
  CLI::App app{"gpucost: what one job costs on every GPU provider, product and mode, ranked",
               "gpucost"};
  app.set_version_flag("--version", std::string("gpucost ") + GPUCOST_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  context.executable = argc > 0 ? argv[0] : "";
  register_compare(app, context);
  register_offers(app, context);
  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e, context.out, context.err);
    } catch (const CLI::CallForAllHelp& e) {
      return app.exit(e, context.out, context.err);
    } catch (const CLI::CallForVersion& e) {
      return app.exit(e, context.out, context.err);
    } catch (const CLI::ParseError& e) {
      fmt::print(context.err, "gpucost: error: {}\n", e.what());
      fmt::print(context.err, "run 'gpucost --help' for usage\n");
      return 1; // CLI11's own codes (100+) become 1
    }
  } catch (const gpucost::Error& e) {
    fmt::print(context.err, "gpucost: error: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(context.err, "gpucost: error: {}\n", e.what());
    return 1;
  }
  return context.exit_code;
}

} // namespace gpucost::cli
