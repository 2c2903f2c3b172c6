#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/provider_info.hpp>

#include <string>

namespace gpucost {

// Whether a provider's instance names are stable types or SKUs (hyperscalers, specialists) rather
// than a marketplace's offer ids, which change from one listing to the next. nullptr (a provider
// not in providers.json) counts as stable.
bool has_stable_instance_names(const ProviderInfo* provider);

// The stable key of one row, as check rules name it:
// `provider/product/GPUxCOUNT/REGION/mode/pricing`, REGION "-" when empty, followed by
// `/NAME` when the offer has a name that is a stable instance type: `provider` (its
// providers.json entry, may be nullptr) is not a marketplace and the product is not serverless
// (a serverless endpoint is named by its GPU), e.g.
// `aws/vm/H100x8/us-east-1/per-job/on-demand/p5.48xlarge` or
// `runpod/serverless/RTX 4090x1/-/keep-alive/on-demand`. An api offer has its unit in place of
// the GPU and always its name: `mistral/api/audio_minute/-/per-job/on-demand/voxtral-mini-2602`.
// Pure.
std::string
option_key(const Offer& offer, Mode mode, Pricing pricing, const ProviderInfo* provider);

} // namespace gpucost
