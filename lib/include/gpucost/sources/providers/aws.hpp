#pragma once

// AWS adapter (docs/providers.md, section 6). On-demand prices come from the public bulk price
// list, one CSV per region (GET {base}/offers/v1.0/aws/AmazonEC2/current/{region}/index.csv,
// https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html),
// several hundred MB each: it is streamed through an incremental CSV parser and never held
// whole. Spot prices are estimated from the public Spot Instance Advisor data
// (https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json), the only source of spot
// interruption rates. GPU models come from data/providers/aws-instance-types.json.

#include <gpucost/sources/providers/adapter_util.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/error.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpucost {

// ---------------------------------------------------------------------------------------------
// Incremental CSV

// An RFC 4180 CSV reader fed in pieces of any size: quoted fields may hold commas, doubled quotes
// and line breaks, lines end in LF or CRLF, blank lines are skipped. Memory is one row, however
// large the input; a row longer than the limit is an error rather than unbounded growth.
class CsvStreamParser {
public:
  // Receives each row's fields (valid only during the call); returns false to stop reading.
  using RowHandler = std::function<bool(std::span<const std::string_view> fields)>;

  // `max_row_bytes` bounds the memory one row may take.
  explicit CsvStreamParser(RowHandler handler, std::size_t max_row_bytes = std::size_t{1} << 20);

  // Reads the next piece of input, delivering every row it completes; false once the handler
  // stopped or the input is malformed (see error()); later calls then do nothing.
  bool feed(std::string_view chunk);

  // Ends the input: delivers a last row that lacks a line break; an open quoted field is an
  // error. Returns false on error or when the handler stopped.
  bool finish();

  // Why reading failed ("record 12: row longer than 1048576 bytes"); empty when it did not.
  const std::string& error() const { return m_error; }

  // Rows delivered so far.
  std::size_t rows() const { return m_rows; }

private:
  enum class State { field_start, unquoted, quoted, quote_in_quoted, after_cr };

  bool end_field();
  bool end_row();
  bool fail(std::string message);
  bool append(const char* begin, const char* end);

  RowHandler m_handler;
  std::size_t m_max_row_bytes;
  State m_state = State::field_start;
  std::string m_buffer;                  // the current row's field bytes, back to back
  std::vector<std::size_t> m_field_ends; // end offset of each finished field in m_buffer
  std::vector<std::string_view> m_views; // reused for each delivered row
  std::size_t m_rows = 0;
  bool m_field_quoted = false; // the current row's only field so far opened with a quote
  bool m_stopped = false;
  std::string m_error;
};

// ---------------------------------------------------------------------------------------------
// Static tables

// One EC2 GPU instance type of data/providers/aws-instance-types.json.
struct AwsInstanceType {
  std::string name;                    // "g5.xlarge"
  std::vector<std::string> gpu;        // GPU name candidates, most specific first
  std::optional<double> gpu_memory_gb; // per GPU, as marketed
  int gpu_count = 0;                   // GPUs of the instance
  double vcpus = 0;                    // vCPUs
  double ram_gb = 0;                   // memory, GiB as AWS markets it
  std::string source;                  // the family's instance type page
};

// data/providers/aws-instance-types.json.
struct AwsInstanceTable {
  std::map<std::string, AwsInstanceType> types; // by instance type
  std::vector<std::string> ignored_prefixes;    // not GPUs (trn, inf, ...) or fractional GPUs
  std::string source;
};

// Parses aws-instance-types.json text; errors name `origin`, the line and the field.
Expected<AwsInstanceTable> parse_aws_instance_table(std::string_view json_text,
                                                    const std::string& origin);

// Reads and parses `data_dir`/providers/aws-instance-types.json (install data when empty).
Expected<AwsInstanceTable> load_aws_instance_table(const std::string& data_dir);

// The default regions of `data_dir`/providers/aws-regions.json.
Expected<std::vector<std::string>> load_aws_regions(const std::string& data_dir);

// ---------------------------------------------------------------------------------------------
// Bulk price list CSV

// `base_url`/offers/v1.0/aws/AmazonEC2/current/`region`/index.csv.
std::string aws_offer_csv_url(std::string_view base_url, std::string_view region);

