#pragma once

#include "app.hpp"

#include <CLI/CLI.hpp>

namespace gpucost::cli {

// `gpucost compare`: rank options by cost per job for a workload.
void register_compare(CLI::App& app, Context& context);

// `gpucost offers`: list the catalog with the same filters and formats.
void register_offers(CLI::App& app, Context& context);

// `gpucost catalog update|status|export`: the live price cache.
void register_catalog(CLI::App& app, Context& context);

// `gpucost simulate`: discrete-event simulation of autoscaled workers on options.
void register_simulate(CLI::App& app, Context& context);

} // namespace gpucost::cli
