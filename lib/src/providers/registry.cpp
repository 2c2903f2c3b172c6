// The one place that knows every concrete provider adapter.

#include "providers/aws.hpp"
#include "providers/azure.hpp"
#include "providers/gcp.hpp"
#include "providers/lambda.hpp"
#include "providers/oci.hpp"
#include "providers/runpod.hpp"
#include "providers/vastai.hpp"

#include <gpucost/providers/provider.hpp>

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
