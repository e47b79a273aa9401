//! A toy two-chip machine exercising the whole geode-stark surface: a squares table sends
//! (x, x²) on a bus, a consumer receives them; the first x is a public value.

use geode_stark::config::wrap;
use geode_stark::debug::{DebugFailure, DebugInstance, MutationOracle, check};
use geode_stark::{
    Bus, Challenge, Chip, FastConfig, FastParams, KeyCache, PROOF_VERSION, StarkError, StarkProof,
    StarkProofOf, Val, VerifierKey, columns, prove, verify, verify_with_key,
};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

#[derive(Clone, Copy, Debug)]
enum ToyBus {
    Squares,
}

impl Bus for ToyBus {
    fn name(self) -> &'static str {
        match self {
            ToyBus::Squares => "squares",
        }
    }
}

columns! {
    /// Sender: one square per row.
    pub struct SquareCols<T> {
        pub x: T,
        pub x_squared: T,
    }
}

columns! {
    /// Receiver: a square it consumes `count` times.
    pub struct ConsumerCols<T> {
        pub x: T,
        pub x_squared: T,
        pub count: T,
    }
}

#[derive(Clone, Copy, Debug)]
enum Toy {
    Squares,
    Consumer,
}

impl<F> BaseAir<F> for Toy {
    fn width(&self) -> usize {
        match self {
            Toy::Squares => SquareCols::<u8>::NUM_COLS,
            Toy::Consumer => ConsumerCols::<u8>::NUM_COLS,
        }
    }
    fn num_public_values(&self) -> usize {
        match self {
            Toy::Squares => 1,
            Toy::Consumer => 0,
        }
    }
}

impl Chip<Val> for Toy {
    fn name(&self) -> &'static str {
        match self {
            Toy::Squares => "squares",
            Toy::Consumer => "consumer",
        }
    }
    fn column_names(&self) -> Vec<String> {
        match self {
            Toy::Squares => SquareCols::<u8>::names(),
            Toy::Consumer => ConsumerCols::<u8>::names(),
        }
    }
}

impl<AB: AirBuilder + InteractionBuilder> Air<AB> for Toy {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        match self {
            Toy::Squares => {
                let row = SquareCols::from_slice(main.current_slice());
                let (x, x2): (AB::Expr, AB::Expr) = (row.x.into(), row.x_squared.into());
                builder.assert_eq(x2.clone(), x.clone() * x.clone());
                let first: AB::Expr = builder.public_values()[0].into();
                builder.when_first_row().assert_eq(x.clone(), first);
                ToyBus::Squares.send(builder, [x, x2], AB::Expr::ONE, 1);
            }
            Toy::Consumer => {
                let row = ConsumerCols::from_slice(main.current_slice());
                let (x, x2, count): (AB::Expr, AB::Expr, AB::Expr) =
                    (row.x.into(), row.x_squared.into(), row.count.into());
                builder.assert_bool(count.clone());
                ToyBus::Squares.receive(builder, [x, x2], count, 1);
            }
        }
    }
}

const N: usize = 1 << 8;

fn traces() -> Vec<RowMajorMatrix<Val>> {
    let sq = (0..N as u32)
        .flat_map(|x| [Val::from_u32(x), Val::from_u32(x * x)])
        .collect();
    // The consumer takes each square once, in reverse order.
    let co = (0..N as u32)
        .rev()
        .flat_map(|x| [Val::from_u32(x), Val::from_u32(x * x), Val::ONE])
        .collect();
    vec![
        RowMajorMatrix::new(sq, SquareCols::<u8>::NUM_COLS),
        RowMajorMatrix::new(co, ConsumerCols::<u8>::NUM_COLS),
    ]
}

const AIRS: [Toy; 2] = [Toy::Squares, Toy::Consumer];

fn public_values() -> Vec<Vec<Val>> {
    vec![vec![Val::ZERO], vec![]]
}

fn config() -> FastConfig {
    FastParams::DEFAULT.config()
}

