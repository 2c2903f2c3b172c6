// Ingest benchmark: how fast the Azure and AWS adapters read large price answers, and how much
// memory they need. It goes through the public Provider interface with an in-memory HttpClient:
// Azure gets 50 generated pages of 1000 items; AWS gets a generated bulk price list CSV of
// 200 MB, produced and handed over 64 KiB at a time, so that neither the benchmark nor the
// adapter ever holds the whole file. Run by hand: bench_ingest [aws|azure|all] [aws_mb]
// [azure_pages]. Not run by ctest.

#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/sources/providers/provider.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <vector>

namespace {

// Peak resident set size of the process so far, MiB (ru_maxrss is KiB on Linux).
double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One Azure Retail Prices item; every fourth one is a GPU size the table knows.
std::string azure_item(std::size_t n) {
  static constexpr std::string_view k_skus[] = {
      "Standard_NC24ads_A100_v4", "Standard_D4s_v5", "Standard_E8s_v5", "Standard_F16s_v2"};
  static constexpr std::string_view k_regions[] = {"eastus", "westus2", "westeurope", "japaneast"};
  const std::string_view sku = k_skus[n % 4];
  const std::string_view region = k_regions[(n / 4) % 4];
  const bool spot = (n / 16) % 2 == 1;
  const bool windows = (n / 32) % 3 == 2;
  return fmt::format(
      R"({{"currencyCode":"USD","tierMinimumUnits":0.0,"retailPrice":{0},"unitPrice":{0},)"
      R"("armRegionName":"{1}","location":"Somewhere","effectiveStartDate":"2024-01-01T00:00:00Z",)"
      R"("meterId":"00000000-0000-0000-0000-{2:012d}","meterName":"{3}{4}","productId":"DZH318Z0BQPS",)"
      R"("skuId":"DZH318Z0BQPS/{2:04d}","productName":"Virtual Machines Series{5}","skuName":"{3}{4}",)"
      R"("serviceName":"Virtual Machines","serviceId":"DZH313Z7MMC8","serviceFamily":"Compute",)"
      R"("unitOfMeasure":"1 Hour","type":"Consumption","isPrimaryMeterRegion":true,"armSkuName":"{6}"}})",
      1.0 + static_cast<double>(n % 97) / 10.0,
      region,
      n,
      sku.substr(9),
      spot ? " Spot" : "",
      windows ? " Windows" : "",
      sku);
}

std::string azure_page(std::size_t page, std::size_t pages, std::size_t items) {
  std::string body =
      R"({"BillingCurrency":"USD","CustomerEntityId":"Default","CustomerEntityType":"Retail","Items":[)";
  for (std::size_t i = 0; i < items; ++i) {
    body += (i == 0 ? "" : ",") + azure_item(page * items + i);
  }
  body += "],\"NextPageLink\":";
  body += page + 1 < pages ? fmt::format("\"https://prices.azure.com/api/retail/prices?$skip={}\"",
                                         (page + 1) * items)
                           : std::string("null");
  body += fmt::format(",\"Count\":{}}}", items);
  return body;
}

// A 1 MiB-ish block of price list rows, repeated to make the file; mostly rows the reader drops
// (Reserved terms, Windows, CPU types), like the real file.
std::string aws_rows_block() {
  static constexpr std::string_view k_types[] = {
      "g5.xlarge", "c6i.large", "m7i.2xlarge", "p4d.24xlarge", "r6g.xlarge", "g6.12xlarge"};
  static constexpr std::string_view k_terms[] = {"OnDemand", "Reserved", "Reserved", "Reserved"};
  static constexpr std::string_view k_systems[] = {"Linux", "Windows", "RHEL", "SUSE"};
  std::string block;
  for (std::size_t n = 0; block.size() < (std::size_t{1} << 20); ++n) {
    const std::string_view type = k_types[n % 6];
    const std::string_view term = k_terms[(n / 6) % 4];
    const std::string_view system = k_systems[(n / 24) % 4];
    const bool gpu = type[0] == 'g' || type[0] == 'p';
    block += fmt::format(
        R"csv("SKU{0:08d}","JRTCKXETXF","SKU{0:08d}.JRTCKXETXF.6YS6EN2CT7","{1}","${2:.4f} per On Demand {3} {4} Instance Hour, ""quoted"" text","2026-11-01","0","Inf","Hrs","{2:.10f}","USD",,,,,"Compute Instance","AmazonEC2","US East (N. Virginia)","AWS Region","{4}","Yes","GPU instance","8","AMD EPYC 7R32","3.3 GHz","32 GiB","1 x 450 NVMe SSD","Up to 10 Gigabit","64-bit","Shared","{3}","No License required","BoxUsage:{4}","RunInstances","NA","Used","{5}","{6}","OnDemand","NA","us-east-1")csv"
        "\n",
        n,
        term,
        0.5 + static_cast<double>(n % 50) / 10.0,
        system,
        type,
        gpu ? "1" : "",
        gpu ? "24 GB" : "NA");
  }
  return block;
}

// Serves generated answers; the AWS price list is produced chunk by chunk.
class GeneratedHttp final : public gpucost::HttpClient {
public:
  GeneratedHttp(std::size_t azure_pages, std::size_t aws_bytes)
      : m_azure_pages(azure_pages), m_aws_bytes(aws_bytes) {
    for (std::size_t page = 0; page < m_azure_pages; ++page) {
      m_pages.push_back(azure_page(page, m_azure_pages, 1000));
      m_azure_bytes += m_pages.back().size();
    }
  }

