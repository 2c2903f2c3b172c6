#include <gpucost/sources/providers/lambda.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace gpucost {

namespace {

constexpr std::string_view k_provider = "lambda";
constexpr std::string_view k_key_env = "LAMBDA_API_KEY";
constexpr std::string_view k_default_base_url = "https://cloud.lambda.ai";
constexpr std::string_view k_instance_types_path = "/api/v1/instance-types";
constexpr std::string_view k_sold_out_note = "no capacity in any region at fetch time";

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Splits text on ASCII spaces, dropping empty pieces.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> result;
  while (!text.empty()) {
    const auto space = text.find(' ');
    const auto word = text.substr(0, space);
    if (!word.empty()) {
      result.push_back(word);
    }
    if (space == std::string_view::npos) {
      break;
    }
    text.remove_prefix(space + 1);
  }
  return result;
}

// "SXM5" -> "SXM", "PCIe" -> "PCIe".
std::string without_trailing_digits(std::string_view text) {
  while (!text.empty() && is_digit(text.back())) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

// The names to try in the GPU table, most specific first.
std::vector<std::string> gpu_candidates(const LambdaGpuDescription& gpu) {
  std::vector<std::string> candidates;
  auto add = [&](std::string name) {
    if (std::find(candidates.begin(), candidates.end(), name) == candidates.end()) {
      candidates.push_back(std::move(name));
    }
  };
  const std::string memory = gpu.memory_gb ? fmt::format("{}GB", *gpu.memory_gb) : std::string();
  if (!gpu.form_factor.empty()) {
    add(fmt::format("{} {}", gpu.model, gpu.form_factor));
    add(fmt::format("{} {}", gpu.model, without_trailing_digits(gpu.form_factor)));
    if (!memory.empty()) {
      add(fmt::format("{} {} {}", gpu.model, memory, gpu.form_factor));
      add(fmt::format("{} {} {}", gpu.model, memory, without_trailing_digits(gpu.form_factor)));
    }
  }
  if (!memory.empty()) {
    add(fmt::format("{} {}", gpu.model, memory));
  }
  add(gpu.model);
  return candidates;
}

class LambdaProvider final : public Provider {
public:
  std::string_view id() const override { return k_provider; }
  std::string_view api_key_env() const override { return k_key_env; }
  bool key_required() const override { return true; }
  std::string_view default_base_url() const override { return k_default_base_url; }

  Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const override {
    if (options.api_key.empty()) {
      return make_error(fmt::format(
          "{}: {} is not set (the instance-types API needs a key)", k_provider, k_key_env));
    }
    const std::string base =
        options.base_url.empty() ? std::string(k_default_base_url) : options.base_url;
    HttpRequest request;
    request.url = join_url(base, k_instance_types_path);
    request.headers = {{"Accept", "application/json"}};
    add_bearer(request, options.api_key);
    GPUCOST_TRY_ASSIGN(auto body,
                       send_for_body(http, HttpCallInfo{k_provider, k_key_env}, request));
    return parse_lambda_instance_types(body, make_parse_context(options, redact_url(request.url)));
  }
};

} // namespace

std::optional<LambdaGpuDescription> parse_lambda_gpu_description(std::string_view text) {
  text = trim(text);
  if (text.empty() || contains_ignoring_case(text, "n/a")) {
    return std::nullopt;
  }
  LambdaGpuDescription gpu;
  // "8x " prefix.
  std::size_t digits = 0;
  while (digits < text.size() && is_digit(text[digits])) {
    ++digits;
  }
  if (digits > 0 && digits + 1 < text.size() && (text[digits] == 'x' || text[digits] == 'X')
      && text[digits + 1] == ' ') {
    int count = 0;
    std::from_chars(text.data(), text.data() + digits, count);
    gpu.count = count;
    text = trim(text.substr(digits + 2));
  }
  const auto open = text.find('(');
  gpu.model = std::string(trim(text.substr(0, open)));
  if (gpu.model.empty() || contains_ignoring_case(gpu.model, "cpu")) {
    return std::nullopt;
  }
  if (open != std::string_view::npos) {
    auto inside = text.substr(open + 1);
    inside = inside.substr(0, inside.find(')'));
    const auto parts = words(inside);
    std::size_t next = 0;
    if (parts.size() >= 2) {
      const auto number = parse_number(parts[0]);
      if (number && (parts[1] == "GB" || parts[1] == "gb")) {
        gpu.memory_gb = number;
        next = 2;
      } else if (number && contains_ignoring_case(parts[1], "gib")) {
        return std::nullopt; // host memory of a CPU type, not a GPU
      }
    }
    std::string form;
    for (std::size_t i = next; i < parts.size(); ++i) {
      form += (form.empty() ? "" : " ") + std::string(parts[i]);
    }
    gpu.form_factor = std::move(form);
  }
  return gpu;
}