fn proven() -> (StarkProof, Vec<u8>) {
    let proof = prove(&config(), &AIRS, &traces(), &public_values()).expect("proves");
    let bytes = proof.to_bytes().unwrap();
    (proof, bytes)
}

#[test]
fn proves_and_verifies_through_bytes() {
    let (_, bytes) = proven();
    let proof = StarkProof::from_bytes(&bytes).unwrap();
    assert_eq!(proof.chips, ["squares", "consumer"]);
    assert_eq!(proof.log_heights(), [8, 8]);
    verify(&config(), &AIRS, &proof, &public_values()).unwrap();
}

#[test]
fn every_flipped_byte_is_rejected_without_panic() {
    let (_, bytes) = proven();
    let mut accepted = Vec::new();
    // Every byte of the first 512 (headers, commitments, opened values), then a stride through
    // the rest (Merkle paths, FRI), each flipped in its low bit.
    let positions = (0..bytes.len().min(512)).chain((512..bytes.len()).step_by(97));
    for pos in positions {
        let mut bad = bytes.clone();
        bad[pos] ^= 1;
        let outcome = StarkProof::from_bytes(&bad)
            .and_then(|p| verify(&config(), &AIRS, &p, &public_values()));
        if outcome.is_ok() {
            accepted.push(pos);
        }
    }
    assert!(
        accepted.is_empty(),
        "flips at {accepted:?} of {} bytes were accepted",
        bytes.len()
    );
}

#[test]
fn a_kept_verifier_key_checks_every_proof_of_its_shape_and_no_other() {
    let (_, bytes) = proven();
    let config = config();
    let key = VerifierKey::new(&config, &AIRS, &[8, 8]).unwrap();
    let honest = StarkProof::from_bytes(&bytes).unwrap();
    verify_with_key(&config, &AIRS, &key, &honest, &public_values()).unwrap();
    // The key skips no check of a proof's contents.
    let mut wrong_value = public_values();
    wrong_value[0][0] = Val::ONE;
    assert!(verify_with_key(&config, &AIRS, &key, &honest, &wrong_value).is_err());
    let mut decoded = 0;
    for pos in (0..bytes.len()).step_by(61) {
        let mut bad = bytes.clone();
        bad[pos] ^= 1;
        if let Ok(p) = StarkProof::from_bytes(&bad) {
            decoded += 1;
            assert!(
                verify_with_key(&config, &AIRS, &key, &p, &public_values()).is_err(),
                "flip at {pos}"
            );
        }
    }
    // Most flips land in field elements and digests, which decode: the key's check saw them.
    assert!(
        decoded > bytes.len() / 61 / 2,
        "only {decoded} flipped proofs decoded"
    );
    // A proof of another shape is not checked against this key.
    let mut taller = StarkProof::from_bytes(&bytes).unwrap();
    taller.inner.degree_bits[0] = 9;
    assert!(matches!(
        verify_with_key(&config, &AIRS, &key, &taller, &public_values()),
        Err(StarkError::BadShape(_))
    ));
    // A key is only made for heights a proof may have.
    for heights in [&[0, 8][..], &[40, 8], &[8]] {
        assert!(matches!(
            VerifierKey::new(&config, &AIRS, heights),
            Err(StarkError::BadShape(_))
        ));
    }
    // The cache keeps the last shape's key and makes a new one for another shape.
    let cache = KeyCache::new();
    let first = cache.key_for(&config, &AIRS, &honest).unwrap();
    let again = cache.key_for(&config, &AIRS, &honest).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again));
    let other = cache.key_for(&config, &AIRS, &taller).unwrap();
    assert!(other.fits(&taller) && !other.fits(&honest));
}

#[test]
fn changed_public_value_is_rejected() {
    let (proof, _) = proven();
    let mut pv = public_values();
    pv[0][0] = Val::ONE;
    assert!(matches!(
        verify(&config(), &AIRS, &proof, &pv),
        Err(StarkError::Rejected(_))
    ));
}

