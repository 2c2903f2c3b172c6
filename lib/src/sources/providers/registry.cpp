// The one place that knows every concrete provider adapter.

#include <gpucost/sources/providers/aws.hpp>
#include <gpucost/sources/providers/azure.hpp>
#include <gpucost/sources/providers/gcp.hpp>
#include <gpucost/sources/providers/lambda.hpp>
#include <gpucost/sources/providers/oci.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/sources/providers/runpod.hpp>
#include <gpucost/sources/providers/vastai.hpp>

namespace gpucost {

std::vector<std::unique_ptr<Provider>> make_providers() {
  std::vector<std::unique_ptr<Provider>> providers;
  providers.push_back(make_vastai_provider());
  providers.push_back(make_runpod_provider());
  providers.push_back(make_lambda_provider());
  providers.push_back(make_aws_provider());
  providers.push_back(make_gcp_provider());
  providers.push_back(make_azure_provider());
  providers.push_back(make_oci_provider());
  return providers;
}

} // namespace gpucost
