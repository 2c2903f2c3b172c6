#include <gpucost/render/check_text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace gpucost::render {

std::string check_usd(std::optional<double> value) {
  return value ? fmt::format("{:.6g}", *value) : std::string("missing");
}

std::string check_usd_or_dash(std::optional<double> value) {
  return value ? fmt::format("{:.6g}", *value) : std::string("-");
}

std::string check_signed_usd(std::optional<double> value, std::string_view missing) {
  return value ? fmt::format("{:+.6g}", *value) : std::string(missing);
}

std::string check_signed_pct(std::optional<double> value, std::string_view missing) {
  return value ? fmt::format("{:+.2f}%", *value) : std::string(missing);
}

std::string check_workload_label(const std::string& name) {
  return name.empty() ? std::string("workload") : name;
}

std::string check_verdict_upper(Verdict verdict) {
  std::string text(to_string(verdict));
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  return text;
}

} // namespace gpucost::render
