//! The HALT row from the execution record.

use geode_executor::ExecutionRecord;
use geode_executor::record::{SLOT_MEM, timestamp};
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::columns::HaltCols;
use crate::byte_counter::ByteCounter;
use crate::memory::access::populate_access;

/// Rows of the HALT chip: the HALT syscall of `record` (its last), padded to 4 rows.
///
/// # Panics
/// If the record's last syscall is not a HALT with its 8 digest reads (the executor guarantees
/// both for every run that ends).
pub fn generate_trace(record: &ExecutionRecord, counter: &ByteCounter) -> RowMajorMatrix<Val> {
    let width = HaltCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(width * 4);
    let halt = record
        .syscalls
        .last()
        .filter(|s| s.id == geode_platform::syscall::HALT)
        .expect("run ends with HALT");
    let reads = &record.memory[halt.memory_start as usize..halt.memory_end as usize];
    assert_eq!(reads.len(), 8, "HALT reads the 8 digest words");
    let cols = HaltCols::from_slice_mut(&mut values[..width]);
    let ts = timestamp(halt.clk, SLOT_MEM);
    cols.is_real = Val::ONE;
    cols.clk = Val::from_u32(halt.clk);
    cols.exit_code = halt.arg0.to_le_bytes().map(Val::from_u8);
    crate::syscall::populate_entry(&mut cols.a1_access, &mut cols.a2_access, halt, counter);
    let [lo, .., hi] = halt.arg1.value.to_le_bytes();
    cols.ptr_quarter = Val::from_u8(lo / 4);
    counter.pair(lo / 4, lo);
    counter.top_byte_below_32(hi);
    for (access, read) in cols.digest.iter_mut().zip(reads) {
        populate_access(access, read.prev_value, read.prev_ts, ts, counter);
    }
    RowMajorMatrix::new(values, width)
}