  gpucost::Expected<gpucost::HttpResponse> send(const gpucost::HttpRequest& request) override {
    gpucost::HttpResponse response;
    response.status = 200;
    response.url = request.url;
    if (request.url.find("/api/retail/prices") != std::string::npos) {
      const auto skip = request.url.find("$skip=");
      const std::size_t page =
          skip == std::string::npos
              ? 0
              : std::strtoul(request.url.c_str() + skip + 6, nullptr, 10) / 1000;
      response.body = m_pages.at(std::min(page, m_pages.size() - 1));
    } else {
      response.status = 404; // the Spot Advisor: not part of this benchmark
    }
    return response;
  }

  gpucost::Expected<gpucost::HttpResponse> send_streaming(const gpucost::HttpRequest& request,
                                                          const gpucost::BodySink& sink) override {
    static constexpr std::string_view k_preamble =
        "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"Generated for a benchmark\"\n"
        "\"Publication Date\",\"2026-11-20T00:00:00Z\"\n\"Version\",\"20261120000000\"\n"
        "\"OfferCode\",\"AmazonEC2\"\n"
        "\"SKU\",\"OfferTermCode\",\"RateCode\",\"TermType\",\"PriceDescription\","
        "\"EffectiveDate\","
        "\"StartingRange\",\"EndingRange\",\"Unit\",\"PricePerUnit\",\"Currency\",\"RelatedTo\","
        "\"LeaseContractLength\",\"PurchaseOption\",\"OfferingClass\",\"Product Family\","
        "\"serviceCode\",\"Location\",\"Location Type\",\"Instance Type\",\"Current Generation\","
        "\"Instance Family\",\"vCPU\",\"Physical Processor\",\"Clock "
        "Speed\",\"Memory\",\"Storage\","
        "\"Network Performance\",\"Processor Architecture\",\"Tenancy\",\"Operating System\","
        "\"License Model\",\"usageType\",\"operation\",\"AvailabilityZone\",\"CapacityStatus\","
        "\"GPU\",\"GPU Memory\",\"MarketOption\",\"Pre Installed S/W\",\"Region Code\"\n";
    const std::string block = aws_rows_block();
    constexpr std::size_t k_chunk = 64 * 1024;
    std::string chunk(k_preamble);
    std::size_t sent = 0;
    std::size_t at = 0; // position in the repeated block
    while (sent < m_aws_bytes) {
      while (chunk.size() < k_chunk) {
        const std::size_t take = std::min(k_chunk - chunk.size(), block.size() - at);
        chunk.append(block, at, take);
        at = (at + take) % block.size();
      }
      if (!sink(chunk)) {
        return gpucost::make_error("the sink stopped the transfer");
      }
      sent += chunk.size();
      chunk.clear();
    }
    // End on a row boundary so the file is well formed.
    chunk.assign(block, at, block.find('\n', at) + 1 - at);
    sink(chunk);
    sent += chunk.size();
    m_aws_sent = sent;
    gpucost::HttpResponse response;
    response.status = 200;
    response.url = request.url;
    return response;
  }

