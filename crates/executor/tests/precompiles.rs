//! SECP256K1_ADD, SECP256K1_DOUBLE and UINT256_MULMOD against independent references (k256 for
//! points and field elements, num-bigint for integers), in both executor modes: results, the
//! exact memory accesses each call records, and a typed error for every rejected argument.

use geode_executor::record::{MemoryEvent, SLOT_MEM, timestamp};
use geode_executor::testing::{Asm, enc};
use geode_executor::{
    ExecError, ExecOptions, ExecutionRecord, Program, Stdin, execute, execute_recorded,
};
use geode_platform::memory::{HEAP_END, MEMORY_TOP};
use geode_platform::{reg, syscall};
use k256::elliptic_curve::ops::Reduce;
use k256::elliptic_curve::sec1::{FromEncodedPoint, ToEncodedPoint};
use k256::{AffinePoint, EncodedPoint, FieldBytes, FieldElement, ProjectivePoint, Scalar, U256};
use num_bigint::BigUint;
use proptest::prelude::*;

const A0: u32 = reg::A0 as u32;
const A1: u32 = reg::A1 as u32;
/// Where the test data is loaded.
const BUF: u32 = HEAP_END - 0x1000;
const ADD: u32 = syscall::SECP256K1_ADD;
const DOUBLE: u32 = syscall::SECP256K1_DOUBLE;
const MULMOD: u32 = syscall::UINT256_MULMOD;

/// secp256k1's base field modulus p and group order n, little-endian.
fn p() -> BigUint {
    (BigUint::from(1u8) << 256u32) - (BigUint::from(1u8) << 32u32) - 977u32
}
fn n() -> BigUint {
    BigUint::parse_bytes(
        b"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        16,
    )
    .unwrap()
}

/// A program that loads its input at [`BUF`] (HINT_READ), makes each `(id, a0, a1)` call,
/// commits the data region and halts; also the pc of each call's `ecall`.
fn program(len: u32, calls: &[(u32, u32, u32)]) -> (Program, Vec<u32>) {
    let mut asm = Asm::new();
    asm.li(A0, BUF).li(A1, len).syscall(syscall::HINT_READ);
    let mut pcs = Vec::new();
    for &(id, a0, a1) in calls {
        asm.li(A0, a0).li(A1, a1).syscall(id);
        pcs.push(geode_platform::memory::TEXT_START + 4 * (asm.code.len() as u32 - 1));
    }
    asm.li(A0, BUF).li(A1, len).syscall(syscall::COMMIT).halt(0);
    (Program::from_elf(&asm.elf()).unwrap(), pcs)
}

/// Runs the calls on `data` (at [`BUF`]) in both modes, which must agree; returns the data
/// region after the calls and the record, or the error with the pcs of the calls.
fn run(
    data: &[u8],
    calls: &[(u32, u32, u32)],
) -> Result<(Vec<u8>, ExecutionRecord), (ExecError, Vec<u32>)> {
    let (program, pcs) = program(data.len() as u32, calls);
    let input = Stdin::from_raw(data.to_vec());
    let opts = ExecOptions::default();
    match (
        execute(&program, &input, &opts),
        execute_recorded(&program, &input, &opts),
    ) {
        (Ok(fast), Ok((recorded, record))) => {
            assert_eq!(fast, recorded, "fast and recording modes disagree");
            Ok((fast.public_output, record))
        }
        (Err(fast), Err(recorded)) => {
            assert_eq!(fast, recorded, "fast and recording modes disagree");
            Err((fast, pcs))
        }
        (fast, recorded) => panic!("modes disagree: {fast:?} vs {recorded:?}"),
    }
}

/// Runs calls that must succeed.
fn ok(data: &[u8], calls: &[(u32, u32, u32)]) -> (Vec<u8>, ExecutionRecord) {
    run(data, calls).unwrap_or_else(|(e, _)| panic!("{e}"))
}

/// Runs one call that must fail with `BadSyscall` at its `ecall`, naming it, saying `needle`.
fn rejected(data: &[u8], call: (u32, u32, u32), needle: &str) {
    let Err((err, pcs)) = run(data, &[call]) else {
        panic!("{call:x?} was accepted")
    };
    let ExecError::BadSyscall {
        pc,
        insn,
        name,
        ref reason,
    } = err
    else {
        panic!("{err}")
    };
    assert_eq!((pc, insn), (pcs[0], enc::ECALL), "{err}");
    assert_eq!(Some(name), syscall::name(call.0));
    assert!(reason.contains(needle), "{err} lacks {needle:?}");
}

