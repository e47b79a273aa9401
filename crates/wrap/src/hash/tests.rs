//! The circuit transcript and Merkle checks against `geode_stark::config::wrap` and
//! `p3-merkle-tree`, positive and negative, under halo2's `MockProver`.

use ff::{Field, PrimeField};
use geode_stark::config::wrap::{PallasWord, WrapChallenger, WrapCompress, WrapHash};
use geode_stark::{Challenge, Val};
use halo2_proofs::dev::MockProver;
use p3_challenger::{CanObserve, CanSample, CanSampleBits, GrindingChallenger};
use p3_commit::{ExtensionMmcs, Mmcs};
use p3_field::{BasedVectorSpace, PrimeCharacteristicRing, PrimeField32};
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use p3_merkle_tree::MerkleTreeMmcs;
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, TestRng};

use super::sponge::{self, P};
use super::{Sponge, verify_batch};
use crate::ctx::{Ctx, Fp, TapeCircuit, Var};

/// The wrap configuration's base-field MMCS (private in `geode_stark`, rebuilt here).
type ValMmcs = MerkleTreeMmcs<Val, PallasWord, WrapHash, WrapCompress, 2, 1>;
type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;

fn val_mmcs() -> ValMmcs {
    ValMmcs::new(WrapHash, WrapCompress, 0)
}

/// Whether `MockProver` accepts the circuit of `ctx`. Where it does, recording found nothing
/// wrong either.
fn satisfied(ctx: Ctx) -> bool {
    let recorded_ok = ctx.first_failure().is_none();
    let public = ctx.public_values();
    let circuit = TapeCircuit::new(ctx);
    let k = circuit.min_k();
    let ok = MockProver::run(k, &circuit, vec![public])
        .expect("the circuit synthesizes")
        .verify()
        .is_ok();
    assert!(
        !ok || recorded_ok,
        "MockProver accepts what recording rejected"
    );
    ok
}

fn fp_of(v: Val) -> Fp {
    Fp::from(u64::from(v.as_canonical_u32()))
}

fn rng(seed: u8) -> TestRng {
    let mut bytes = [0; 32];
    bytes[0] = seed;
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

fn random_val(rng: &mut TestRng) -> Val {
    Val::from_u32(rng.next_u32() % Val::ORDER_U32)
}

// ---------------------------------------------------------------------------------------------
// Transcript

#[derive(Clone, Debug)]
enum Op {
    Observe(Vec<u32>),
    ObserveWord([u64; 4]),
    Sample,
    SampleExt,
    SampleBits(usize),
    Pow(usize),
}

fn value() -> impl Strategy<Value = u32> {
    let p = Val::ORDER_U32;
    prop_oneof![Just(0), Just(p - 1), 0..p]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => prop::collection::vec(value(), 1..20).prop_map(Op::Observe),
        1 => any::<[u64; 4]>().prop_map(Op::ObserveWord),
        2 => Just(Op::Sample),
        1 => Just(Op::SampleExt),
        2 => (0usize..64).prop_map(Op::SampleBits),
        1 => (0usize..=6).prop_map(Op::Pow),
    ]
}

/// A KoalaBear value as a circuit input (canonical, as the caller guarantees).
fn koala(ctx: &mut Ctx, v: Val) -> Var {
    let var = ctx.witness(fp_of(v));
    sponge::assert_canonical(ctx, var);
    var
}

