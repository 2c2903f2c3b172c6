// Oracle OCI adapter: the price-list and shapes parsers on the project's fixtures and the real
// samples, and fetch (with pagination) against the loopback server.

#include "loopback_server.hpp"
#include "provider_test_util.hpp"

#include <gpucost/sources/providers/oci.hpp>

#include <doctest/doctest.h>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_oci {

using gpucost::FetchResult;
using gpucost::OciPricePart;
using gpucost::Offer;
using gpucost::Product;
using gpucost::test::fixture;
using gpucost::test::has_warning;
using gpucost::test::offers_where;
using gpucost::test::test_context;

namespace {

const std::string k_source = "https://apexapps.oracle.com/pls/apex/cetools/api/v1/products/"
                             "?currencyCode=USD";

std::vector<OciPricePart> fixture_parts() {
  std::vector<OciPricePart> parts;
  for (const char* page : {"oci/products-page1.json", "oci/products-page2.json"}) {
    auto parsed = gpucost::parse_oci_products_page(fixture(page), test_context(k_source));
    REQUIRE_MESSAGE(parsed, (parsed ? "" : parsed.error().message));
    parts.insert(parts.end(), parsed->parts.begin(), parsed->parts.end());
  }
  return parts;
}

// The bundled billing rules, as fetch reads them.
const gpucost::OciBillingRules& bundled_rules() {
  static const auto rules =
      gpucost::load_oci_billing_rules(std::string(GPUCOST_SOURCE_DIR) + "/data");
  REQUIRE_MESSAGE(rules, (rules ? "" : rules.error().message));
  return *rules;
}

FetchResult parse_fixture(const gpucost::OciBillingRules& rules = bundled_rules()) {
  auto result = gpucost::parse_oci_shapes(
      fixture("oci/shapes.json"), fixture_parts(), rules, test_context(k_source));
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  return *result;
}

const Offer& shape(const FetchResult& result, const std::string& name) {
  const auto found = std::find_if(
      result.offers.begin(), result.offers.end(), [&](const Offer& o) { return o.name == name; });
  REQUIRE_MESSAGE(found != result.offers.end(), "no offer for shape " << name);
  return *found;
}

} // namespace