/// The memory accesses the `k`-th syscall with id `id` recorded.
fn accesses(record: &ExecutionRecord, id: u32, k: usize) -> &[MemoryEvent] {
    let call = record
        .syscalls
        .iter()
        .filter(|s| s.id == id)
        .nth(k)
        .unwrap();
    let events = &record.memory[call.memory_start as usize..call.memory_end as usize];
    assert!(events.iter().all(|e| e.clk == call.clk));
    events
}

/// Checks that `events` touch each word of `before` (bytes at [`BUF`] + `offset`) once, in
/// address order: the first `rmw` bytes as read-modify-writes into `after`, the rest as reads.
fn assert_accesses(events: &[MemoryEvent], offset: u32, before: &[u8], after: &[u8], rmw: usize) {
    let words = |b: &[u8]| -> Vec<u32> {
        b.chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect()
    };
    let (before, after) = (words(before), words(after));
    let expected: Vec<(u32, u32, u32)> = (0..before.len())
        .map(|k| {
            let value = if 4 * k < rmw { after[k] } else { before[k] };
            (BUF + offset + 4 * k as u32, before[k], value)
        })
        .collect();
    let got: Vec<_> = events
        .iter()
        .map(|e| (e.addr, e.prev_value, e.value))
        .collect();
    assert_eq!(got, expected);
}

/// Little-endian bytes of `n < 2^256`.
fn le(n: &BigUint) -> [u8; 32] {
    let mut out = [0; 32];
    let bytes = n.to_bytes_le();
    out[..bytes.len()].copy_from_slice(&bytes);
    out
}

/// A point as the syscalls lay it out: x then y, little-endian.
fn encode(point: &AffinePoint) -> Vec<u8> {
    let sec1 = point.to_encoded_point(false);
    let mut x = sec1.x().expect("not the identity").to_vec();
    let mut y = sec1.y().expect("uncompressed").to_vec();
    x.reverse();
    y.reverse();
    [x, y].concat()
}

/// `k·G` for a scalar from 32 arbitrary bytes.
fn point(k: [u8; 32]) -> ProjectivePoint {
    ProjectivePoint::GENERATOR * <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(k))
}

/// A curve point whose x is small enough that x + p fits in 256 bits.
fn point_with_small_x() -> AffinePoint {
    (1u8..)
        .find_map(|x| {
            let mut sec1 = [0u8; 33];
            sec1[0] = 2;
            sec1[32] = x;
            let encoded = EncodedPoint::from_bytes(sec1).ok()?;
            Option::from(AffinePoint::from_encoded_point(&encoded))
        })
        .unwrap()
}

