//! HINT_READ rows from the execution record.

use geode_executor::ExecutionRecord;
use geode_executor::record::{SLOT_MEM, timestamp};
use geode_platform::syscall;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::columns::HintReadCols;
use crate::byte_counter::ByteCounter;
use crate::memory::access::populate_access;

/// One row per word each HINT_READ of `record` wrote (one row for a zero-length read).
pub fn generate_trace(record: &ExecutionRecord, counter: &ByteCounter) -> RowMajorMatrix<Val> {
    let width = HintReadCols::<u8>::NUM_COLS;
    let mut rows: Vec<Vec<Val>> = Vec::new();
    for call in record
        .syscalls
        .iter()
        .filter(|s| s.id == syscall::HINT_READ)
    {
        let ts = timestamp(call.clk, SLOT_MEM);
        let words = &record.memory[call.memory_start as usize..call.memory_end as usize];
        let len = call.arg1.value;
        for k in 0..words.len().max(1) {
            let mut row = Val::zero_vec(width);
            let cols = HintReadCols::from_slice_mut(&mut row);
            cols.is_real = Val::ONE;
            cols.clk = Val::from_u32(call.clk);
            cols.ptr = Val::from_u32(call.arg0 + 4 * k as u32);
            let left = len - 4 * k as u32;
            cols.len_left = Val::from_u32(left);
            cols.writes[left.min(4) as usize] = Val::ONE;
            if k == 0 {
                cols.is_first = Val::ONE;
                cols.a0 = call.arg0.to_le_bytes().map(Val::from_u8);
                crate::syscall::populate_entry(
                    &mut cols.a1_access,
                    &mut cols.a2_access,
                    call,
                    counter,
                );
                cols.a0_quarter = crate::syscall::populate_ram_pointer(call.arg0, counter);
                let l3 = (len >> 24) as u8;
                counter.top_byte_below_32(l3);
            }
            let value = words.get(k).map_or(0, |w| w.value);
            if let Some(w) = words.get(k) {
                populate_access(&mut cols.word, w.prev_value, w.prev_ts, ts, counter);
                cols.value = value.to_le_bytes().map(Val::from_u8);
            }
            counter.word(value);
            rows.push(row);
        }
    }
    let height = rows.len().next_power_of_two().max(2);
    let mut values: Vec<Val> = rows.into_iter().flatten().collect();
    values.resize(width * height, Val::ZERO);
    RowMajorMatrix::new(values, width)
}
