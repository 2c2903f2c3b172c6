// The catalog readers: neither crashes on any input, and the fast one never disagrees with the
// checked one (when it reads a catalog, the checked reader reads the same offers).

#include "fuzz_target.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/data/catalog_fast.hpp>
#include <gpucost/data/offer_json.hpp>

GPUCOST_FUZZ_TARGET(catalog) {
  const std::vector<gpucost::FxRate> rates;
  const auto fast = gpucost::parse_catalog_fast(input, rates);
  const auto checked = gpucost::parse_catalog_checked(input, "fuzz.json", rates);
  if (fast) {
    if (!checked) {
      gpucost::fuzz::fail("the fast reader read a catalog the checked reader refuses");
    }
    const auto replace = nlohmann::ordered_json::error_handler_t::replace;
    if (gpucost::offers_to_json(*fast).dump(-1, ' ', false, replace)
        != gpucost::offers_to_json(*checked).dump(-1, ' ', false, replace)) {
      gpucost::fuzz::fail("the fast and the checked reader read different offers");
    }
  }
  if (!checked && checked.error().message.size() > 4096) {
    gpucost::fuzz::fail("an error message longer than 4 KiB");
  }
}
