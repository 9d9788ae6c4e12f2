//! The proptest configuration the property tests share: 256 cases from a
//! fixed seed (PROPTEST_RNG_SEED=n explores others, PROPTEST_CASES=n runs
//! more), and failures kept in proptest-regressions/NAME.txt (committed),
//! replayed first.

use proptest::prelude::ProptestConfig;
use proptest::test_runner::{FileFailurePersistence, RngSeed};

pub fn config(name: &str) -> ProptestConfig {
    let mut c = ProptestConfig::with_cases(256);
    if std::env::var_os("PROPTEST_CASES").is_some() {
        c.cases = ProptestConfig::default().cases;
    }
    if c.rng_seed == RngSeed::Random {
        c.rng_seed = RngSeed::Fixed(0x006D_6169_6C73_696D);
    }
    // The path lives as long as the test run.
    let path: &'static str =
        Box::leak(format!("{}/proptest-regressions/{name}.txt", env!("CARGO_MANIFEST_DIR")).into_boxed_str());
    c.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(path)));
    c
}

/// Up to 40 lines, each up to four `piece`s run together: text shaped like
/// what a reader looks for, in any order.
#[allow(dead_code)] // not every property test reads text
pub fn lines_of(
    piece: impl proptest::strategy::Strategy<Value = String>,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop::collection::vec(prop::collection::vec(piece, 0..4).prop_map(|p| p.concat()), 0..40)
        .prop_map(|lines| lines.join("\n"))
}