/// The same point bytes with coordinate `c` (0: x, 1: y) replaced by itself plus p.
fn plus_p(point: &[u8], c: usize) -> Vec<u8> {
    let mut out = point.to_vec();
    let v = BigUint::from_bytes_le(&point[32 * c..32 * c + 32]) + p();
    out[32 * c..32 * c + 32].copy_from_slice(&le(&v));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn add_and_double_match_k256(k1 in any::<[u8; 32]>(), k2 in any::<[u8; 32]>()) {
        let (p1, p2) = (point(k1), point(k2));
        let (a1, a2) = (p1.to_affine(), p2.to_affine());
        prop_assume!(a1 != AffinePoint::IDENTITY && a2 != AffinePoint::IDENTITY);
        let data = [encode(&a1), encode(&a2)].concat();
        prop_assume!(data[..32] != data[64..96]);
        let (out, record) = ok(&data, &[(ADD, BUF, BUF + 64), (DOUBLE, BUF + 64, 0)]);
        prop_assert_eq!(&out[..64], &encode(&(p1 + p2).to_affine())[..]);
        prop_assert_eq!(&out[64..], &encode(&p2.double().to_affine())[..]);
        // ADD: P read-modify-written, then Q read (before DOUBLE changed it).
        assert_accesses(accesses(&record, ADD, 0), 0, &data, &[&out[..64], &data[64..]].concat(), 64);
        // DOUBLE: only its point, read-modify-written.
        assert_accesses(accesses(&record, DOUBLE, 0), 64, &data[64..], &out[64..], 64);
    }

    #[test]
    fn mulmod_matches_num_bigint(
        x in any::<[u8; 32]>(),
        y in any::<[u8; 32]>(),
        m in prop_oneof![
            any::<[u8; 32]>().prop_map(|m| BigUint::from_bytes_le(&m)),
            any::<u64>().prop_map(BigUint::from),
            Just(BigUint::from(1u8)),
            Just((BigUint::from(1u8) << 256u32) - 1u32),
            Just(n()),
            Just(p()),
        ],
        reduce_x in any::<bool>(),
    ) {
        prop_assume!(m != BigUint::ZERO);
        let (mut x, y) = (BigUint::from_bytes_le(&x), BigUint::from_bytes_le(&y));
        if reduce_x {
            x %= &m; // x < m: always accepted
        }
        let data = [le(&x), le(&y), le(&m)].concat();
        let result = run(&data, &[(MULMOD, BUF, BUF + 32)]);
        if &x * &y >= &m << 256u32 {
            let Err((ExecError::BadSyscall { reason, .. }, _)) = result else {
                panic!("x·y ≥ m·2^256 accepted")
            };
            prop_assert!(reason.contains("not below m·2^256"), "{}", reason);
        } else {
            let (out, record) = result.unwrap();
            prop_assert_eq!(&out[..32], &le(&(&x * &y % &m))[..]);
            prop_assert_eq!(&out[32..], &data[32..]);
            assert_accesses(accesses(&record, MULMOD, 0), 0, &data, &out, 32);
        }
    }

    #[test]
    fn mulmod_matches_k256_field_and_scalar(x in any::<[u8; 32]>(), y in any::<[u8; 32]>()) {
        let reduce = |b: [u8; 32], m: &BigUint| {
            let v = BigUint::from_bytes_le(&b) % m;
            let mut be = le(&v);
            be.reverse();
            (v, FieldBytes::from(be))
        };
        let ((xp, xb), (yp, yb)) = (reduce(x, &p()), reduce(y, &p()));
        let field = FieldElement::from_bytes(&xb).unwrap() * FieldElement::from_bytes(&yb).unwrap();
        let ((xn, xs), (yn, ys)) = (reduce(x, &n()), reduce(y, &n()));
        let scalar = <Scalar as Reduce<U256>>::reduce_bytes(&xs) * <Scalar as Reduce<U256>>::reduce_bytes(&ys);
        let data = [le(&xp), le(&yp), le(&p()), le(&xn), le(&yn), le(&n())].concat();
        let (out, _) = ok(&data, &[(MULMOD, BUF, BUF + 32), (MULMOD, BUF + 96, BUF + 128)]);
        let mut want = field.to_bytes().to_vec();
        want.reverse();
        prop_assert_eq!(&out[..32], &want[..]);
        let mut want = scalar.to_bytes().to_vec();
        want.reverse();
        prop_assert_eq!(&out[96..128], &want[..]);
    }
}

#[test]
fn non_canonical_coordinates_give_the_same_result() {
    let small = point_with_small_x();
    let q = point([7; 32]).to_affine();
    let (small_bytes, q_bytes) = (encode(&small), encode(&q));
    let sum = encode(&(ProjectivePoint::from(small) + q).to_affine());
    let doubled = encode(&ProjectivePoint::from(small).double().to_affine());
    // x + p in either operand of ADD, and in DOUBLE.
    let data = [
        plus_p(&small_bytes, 0),
        q_bytes.clone(),
        plus_p(&small_bytes, 0),
    ]
    .concat();
    let (out, _) = ok(&data, &[(ADD, BUF, BUF + 64), (DOUBLE, BUF + 128, 0)]);
    assert_eq!((&out[..64], &out[128..]), (&sum[..], &doubled[..]));
    let data = [q_bytes.clone(), plus_p(&small_bytes, 0)].concat();
    let (out, _) = ok(&data, &[(ADD, BUF, BUF + 64)]);
    assert_eq!(&out[..64], &sum[..]);
    // y + p: the curve equation is not checked, so any point with a small y shows it.
    let off_curve = [le(&BigUint::from(5u8)), le(&BigUint::from(9u8))].concat();
    let data = [
        off_curve.clone(),
        q_bytes.clone(),
        plus_p(&off_curve, 1),
        q_bytes,
    ]
    .concat();
    let (out, _) = ok(&data, &[(ADD, BUF, BUF + 64), (ADD, BUF + 128, BUF + 192)]);
    assert_eq!(out[..64], out[128..192]);
    let data = [off_curve.clone(), plus_p(&off_curve, 1)].concat();
    let (out, _) = ok(&data, &[(DOUBLE, BUF, 0), (DOUBLE, BUF + 64, 0)]);
    assert_eq!(out[..64], out[64..]);
    // Results are canonical.
    assert!(BigUint::from_bytes_le(&out[..32]) < p() && BigUint::from_bytes_le(&out[32..64]) < p());
}

