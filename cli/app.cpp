#include "app.hpp"

#include "commands.hpp"

#include <gpucost/util/clock.hpp>
#include <gpucost/util/error.hpp>
#include <gpucost/util/suggest.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace gpucost::cli {

namespace {

// CLI11's message, made to follow the house style, with "did you mean" for a mistyped option.
std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  std::string message = error.what();
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr
      && message.find("subcommand") != std::string::npos) {
    std::vector<std::string> names;
    for (const auto* command : app.get_subcommands({})) {
      names.push_back(command->get_name());
    }
    return fmt::format("a command is required: one of {}", fmt::join(names, ", "));
  }
  if (const auto* extras = dynamic_cast<const CLI::ExtrasError*>(&error); extras != nullptr) {
    const auto parsed = app.get_subcommands();
    const CLI::App& command = parsed.empty() ? app : *parsed.front();
    std::vector<std::string> options;
    for (const auto* option : command.get_options()) {
      for (const auto& name : option->get_lnames()) {
        options.push_back("--" + name);
      }
    }
    // CLI11 lists the unexpected words after the colon of its message.
    std::vector<std::string> words;
    const std::string list = message.substr(
        message.find(": ") == std::string::npos ? message.size() : message.find(": ") + 2);
    for (std::size_t start = 0; start < list.size();) {
      const std::size_t end = std::min(list.find(' ', start), list.size());
      if (end > start) {
        words.push_back(list.substr(start, end - start));
      }
      start = end + 1;
    }
    std::reverse(words.begin(), words.end()); // CLI11 lists them last first
    for (const auto& word : words) {
      if (word.rfind("--", 0) == 0) {
        const std::string flag = word.substr(0, word.find('='));
        const std::string near = closest_match(flag, options);
        return fmt::format("unknown option \"{}\"{}",
                           flag,
                           near.empty() ? std::string()
                                        : fmt::format(" (did you mean \"{}\"?)", near));
      }
    }
    return fmt::format(
        "unexpected argument{}: {}", words.size() == 1 ? "" : "s", fmt::join(words, " "));
  }
  if (!message.empty()) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

} // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Context context{out, err, process_env(), false, false, "", 0};
  context.out_is_terminal = isatty(STDOUT_FILENO) == 1;
  context.err_is_terminal = isatty(STDERR_FILENO) == 1;
  return run(argc, argv, context);
}

int run(int argc, const char* const* argv, Context& context) {
  CLI::App app{"gpucost: what one job costs on every GPU provider, product and mode, ranked",
               "gpucost"};
  app.set_version_flag("--version", std::string("gpucost ") + GPUCOST_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  context.executable = argc > 0 ? argv[0] : "";
  register_compare(app, context);
  register_offers(app, context);
  register_catalog(app, context);
  register_simulate(app, context);
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
      fmt::print(context.err, "gpucost: error: {}\n", describe_parse_error(app, e));
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