/// Runs `ops` on both transcripts, asserting that every sample agrees, and returns the circuit
/// with one more sample (which checks that the states still agree).
fn replay(ops: &[Op]) -> Ctx {
    let mut ctx = Ctx::new();
    let mut sponge = Sponge::new(&mut ctx);
    let mut native = WrapChallenger::new();
    for op in ops {
        match op {
            Op::Observe(values) => {
                for &v in values {
                    let v = Val::from_u32(v);
                    native.observe(v);
                    let var = koala(&mut ctx, v);
                    sponge.observe(&mut ctx, var);
                }
            }
            Op::ObserveWord(limbs) => {
                let w = Fp::from_raw(*limbs);
                native.observe(PallasWord(w));
                let var = ctx.witness(w);
                sponge.observe_word(&mut ctx, var);
            }
            Op::Sample => {
                let s: Val = native.sample();
                let var = sponge.sample(&mut ctx);
                assert_eq!(ctx.value(var), fp_of(s));
            }
            Op::SampleExt => {
                let s: Challenge = native.sample();
                let vars = sponge.sample_ext(&mut ctx);
                for (&c, var) in s.as_basis_coefficients_slice().iter().zip(vars) {
                    assert_eq!(ctx.value(var), fp_of(c));
                }
            }
            Op::SampleBits(bits) => {
                let s = native.sample_bits(*bits) as u64;
                let sampled = sponge.sample_bits(&mut ctx, *bits);
                assert_eq!(ctx.value(sampled.value), Fp::from(s));
                assert_eq!(sampled.bits.len(), *bits);
                for (i, &b) in sampled.bits.iter().enumerate() {
                    assert_eq!(ctx.value(b), Fp::from((s >> i) & 1));
                }
            }
            Op::Pow(bits) => {
                let w = native.clone().grind(*bits);
                assert!(native.check_witness(*bits, w));
                let var = koala(&mut ctx, w);
                sponge.check_pow(&mut ctx, *bits, var);
            }
        }
    }
    let s: Val = native.sample();
    let var = sponge.sample(&mut ctx);
    assert_eq!(ctx.value(var), fp_of(s));
    ctx
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn random_transcripts_match_the_wrap_challenger(ops in prop::collection::vec(op(), 0..24)) {
        prop_assert!(satisfied(replay(&ops)));
    }
}

/// The layout's corners: exactly 16 values flush at once and leave that step's limbs readable;
/// a 17th queues; seven samples in a row cross a squeeze; zero bits read a limb; zero-bit
/// proof of work observes nothing.
#[test]
fn transcript_corners_match_the_wrap_challenger() {
    let observe = |n: u32| Op::Observe((0..n).map(|i| i * 0x0101_0101 % 0x7f00_0001).collect());
    let cases = [
        vec![],
        vec![Op::Sample; 7],
        vec![observe(16), Op::Sample],
        vec![observe(16), Op::ObserveWord([1, 2, 3, 4]), Op::SampleExt],
        vec![observe(17), Op::SampleBits(63), Op::SampleBits(1)],
        vec![
            observe(8),
            Op::SampleBits(0),
            Op::Sample,
            observe(9),
            Op::SampleExt,
        ],
        vec![
            Op::Pow(0),
            Op::Pow(5),
            Op::Pow(0),
            Op::SampleExt,
            Op::SampleExt,
        ],
        vec![
            Op::ObserveWord([u64::MAX; 4]),
            Op::ObserveWord([0; 4]),
            Op::Sample,
        ],
    ];
    for ops in cases {
        let ctx = replay(&ops);
        assert!(satisfied(ctx), "{ops:?}");
    }
}

/// A transcript with a proof of work, samples and `sample_bits`; returns the circuit, the
/// outputs (a sample, the sampled bits' value, one of the bits) and the decomposed limbs of the
/// last step.
fn small_transcript(pow_witness: Option<Val>) -> (Ctx, [Var; 3], [Option<[Var; 4]>; 2]) {
    let mut ctx = Ctx::new();
    let mut sponge = Sponge::new(&mut ctx);
    let mut native = WrapChallenger::new();
    for v in [3, 1, 4, 1, 5] {
        let v = Val::from_u32(v);
        native.observe(v);
        let var = koala(&mut ctx, v);
        sponge.observe(&mut ctx, var);
    }
    let bits = 6;
    let w = pow_witness.unwrap_or_else(|| native.clone().grind(bits));
    let var = koala(&mut ctx, w);
    sponge.check_pow(&mut ctx, bits, var);
    // Limb 0 went to the proof of work; limbs 1 and 2 of the first rate element and limb 0 of
    // the second follow.
    let sample = sponge.sample(&mut ctx);
    let bits = sponge.sample_bits(&mut ctx, 10);
    sponge.sample(&mut ctx);
    let limbs = sponge.decomposed_limbs();
    (ctx, [sample, bits.value, bits.bits[3]], limbs)
}

