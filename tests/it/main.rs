//! The one integration-test binary. Each module tests one concern.

mod adversarial;
mod browser;
mod check_cli;
mod colour;
mod corpus;
mod deps;
mod fix_cli;
mod fix_corpus;
mod fix_secrets;
mod holdout;
mod new;
mod packaging;
mod postgres;
mod real_codebases;
mod rules;
mod sarif;
mod scan;
mod scan_support;
mod scan_surface;
mod server;
mod support;
