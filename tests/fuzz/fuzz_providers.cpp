// Each provider adapter's parse function on any answer: offers or an error, never a crash. Each is
// its own target (fuzz_corpus vastai DIR, ...), with a seed corpus of real-shaped answers.

#include "fuzz_data.hpp"
#include "fuzz_target.hpp"

#include <gpucost/sources/providers/aws.hpp>
#include <gpucost/sources/providers/azure.hpp>
#include <gpucost/sources/providers/gcp.hpp>
#include <gpucost/sources/providers/lambda.hpp>
#include <gpucost/sources/providers/oci.hpp>
#include <gpucost/sources/providers/runpod.hpp>
#include <gpucost/sources/providers/vastai.hpp>

namespace {

template<typename T> const T& loaded(const gpucost::Expected<T>& value) {
  if (!value) {
    std::abort(); // the bundled tables are broken: not a finding of the fuzzer
  }
  return *value;
}

} // namespace

#if !defined(GPUCOST_LIBFUZZER) || defined(GPUCOST_FUZZ_VASTAI)
GPUCOST_FUZZ_TARGET(vastai) {
  (void)gpucost::parse_vastai_offers(input, gpucost::fuzz::context());
}
#endif

#if !defined(GPUCOST_LIBFUZZER) || defined(GPUCOST_FUZZ_RUNPOD)
GPUCOST_FUZZ_TARGET(runpod) {
  (void)gpucost::parse_runpod_gpu_types(input, gpucost::fuzz::context());
  (void)gpucost::parse_runpod_catalog(input, gpucost::fuzz::context(), {true, true});
}
#endif

#if !defined(GPUCOST_LIBFUZZER) || defined(GPUCOST_FUZZ_LAMBDA)
GPUCOST_FUZZ_TARGET(lambda) {
  (void)gpucost::parse_lambda_instance_types(input, gpucost::fuzz::context());
}
#endif

#if !defined(GPUCOST_LIBFUZZER) || defined(GPUCOST_FUZZ_OCI)
GPUCOST_FUZZ_TARGET(oci) {
  static const auto rules = gpucost::load_oci_billing_rules(gpucost::fuzz::data_dir());
  const auto context = gpucost::fuzz::context();
  const auto page = gpucost::parse_oci_products_page(input, context);
  (void)gpucost::parse_oci_shapes(
      input, page ? page->parts : std::vector<gpucost::OciPricePart>{}, loaded(rules), context);
}
#endif

#if !defined(GPUCOST_LIBFUZZER) || defined(GPUCOST_FUZZ_AWS)
GPUCOST_FUZZ_TARGET(aws) {
  static const auto table = gpucost::load_aws_instance_table(gpucost::fuzz::data_dir());
  const auto context = gpucost::fuzz::context();
  const auto whole = gpucost::parse_aws_offer_csv(input, loaded(table), context);
  // The CSV stream: cutting the text into chunks must never change the result.
  const auto chunked = gpucost::parse_aws_offer_csv(input, loaded(table), context, 7);
  if (whole.has_value() != chunked.has_value()
      || (whole && whole->offers.size() != chunked->offers.size())) {
    gpucost::fuzz::fail("the AWS CSV reader depends on chunk boundaries");
  }
  (void)gpucost::parse_aws_spot_advisor(input, "http://127.0.0.1/fuzz");
}
#endif

#if !defined(GPUCOST_LIBFUZZER) || defined(GPUCOST_FUZZ_AZURE)
GPUCOST_FUZZ_TARGET(azure) {
  static const auto table = gpucost::load_azure_sku_table(gpucost::fuzz::data_dir());
  (void)gpucost::parse_azure_prices({std::string(input)}, loaded(table), gpucost::fuzz::context());
}
#endif

#if !defined(GPUCOST_LIBFUZZER) || defined(GPUCOST_FUZZ_GCP)
GPUCOST_FUZZ_TARGET(gcp) {
  static const auto table = gpucost::load_gcp_machine_table(gpucost::fuzz::data_dir());
  (void)gpucost::parse_gcp_skus({std::string(input)}, loaded(table), gpucost::fuzz::context());
}
#endif