#[test]
fn shape_lies_are_rejected() {
    let (_, bytes) = proven();
    let reload = || StarkProof::from_bytes(&bytes).unwrap();
    // Claiming another chip order.
    let mut p = reload();
    p.chips.swap(0, 1);
    assert!(matches!(
        verify(&config(), &AIRS, &p, &public_values()),
        Err(StarkError::BadShape(_))
    ));
    // Verifying against a different chip list.
    let p = reload();
    assert!(matches!(
        verify(&config(), &AIRS[..1], &p, &public_values()[..1]),
        Err(StarkError::BadShape(_))
    ));
    // Absurd heights.
    for bits in [0, 40, usize::MAX] {
        let mut p = reload();
        p.inner.degree_bits[0] = bits;
        assert!(
            verify(&config(), &AIRS, &p, &public_values()).is_err(),
            "{bits}"
        );
    }
    // Plausible but wrong height.
    let mut p = reload();
    p.inner.degree_bits[1] = 9;
    assert!(verify(&config(), &AIRS, &p, &public_values()).is_err());
    // Another version.
    let mut p = reload();
    p.version = PROOF_VERSION + 1;
    let bytes2 = p.to_bytes().unwrap();
    assert!(matches!(
        StarkProof::from_bytes(&bytes2),
        Err(StarkError::UnsupportedVersion { found, .. }) if found == PROOF_VERSION + 1
    ));
}

#[test]
fn garbage_and_truncated_bytes_are_rejected() {
    let (_, bytes) = proven();
    for len in [0, 1, 4, 100, bytes.len() / 2, bytes.len() - 1] {
        assert!(StarkProof::from_bytes(&bytes[..len]).is_err(), "{len}");
    }
    let mut extra = bytes.clone();
    extra.push(0);
    assert!(StarkProof::from_bytes(&extra).is_err());
    assert!(StarkProof::from_bytes(&[0xff; 64]).is_err());
}

fn debug(traces: &[RowMajorMatrix<Val>]) -> Result<(), Vec<DebugFailure>> {
    let pv = public_values();
    let instances: Vec<_> = AIRS
        .iter()
        .zip(traces)
        .zip(&pv)
        .map(|((air, trace), public_values)| DebugInstance {
            air,
            trace,
            public_values,
        })
        .collect();
    check(&instances)
}

#[test]
fn debug_checker_accepts_the_honest_trace() {
    debug(&traces()).unwrap();
}

#[test]
fn tampered_cell_is_named() {
    let mut t = traces();
    let cols = SquareCols::<usize>::col_map();
    // Row 5: x² = 25 (valid) -> 26 (corrupt).
    t[0].values[5 * SquareCols::<u8>::NUM_COLS + cols.x_squared] = Val::from_u32(26);
    let failures = debug(&t).unwrap_err();
    let constraint = failures
        .iter()
        .find(|f| matches!(f, DebugFailure::Constraint { .. }))
        .expect("constraint failure");
    let DebugFailure::Constraint {
        chip, row, cells, ..
    } = constraint
    else {
        unreachable!()
    };
    assert_eq!((chip.as_str(), *row), ("squares", 5));
    assert!(
        cells.contains(&("x_squared".to_owned(), 26)),
        "{constraint}"
    );
    // The corrupted message is also unbalanced on the bus, both ways.
    assert!(
        failures
            .iter()
            .any(|f| matches!(f, DebugFailure::Bus { message, .. } if message == &[5, 26]))
    );
    assert!(
        failures
            .iter()
            .any(|f| matches!(f, DebugFailure::Bus { message, .. } if message == &[5, 25]))
    );
}

#[test]
fn public_value_mismatch_is_a_named_constraint_failure() {
    let mut t = traces();
    let cols = SquareCols::<usize>::col_map();
    t[0].values[cols.x] = Val::from_u32(9); // row 0: x must equal the public value 0
    t[0].values[cols.x_squared] = Val::from_u32(81);
    let failures = debug(&t).unwrap_err();
    assert!(
        failures.iter().any(
            |f| matches!(f, DebugFailure::Constraint { chip, row: 0, .. } if chip == "squares")
        ),
        "{failures:?}"
    );
}

