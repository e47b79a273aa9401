//! The secp256k1 and UINT256_MULMOD precompiles: runs that use them are proven and verified, the
//! chips agree with k256, and tampering with a limb, a carry, a result or a range check is
//! rejected.

mod common;

use common::{honest_traces, point_le};
use geode_machine::MachineTraces;
use geode_machine::byte_counter::ByteCounter;
use geode_machine::secp256k1::{P_BYTES, Secp256k1Cols};
use geode_machine::uint256::field_eq::populate_field_eq;
use geode_machine::uint256::mulmod::MulModCols;
use geode_machine::uint256::{EQ_COEFFS, FieldEqCols, LIMBS};
use geode_stark::debug::DebugFailure;
use geode_stark::{Chip, Val};
use num_bigint::BigUint;
use p3_field::{PrimeCharacteristicRing, PrimeField32};

const SECP: &str = "secp256k1_point";
const MULMOD: &str = "uint256_mulmod";

fn traces() -> MachineTraces {
    honest_traces().1
}

fn rejected(
    mut t: MachineTraces,
    chip: &str,
    row: usize,
    col: usize,
    value: Val,
) -> Vec<DebugFailure> {
    let trace = t.trace_mut(chip).expect("chip present");
    let width = trace.width;
    trace.values[row * width + col] = value;
    t.debug_check().expect_err("tampering must be caught")
}

fn cell(t: &MachineTraces, chip: &str, row: usize, col: usize) -> Val {
    let i = t
        .chips
        .iter()
        .position(|c| c.name() == chip)
        .expect("chip present");
    let trace = &t.traces[i];
    trace.values[row * trace.width + col]
}

fn names(failures: &[DebugFailure], subject: &str) -> bool {
    failures.iter().any(|f| f.subject() == subject)
}

fn limbs_of(t: &MachineTraces, chip: &str, row: usize, cols: &[usize]) -> Vec<u8> {
    cols.iter()
        .map(|&c| cell(t, chip, row, c).as_canonical_u32() as u8)
        .collect()
}

#[test]
fn results_agree_with_k256() {
    let t = traces();
    t.debug_check().expect("honest traces pass");
    let c = Secp256k1Cols::<usize>::col_map();
    // Row 0: G + 2G = 3G; row 1: 2·3G = 6G.
    for (row, k) in [(0, 3), (1, 6)] {
        let mut r = limbs_of(&t, SECP, row, &c.r[0]);
        r.extend(limbs_of(&t, SECP, row, &c.r[1]));
        assert_eq!(r, point_le(k), "row {row}");
    }
    let m = MulModCols::<usize>::col_map();
    let int = |cols: &[usize]| BigUint::from_bytes_le(&limbs_of(&t, MULMOD, 0, cols));
    let (x, y, modulus, r) = (int(&m.x), int(&m.y), int(&m.m), int(&m.r));
    assert_eq!(r, x * y % modulus);
}

#[test]
fn precompiles_are_proven_and_verified() {
    let (machine, _) = honest_traces();
    let (out, proof) = machine.prove(&common::stdin()).expect("proves");
    for chip in [SECP, MULMOD, "word_io"] {
        assert!(proof.chips.iter().any(|c| c == chip), "{chip} in the proof");
    }
    machine
        .verify(&proof, out.exit_code, &out.public_output)
        .expect("verifies");
}

#[test]
fn a_wrong_result_limb_is_rejected() {
    let c = Secp256k1Cols::<usize>::col_map();
    let t = traces();
    let v = cell(&t, SECP, 0, c.r[1][7]);
    let failures = rejected(t, SECP, 0, c.r[1][7], v + Val::ONE);
    assert!(names(&failures, SECP), "{failures:?}");
    let m = MulModCols::<usize>::col_map();
    let t = traces();
    let v = cell(&t, MULMOD, 0, m.r[0]);
    assert!(!rejected(t, MULMOD, 0, m.r[0], v + Val::ONE).is_empty());
}

#[test]
fn a_forged_slope_or_inverse_is_rejected() {
    let c = Secp256k1Cols::<usize>::col_map();
    for col in [c.lambda[3], c.inv[31]] {
        let t = traces();
        let v = cell(&t, SECP, 1, col);
        let failures = rejected(t, SECP, 1, col, v + Val::ONE);
        assert!(names(&failures, SECP), "{failures:?}");
    }
}