#[test]
fn a_tampered_sample_or_bit_is_rejected() {
    let (ctx, _, _) = small_transcript(None);
    assert!(satisfied(ctx));
    for i in 0..3 {
        let (mut ctx, outputs, _) = small_transcript(None);
        let var = outputs[i];
        // A bit stays boolean.
        let v = ctx.value(var);
        let tampered = if i == 2 { Fp::ONE - v } else { v + Fp::ONE };
        ctx.tamper(var, tampered);
        assert!(!satisfied(ctx), "output {i}");
    }
}

#[test]
fn a_tampered_limb_is_rejected() {
    for (element, limb) in [(0, 0), (0, 3), (1, 2), (1, 3)] {
        let (mut ctx, _, limbs) = small_transcript(None);
        let var = limbs[element].expect("read")[limb];
        let v = ctx.value(var);
        ctx.tamper(var, v + Fp::ONE);
        assert!(!satisfied(ctx), "limb {limb} of element {element}");
    }
}

#[test]
fn a_proof_of_work_witness_that_misses_the_bits_is_rejected() {
    let mut native = WrapChallenger::new();
    for v in [3, 1, 4, 1, 5] {
        native.observe(Val::from_u32(v));
    }
    let bad = (0..)
        .map(Val::from_u32)
        .find(|&w| !native.clone().check_witness(6, w))
        .expect("most witnesses miss");
    let (ctx, _, _) = small_transcript(Some(bad));
    assert!(!satisfied(ctx));
}

/// The integer sum of two 256-bit little-endian limb arrays (no overflow in the tests' use).
fn add_limbs(a: [u64; 4], b: [u64; 4]) -> [u64; 4] {
    let mut carry = 0u128;
    std::array::from_fn(|j| {
        let sum = u128::from(a[j]) + u128::from(b[j]) + carry;
        carry = sum >> 64;
        sum as u64
    })
}

/// A rate element also "decomposes" as the limbs of `s + q`, which fit 256 bits: the top-limb
/// bound rejects them.
#[test]
fn a_decomposition_of_s_plus_q_is_rejected() {
    let q_minus_1 = sponge::canonical_limbs(-Fp::ONE);
    let q = add_limbs(q_minus_1, [1, 0, 0, 0]);
    for s in [Fp::ZERO, Fp::from(12_345), Fp::from_u128(u128::MAX)] {
        let honest = sponge::canonical_limbs(s);
        for (limbs, ok) in [(honest, true), (add_limbs(honest, q), false)] {
            let mut ctx = Ctx::new();
            let var = ctx.witness(s);
            sponge::decompose_with(&mut ctx, var, limbs);
            assert_eq!(satisfied(ctx), ok, "{s:?} {limbs:x?}");
        }
    }
}

/// A limb also splits as `(t - 1) · p + (r + p)` when `r + p < 2^31`: the canonicity check on
/// the remainder rejects it.
#[test]
fn a_non_canonical_remainder_is_rejected() {
    let x = 5 * P + 7;
    for (t, r, ok) in [(5, 7, true), (4, 7 + P, false)] {
        let mut ctx = Ctx::new();
        let var = ctx.witness(Fp::from(x));
        sponge::reduce_mod_p_with(&mut ctx, var, t, r);
        assert_eq!(satisfied(ctx), ok, "t = {t}, r = {r}");
    }
}

// ---------------------------------------------------------------------------------------------
// Merkle trees

/// How an opening is presented to the circuit: possibly corrupted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Corruption {
    None,
    /// Add one to an opened value (matrix, column).
    Value(usize, usize),
    /// Add one to the sibling at a level.
    Sibling(usize),
    /// Flip the index bit of a level.
    IndexBit(usize),
}