TEST_SUITE("oci") {
  TEST_CASE("a price-list page: USD pay-as-you-go price, string values, next link") {
    const auto page = gpucost::parse_oci_products_page(fixture("oci/products-page1.json"),
                                                       test_context(k_source));
    REQUIRE(page);
    REQUIRE(page->parts.size() == 6);
    CHECK(page->parts[0].part_number == "B98415");
    CHECK(page->parts[0].metric_name == "GPU Per Hour");
    CHECK(page->parts[0].usd_per_unit == 10);
    CHECK(page->parts[2].usd_per_unit == 2); // "2", after an EUR localization
    CHECK(page->next_url
          == "https://apexapps.oracle.com/pls/apex/cetools/api/v1/products/"
             "?currencyCode=USD&offset=6");

    const auto last = gpucost::parse_oci_products_page(fixture("oci/products-page2.json"),
                                                       test_context(k_source));
    REQUIRE(last);
    CHECK(last->next_url.empty());
    CHECK(last->parts[5].usd_per_unit == doctest::Approx(0.025)); // first tier
  }

  TEST_CASE("licence look-alikes, Cloud@Customer and other metrics are not rentals") {
    const auto parts = fixture_parts();
    auto part = [&](const std::string& number) {
      return *std::find_if(parts.begin(), parts.end(), [&](const OciPricePart& p) {
        return p.part_number == number;
      });
    };
    CHECK(gpucost::oci_part_is_rental(part("B98415")));
    CHECK(!gpucost::oci_part_is_rental(part("B111824"))); // NVIDIA AI Enterprise licence
    CHECK(!gpucost::oci_part_is_rental(part("B110965"))); // Cloud@Customer
    CHECK(gpucost::oci_part_is_rental(part("B95909")));   // "Compute  - GPU - A10" (typo kept)
    CHECK(!gpucost::oci_part_is_rental(OciPricePart{
        "B1", "Roving Edge Device - RED.2 GPU", "Resource Possession Per Day", "", 100}));
  }

  TEST_CASE("oci_shape_gpu_candidates reads models and first-generation names") {
    using Names = std::vector<std::string>;
    CHECK(gpucost::oci_shape_gpu_candidates("BM.GPU.H100.8") == Names{"H100"});
    CHECK(gpucost::oci_shape_gpu_candidates("BM.GPU.GB200.4 (NVL72)") == Names{"GB200"});
    CHECK(gpucost::oci_shape_gpu_candidates("VM.GPU3.1").front() == "V100");
    CHECK(gpucost::oci_shape_gpu_candidates("BM.GPU4.8").front() == "A100 40GB");
    CHECK(gpucost::oci_shape_gpu_candidates("BM.GPU.A100-v2.8").front() == "A100 80GB");
    CHECK(gpucost::oci_shape_gpu_candidates("BM.GPU.L40S-NC.4")
          == Names{"L40S-NC", "L40S NC", "L40S"});
    CHECK(gpucost::oci_shape_gpu_candidates("BM.Standard.E4.128").empty());
  }

  TEST_CASE("a bare-metal GPU shape: per-GPU price x gpuQty, 1 h minimum, vCPUs from OCPUs") {
    const auto result = parse_fixture();
    const auto& h100 = shape(result, "BM.GPU.H100.8");
    CHECK(h100.provider == "oci");
    CHECK(h100.product == Product::vm);
    CHECK(h100.gpu == "H100 SXM"); // bare metal: looked up as "H100 SXM" before plain "H100"
    CHECK(h100.gpu_count == 8);
    CHECK(h100.price_per_hour == doctest::Approx(80));
    CHECK(!h100.spot_price_per_hour);
    CHECK(h100.gpu_memory_gb == 80);
    CHECK(h100.vcpus == 224);
    CHECK(h100.ram_gb == 2048);
    CHECK(h100.region.empty());
    CHECK(h100.billing_granularity_s == 1);
    CHECK(h100.billing_minimum_s == 3600);
    CHECK(h100.source == k_source);
    CHECK(h100.fetched_at == "2026-11-23T12:00:00Z");
    CHECK(h100.notes.find("part B98415") != std::string::npos);
    CHECK(h100.notes.find("1 h minimum") != std::string::npos);
  }

  TEST_CASE("a VM shape that allows preemption gets a half-price spot row and a 60 s minimum") {
    const auto result = parse_fixture();
    const auto& a10 = shape(result, "VM.GPU.A10.1");
    CHECK(a10.gpu == "A10");
    CHECK(a10.price_per_hour == doctest::Approx(2));
    CHECK(a10.spot_price_per_hour == doctest::Approx(1));
    CHECK(a10.billing_minimum_s == 60);
    CHECK(a10.vcpus == 30);
    CHECK(a10.notes.find("preemptible at 50%") != std::string::npos);
  }

  TEST_CASE("the billing rules come from data/providers/oci-billing.json") {
    const auto& rules = bundled_rules();
    CHECK(rules.granularity_s == 1);
    CHECK(rules.vm_minimum_s == 60);
    CHECK(rules.bare_metal_minimum_s == 3600);
    CHECK(rules.preemptible_share == 0.5);
    CHECK(rules.billing_source.rfind("https://", 0) == 0);
    CHECK(rules.preemptible_source.rfind("https://", 0) == 0);

    // Other rules give other offers: nothing of the billing is left in the adapter.
    gpucost::OciBillingRules other = rules;
    other.granularity_s = 60;
    other.vm_minimum_s = 600;
    other.bare_metal_minimum_s = 86400;
    other.preemptible_share = 0.3;
    const auto result = parse_fixture(other);
    const auto& a10 = shape(result, "VM.GPU.A10.1");
    CHECK(a10.billing_granularity_s == 60);
    CHECK(a10.billing_minimum_s == 600);
    CHECK(a10.spot_price_per_hour == doctest::Approx(0.6));
    CHECK(a10.notes.find("preemptible at 30% of on demand") != std::string::npos);
    CHECK(a10.notes.find("billed per 1 min, 10 min minimum (" + rules.billing_source + ")")
          != std::string::npos);
    CHECK(shape(result, "BM.GPU.H100.8").billing_minimum_s == 86400);
  }

  TEST_CASE("a bad billing file is refused with file, line and field") {
    const auto file = gpucost::test::read_text(std::string(GPUCOST_SOURCE_DIR)
                                               + "/data/providers/oci-billing.json");
    REQUIRE(file);
    const std::string good = *file;
    const auto parse = [](const std::string& text) {
      return gpucost::parse_oci_billing_rules(text, "oci-billing.json");
    };
    REQUIRE(parse(good));
    const auto replaced = [&](const std::string& from, const std::string& to) {
      std::string text = good;
      const auto at = text.find(from);
      REQUIRE(at != std::string::npos);
      return text.replace(at, from.size(), to);
    };
    SUBCASE("a share above one") {
      const auto result =
          parse(replaced("\"preemptible_share\": 0.5", "\"preemptible_share\": 1.5"));
      REQUIRE(!result);
      CHECK(result.error().message
            == "oci-billing.json:11: preemptible_share: must be > 0 and <= 1 (got 1.5)");
    }
    SUBCASE("a missing minimum") {
      const auto result = parse(replaced("\"vm_minimum_s\": 60,", ""));
      REQUIRE(!result);
      CHECK(result.error().message == "oci-billing.json:1: vm_minimum_s: is required");
    }
    SUBCASE("an undated source") {
      const auto result = parse(
          replaced("\"preemptible_as_of\": \"2026-12-02\"", "\"preemptible_as_of\": \"soon\""));
      REQUIRE(!result);
      CHECK(result.error().message
            == "oci-billing.json:13: preemptible_as_of: must be a date YYYY-MM-DD (got \"soon\")");
    }
    SUBCASE("a misspelled key") {
      const auto result = parse(replaced("\"bare_metal_minimum_s\"", "\"bare_metal_minimun_s\""));
      REQUIRE(!result);
      CHECK(result.error().message.find("oci-billing.json:7: bare_metal_minimun_s") == 0);
    }
  }

  TEST_CASE("first-generation names, the NVL72 suffix and Grace vCPUs") {
    const auto result = parse_fixture();
    const auto& gpu4 = shape(result, "BM.GPU4.8");
    CHECK(gpu4.gpu == "A100 40GB");
    CHECK(gpu4.gpu_memory_gb == 40); // the table, not gpuMemoryQty 320
    CHECK(gpu4.price_per_hour == doctest::Approx(24.4));
    const auto& v2 = shape(result, "BM.GPU.A100-v2.8");
    CHECK(v2.gpu == "A100 80GB");
    CHECK(v2.price_per_hour == doctest::Approx(32));
    const auto& gb200 = shape(result, "BM.GPU.GB200.4");
    CHECK(gb200.gpu == "GB200");
    CHECK(gb200.gpu_count == 4);
    CHECK(gb200.price_per_hour == doctest::Approx(64));
    CHECK(gb200.vcpus == 128); // Grace: one vCPU per core
    const auto& l40s = shape(result, "BM.GPU.L40S.4");
    CHECK(l40s.price_per_hour == doctest::Approx(14));
    CHECK(!l40s.vcpus); // qty null
  }

  TEST_CASE("skipped shapes and unused price parts are reported") {
    const auto result = parse_fixture();
    // CPU shape, hidden MI300X, the licence-priced shape and the unpriced B300 are not offers.
    CHECK(result.offers.size() == 7);
    CHECK(offers_where(result, [](const Offer& o) { return o.name == "BM.GPU.MI300X.8"; }).empty());
    CHECK(has_warning(result,
                      "oci: shape BM.GPU.H100-LIC.8 skipped: part B111824 (\"OCI - NVIDIA AI "
                      "Enterprise - H100\") is not a rental price"));
    CHECK(has_warning(result,
                      "oci: shape BM.GPU.B300.8 skipped: part B112237 is not in the price list"));
    CHECK(has_warning(result, "oci: unknown GPU \"H100T\" kept as is (add it to data/gpus.json)"));
    CHECK(has_warning(result,
                      "oci: 1 GPU price part(s) match no shape in shapes.json: B110519 \"OCI - "
                      "Compute - GPU - H200\""));
    const auto& h100t = shape(result, "BM.GPU.H100T.8");
    CHECK(h100t.gpu == "H100T");
    CHECK(!h100t.gpu_memory_gb);
    CHECK(h100t.price_per_hour == doctest::Approx(86));
  }

  TEST_CASE("broken answers") {
    const auto context = test_context(k_source);
    SUBCASE("truncated price list") {
      const auto result = gpucost::parse_oci_products_page(fixture("oci/truncated.json"), context);
      REQUIRE(!result);
      CHECK(result.error().message.rfind(
                "oci: truncated JSON in " + k_source + ": it ends at line 3, column 58 (", 0)
            == 0);
    }
    SUBCASE("no items") {
      const auto result = gpucost::parse_oci_products_page(R"({"lastUpdated": "x"})", context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "oci: unexpected response from " + k_source + ": missing array \"items\"");
    }
    SUBCASE("shapes without items") {
      const auto result = gpucost::parse_oci_shapes("[]", {}, bundled_rules(), context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "oci: unexpected response from " + k_source
                   + ": missing array \"items\" in shapes.json");
    }
  }

  TEST_CASE("the real samples parse" * doctest::test_suite("samples")) {
    const auto products = gpucost::test::shared_sample("oci-products.json");
    const auto shapes = gpucost::test::shared_sample("oci-shapes-excerpt.json");
    if (!products || !shapes) {
      MESSAGE("skipped: ../shared/samples/oci-*.json not present");
      return;
    }
    const auto page = gpucost::parse_oci_products_page(*products, test_context(k_source));
    REQUIRE(page);
    CHECK(page->parts.size() == 22);
    const auto result =
        gpucost::parse_oci_shapes(*shapes, page->parts, bundled_rules(), test_context(k_source));
    REQUIRE(result);
    const auto& h100 = shape(*result, "BM.GPU.H100.8");
    CHECK(h100.price_per_hour == doctest::Approx(80)); // 10 per GPU, not the 2.50 licence
    CHECK(h100.vcpus == 224);
    const auto& mi355x = shape(*result, "BM.GPU.MI355X.8");
    CHECK(mi355x.gpu == "MI355X");
    CHECK(mi355x.gpu_memory_gb == 288);
    CHECK(mi355x.price_per_hour == doctest::Approx(68.8));
    const auto& gb200 = shape(*result, "BM.GPU.GB200.4");
    CHECK(gb200.price_per_hour == doctest::Approx(64));
    const auto& b300 = shape(*result, "BM.GPU.B300.8");
    CHECK(b300.price_per_hour == doctest::Approx(120));
    CHECK(!b300.vcpus);
    CHECK(!b300.ram_gb);
    CHECK(result->offers.size() == 5);
  }
}