  std::size_t azure_bytes() const { return m_azure_bytes; }
  std::size_t aws_sent() const { return m_aws_sent; }

private:
  std::size_t m_azure_pages;
  std::size_t m_aws_bytes;
  std::vector<std::string> m_pages;
  std::size_t m_azure_bytes = 0;
  std::size_t m_aws_sent = 0;
};

const gpucost::Provider& provider(const std::vector<std::unique_ptr<gpucost::Provider>>& all,
                                  std::string_view id) {
  for (const auto& candidate : all) {
    if (candidate->id() == id) {
      return *candidate;
    }
  }
  fmt::print(stderr, "no provider \"{}\"\n", id);
  std::exit(1);
}

} // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "all";
  const std::size_t aws_mb = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 200;
  const std::size_t azure_pages = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 50;
  const auto providers = gpucost::make_providers();
  gpucost::FetchOptions options;
  options.base_url = "http://bench.invalid";
  options.now = "2026-11-23T00:00:00Z";
  options.data_dir = GPUCOST_SOURCE_DATADIR;
  fmt::print("peak RSS at start: {:.1f} MiB\n", peak_rss_mib());

  if (what == "aws" || what == "all") {
    GeneratedHttp http(0, aws_mb << 20);
    options.regions = {"us-east-1"};
    const auto start = std::chrono::steady_clock::now();
    auto result = provider(providers, "aws").fetch(http, options);
    const double seconds = seconds_since(start);
    if (!result) {
      fmt::print(stderr, "aws: {}\n", result.error().message);
      return 1;
    }
    const double mb = static_cast<double>(http.aws_sent()) / 1e6;
    fmt::print("aws: {:.1f} MB CSV in 64 KiB chunks, {:.2f} s, {:.1f} MB/s, {} offers; peak RSS "
               "{:.1f} MiB\n",
               mb,
               seconds,
               mb / seconds,
               result->offers.size(),
               peak_rss_mib());
  }
  if (what == "azure" || what == "all") {
    GeneratedHttp http(azure_pages, 0);
    options.regions.clear();
    fmt::print(
        "azure: {} pages generated ({:.1f} MB held by the fake server); peak RSS {:.1f} MiB\n",
        azure_pages,
        static_cast<double>(http.azure_bytes()) / 1e6,
        peak_rss_mib());
    const auto start = std::chrono::steady_clock::now();
    auto result = provider(providers, "azure").fetch(http, options);
    const double seconds = seconds_since(start);
    if (!result) {
      fmt::print(stderr, "azure: {}\n", result.error().message);
      return 1;
    }
    const double mb = static_cast<double>(http.azure_bytes()) / 1e6;
    fmt::print("azure: {} pages x 1000 items, {:.1f} MB JSON, {:.2f} s, {:.1f} MB/s, {} offers; "
               "peak RSS {:.1f} MiB\n",
               azure_pages,
               mb,
               seconds,
               mb / seconds,
               result->offers.size(),
               peak_rss_mib());
  }
  return 0;
}