/// Verifies an opening in the circuit: `rows` (flattened to base-field values) of matrices of
/// `log_heights` at `index` against `root`, with the proof `siblings`.
fn verify_in_circuit(
    root: Fp,
    index: usize,
    rows: &[Vec<Val>],
    log_heights: &[usize],
    siblings: &[Fp],
    corruption: Corruption,
) -> Ctx {
    let mut ctx = Ctx::new();
    let root = ctx.witness(root);
    ctx.expose_public(root);
    let mut index = index;
    if let Corruption::IndexBit(level) = corruption {
        index ^= 1 << level;
    }
    let bits: Vec<Var> = (0..siblings.len())
        .map(|level| {
            let bit = ctx.witness(Fp::from(((index >> level) & 1) as u64));
            ctx.assert_bool(bit);
            bit
        })
        .collect();
    let rows: Vec<Vec<Var>> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, &v)| {
                    let mut v = v;
                    if corruption == Corruption::Value(i, j) {
                        v += Val::ONE;
                    }
                    koala(&mut ctx, v)
                })
                .collect()
        })
        .collect();
    let siblings: Vec<Var> = siblings
        .iter()
        .enumerate()
        .map(|(level, &s)| {
            let s = if corruption == Corruption::Sibling(level) {
                s + Fp::ONE
            } else {
                s
            };
            ctx.witness(s)
        })
        .collect();
    verify_batch(&mut ctx, root, &bits, &rows, log_heights, &siblings);
    ctx
}

fn random_matrix(rng: &mut TestRng, height: usize, width: usize) -> RowMajorMatrix<Val> {
    RowMajorMatrix::new(
        (0..height * width).map(|_| random_val(rng)).collect(),
        width,
    )
}

/// Matrices of three heights (two of the tallest, one of height 1), given out of order, under
/// the wrap configuration's MMCS: every opening verifies in the circuit, and none survives a
/// changed value, sibling or index bit.
#[test]
fn merkle_openings_of_several_heights_verify() {
    let mut rng = rng(1);
    // (height, width): 20 + 9 values at the leaves (two cells of two blocks), 3 at height 4,
    // 17 at height 1 (injected after the last level).
    let shapes = [(4, 3), (16, 20), (1, 17), (16, 9)];
    let matrices: Vec<_> = shapes
        .iter()
        .map(|&(h, w)| random_matrix(&mut rng, h, w))
        .collect();
    let dims: Vec<_> = matrices.iter().map(Matrix::dimensions).collect();
    let log_heights: Vec<usize> = shapes.iter().map(|&(h, _)| h.ilog2() as usize).collect();
    let mmcs = val_mmcs();
    let (commit, data) = mmcs.commit(matrices);
    let root = commit.roots()[0][0].0;
    for index in [0, 5, 10, 15] {
        let opening = mmcs.open_batch(index, &data);
        mmcs.verify_batch(&commit, &dims, index, (&opening).into())
            .expect("native");
        let siblings: Vec<Fp> = opening.opening_proof.iter().map(|[w]| w.0).collect();
        let check = |corruption| {
            satisfied(verify_in_circuit(
                root,
                index,
                &opening.opened_values,
                &log_heights,
                &siblings,
                corruption,
            ))
        };
        assert!(check(Corruption::None), "index {index}");
        for corruption in [
            Corruption::Value(1, 19),
            Corruption::Value(3, 0),
            Corruption::Value(0, 2),
            Corruption::Value(2, 16),
            Corruption::Sibling(0),
            Corruption::Sibling(3),
            Corruption::IndexBit(0),
            Corruption::IndexBit(2),
        ] {
            assert!(!check(corruption), "index {index}, {corruption:?}");
        }
    }
}

