//! Word-io rows from the execution record.

use geode_executor::ExecutionRecord;
use geode_executor::record::{SLOT_MEM, timestamp};
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::columns::WordIoCols;
use super::{IDS, WORDS};
use crate::byte_counter::ByteCounter;
use crate::memory::access::populate_access;
use crate::memory::{padded_height, word_bytes};

/// One row per two words accessed by the precompiles of `record`, in call order.
///
/// # Errors
/// If a call's accesses do not come in pairs of consecutive words (a forged record).
pub fn generate_trace(
    record: &ExecutionRecord,
    counter: &ByteCounter,
) -> Result<RowMajorMatrix<Val>, String> {
    let width = WordIoCols::<u8>::NUM_COLS;
    let mut pairs = Vec::new();
    for call in record.syscalls.iter().filter(|s| IDS.contains(&s.id)) {
        let events = record
            .memory
            .get(call.memory_start as usize..call.memory_end as usize)
            .filter(|e| e.len().is_multiple_of(WORDS))
            .ok_or_else(|| format!("precompile at cycle {} without paired accesses", call.clk))?;
        for pair in events.chunks_exact(WORDS) {
            if pair[1].addr != pair[0].addr.wrapping_add(4) {
                return Err(format!("precompile at cycle {} skips a word", call.clk));
            }
            pairs.push((call.clk, pair));
        }
    }
    let height = padded_height(pairs.len());
    let mut values = Val::zero_vec(width * height);
    for ((clk, pair), row) in pairs.into_iter().zip(values.chunks_exact_mut(width)) {
        let cols = WordIoCols::from_slice_mut(row);
        cols.is_real = Val::ONE;
        cols.clk = Val::from_u32(clk);
        cols.addr = Val::from_u32(pair[0].addr);
        let ts = timestamp(clk, SLOT_MEM);
        for ((access, value), event) in cols.access.iter_mut().zip(&mut cols.value).zip(pair) {
            populate_access(access, event.prev_value, event.prev_ts, ts, counter);
            *value = word_bytes(event.value);
        }
    }
    Ok(RowMajorMatrix::new(values, width))
}
