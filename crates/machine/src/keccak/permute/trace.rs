//! Keccak permutation rows from the execution record.

use geode_executor::ExecutionRecord;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_keccak_air::{NUM_KECCAK_COLS, NUM_ROUNDS, generate_trace_rows};
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;

use super::{CLK, NUM_COLS, col_map};

/// One 24-row block per keccak event of `record` (keccak-air's own generation), padded with
/// zero-input blocks to a power of two; `export` and `clk` set on the real blocks.
pub fn generate_trace(record: &ExecutionRecord) -> RowMajorMatrix<Val> {
    let inputs: Vec<[u64; 25]> = record.keccak.iter().map(|k| k.input).collect();
    let inner = generate_trace_rows::<Val>(inputs, 0);
    let height = inner.height();
    let export = col_map().export;
    let mut values = Val::zero_vec(height * NUM_COLS);
    for (r, (dst, src)) in values
        .chunks_exact_mut(NUM_COLS)
        .zip(inner.values.chunks_exact(NUM_KECCAK_COLS))
        .enumerate()
    {
        dst[..NUM_KECCAK_COLS].copy_from_slice(src);
        if let Some(event) = record.keccak.get(r / NUM_ROUNDS) {
            dst[CLK] = Val::from_u32(event.clk);
            dst[export] = Val::from_bool(r % NUM_ROUNDS == NUM_ROUNDS - 1);
        }
    }
    RowMajorMatrix::new(values, NUM_COLS)
}