/// The FRI trees commit to extension-field matrices through `ExtensionMmcs`: the same check
/// verifies their openings, each value flattened to its four basis coefficients.
#[test]
fn extension_mmcs_openings_verify() {
    let mut rng = rng(2);
    let shapes = [(8, 2), (2, 1)];
    let matrices: Vec<RowMajorMatrix<Challenge>> = shapes
        .iter()
        .map(|&(h, w)| {
            let values = (0..h * w)
                .map(|_| Challenge::from_basis_coefficients_fn(|_| random_val(&mut rng)))
                .collect();
            RowMajorMatrix::new(values, w)
        })
        .collect();
    let dims: Vec<_> = matrices.iter().map(Matrix::dimensions).collect();
    let log_heights: Vec<usize> = shapes.iter().map(|&(h, _)| h.ilog2() as usize).collect();
    let mmcs = ChallengeMmcs::new(val_mmcs());
    let (commit, data) = mmcs.commit(matrices);
    let root = commit.roots()[0][0].0;
    for index in [3, 6] {
        let opening = mmcs.open_batch(index, &data);
        mmcs.verify_batch(&commit, &dims, index, (&opening).into())
            .expect("native");
        let rows: Vec<Vec<Val>> = opening
            .opened_values
            .iter()
            .map(|row| {
                row.iter()
                    .flat_map(|e| e.as_basis_coefficients_slice().to_vec())
                    .collect()
            })
            .collect();
        let siblings: Vec<Fp> = opening.opening_proof.iter().map(|[w]| w.0).collect();
        let check = |corruption| {
            satisfied(verify_in_circuit(
                root,
                index,
                &rows,
                &log_heights,
                &siblings,
                corruption,
            ))
        };
        assert!(check(Corruption::None), "index {index}");
        assert!(!check(Corruption::Value(0, 5)), "index {index}");
        assert!(!check(Corruption::IndexBit(1)), "index {index}");
    }
}

/// The leaf hash and compression agree with the native ones on rows of every length around
/// the block boundaries.
#[test]
fn row_hashes_and_compression_match_native() {
    let mut rng = rng(3);
    let mut ctx = Ctx::new();
    for n in [0, 1, 7, 8, 9, 15, 16, 17, 32, 33] {
        let row: Vec<Val> = (0..n).map(|_| random_val(&mut rng)).collect();
        let vars: Vec<Var> = row.iter().map(|&v| koala(&mut ctx, v)).collect();
        let digest = super::hash_row(&mut ctx, &vars);
        let native = geode_stark::config::wrap::poseidon::hash_values(row.iter().copied(), n);
        assert_eq!(ctx.value(digest), native, "n = {n}");
    }
    let (l, r) = (Fp::from(7), -Fp::from(3));
    let (lv, rv) = (ctx.witness(l), ctx.witness(r));
    let c = super::compress(&mut ctx, lv, rv);
    assert_eq!(
        ctx.value(c),
        geode_stark::config::wrap::poseidon::compress(l, r)
    );
    assert!(satisfied(ctx));
}

// ---------------------------------------------------------------------------------------------
// Costs

/// What `n` repetitions of an operation add to a tape, per repetition.
#[derive(Debug)]
struct Cost {
    perms: f64,
    gate_rows: f64,
    lookup_cells: f64,
}

/// Measures `op` repeated `n` times after `setup`, on a tape padded with enough gate rows
/// that it is laid out with the widest lookup (16-bit limbs), as a full verifier is.
fn measure(
    n: usize,
    setup: impl Fn(&mut Ctx, &mut Sponge),
    op: impl Fn(&mut Ctx, &mut Sponge),
) -> Cost {
    let mut ctx = Ctx::new();
    let x = ctx.witness(Fp::ZERO);
    for _ in 0..crate::ctx::LANES << (crate::ctx::LOOKUP_BITS + 1) {
        ctx.add_const(x, Fp::ONE);
    }
    let mut sponge = Sponge::new(&mut ctx);
    setup(&mut ctx, &mut sponge);
    let before = ctx.stats();
    for _ in 0..n {
        op(&mut ctx, &mut sponge);
    }
    let after = ctx.stats();
    assert_eq!(after.lookup_bits, crate::ctx::LOOKUP_BITS);
    let per = |a: usize, b: usize| (a - b) as f64 / n as f64;
    Cost {
        perms: per(after.poseidon_perms, before.poseidon_perms),
        gate_rows: per(after.gate_rows, before.gate_rows),
        lookup_cells: per(after.lookup_cells, before.lookup_cells),
    }
}