Expected<FetchResult> parse_lambda_instance_types(std::string_view json,
                                                  const ParseContext& context) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, json, context.source_url));
  const auto* data = find_field(document, "data");
  if (!data || !(data->is_object() || data->is_array())) {
    if (const auto server = server_error_message(json); !server.empty()) {
      return make_error(
          fmt::format("{}: {} answered with an error: {}", k_provider, context.source_url, server));
    }
    return make_error(
        unexpected_response(k_provider, context.source_url, "missing object \"data\""));
  }

  FetchResult result;
  result.source_url = context.source_url;
  std::size_t without_price = 0;
  std::size_t unreadable = 0;

  // data is a map keyed by instance type name; an array of the same entries is accepted too.
  for (const auto& [key, entry] : data->items()) {
    const auto* type = find_field(entry, "instance_type");
    if (!type || !type->is_object()) {
      ++unreadable;
      continue;
    }
    const nlohmann::json no_specs = nlohmann::json::object();
    const auto* specs_field = find_field(*type, "specs");
    const auto& specs = specs_field ? *specs_field : no_specs;
    const auto gpus = number_field(specs, "gpus");
    if (!gpus || *gpus < 1) {
      continue; // CPU-only type (cpu_4x_general): nothing to rank
    }
    const auto cents = positive_number_field(*type, "price_cents_per_hour");
    if (!cents) {
      ++without_price;
      continue;
    }
    std::optional<LambdaGpuDescription> description;
    if (const auto text = string_field(*type, "gpu_description")) {
      description = parse_lambda_gpu_description(*text);
    }
    if (!description) {
      if (const auto text = string_field(*type, "description")) {
        description = parse_lambda_gpu_description(*text);
      }
    }
    if (!description) {
      ++unreadable;
      continue;
    }
    // Unknown GPUs keep the bare model ("RTX 6000"), the name to add to data/gpus.json.
    const auto gpu = resolve_gpu(k_provider,
                                 gpu_candidates(*description),
                                 context,
                                 result.warnings,
                                 description->memory_gb,
                                 description->model);

    Offer base;
    base.provider = std::string(k_provider);
    base.product = Product::vm;
    base.name = string_field(*type, "name").value_or(data->is_object() ? key : std::string());
    base.gpu = gpu.name;
    base.gpu_count = static_cast<int>(std::lround(*gpus));
    base.gpu_memory_gb = description->memory_gb;
    if (!base.gpu_memory_gb && gpu.spec) {
      base.gpu_memory_gb = gpu.spec->memory_gb;
    }
    base.vcpus = positive_number_field(specs, "vcpus");
    if (const auto gib = positive_number_field(specs, "memory_gib")) {
      base.ram_gb = round_to(gib_to_gb(*gib), 1);
    }
    base.price_per_hour = *cents / 100.0; // integer cents, whole instance
    base.source = context.source_url;
    base.fetched_at = context.now;
    base.notes = "price_cents_per_hour / 100, whole instance";

    std::vector<std::string> regions;
    if (const auto* list = find_field(entry, "regions_with_capacity_available");
        list && list->is_array()) {
      for (const auto& region : *list) {
        if (auto name = string_field(region, "name"); name && !trim(*name).empty()) {
          regions.emplace_back(trim(*name));
        }
      }
    }
    if (regions.empty()) {
      Offer offer = base;
      offer.notes += fmt::format("; {}", k_sold_out_note);
      result.offers.push_back(std::move(offer));
      continue;
    }
    for (auto& region : regions) {
      Offer offer = base;
      offer.region = std::move(region);
      result.offers.push_back(std::move(offer));
    }
  }

  if (without_price > 0) {
    result.warnings.push_back(fmt::format(
        "{}: skipped {} instance type(s) without a price (price_cents_per_hour null or 0)",
        k_provider,
        without_price));
  }
  if (unreadable > 0) {
    result.warnings.push_back(
        fmt::format("{}: skipped {} instance type(s) whose GPU description could not be read",
                    k_provider,
                    unreadable));
  }
  return result;
}

std::unique_ptr<Provider> make_lambda_provider() {
  return std::make_unique<LambdaProvider>();
}

} // namespace gpucost
