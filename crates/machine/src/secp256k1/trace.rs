//! Secp256k1 point rows from the execution record.

use geode_executor::ExecutionRecord;
use geode_executor::record::SyscallEvent;
use geode_platform::syscall::{SECP256K1_ADD, SECP256K1_DOUBLE};
use geode_stark::Val;
use num_bigint::BigUint;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::columns::Secp256k1Cols;
use super::{OFFSET_SHIFT, P_BYTES};
use crate::byte_counter::ByteCounter;
use crate::memory::padded_height;
use crate::uint256::field_eq::populate_field_eq;
use crate::uint256::less_than::populate_less_than;
use crate::uint256::{EQ_COEFFS, LIMBS, add_limbs, bytes_of_words, conv, shifted_modulus};
use crate::word_io::populate_pointer_entry;

/// Words of a point in memory.
const POINT_WORDS: usize = 16;

/// One row per SECP256K1_ADD or SECP256K1_DOUBLE of `record`, padded to a power of two.
///
/// # Errors
/// If a call's accesses are not its points' words (a forged or broken record). A wrong result is
/// written as claimed, for the constraints to reject.
pub fn generate_trace(
    record: &ExecutionRecord,
    counter: &ByteCounter,
) -> Result<RowMajorMatrix<Val>, String> {
    let width = Secp256k1Cols::<u8>::NUM_COLS;
    let calls: Vec<&SyscallEvent> = record
        .syscalls
        .iter()
        .filter(|s| s.id == SECP256K1_ADD || s.id == SECP256K1_DOUBLE)
        .collect();
    let mut values = Val::zero_vec(width * padded_height(calls.len()));
    for (call, row) in calls.into_iter().zip(values.chunks_exact_mut(width)) {
        populate_row(Secp256k1Cols::from_slice_mut(row), record, call, counter)
            .map_err(|e| format!("secp256k1 call at cycle {}: {e}", call.clk))?;
    }
    Ok(RowMajorMatrix::new(values, width))
}

fn populate_row(
    cols: &mut Secp256k1Cols<Val>,
    record: &ExecutionRecord,
    call: &SyscallEvent,
    counter: &ByteCounter,
) -> Result<(), String> {
    let add = call.id == SECP256K1_ADD;
    let expected = if add { 2 * POINT_WORDS } else { POINT_WORDS };
    let events = record
        .memory
        .get(call.memory_start as usize..call.memory_end as usize)
        .filter(|e| e.len() == expected)
        .ok_or("wrong number of memory accesses")?;
    let words = |range: std::ops::Range<usize>, new: bool| -> Vec<u32> {
        events[range]
            .iter()
            .map(|e| if new { e.value } else { e.prev_value })
            .collect()
    };
    let point = |w: Vec<u32>| [bytes_of_words(&w[..8]), bytes_of_words(&w[8..])];
    let p = point(words(0..POINT_WORDS, false));
    let r = point(words(0..POINT_WORDS, true));
    let q = if add {
        point(words(POINT_WORDS..2 * POINT_WORDS, false))
    } else {
        p
    };

    cols.is_add = Val::from_bool(add);
    cols.is_double = Val::from_bool(!add);
    populate_pointer_entry(&mut cols.entry, call, add, counter);

    let [x1, y1] = p;
    let [x2, y2] = q;
    let [x3, y3] = r;
    let (lambda, inv) = slope(add, &p, &q);
    for (cells, value) in [(&mut cols.p, p), (&mut cols.q, q), (&mut cols.r, r)] {
        for (c, v) in cells.iter_mut().zip(value) {
            *c = v.map(Val::from_u8);
        }
    }
    cols.lambda = lambda.map(Val::from_u8);
    cols.inv = inv.map(Val::from_u8);
    for (&l, &i) in lambda.iter().zip(&inv) {
        counter.pair(l, i);
    }

    let offset = shifted_modulus(&P_BYTES, OFFSET_SHIFT);
    let start = || -> [i64; EQ_COEFFS] { offset.map(i64::from) };
    let combine = |acc: &mut [i64; EQ_COEFFS], v: [i64; EQ_COEFFS], sign: i64| {
        for (a, x) in acc.iter_mut().zip(v) {
            *a += sign * x;
        }
    };
    let mut eq_inv = start();
    eq_inv[0] -= 1;
    let mut eq_slope = start();
    if add {
        combine(&mut eq_inv, conv(&inv, &x2), 1);
        combine(&mut eq_inv, conv(&inv, &x1), -1);
        combine(&mut eq_slope, conv(&lambda, &x2), 1);
        combine(&mut eq_slope, conv(&lambda, &x1), -1);
        add_limbs(&mut eq_slope, &y1, 1);
        add_limbs(&mut eq_slope, &y2, -1);
    } else {
        combine(&mut eq_inv, conv(&inv, &y1), 2);
        combine(&mut eq_slope, conv(&lambda, &y1), 2);
        combine(&mut eq_slope, conv(&x1, &x1), -3);
    }
    let mut eq_x = start();
    combine(&mut eq_x, conv(&lambda, &lambda), 1);
    for v in [&x1, &x2, &x3] {
        add_limbs(&mut eq_x, v, -1);
    }
    let mut eq_y = start();
    combine(&mut eq_y, conv(&lambda, &x1), 1);
    combine(&mut eq_y, conv(&lambda, &x3), -1);
    for v in [&y1, &y3] {
        add_limbs(&mut eq_y, v, -1);
    }
    for (eq_cols, eq) in cols.eq.iter_mut().zip([eq_inv, eq_slope, eq_x, eq_y]) {
        populate_field_eq(eq_cols, &eq, &P_BYTES, counter);
    }
    for (lt, coord) in cols.r_lt.iter_mut().zip([&x3, &y3]) {
        populate_less_than(lt, coord, &P_BYTES, counter);
    }
    Ok(())
}

/// The slope `λ` of the call and the inverse of its denominator, canonical, as bytes; zeros for
/// an undefined call (which a forged record may claim, and the constraints reject).
fn slope(
    add: bool,
    [x1, y1]: &[[u8; LIMBS]; 2],
    [x2, y2]: &[[u8; LIMBS]; 2],
) -> ([u8; LIMBS], [u8; LIMBS]) {
    let modulus = BigUint::from_bytes_le(&P_BYTES);
    let int = |b: &[u8; LIMBS]| BigUint::from_bytes_le(b) % &modulus;
    let (x1, y1, x2, y2) = (int(x1), int(y1), int(x2), int(y2));
    let (d, n) = if add {
        (
            (&modulus + x2 - &x1) % &modulus,
            (&modulus + y2 - &y1) % &modulus,
        )
    } else {
        ((&y1 * 2u32) % &modulus, (&x1 * &x1 * 3u32) % &modulus)
    };
    if d == BigUint::ZERO {
        return ([0; LIMBS], [0; LIMBS]);
    }
    let inv = d.modpow(&(&modulus - 2u32), &modulus);
    let lambda = (n * &inv) % &modulus;
    let bytes = |v: BigUint| -> [u8; LIMBS] {
        let mut out = [0u8; LIMBS];
        let le = v.to_bytes_le();
        out[..le.len()].copy_from_slice(&le);
        out
    };
    (bytes(lambda), bytes(inv))
}