#[test]
fn dropped_duplicated_and_forged_bus_messages_are_named() {
    let w = ConsumerCols::<u8>::NUM_COLS;
    let cols = ConsumerCols::<usize>::col_map();
    // A dropped receive: the consumer's count on row 0 (x = 255) becomes 0.
    let mut t = traces();
    t[1].values[cols.count] = Val::ZERO;
    let failures = debug(&t).unwrap_err();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        matches!(&failures[0], DebugFailure::Bus { bus, message, net: 1, .. } if bus == "squares" && message == &[255, 255 * 255])
    );
    // A duplicated receive: row 1 re-receives row 0's message.
    let mut t = traces();
    let row0: Vec<Val> = t[1].values[..w].to_vec();
    t[1].values[w..2 * w].copy_from_slice(&row0);
    let failures = debug(&t).unwrap_err();
    assert_eq!(failures.len(), 2, "{failures:?}");
    // A forged multiplicity: count 2 violates its boolean constraint and unbalances the bus.
    let mut t = traces();
    t[1].values[cols.count] = Val::TWO;
    let failures = debug(&t).unwrap_err();
    assert!(
        failures
            .iter()
            .any(|f| matches!(f, DebugFailure::Constraint { chip, .. } if chip == "consumer"))
    );
    assert!(
        failures
            .iter()
            .any(|f| matches!(f, DebugFailure::Bus { .. }))
    );
}

#[test]
fn column_names_come_from_the_struct() {
    assert_eq!(
        Chip::<Val>::column_names(&Toy::Consumer),
        ["x", "x_squared", "count"]
    );
    assert_eq!(ConsumerCols::<usize>::col_map().count, 2);
}

#[test]
fn mutation_oracle_agrees_with_the_full_checker() {
    let honest = traces();
    let pv = public_values();
    let instances: Vec<_> = AIRS
        .iter()
        .zip(&honest)
        .zip(&pv)
        .map(|((air, trace), public_values)| DebugInstance {
            air,
            trace,
            public_values,
        })
        .collect();
    let oracle = MutationOracle::new(&instances);
    let (mut rejected, mut kept) = (0, 0);
    for (i, trace) in honest.iter().enumerate() {
        for row in (0..N).step_by(7).chain([0, N - 1]) {
            for col in 0..trace.width {
                let old = trace.values[row * trace.width + col];
                for value in [old + Val::ONE, Val::ZERO, old] {
                    let mut mutated = honest.clone();
                    mutated[i].values[row * trace.width + col] = value;
                    let verdict = oracle.rejects(i, row, col, value);
                    assert_eq!(
                        verdict,
                        debug(&mutated).is_err(),
                        "instance {i}, row {row}, column {col}, value {value}"
                    );
                    if verdict { rejected += 1 } else { kept += 1 }
                }
            }
        }
    }
    // Both answers occur: unchanged cells (and zero where the cell is zero) are kept.
    assert!(rejected > 0 && kept > 0, "{rejected} rejected, {kept} kept");
}

#[test]
fn a_second_configuration_proves_the_same_airs() {
    use geode_stark::config::wide;
    let wide = wide::config(&FastParams::DEFAULT);
    let proof = prove(&wide, &AIRS, &traces(), &public_values()).expect("proves");
    let bytes = proof.to_bytes().unwrap();
    let proof = StarkProofOf::<wide::WideConfig>::from_bytes(&bytes).unwrap();
    verify(&wide, &AIRS, &proof, &public_values()).expect("verifies");
    assert!(verify(&wide, &AIRS, &proof, &[vec![Val::ONE], vec![]]).is_err());
    // A proof under one configuration means nothing under the other.
    if let Ok(p) = StarkProof::from_bytes(&bytes) {
        assert!(verify(&config(), &AIRS, &p, &public_values()).is_err());
    }
}

