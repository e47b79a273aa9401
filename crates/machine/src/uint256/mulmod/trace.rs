//! UINT256_MULMOD rows from the execution record.

use geode_executor::ExecutionRecord;
use geode_executor::record::SyscallEvent;
use geode_platform::syscall::UINT256_MULMOD;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::columns::MulModCols;
use crate::byte_counter::ByteCounter;
use crate::memory::padded_height;
use crate::uint256::field_eq::populate_field_eq;
use crate::uint256::less_than::populate_less_than;
use crate::uint256::{add_limbs, bytes_of_words, conv, limb_values};
use crate::word_io::populate_pointer_entry;

/// Words of one operand.
const WORDS: usize = 8;

/// One row per UINT256_MULMOD of `record`, padded to a power of two.
///
/// # Errors
/// If a call's accesses are not its operands' words (a forged or broken record). A wrong result
/// is written as claimed, for the constraints to reject.
pub fn generate_trace(
    record: &ExecutionRecord,
    counter: &ByteCounter,
) -> Result<RowMajorMatrix<Val>, String> {
    let width = MulModCols::<u8>::NUM_COLS;
    let calls: Vec<&SyscallEvent> = record
        .syscalls
        .iter()
        .filter(|s| s.id == UINT256_MULMOD)
        .collect();
    let mut values = Val::zero_vec(width * padded_height(calls.len()));
    for (call, row) in calls.into_iter().zip(values.chunks_exact_mut(width)) {
        populate_row(MulModCols::from_slice_mut(row), record, call, counter)
            .map_err(|e| format!("UINT256_MULMOD at cycle {}: {e}", call.clk))?;
    }
    Ok(RowMajorMatrix::new(values, width))
}

fn populate_row(
    cols: &mut MulModCols<Val>,
    record: &ExecutionRecord,
    call: &SyscallEvent,
    counter: &ByteCounter,
) -> Result<(), String> {
    let events = record
        .memory
        .get(call.memory_start as usize..call.memory_end as usize)
        .filter(|e| e.len() == 3 * WORDS)
        .ok_or("wrong number of memory accesses")?;
    let operand = |k: usize, new: bool| {
        let words: Vec<u32> = events[k * WORDS..(k + 1) * WORDS]
            .iter()
            .map(|e| if new { e.value } else { e.prev_value })
            .collect();
        bytes_of_words(&words)
    };
    let (x, y, m, r) = (
        operand(0, false),
        operand(1, false),
        operand(2, false),
        operand(0, true),
    );
    cols.is_real = Val::ONE;
    populate_pointer_entry(&mut cols.entry, call, true, counter);
    cols.x = limb_values(&x);
    cols.y = limb_values(&y);
    cols.m = limb_values(&m);
    cols.r = limb_values(&r);
    let mut eq = conv(&x, &y);
    add_limbs(&mut eq, &r, -1);
    populate_field_eq(&mut cols.eq, &eq, &m, counter);
    populate_less_than(&mut cols.r_lt, &r, &m, counter);
    Ok(())
}
