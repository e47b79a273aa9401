//! Reference workloads for benchmarks: Plonky3's own AIRs, proven with Geode's configuration,
//! so the machine's throughput can be compared with raw Plonky3 in the same run.

use p3_air::{Air, AirBuilder, BaseAir};
use p3_keccak_air::{KeccakAir, NUM_KECCAK_COLS};
use p3_matrix::dense::RowMajorMatrix;

use crate::chip::Chip;
use crate::config::Val;

/// `p3-keccak-air`'s keccak-f[1600] AIR as a [`Chip`].
#[derive(Clone, Copy, Debug, Default)]
pub struct KeccakReference;

impl BaseAir<Val> for KeccakReference {
    fn width(&self) -> usize {
        NUM_KECCAK_COLS
    }
}

impl<AB: AirBuilder<F = Val>> Air<AB> for KeccakReference {
    fn eval(&self, builder: &mut AB) {
        KeccakAir {}.eval(builder);
    }
}

impl Chip<Val> for KeccakReference {
    fn name(&self) -> &'static str {
        "keccak_reference"
    }
    fn column_names(&self) -> Vec<String> {
        (0..NUM_KECCAK_COLS).map(|k| format!("c{k}")).collect()
    }
}

impl KeccakReference {
    /// The trace of `n` permutations of pseudo-random states (24 rows each).
    pub fn trace(n: usize) -> RowMajorMatrix<Val> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let inputs = (0..n)
            .map(|_| {
                std::array::from_fn(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x
                })
            })
            .collect();
        p3_keccak_air::generate_trace_rows(inputs, 0)
    }
}