fn wrap_proven() -> (wrap::WrapConfig, Vec<u8>) {
    let config = wrap::config(&wrap::PARAMS);
    let proof = prove(&config, &AIRS, &traces(), &public_values()).expect("proves");
    (config, proof.to_bytes().unwrap())
}

#[test]
fn the_wrap_configuration_proves_and_verifies_through_bytes() {
    let (config, bytes) = wrap_proven();
    let proof = StarkProofOf::<wrap::WrapConfig>::from_bytes(&bytes).unwrap();
    assert_eq!(proof.version, PROOF_VERSION);
    verify(&config, &AIRS, &proof, &public_values()).expect("verifies");
    assert!(verify(&config, &AIRS, &proof, &[vec![Val::ONE], vec![]]).is_err());
    // A wrap proof means nothing under the fast configuration.
    if let Ok(p) = StarkProof::from_bytes(&bytes) {
        assert!(verify(&self::config(), &AIRS, &p, &public_values()).is_err());
    }
    // Proving is deterministic (grinding finds the smallest witness).
    assert_eq!(wrap_proven().1, bytes);
}

#[test]
fn tampered_wrap_proofs_are_rejected() {
    let (config, bytes) = wrap_proven();
    let check = |b: &[u8]| {
        StarkProofOf::<wrap::WrapConfig>::from_bytes(b)
            .and_then(|p| verify(&config, &AIRS, &p, &public_values()))
    };
    // Headers, commitments and opened values byte by byte at a stride, the rest more sparsely.
    let positions = (0..bytes.len().min(640))
        .step_by(7)
        .chain((640..bytes.len()).step_by(509));
    let accepted: Vec<usize> = positions
        .filter(|&pos| {
            let mut bad = bytes.clone();
            bad[pos] ^= 1;
            check(&bad).is_ok()
        })
        .collect();
    assert!(
        accepted.is_empty(),
        "flips at {accepted:?} of {} bytes",
        bytes.len()
    );
    // A changed opened value.
    let mut proof = StarkProofOf::<wrap::WrapConfig>::from_bytes(&bytes).unwrap();
    proof.inner.opened_values.instances[1]
        .base_opened_values
        .trace_local[0] += Challenge::ONE;
    assert!(matches!(
        verify(&config, &AIRS, &proof, &public_values()),
        Err(StarkError::Rejected(_))
    ));
}

/// The squares chip with one more column that nothing reads.
#[derive(Clone, Copy, Debug)]
struct WithSpareColumn;

impl<F> BaseAir<F> for WithSpareColumn {
    fn width(&self) -> usize {
        SquareCols::<u8>::NUM_COLS + 1
    }
    fn num_public_values(&self) -> usize {
        1
    }
}

impl Chip<Val> for WithSpareColumn {
    fn name(&self) -> &'static str {
        "spare"
    }
    fn column_names(&self) -> Vec<String> {
        let mut names = SquareCols::<u8>::names();
        names.push("spare".into());
        names
    }
}

impl<AB: AirBuilder + InteractionBuilder> Air<AB> for WithSpareColumn {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let row = SquareCols::from_slice(&main.current_slice()[..SquareCols::<u8>::NUM_COLS]);
        let (x, x2): (AB::Expr, AB::Expr) = (row.x.into(), row.x_squared.into());
        builder.assert_eq(x2.clone(), x.clone() * x.clone());
        ToyBus::Squares.send(builder, [x, x2], AB::Expr::ONE, 1);
    }
}

#[test]
fn column_coverage_finds_exactly_the_unread_columns() {
    use geode_stark::debug::unread_columns;
    assert_eq!(unread_columns(&Toy::Squares), Vec::<usize>::new());
    assert_eq!(unread_columns(&Toy::Consumer), Vec::<usize>::new());
    assert_eq!(unread_columns(&WithSpareColumn), vec![2]);
}