#[test]
fn reads_advance_timestamps_and_adjacent_regions_are_fine() {
    // Q is read twice; the second read finds the first's timestamp. Regions may touch.
    let (p1, q) = (point([1; 32]), point([2; 32]));
    let data = [encode(&p1.to_affine()), encode(&q.to_affine())].concat();
    let (out, record) = ok(&data, &[(ADD, BUF, BUF + 64), (ADD, BUF, BUF + 64)]);
    assert_eq!(out[..64], encode(&(p1 + q + q).to_affine()));
    let first = record.syscalls.iter().find(|s| s.id == ADD).unwrap().clk;
    let second = accesses(&record, ADD, 1);
    assert!(
        second[16..]
            .iter()
            .all(|e| e.prev_ts == timestamp(first, SLOT_MEM))
    );
    assert!(
        second[..16]
            .iter()
            .all(|e| e.prev_ts == timestamp(first, SLOT_MEM))
    );
    // MULMOD with y, m right before x.
    let data = [
        le(&BigUint::from(6u8)),
        le(&BigUint::from(5u8)),
        le(&BigUint::from(7u8)),
    ]
    .concat();
    let (out, _) = ok(&data, &[(MULMOD, BUF + 64, BUF)]);
    assert_eq!(out[64..], le(&BigUint::from(6u8 * 7 % 5)));
}

#[test]
fn undefined_operations_are_rejected() {
    let g = point([1; 32]).to_affine();
    let g_bytes = encode(&g);
    let neg = encode(&(-g));
    rejected(
        &[g_bytes.clone(), g_bytes.clone()].concat(),
        (ADD, BUF, BUF + 64),
        "equal x",
    );
    rejected(
        &[g_bytes.clone(), neg].concat(),
        (ADD, BUF, BUF + 64),
        "equal x",
    );
    let small = encode(&point_with_small_x());
    rejected(
        &[small.clone(), plus_p(&small, 0)].concat(),
        (ADD, BUF, BUF + 64),
        "equal x",
    );
    for y in [BigUint::ZERO, p()] {
        let data = [le(&BigUint::from(3u8)), le(&y)].concat();
        rejected(&data, (DOUBLE, BUF, 0), "y = 0");
    }
    let ones = le(&((BigUint::from(1u8) << 256u32) - 1u32));
    let data = [ones, ones, le(&BigUint::ZERO)].concat();
    rejected(&data, (MULMOD, BUF, BUF + 32), "modulus m is zero");
    let data = [ones, ones, le(&(BigUint::from(1u8) << 255u32))].concat();
    rejected(&data, (MULMOD, BUF, BUF + 32), "not below m·2^256");
}

#[test]
fn bad_pointers_are_rejected() {
    let data = vec![1u8; 192];
    let cases = [
        ((ADD, BUF + 2, BUF + 64), "not word aligned"),
        ((ADD, BUF, BUF + 65), "not word aligned"),
        ((DOUBLE, BUF + 1, 0), "not word aligned"),
        ((MULMOD, BUF + 3, BUF + 64), "not word aligned"),
        ((MULMOD, BUF, BUF + 66), "not word aligned"),
        ((ADD, 0, BUF), "outside the memory map"),
        ((ADD, BUF, MEMORY_TOP - 32), "outside the memory map"),
        ((DOUBLE, MEMORY_TOP - 60, 0), "outside the memory map"),
        ((DOUBLE, 0xffff_fff0, 0), "outside the memory map"),
        ((MULMOD, MEMORY_TOP - 28, BUF), "outside the memory map"),
        ((MULMOD, BUF, MEMORY_TOP - 32), "outside the memory map"), // y fits, m does not
        ((ADD, BUF, BUF), "overlap"),
        ((ADD, BUF, BUF + 60), "overlap"),
        ((ADD, BUF + 60, BUF), "overlap"),
        ((MULMOD, BUF, BUF + 28), "overlap"),
        ((MULMOD, BUF + 60, BUF), "overlap"),
        ((MULMOD, BUF + 32, BUF), "overlap"),
    ];
    for (call, needle) in cases {
        rejected(&data, call, needle);
    }
    // The same data with disjoint regions is accepted: the pointers were the only problem.
    ok(
        &data,
        &[(MULMOD, BUF, BUF + 32), (MULMOD, BUF + 128, BUF + 64)],
    );
}
