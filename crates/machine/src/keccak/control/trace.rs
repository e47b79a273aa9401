//! Keccak control rows from the execution record.

use geode_executor::ExecutionRecord;
use geode_platform::syscall;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::columns::KeccakControlCols;
use crate::byte_counter::ByteCounter;
use crate::keccak::{LANES, STATE_WORDS};
use crate::memory::access::populate_access;
use crate::syscall::{populate_entry, populate_ram_pointer};

/// 25 rows (one per lane) per KECCAK_PERMUTE of `record`, padded to a power of two.
///
/// # Errors
/// If a call's memory accesses are not the 50 state words (a forged or broken record).
pub fn generate_trace(
    record: &ExecutionRecord,
    counter: &ByteCounter,
) -> Result<RowMajorMatrix<Val>, String> {
    let width = KeccakControlCols::<u8>::NUM_COLS;
    let calls: Vec<_> = record
        .syscalls
        .iter()
        .filter(|s| s.id == syscall::KECCAK_PERMUTE)
        .collect();
    let height = (calls.len() * LANES).next_power_of_two().max(2);
    let mut values = Val::zero_vec(width * height);
    let mut rows = values.chunks_exact_mut(width);
    for call in calls {
        let words = record
            .memory
            .get(call.memory_start as usize..call.memory_end as usize)
            .filter(|w| w.len() == STATE_WORDS)
            .ok_or_else(|| format!("KECCAK_PERMUTE at cycle {} without 50 accesses", call.clk))?;
        for (lane, pair) in words.chunks_exact(2).enumerate() {
            let cols = KeccakControlCols::from_slice_mut(rows.next().expect("rows for every lane"));
            cols.is_real = Val::ONE;
            cols.clk = Val::from_u32(call.clk);
            cols.lane = Val::from_usize(lane);
            cols.ptr = Val::from_u32(call.arg0.wrapping_add(8 * lane as u32));
            let ts = if lane == 0 {
                cols.is_first = Val::ONE;
                cols.a0 = call.arg0.to_le_bytes().map(Val::from_u8);
                cols.a0_quarter = populate_ram_pointer(call.arg0, counter);
                populate_entry(&mut cols.a1_access, &mut cols.a2_access, call, counter)
            } else {
                geode_executor::record::timestamp(call.clk, geode_executor::record::SLOT_MEM)
            };
            for ((access, out), w) in cols.words.iter_mut().zip(&mut cols.output).zip(pair) {
                populate_access(access, w.prev_value, w.prev_ts, ts, counter);
                let bytes = w.value.to_le_bytes();
                *out = bytes.map(Val::from_u8);
                counter.pair(bytes[0], bytes[1]);
                counter.pair(bytes[2], bytes[3]);
            }
        }
    }
    Ok(RowMajorMatrix::new(values, width))
}