/// The circuit cost of each operation, per operation (`--nocapture` prints them; the
/// permutation counts are asserted). A permutation is also `PERM_ROWS` (37) rows of a lane.
#[test]
fn costs() {
    fn none(_: &mut Ctx, _: &mut Sponge) {}
    let report = |label: &str, cost: Cost, perms: f64| {
        println!(
            "{label:<44} perms {:>6.3}  gate rows {:>6.2}  16-bit lookups {:>6.2}",
            cost.perms, cost.gate_rows, cost.lookup_cells
        );
        assert!((cost.perms - perms).abs() < 1e-9, "{label}: {cost:?}");
    };
    let n = 96;
    let observe = |ctx: &mut Ctx, s: &mut Sponge| {
        let v = ctx.witness(Fp::from(7));
        s.observe(ctx, v);
    };
    report(
        "observe (a value; 16 per step)",
        measure(16 * n, none, observe),
        1.0 / 16.0,
    );
    let word = |ctx: &mut Ctx, s: &mut Sponge| {
        let w = ctx.witness(Fp::from(9));
        s.observe_word(ctx, w);
    };
    report("observe_word", measure(n, none, word), 1.0);
    let sample = |ctx: &mut Ctx, s: &mut Sponge| {
        s.sample(ctx);
    };
    report(
        "sample (in a run; 6 per step)",
        measure(6 * n, none, sample),
        1.0 / 6.0,
    );
    let observe_sample = |ctx: &mut Ctx, s: &mut Sponge| {
        observe(ctx, s);
        s.sample(ctx);
    };
    report(
        "observe, then sample",
        measure(n, none, observe_sample),
        1.0,
    );
    let sample_ext = |ctx: &mut Ctx, s: &mut Sponge| {
        s.sample_ext(ctx);
    };
    report(
        "sample_ext (in a run; 3 per 2 steps)",
        measure(3 * n, none, sample_ext),
        2.0 / 3.0,
    );
    for bits in [1, 20] {
        let sample_bits = move |ctx: &mut Ctx, s: &mut Sponge| {
            s.sample_bits(ctx, bits);
        };
        let label = format!("sample_bits({bits}) (in a run; 6 per step)");
        report(&label, measure(6 * n, none, sample_bits), 1.0 / 6.0);
    }
    let pow = |ctx: &mut Ctx, s: &mut Sponge| {
        let w = ctx.witness(Fp::ZERO);
        s.check_pow(ctx, 16, w);
    };
    report("check_pow(16)", measure(n, none, pow), 1.0);
    for width in [8, 16, 100] {
        let row = move |ctx: &mut Ctx, _: &mut Sponge| {
            let row: Vec<Var> = (0..width).map(|i| ctx.witness(Fp::from(i))).collect();
            super::hash_row(ctx, &row);
        };
        let label = format!("hash_row of {width} values");
        report(&label, measure(n, none, row), width.div_ceil(16) as f64);
    }
    let levels: usize = 20;
    let path = |ctx: &mut Ctx, _: &mut Sponge| {
        let root = ctx.witness(Fp::ZERO);
        let row = [ctx.witness(Fp::ONE)];
        let bits: Vec<Var> = (0..levels).map(|_| ctx.witness(Fp::ZERO)).collect();
        let siblings: Vec<Var> = (0..levels as u64)
            .map(|i| ctx.witness(Fp::from(i)))
            .collect();
        verify_batch(ctx, root, &bits, &[row.to_vec()], &[levels], &siblings);
    };
    let leaf = |ctx: &mut Ctx, _: &mut Sponge| {
        let row = [ctx.witness(Fp::ONE)];
        super::hash_row(ctx, &row);
    };
    let (path, leaf) = (measure(n, none, path), measure(n, none, leaf));
    let level = Cost {
        perms: (path.perms - leaf.perms) / levels as f64,
        gate_rows: (path.gate_rows - leaf.gate_rows) / levels as f64,
        lookup_cells: (path.lookup_cells - leaf.lookup_cells) / levels as f64,
    };
    report("Merkle level (no injection)", level, 1.0);
}
