//! The one integration-test binary. Each module tests one concern.

mod support;