#[test]
fn a_dropped_carry_or_quotient_limb_is_rejected() {
    let c = Secp256k1Cols::<usize>::col_map();
    for eq in 0..4 {
        for col in [
            c.eq[eq].carry[0][10],
            c.eq[eq].carry[1][31],
            c.eq[eq].q[5],
            c.eq[eq].q_top,
        ] {
            let t = traces();
            let failures = rejected(t, SECP, 0, col, Val::ZERO);
            assert!(names(&failures, SECP), "eq {eq}: {failures:?}");
        }
    }
}

#[test]
fn a_dropped_mulmod_carry_or_quotient_limb_is_rejected() {
    let m = MulModCols::<usize>::col_map();
    for col in [
        m.eq.carry[0][3],
        m.eq.carry[1][20],
        m.eq.q[0],
        m.r_lt.carry[4],
    ] {
        let t = traces();
        let v = cell(&t, MULMOD, 0, col);
        let forged = if v == Val::ZERO { Val::ONE } else { Val::ZERO };
        let failures = rejected(t, MULMOD, 0, col, forged);
        assert!(names(&failures, MULMOD), "{failures:?}");
    }
}

#[test]
fn a_memory_access_moved_in_time_is_rejected() {
    // The word-io chip accesses P's first words one cycle late.
    let t = traces();
    let io = geode_machine::word_io::WordIoCols::<usize>::col_map();
    let v = cell(&t, "word_io", 0, io.clk);
    let failures = rejected(t, "word_io", 0, io.clk, v + Val::ONE);
    assert!(names(&failures, "word_io"), "{failures:?}");
}