// Turns a streamed EC2 bulk price list CSV into on-demand "vm" offers. Skips the preamble
// (FormatVersion, Disclaimer, ...) up to the header row, finds columns by name, and keeps rows
// with TermType OnDemand, Product Family "Compute Instance", Unit Hrs, Currency USD, Tenancy
// Shared, Operating System Linux, CapacityStatus Used, Pre Installed S/W "" or "NA",
// MarketOption OnDemand (or empty; when the column exists), Location Type "AWS Region" (when it
// exists), a positive PricePerUnit and GPU > 0, for instance types of the table. GPU types
// missing from the table warn once each; ignored prefixes (Trainium, Inferentia, ...) do not.
class AwsOfferCsvReader {
public:
  // `table` must outlive the reader.
  AwsOfferCsvReader(const AwsInstanceTable& table, ParseContext context);

  // Reads the next piece of the file; false once it is malformed (the error is then reported
  // by finish()).
  bool feed(std::string_view chunk);

  // Ends the file and returns the offers, sorted by instance type then region; fails when the
  // CSV is malformed, has no header row, or lacks a needed column. Never throws.
  Expected<FetchResult> finish();

private:
  bool on_row(std::span<const std::string_view> fields);
  bool on_header(std::span<const std::string_view> fields);

  // Column positions, found by name in the header.
  struct Columns {
    std::size_t term_type, unit, price, currency, product_family, instance_type, tenancy,
        operating_system, capacity_status, pre_installed_sw, region_code;
    std::optional<std::size_t> market_option, location_type, gpu, vcpu, memory;
  };

  const AwsInstanceTable& m_table;
  ParseContext m_context;
  CsvStreamParser m_parser;
  std::optional<Columns> m_columns;
  std::size_t m_header_size = 0;
  std::size_t m_short_rows = 0;
  std::string m_error;
  std::map<std::pair<std::string, std::string>, Offer> m_offers; // (type, region)
  std::vector<std::string> m_warnings;
};

// Parses a whole CSV text, fed to the streaming reader in pieces of `chunk_bytes` (0: at once),
// so tests can check that chunk boundaries never change the result.
Expected<FetchResult> parse_aws_offer_csv(std::string_view csv,
                                          const AwsInstanceTable& table,
                                          const ParseContext& context,
                                          std::size_t chunk_bytes = 0);

// ---------------------------------------------------------------------------------------------
// Spot Instance Advisor

// The production Spot Advisor document. With FetchOptions::base_url set, the fetch reads
// `base_url`/spot-advisor-data.json instead, so one override (one loopback server in tests)
// serves both the price lists and the advisor.
inline constexpr std::string_view k_aws_spot_advisor_url =
    "https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json";

// One interruption band of the advisor's "ranges": monthly interruption frequency, percent.
struct AwsSpotBand {
  std::string label;       // "<5%", "5-10%", ">20%"
  double low_percent = 0;  // lower edge
  double high_percent = 0; // upper edge (the "max" of an open band such as ">20%")
};

// What the advisor says about one Linux instance type in one region.
struct AwsSpotAdvice {
  double savings_percent = 0; // "s": average saving of spot over on-demand
  int band = 0;               // "r": index into the bands
};

// The Linux part of spot-advisor-data.json.
struct AwsSpotAdvisor {
  std::vector<AwsSpotBand> bands;                                      // by index
  std::map<std::pair<std::string, std::string>, AwsSpotAdvice> advice; // (region, type)
};

// Parses spot-advisor-data.json read from `source`: spot_advisor[region]["Linux"][type] =
// {"s": savings %, "r": band} and ranges[] = {index, label, max}. Band edges come from the label
// ("5-10%" -> 5..10, "<5%" -> 0..5); an open band (">20%") runs from its label's edge to its
// "max". Fails on malformed JSON or missing "spot_advisor"/"ranges"; never throws.
Expected<AwsSpotAdvisor> parse_aws_spot_advisor(std::string_view json, std::string_view source);

// Interruptions per hour of a band: the midpoint of its monthly frequency over 730 hours
// (docs/cost-model.md); nullopt for an unknown band.
std::optional<double> aws_interruptions_per_hour(const AwsSpotAdvisor& advisor, int band);

// Gives each offer the advisor knows (same region and type) spot_price_per_hour = price x
// (1 - s/100), its interruptions_per_hour, and a note saying the spot price is an estimate
// derived from the Spot Advisor's average savings, not a live spot price.
void apply_aws_spot_advice(std::vector<Offer>& offers, const AwsSpotAdvisor& advisor);

// The AWS provider: no key; the regions of FetchOptions::regions, else aws-regions.json. A
// region whose price list fails is skipped with a warning (all failing is an error); a failed
// Spot Advisor read only loses the spot prices, with a warning.
std::unique_ptr<Provider> make_aws_provider();

} // namespace gpucost
