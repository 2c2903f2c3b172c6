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

// `gpucost gpus`: the GPU table with specs and benchmark coverage.
void register_gpus(CLI::App& app, Context& context);

// `gpucost providers`: providers, their products and traits.
void register_providers(CLI::App& app, Context& context);

// `gpucost check`: a baseline result against today's prices under --fail-on/--warn-on rules.
void register_check(CLI::App& app, Context& context);

// `gpucost matrix`: rank options on weighted criteria, with sensitivity.
void register_matrix(CLI::App& app, Context& context);

// `gpucost breakeven`: monthly volumes at which pairs of options cost the same.
void register_breakeven(CLI::App& app, Context& context);

// `gpucost sweep`: cost per job and ranking over a range of one input.
void register_sweep(CLI::App& app, Context& context);

// `gpucost report`: a self-contained HTML decision report.
void register_report(CLI::App& app, Context& context);

// `gpucost simulate`: discrete-event simulation of autoscaled workers on options.
void register_simulate(CLI::App& app, Context& context);

} // namespace gpucost::cli