TEST_SUITE("oci fetch") {
  using gpucost::test::LoopbackServer;
  using gpucost::test::ScriptedResponse;

  ScriptedResponse reply(int status, std::string body) {
    ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }

  const std::string k_products_path = "/pls/apex/cetools/api/v1/products/";
  const std::string k_shapes_path = "/a/ocom/docs/cloudestimator2/data/shapes.json";

  TEST_CASE("fetch follows the next link on the test server and reads shapes from it too") {
    LoopbackServer server;
    // Both pages share a path (the query differs): a route serves its responses in order.
    server.route(k_products_path, reply(200, fixture("oci/products-page1.json")));
    server.route(k_products_path, reply(200, fixture("oci/products-page2.json")));
    server.route(k_shapes_path, reply(200, fixture("oci/shapes.json")));
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto provider = gpucost::make_oci_provider();
    CHECK(provider->id() == "oci");
    CHECK(provider->api_key_env().empty());
    CHECK(!provider->key_required());
    CHECK(provider->default_base_url() == "https://apexapps.oracle.com");

    const auto result = provider->fetch(*http, gpucost::test::test_fetch_options(server.url()));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    CHECK(result->offers.size() == 7);
    CHECK(result->source_url == server.url() + k_products_path + "?currencyCode=USD");
    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[0].target == k_products_path + "?currencyCode=USD");
    CHECK(requests[1].target == k_products_path + "?currencyCode=USD&offset=6");
    CHECK(requests[2].target == k_shapes_path);
  }

  TEST_CASE("fetch failures") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto provider = gpucost::make_oci_provider();
    const auto options = gpucost::test::test_fetch_options(server.url());
    const std::string url = server.url() + k_products_path + "?currencyCode=USD";

    SUBCASE("403 without a key to blame") {
      server.route(k_products_path, reply(403, ""));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message == "oci: GET " + url + " returned HTTP 403: access denied");
    }
    SUBCASE("500") {
      server.route(k_products_path, reply(500, ""));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "oci: GET " + url + " returned HTTP 500: server error; try again later");
    }
    SUBCASE("an HTML page") {
      server.route(k_products_path, reply(503, fixture("oci/bad-gateway.html")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "oci: GET " + url + ": expected JSON, got an HTML page (HTTP 503)");
    }
    SUBCASE("truncated JSON") {
      server.route(k_products_path, reply(200, fixture("oci/truncated.json")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message.rfind("oci: truncated JSON in " + url, 0) == 0);
    }
    SUBCASE("missing shapes") {
      server.route(k_products_path, reply(200, fixture("oci/products-page2.json")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "oci: GET " + server.url() + k_shapes_path
                   + " returned HTTP 404: not found (check the base URL)");
    }
  }
}

} // namespace gpucost_test_oci