/// The limbs of the slope as integers that may leave the byte range.
fn conv_i64(a: &[i64], b: &[i64]) -> [i64; EQ_COEFFS] {
    let mut out = [0; EQ_COEFFS];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

#[test]
fn a_slope_limb_outside_the_byte_range_is_caught_only_by_the_range_check() {
    // Rewrite the doubling's slope with one limb raised by 256 and the next lowered by 1: the same
    // integer, so every equation still holds once its carries are recomputed. Only the byte
    // lookup of the slope's limbs can reject it.
    let mut t = traces();
    let c = Secp256k1Cols::<usize>::col_map();
    let row = 1;
    let get = |t: &MachineTraces, cols: &[usize]| -> Vec<i64> {
        cols.iter()
            .map(|&k| i64::from(cell(t, SECP, row, k).as_canonical_u32()))
            .collect()
    };
    let mut lambda = get(&t, &c.lambda);
    let k = (0..LIMBS - 1)
        .find(|&k| lambda[k + 1] > 0)
        .expect("a non-zero limb");
    lambda[k] += 256;
    lambda[k + 1] -= 1;
    let (x1, y1) = (get(&t, &c.p[0]), get(&t, &c.p[1]));
    let (x3, y3) = (get(&t, &c.r[0]), get(&t, &c.r[1]));
    let offset =
        geode_machine::uint256::shifted_modulus(&P_BYTES, geode_machine::secp256k1::OFFSET_SHIFT);
    let start = || offset.map(i64::from);
    let add = |acc: &mut [i64; EQ_COEFFS], v: &[i64], s: i64| {
        for (a, x) in acc.iter_mut().zip(v) {
            *a += s * x;
        }
    };
    let mut slope = start();
    add(&mut slope, &conv_i64(&lambda, &y1), 2);
    add(&mut slope, &conv_i64(&x1, &x1), -3);
    let mut eq_x = start();
    add(&mut eq_x, &conv_i64(&lambda, &lambda), 1);
    for v in [&x1, &x1, &x3] {
        add(&mut eq_x, v, -1);
    }
    let mut eq_y = start();
    add(&mut eq_y, &conv_i64(&lambda, &x1), 1);
    add(&mut eq_y, &conv_i64(&lambda, &x3), -1);
    for v in [&y1, &y3] {
        add(&mut eq_y, v, -1);
    }
    let counter = ByteCounter::new();
    let trace = t.trace_mut(SECP).expect("chip present");
    let width = trace.width;
    let cells = &mut trace.values[row * width..(row + 1) * width];
    for (k, &l) in lambda.iter().enumerate() {
        cells[c.lambda[k]] = Val::from_u32(l as u32);
    }
    for (eq, coeffs) in [(1, slope), (2, eq_x), (3, eq_y)] {
        let first = c.eq[eq].q[0];
        let cols = FieldEqCols::<Val>::from_slice_mut(
            &mut cells[first..first + FieldEqCols::<u8>::NUM_COLS],
        );
        populate_field_eq(cols, &coeffs, &P_BYTES, &counter);
    }
    let failures = t.debug_check().expect_err("the range check catches it");
    assert!(names(&failures, "byte"), "{failures:?}");
    assert!(!names(&failures, SECP), "only the bus fails: {failures:?}");
}

#[test]
fn adding_a_point_to_itself_is_rejected_whatever_the_slope() {
    // Rewrite the add row as P + P: with d = x2 − x1 = 0 and n = y2 − y1 = 0 every slope solves
    // λ·d ≡ n, so R would be the prover's choice. Fill every other witness consistently for one
    // such slope; only `inv·d ≡ 1` cannot hold.
    use geode_machine::secp256k1::OFFSET_SHIFT;
    use geode_machine::uint256::less_than::populate_less_than;
    use geode_machine::uint256::{LessThanCols, add_limbs, conv, shifted_modulus};

    let mut t = traces();
    let c = Secp256k1Cols::<usize>::col_map();
    let row = 0;
    let bytes = |t: &MachineTraces, cols: &[usize]| -> [u8; LIMBS] {
        limbs_of(t, SECP, row, cols).try_into().unwrap()
    };
    let (x1, y1) = (bytes(&t, &c.p[0]), bytes(&t, &c.p[1]));
    let lambda = [7u8; LIMBS];
    let p = BigUint::from_bytes_le(&P_BYTES);
    let int = |b: &[u8]| BigUint::from_bytes_le(b);
    let l = int(&lambda);
    let x3 = (&l * &l + &p * 2u32 - int(&x1) * 2u32) % &p;
    let y3 = (&l * ((&p + int(&x1) - &x3) % &p) + &p - int(&y1)) % &p;
    let le = |v: &BigUint| -> [u8; LIMBS] {
        let mut out = [0u8; LIMBS];
        let b = v.to_bytes_le();
        out[..b.len()].copy_from_slice(&b);
        out
    };
    let (x3, y3) = (le(&x3), le(&y3));
    let start = || shifted_modulus(&P_BYTES, OFFSET_SHIFT).map(i64::from);
    let mut eq_x = start();
    eq_x.iter_mut()
        .zip(conv(&lambda, &lambda))
        .for_each(|(a, v)| *a += v);
    for v in [&x1, &x1, &x3] {
        add_limbs(&mut eq_x, v, -1);
    }
    let mut eq_y = start();
    eq_y.iter_mut()
        .zip(conv(&lambda, &x1))
        .for_each(|(a, v)| *a += v);
    eq_y.iter_mut()
        .zip(conv(&lambda, &x3))
        .for_each(|(a, v)| *a -= v);
    for v in [&y1, &y3] {
        add_limbs(&mut eq_y, v, -1);
    }
    let mut eq_inv = start();
    eq_inv[0] -= 1;

    let counter = ByteCounter::new();
    let trace = t.trace_mut(SECP).expect("chip present");
    let width = trace.width;
    let cells = &mut trace.values[row * width..(row + 1) * width];
    let mut put = |cols: &[usize], v: &[u8; LIMBS]| {
        for (&k, &b) in cols.iter().zip(v) {
            cells[k] = Val::from_u8(b);
        }
    };
    put(&c.q[0], &x1);
    put(&c.q[1], &y1);
    put(&c.lambda, &lambda);
    put(&c.inv, &[0; LIMBS]);
    put(&c.r[0], &x3);
    put(&c.r[1], &y3);
    let eq_cols = FieldEqCols::<u8>::NUM_COLS;
    for (eq, coeffs) in [(0, eq_inv), (1, start()), (2, eq_x), (3, eq_y)] {
        let first = c.eq[eq].q[0];
        let cols = FieldEqCols::<Val>::from_slice_mut(&mut cells[first..first + eq_cols]);
        populate_field_eq(cols, &coeffs, &P_BYTES, &counter);
    }
    let lt_cols = LessThanCols::<u8>::NUM_COLS;
    for (k, coord) in [x3, y3].iter().enumerate() {
        let first = c.r_lt[k].slack[0];
        let cols = LessThanCols::<Val>::from_slice_mut(&mut cells[first..first + lt_cols]);
        populate_less_than(cols, coord, &P_BYTES, &counter);
    }
    let failures = t.debug_check().expect_err("P + P through ADD is rejected");
    let secp_rows: Vec<usize> = failures
        .iter()
        .filter_map(|f| match f {
            DebugFailure::Constraint { chip, row, .. } if chip == SECP => Some(*row),
            _ => None,
        })
        .collect();
    assert!(secp_rows.contains(&row), "{failures:?}");
}
