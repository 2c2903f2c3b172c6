#include "app.hpp"

#include "commands.hpp"

#include <gpucost/util/clock.hpp>
#include <gpucost/util/error.hpp>
#include <gpucost/util/suggest.hpp>
#include <gpucost/util/temp_cleanup.hpp>
#include <gpucost/util/text_safety.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace gpucost::cli {

namespace {

bool is_help_or_version(std::string_view word) {
  return word == "--help" || word == "-h" || word == "--help-all" || word == "--version";
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& names) {
  const std::string near = closest_match(word, names);
  return near.empty() ? std::string() : fmt::format(" (did you mean \"{}\"?)", near);
}

std::vector<std::string> subcommand_names(const CLI::App& command) {
  std::vector<std::string> names;
  for (const auto* sub : command.get_subcommands({})) {
    names.push_back(sub->get_name());
  }
  return names;
}

// The long option names `command` takes, its parents' included (options fall through).
std::vector<std::string> option_names(const CLI::App* command) {
  std::vector<std::string> names;
  for (; command != nullptr; command = command->get_parent()) {
    for (const auto* option : command->get_options()) {
      for (const auto& name : option->get_lnames()) {
        names.push_back("--" + name);
      }
    }
  }
  return names;
}

// The command below `app` (or its subcommands) that takes `option`, or nullptr.
const CLI::App* command_taking(const CLI::App& app, const std::string& option) {
  for (const auto* sub : app.get_subcommands({})) {
    const auto names = option_names(sub);
    if (std::find(names.begin(), names.end(), option) != names.end()) {
      return sub;
    }
    if (const auto* deeper = command_taking(*sub, option); deeper != nullptr) {
      return deeper;
    }
  }
  return nullptr;
}

// Checks the command words and long options against the commands CLI11 knows, through its typed
// API, before CLI11 parses: an unknown command or option gets "did you mean", an option given
// before its command says where it belongs, and a command group without its subcommand lists
// them. Returns the message, or empty when CLI11 may parse.
std::string check_words(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> words(argv + std::min(argc, 1), argv + std::max(argc, 0));
  const CLI::App* command = &app;
  std::size_t index = 0;
  // Options before the command word: only --help and --version belong there.
  for (; index < words.size() && words[index].rfind("-", 0) == 0; ++index) {
    const std::string flag = words[index].substr(0, words[index].find('='));
    if (is_help_or_version(flag) || flag == "--") {
      return {};
    }
    if (const auto* owner = command_taking(app, flag); owner != nullptr) {
      std::string path = owner->get_name();
      for (const auto* up = owner->get_parent(); up != nullptr && up != &app;
           up = up->get_parent()) {
        path = up->get_name() + " " + path;
      }
      return fmt::format(
          "option \"{}\" belongs after the command: gpucost {} {} ...", flag, path, flag);
    }
    return fmt::format("unknown option \"{}\"{}", flag, did_you_mean(flag, option_names(&app)));
  }
  // The command words: each must name a subcommand while the command has any.
  while (!command->get_subcommands({}).empty()) {
    const auto names = subcommand_names(*command);
    const std::string where = command == &app ? "" : fmt::format("{}: ", command->get_name());
    if (index >= words.size() || words[index].rfind("-", 0) == 0) {
      if (index < words.size() && is_help_or_version(words[index])) {
        return {};
      }
      return fmt::format("{}a command is required: one of {}", where, fmt::join(names, ", "));
    }
    const CLI::App* next = nullptr;
    for (const auto* sub : command->get_subcommands({})) {
      if (sub->check_name(words[index])) {
        next = sub;
      }
    }
    if (next == nullptr) {
      return fmt::format(
          "{}unknown command \"{}\"{}", where, words[index], did_you_mean(words[index], names));
    }
    command = next;
    ++index;
  }
  // The options of the command reached (and its parents').
  const auto options = option_names(command);
  for (; index < words.size(); ++index) {
    const std::string& word = words[index];
    if (word == "--") {
      break;
    }
    if (word.rfind("--", 0) != 0) {
      continue;
    }
    const std::string flag = word.substr(0, word.find('='));
    if (is_help_or_version(flag)) {
      return {};
    }
    if (std::find(options.begin(), options.end(), flag) == options.end()) {
      return fmt::format("unknown option \"{}\"{}", flag, did_you_mean(flag, options));
    }
  }
  return {};
}

// CLI11's message for what check_words let through (a missing value, a bad number), lower case
// as the house style has it.
std::string describe_parse_error(const CLI::ParseError& error) {
  std::string message = error.what();
  if (!message.empty()) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

} // namespace

void set_exit_code(Context& context, ExitCode code) {
  context.exit_code = static_cast<int>(code);
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  install_temporary_cleanup(); // Ctrl-C during a cache write leaves no temporary file
  Context context{.out = out,
                  .err = err,
                  .env = process_env(),
                  .out_is_terminal = isatty(STDOUT_FILENO) == 1,
                  .err_is_terminal = isatty(STDERR_FILENO) == 1};
  return run(argc, argv, context);
}

namespace {

int run_command(int argc, const char* const* argv, Context& context) {
  CLI::App app{"gpucost: what one job costs on every GPU provider, product and mode, ranked",
               "gpucost"};
  app.set_version_flag("--version", std::string("gpucost ") + GPUCOST_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  context.executable = argc > 0 ? argv[0] : "";
  register_compare(app, context);
  register_offers(app, context);
  register_matrix(app, context);
  register_breakeven(app, context);
  register_sweep(app, context);
  register_report(app, context);
  register_catalog(app, context);
  register_gpus(app, context);
  register_providers(app, context);
  register_check(app, context);
  register_simulate(app, context);
  if (const std::string problem = check_words(app, argc, argv); !problem.empty()) {
    fmt::print(context.err, "gpucost: error: {}\n", problem);
    fmt::print(context.err, "run 'gpucost --help' for usage\n");
    return 1;
  }
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
      fmt::print(context.err, "gpucost: error: {}\n", describe_parse_error(e));
      fmt::print(context.err, "run 'gpucost --help' for usage\n");
      return 1; // CLI11's own codes (100+) become 1
    }
  } catch (const gpucost::Error& e) {
    // Messages quote outside text (file contents, answers): shown escaped, own newlines kept.
    fmt::print(context.err, "gpucost: error: {}\n", terminal_safe(e.what(), Newlines::keep));
    return 1;
  } catch (const std::exception& e) {
    fmt::print(context.err, "gpucost: error: {}\n", terminal_safe(e.what(), Newlines::keep));
    return 1;
  }
  return context.exit_code;
}

} // namespace

int run(int argc, const char* const* argv, Context& context) {
  int code = run_command(argc, argv, context);
  // Output that could not be written (a full disk, /dev/full, a closed pipe) is a failure: a
  // script must never take a truncated listing for a whole one.
  errno = 0;
  context.out.flush();
  if (!context.out) {
    const int error_number = errno; // set when the final flush failed; 0 when an earlier write did
    fmt::print(context.err,
               "gpucost: error: cannot write the output{}\n",
               error_number != 0 ? fmt::format(": {}", std::strerror(error_number)) : "");
    code = 1;
  }
  context.err.flush();
  return code;
}

} // namespace gpucost::cli
