//! The security estimate of one batch proof under [`FastParams`], computed with `p3-security`.
//!
//! A batch proof is one FRI instance over every committed column of every chip, so the estimate
//! describes the whole batch, not a chip. Each term comes from a `p3-security` function; the
//! batch inputs are put together here:
//!
//! - low-degree test (query phase, commit phase): the FRI regime the prover runs
//!   ([`FriParameters::security_regime`]) at the tallest instance's height;
//! - opening batching: `k` = the sum of [`p3_batch_stark::num_batched_openings`] over instances
//!   (trace, preprocessed, quotient and LogUp columns, each at its opening points), charged at
//!   the tallest height, and credited with the batch grinding;
//! - constraint folding (ALI): the sum of the instances' constraint counts, LogUp constraints
//!   included;
//! - DEEP (out-of-domain point): one `zeta` serves every instance, so the error is the union
//!   bound over instances (`p3-security` evaluates one instance at a time; see [`estimate`]);
//! - LogUp: one `(alpha, beta)` pair serves every bus of every instance, so `N` is the total
//!   number of fractions, `Σ interactions_i · 2^log_height_i`, credited with the lookup grinding;
//! - hash collisions: a cap at [`COLLISION_BITS`].
//!
//! `docs/security.md` gives the numbers and the assumptions behind them.

use std::fmt;

use p3_air::symbolic::AirLayout;
use p3_air::{Air, BaseAir};
use p3_batch_stark::num_batched_openings;
use p3_batch_stark::symbolic::{get_max_constraint_degree, get_symbolic_constraints};
use p3_field::{BasedVectorSpace, Field};
use p3_fri::FriParameters;
use p3_lookup::{InteractionSymbolicBuilder, LogUpGadget, Lookup};
use p3_security::deep::deep_ali_error;
use p3_security::fri::FriRegime;
use p3_security::logup::{self, LogUpAir};
use p3_security::proximity::list_size_conjectured;
use p3_security::report::{DEEP_LABEL, Regime, RegimeReport, SecurityTerm};
use p3_security::shape::{InstanceShape as P3InstanceShape, StarkAirParams};
use p3_security::stark::{conjectured_security_report, proven_security_report};
use p3_security::{ErrorBits, GrindingSites};
use p3_uni_stark::{OpeningShape, StarkGenericConfig};

use crate::config::{Challenge, FastParams, Val};

/// Base-field elements in a Merkle digest of the fast configuration (`MerkleTreeMmcs<.., 8>`).
pub const DIGEST_ELEMS: usize = 8;

/// Collision resistance of the commitment hash, in bits: the birthday bound on a digest of
/// [`DIGEST_ELEMS`] KoalaBear elements, `8 · 31 / 2 = 124` (with Plonky3's `Field::bits`
/// convention of 31 bits per element; the exact figure is `8 · log2(p) / 2 ≈ 123.95`).
pub const COLLISION_BITS: usize = DIGEST_ELEMS * 31 / 2;

/// What one instance (chip) of the batch contributes to the estimate.
///
/// [`shape_of`] derives it from an AIR; a literal is for shapes that have no AIR yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceShape {
    /// The chip's name (reporting only).
    pub name: String,
    /// Main-trace columns.
    pub width: usize,
    /// Preprocessed columns (0 if none are committed).
    pub preprocessed_width: usize,
    /// log2 of the trace height.
    pub log_height: usize,
    /// LogUp fraction columns after same-bus packing: `CommonData::lookups[i].len()`. The
    /// permutation trace adds one accumulator column to these (if there is any lookup).
    pub num_lookups: usize,
    /// LogUp denominators per row, over all of the chip's lookups: one per message, one per
    /// exclusive group.
    pub num_interactions: usize,
    /// The widest message (fields per tuple) the chip sends or receives.
    pub max_message_width: usize,
    /// Constraints, the LogUp constraints included.
    pub num_constraints: usize,
    /// Largest constraint degree, the LogUp constraints and the AIR's own hint included.
    pub max_constraint_degree: usize,
    /// Whether the main trace is opened at the next row as well.
    pub uses_next_row: bool,
    /// Whether the preprocessed trace is opened at the next row as well.
    pub preprocessed_uses_next_row: bool,
}

impl InstanceShape {
    /// Quotient chunks the prover commits (non-zk PCS): `next_power_of_two(max(d, 2) - 1)`,
    /// as in `p3_batch_stark::symbolic::get_log_num_quotient_chunks`.
    pub fn num_quotient_chunks(&self) -> usize {
        (self.max_constraint_degree.max(2) - 1).next_power_of_two()
    }

    /// Powers of the opening-batching challenge this instance consumes, per
    /// [`p3_batch_stark::num_batched_openings`].
    pub fn num_batched_openings(&self) -> usize {
        num_batched_openings(
            self.width,
            self.uses_next_row,
            self.preprocessed_width,
            self.preprocessed_uses_next_row,
            self.num_quotient_chunks(),
            self.num_lookups,
            <Challenge as BasedVectorSpace<Val>>::DIMENSION,
            OpeningShape::TwoAdic,
        )
    }

    /// DEEP-ALI's `max_combo`: how many out-of-domain points a column is opened at. The
    /// permutation trace is always opened at `zeta` and `zeta · g`.
    pub fn max_combo(&self) -> usize {
        if self.uses_next_row || self.preprocessed_uses_next_row || self.num_lookups > 0 {
            2
        } else {
            1
        }
    }

    fn air_params(&self) -> StarkAirParams {
        StarkAirParams {
            num_constraints: self.num_constraints,
            max_constraint_degree: self.max_constraint_degree.max(1),
            num_quotient_chunks: self.num_quotient_chunks(),
            max_combo: self.max_combo(),
        }
    }
}

/// Derives an instance's shape from its AIR and the lookups the batch prover uses for it.
///
/// `lookups` must be the packed lookups of the proof, `CommonData::lookups[i]` (from
/// `ProverData::from_airs_and_degrees`): packing same-bus interactions changes both the column
/// count and the constraint degrees. Constraints, degree and LogUp counts come from the same
/// symbolic evaluation `p3-batch-stark` sizes the quotient with.
pub fn shape_of<A>(
    name: impl Into<String>,
    air: &A,
    log_height: usize,
    lookups: &[Lookup<Val>],
) -> InstanceShape
where
    A: Air<InteractionSymbolicBuilder<Val, Challenge>>,
{
    let gadget = LogUpGadget::new();
    let layout = AirLayout::from_air(air);
    let (base, ext) =
        get_symbolic_constraints::<Val, Challenge, A, _>(air, layout, lookups, &gadget);
    let degree = get_max_constraint_degree::<Val, Challenge, A, _>(
        air,
        layout,
        1 << log_height,
        lookups,
        &gadget,
    );
    // A denominator per message, except that an exclusive lookup multiplexes its branches into
    // one (`Lookup::num_denoms`, crate-private in `p3-lookup`).
    let num_interactions = lookups
        .iter()
        .map(|l| {
            if l.flags.is_some() {
                1
            } else {
                l.elements.len()
            }
        })
        .sum();
    let max_message_width = lookups
        .iter()
        .flat_map(|l| l.elements.iter().map(Vec::len))
        .max()
        .unwrap_or(0);
    InstanceShape {
        name: name.into(),
        width: <A as BaseAir<Val>>::width(air),
        preprocessed_width: <A as BaseAir<Val>>::preprocessed_width(air),
        log_height,
        num_lookups: lookups.len(),
        num_interactions,
        max_message_width,
        num_constraints: base.len() + ext.len(),
        max_constraint_degree: degree
            .max(<A as BaseAir<Val>>::max_constraint_degree(air).unwrap_or(0)),
        uses_next_row: !<A as BaseAir<Val>>::main_next_row_columns(air).is_empty(),
        preprocessed_uses_next_row: !<A as BaseAir<Val>>::preprocessed_next_row_columns(air)
            .is_empty(),
    }
}

/// A batch's security estimate: the conjectured and proven levels and the terms behind them.
#[derive(Clone, Debug)]
pub struct SecurityReport {
    /// Conjectured security in bits (random-words regime, ePrint 2025/2010 §1.5).
    pub conjectured_bits: f64,
    /// Proven security in bits (the better of unique- and list-decoding, ePrint 2024/1553).
    pub proven_bits: f64,
    /// The term that limits the conjectured level (a `p3_security` label, e.g. `deep-ali`).
    pub binding_term: &'static str,
    /// The term that limits the proven level.
    pub proven_binding_term: &'static str,
    /// The proximity regime the proven level is attained in.
    pub proven_regime: Regime,
    /// Every term of the conjectured estimate, the collision cap included.
    pub conjectured_terms: Vec<SecurityTerm>,
    /// Every term of the proven estimate, in its winning regime.
    pub proven_terms: Vec<SecurityTerm>,
    /// Height of the tallest instance (the FRI instance's trace length), log2.
    pub max_log_height: usize,
    /// Powers of the opening-batching challenge, summed over instances.
    pub num_batched_functions: usize,
    /// Constraints summed over instances.
    pub num_constraints: usize,
    /// LogUp fractions in the batch, `Σ interactions_i · 2^log_height_i` (0 without lookups).
    pub num_fractions: u128,
}

impl SecurityReport {
    /// The bits of the term labelled `label` in the conjectured estimate.
    pub fn conjectured_term(&self, label: &str) -> Option<f64> {
        self.conjectured_terms
            .iter()
            .find(|t| t.label == label)
            .map(|t| t.bits.bits())
    }
}

impl fmt::Display for SecurityReport {
    /// One line: `security: N bits conjectured (M proven), limited by X`. The alternate form
    /// (`{:#}`) adds every conjectured term.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "security: {:.1} bits conjectured ({:.1} proven), limited by {}",
            self.conjectured_bits, self.proven_bits, self.binding_term
        )?;
        if f.alternate() {
            for term in &self.conjectured_terms {
                write!(f, "\n  {:<22} {:6.1}", term.label, term.bits.bits())?;
            }
        }
        Ok(())
    }
}

/// Estimates the security of one batch proof of `instances` under `params`.
///
/// The FRI regime and batch grinding come from `p3-fri`'s own mirror of the prover's
/// [`FriParameters`]; the lookup and out-of-domain grinding from the [`StarkGenericConfig`]
/// that `params` builds, so the estimate credits exactly what the prover grinds.
///
/// DEEP: `p3-security` charges one instance, `L · f(k, d) / |EF|`. The batch draws one `zeta`
/// for all instances, so its error is `L · Σ_i f(k_i, d_i) / |EF|`; this is applied to the
/// report's DEEP term in every regime (the factor `L` is the regime's list size and cancels).
///
/// # Panics
/// If `instances` is empty.
pub fn estimate(params: &FastParams, instances: &[InstanceShape]) -> SecurityReport {
    let fri = FriParameters {
        log_blowup: params.log_blowup,
        log_final_poly_len: params.log_final_poly_len,
        max_log_arity: params.max_log_arity,
        num_queries: params.num_queries,
        batch_proof_of_work_bits: params.batch_pow_bits,
        commit_proof_of_work_bits: params.commit_pow_bits,
        query_proof_of_work_bits: params.query_pow_bits,
        mmcs: (),
    };
    let regime = fri.security_regime();
    let config = params.config();
    let grinding = GrindingSites {
        out_of_domain: config.ood_proof_of_work_bits(),
        lookup_challenge: config.lookup_proof_of_work_bits(),
        ..fri.grinding_sites()
    };
    estimate_batch(&regime, &grinding, instances)
}

/// [`estimate`] for a given FRI regime and grinding sites.
fn estimate_batch(
    regime: &FriRegime,
    grinding: &GrindingSites,
    instances: &[InstanceShape],
) -> SecurityReport {
    assert!(
        !instances.is_empty(),
        "a batch proof has at least one instance"
    );
    let modulus_bits = Challenge::bits();
    let max_log_height = instances.iter().map(|i| i.log_height).max().unwrap_or(0);
    let num_batched_functions = instances
        .iter()
        .map(InstanceShape::num_batched_openings)
        .sum();
    let num_constraints = instances.iter().map(|i| i.num_constraints).sum();
    for i in instances {
        debug_assert!(
            i.max_constraint_degree <= (1 << regime.log_blowup) + 1,
            "{}: constraint degree {} does not fit the blowup",
            i.name,
            i.max_constraint_degree
        );
    }
    let air = StarkAirParams {
        num_constraints,
        max_constraint_degree: instances
            .iter()
            .map(|i| i.max_constraint_degree.max(1))
            .max()
            .unwrap_or(1),
        num_quotient_chunks: instances
            .iter()
            .map(InstanceShape::num_quotient_chunks)
            .max()
            .unwrap_or(1),
        max_combo: instances
            .iter()
            .map(InstanceShape::max_combo)
            .max()
            .unwrap_or(1),
    };
    let shape_at = |log_trace_length| P3InstanceShape {
        log_trace_length,
        modulus_bits,
        collision_resistance: COLLISION_BITS,
        num_batched_functions,
    };
    let shape = shape_at(max_log_height);

    // LogUp: N = Σ n_i · 2^h_i fractions, written exactly as (N / 2^h_min) · 2^h_min so that
    // `p3_security::logup` evaluates it without rounding.
    let with_lookups = || instances.iter().filter(|i| i.num_interactions > 0);
    let num_fractions = with_lookups()
        .map(|i| (i.num_interactions as u128) << i.log_height)
        .sum();
    let extras: Vec<SecurityTerm> = with_lookups()
        .map(|i| i.log_height)
        .min()
        .and_then(|min_log_height| {
            let lookups = LogUpAir {
                num_interactions: usize::try_from(num_fractions >> min_log_height)
                    .expect("fraction count fits a usize"),
                max_message_width: with_lookups()
                    .map(|i| i.max_message_width)
                    .max()
                    .unwrap_or(1),
            };
            logup::security_term(&lookups, &shape_at(min_log_height), grinding)
        })
        .into_iter()
        .collect();

    // DEEP: how many bits the union over instances costs against the one-instance term.
    let list_size = list_size_conjectured();
    let per_instance: Vec<ErrorBits> = instances
        .iter()
        .map(|i| deep_ali_error(&i.air_params(), &shape_at(i.log_height), list_size))
        .collect();
    let deep_penalty =
        deep_ali_error(&air, &shape, list_size).bits() - ErrorBits::sum(&per_instance).bits();
    let adjust = |report: &RegimeReport| -> Vec<SecurityTerm> {
        report
            .terms()
            .iter()
            .map(|&t| {
                if t.label == DEEP_LABEL {
                    SecurityTerm {
                        bits: ErrorBits::from_log2((t.bits.bits() - deep_penalty).max(0.0)),
                        ..t
                    }
                } else {
                    t
                }
            })
            .collect()
    };

    let conjectured_terms = adjust(&conjectured_security_report(
        regime, &air, &shape, &extras, grinding,
    ));
    let proven = proven_security_report(regime, &air, &shape, &extras, grinding);
    let (proven_regime, proven_terms) = std::iter::once(&proven.udr)
        .chain(proven.ldr.as_ref())
        .map(|r| (r.regime, adjust(r)))
        .max_by(|a, b| min_bits(&a.1).total_cmp(&min_bits(&b.1)))
        .expect("the unique-decoding regime is always reported");

    SecurityReport {
        conjectured_bits: min_bits(&conjectured_terms),
        proven_bits: min_bits(&proven_terms),
        binding_term: binding(&conjectured_terms),
        proven_binding_term: binding(&proven_terms),
        proven_regime,
        conjectured_terms,
        proven_terms,
        max_log_height,
        num_batched_functions,
        num_constraints,
        num_fractions,
    }
}

/// The attained level of a regime: its weakest term.
fn min_bits(terms: &[SecurityTerm]) -> f64 {
    terms
        .iter()
        .map(|t| t.bits.bits())
        .fold(f64::INFINITY, f64::min)
}

/// The label of a regime's weakest term.
fn binding(terms: &[SecurityTerm]) -> &'static str {
    terms
        .iter()
        .min_by(|a, b| a.bits.bits().total_cmp(&b.bits.bits()))
        .map_or("none", |t| t.label)
}

#[cfg(test)]
mod tests {
    use p3_air::{AirBuilder, WindowAccess};
    use p3_lookup::{InteractionBuilder, Lookups};
    use p3_security::logup::LOGUP_LABEL;
    use p3_security::report::{
        ALI_LABEL, BATCH_LABEL, COLLISION_LABEL, LDT_COMMIT_LABEL, LDT_QUERY_LABEL,
    };

    use super::*;

    /// A machine-sized batch: ten chips of width 50..200, heights 2^16..2^22, a few bus messages
    /// of up to 6 fields each, degree-3 constraints (the most rate 1/2 allows).
    fn representative() -> Vec<InstanceShape> {
        // (name, width, preprocessed width, log height, interactions, constraints)
        let chips = [
            ("cpu", 120, 0, 22, 8, 150),
            ("memory", 60, 0, 21, 4, 40),
            ("alu", 80, 0, 20, 4, 90),
            ("program", 50, 12, 20, 2, 20),
            ("branch", 60, 0, 19, 4, 60),
            ("shift", 90, 0, 18, 4, 100),
            ("mul", 150, 0, 18, 4, 160),
            ("keccak", 200, 0, 17, 6, 200),
            ("ec", 200, 0, 16, 6, 200),
            ("range", 50, 4, 16, 2, 10),
        ];
        chips
            .iter()
            .map(
                |&(
                    name,
                    width,
                    preprocessed_width,
                    log_height,
                    num_interactions,
                    num_constraints,
                )| InstanceShape {
                    name: name.to_owned(),
                    width,
                    preprocessed_width,
                    log_height,
                    num_lookups: num_interactions,
                    num_interactions,
                    max_message_width: 6,
                    num_constraints,
                    max_constraint_degree: 3,
                    uses_next_row: true,
                    preprocessed_uses_next_row: false,
                },
            )
            .collect()
    }

    fn with_queries(num_queries: usize) -> FastParams {
        FastParams {
            num_queries,
            ..FastParams::DEFAULT
        }
    }

    #[test]
    fn default_params_give_at_least_100_conjectured_bits() {
        let report = estimate(&FastParams::DEFAULT, &representative());
        println!("{report:#}");
        println!(
            "proven ({:?}): {:.1} bits, limited by {}",
            report.proven_regime, report.proven_bits, report.proven_binding_term
        );
        assert!(report.conjectured_bits >= 100.0, "{report}");
        assert!(report.proven_bits <= report.conjectured_bits, "{report}");
    }

    /// The wrap configuration trades queries for rate (1/8, 30 queries) at the same estimate.
    /// The representative batch is taller (2^22) than the wrap configuration can prove (2^21),
    /// which only lowers the figure.
    #[test]
    fn wrap_params_give_at_least_100_conjectured_bits() {
        let wrap = crate::config::wrap::PARAMS;
        let report = estimate(&wrap, &representative());
        println!("{report:#}");
        println!(
            "proven ({:?}): {:.1} bits, limited by {}",
            report.proven_regime, report.proven_bits, report.proven_binding_term
        );
        assert!(report.conjectured_bits >= 100.0, "{report}");
        assert!(wrap.num_queries < FastParams::DEFAULT.num_queries / 3);
        assert!(wrap.query_pow_bits <= 16);
        // One query fewer and the query phase alone would still hold 100 bits; two fewer not.
        let fewer = |by| FastParams {
            num_queries: wrap.num_queries - by,
            ..wrap
        };
        assert!(estimate(&fewer(1), &representative()).conjectured_bits >= 100.0);
        assert!(estimate(&fewer(2), &representative()).conjectured_bits < 100.0);
    }

    /// What grinding before `zeta` buys: the DEEP term by exactly its bits, until the FRI commit
    /// phase (`|EF| - log2(2^23 + 1)` ≈ 101 bits) binds instead.
    #[test]
    fn ood_grinding_lifts_the_deep_term() {
        let d = FastParams::DEFAULT;
        let fri = FriParameters {
            log_blowup: d.log_blowup,
            log_final_poly_len: d.log_final_poly_len,
            max_log_arity: d.max_log_arity,
            num_queries: d.num_queries,
            batch_proof_of_work_bits: d.batch_pow_bits,
            commit_proof_of_work_bits: d.commit_pow_bits,
            query_proof_of_work_bits: d.query_pow_bits,
            mmcs: (),
        };
        let sites = |out_of_domain| GrindingSites {
            out_of_domain,
            lookup_challenge: d.lookup_pow_bits,
            ..fri.grinding_sites()
        };
        let shapes = representative();
        let bare = estimate_batch(&fri.security_regime(), &sites(0), &shapes);
        let ground = estimate_batch(&fri.security_regime(), &sites(16), &shapes);
        let (deep0, deep16) = (
            bare.conjectured_term(DEEP_LABEL).unwrap(),
            ground.conjectured_term(DEEP_LABEL).unwrap(),
        );
        assert!((deep16 - deep0 - 16.0).abs() < 1e-9);
        // The default config grinds 16 bits before `zeta`, so `estimate` equals the ground run.
        assert_eq!(d.ood_pow_bits, 16);
        let default = estimate(&d, &shapes);
        assert_eq!(default.conjectured_bits, ground.conjectured_bits);
        println!("with 16 bits of out-of-domain grinding: {ground:#}");
        assert!(ground.conjectured_bits >= 100.0, "{ground}");
        // With DEEP ground, another term binds (the commit phase, or batching once the default
        // also grinds the commit phase).
        assert_ne!(ground.binding_term, DEEP_LABEL);
    }

    #[test]
    fn twenty_queries_drop_below_100_bits() {
        let report = estimate(&with_queries(20), &representative());
        assert!(report.conjectured_bits < 100.0, "{report}");
        assert_eq!(report.binding_term, LDT_QUERY_LABEL);
    }

    #[test]
    fn more_queries_give_more_bits() {
        let bits: Vec<f64> = [10, 20, 40, 60, 80]
            .map(|q| estimate(&with_queries(q), &representative()).conjectured_bits)
            .to_vec();
        assert!(bits.windows(2).all(|w| w[0] < w[1]), "{bits:?}");
        let proven: Vec<f64> = [100, 150, 200]
            .map(|q| estimate(&with_queries(q), &representative()).proven_bits)
            .to_vec();
        assert!(proven.windows(2).all(|w| w[0] < w[1]), "{proven:?}");
    }

    #[test]
    fn every_term_is_charged() {
        let report = estimate(&FastParams::DEFAULT, &representative());
        for label in [
            ALI_LABEL,
            DEEP_LABEL,
            LDT_QUERY_LABEL,
            LDT_COMMIT_LABEL,
            BATCH_LABEL,
            LOGUP_LABEL,
            COLLISION_LABEL,
        ] {
            assert!(report.conjectured_term(label).is_some(), "{label} missing");
        }
        assert_eq!(report.conjectured_term(COLLISION_LABEL), Some(124.0));
        assert_eq!(report.max_log_height, 22);
        let expected: usize = representative()
            .iter()
            .map(InstanceShape::num_batched_openings)
            .sum();
        assert_eq!(report.num_batched_functions, expected);
    }

    /// Each grinding site of the prover moves the term it guards by exactly its bits.
    #[test]
    fn grinding_is_credited_where_it_is_ground() {
        let shapes = representative();
        let ground = estimate(&FastParams::DEFAULT, &shapes);
        let term =
            |params: FastParams, label| estimate(&params, &shapes).conjectured_term(label).unwrap();
        let bare = FastParams {
            lookup_pow_bits: 0,
            batch_pow_bits: 0,
            ..FastParams::DEFAULT
        };
        let d = FastParams::DEFAULT;
        let lookup = ground.conjectured_term(LOGUP_LABEL).unwrap() - term(bare, LOGUP_LABEL);
        let batch = ground.conjectured_term(BATCH_LABEL).unwrap() - term(bare, BATCH_LABEL);
        assert!((lookup - d.lookup_pow_bits as f64).abs() < 1e-9, "{lookup}");
        assert!((batch - d.batch_pow_bits as f64).abs() < 1e-9, "{batch}");
    }

    /// The LogUp term is `|EF| - log2(N · (W + 2)) + lookup PoW`, with N summed over the batch.
    #[test]
    fn logup_term_counts_every_fraction_of_the_batch() {
        let report = estimate(&FastParams::DEFAULT, &representative());
        let n: u128 = representative()
            .iter()
            .map(|i| (i.num_interactions as u128) << i.log_height)
            .sum();
        assert_eq!(report.num_fractions, n);
        let expected = 124.0 - (n as f64).log2() - 8f64.log2() + 16.0;
        assert!((report.conjectured_term(LOGUP_LABEL).unwrap() - expected).abs() < 1e-9);
    }

    /// One `zeta` for all instances: two equal instances cost one bit of DEEP against one.
    #[test]
    fn deep_is_a_union_over_instances() {
        let one = vec![representative().remove(0)];
        let two = vec![one[0].clone(), one[0].clone()];
        let deep = |shapes: &[InstanceShape]| {
            estimate(&FastParams::DEFAULT, shapes)
                .conjectured_term(DEEP_LABEL)
                .unwrap()
        };
        assert!((deep(&one) - deep(&two) - 1.0).abs() < 1e-9);
        // One instance: exactly p3-security's own term, `|EF| - log2(3(k + 1) + k - 1)`, plus
        // the out-of-domain grinding.
        let k = (1u64 << 22) as f64;
        let grinding = FastParams::DEFAULT.ood_pow_bits as f64;
        assert!((deep(&one) - (124.0 - (4.0 * k + 2.0).log2() + grinding)).abs() < 1e-9);
    }

    #[test]
    fn collision_bits_are_half_the_digest() {
        assert_eq!(COLLISION_BITS, DIGEST_ELEMS * Val::bits() / 2);
        assert_eq!(Challenge::bits(), 4 * Val::bits());
    }

    #[test]
    fn display_is_one_line() {
        let line = estimate(&FastParams::DEFAULT, &representative()).to_string();
        assert!(
            line.starts_with("security: ")
                && line.contains(" bits conjectured (")
                && line.contains(" limited by ")
        );
        assert!(!line.contains('\n'));
    }

    /// A chip with one bus message and one local constraint: `shape_of` counts the LogUp columns
    /// and constraints the batch prover adds.
    #[derive(Clone, Copy)]
    struct OneMessageAir;

    impl BaseAir<Val> for OneMessageAir {
        fn width(&self) -> usize {
            3
        }

        fn main_next_row_columns(&self) -> Vec<usize> {
            Vec::new()
        }
    }

    impl Air<InteractionSymbolicBuilder<Val, Challenge>> for OneMessageAir {
        fn eval(&self, builder: &mut InteractionSymbolicBuilder<Val, Challenge>) {
            let main = builder.main();
            let (a, b, c) = (
                main.current_slice()[0],
                main.current_slice()[1],
                main.current_slice()[2],
            );
            builder.assert_zero(a * b - c);
            builder.push_interaction("bus", [a, b], 1);
        }
    }

    #[test]
    fn shape_of_counts_the_logup_columns_and_constraints() {
        let lookups = Lookups::<Val>::from_air::<Challenge, _>(&OneMessageAir);
        let shape = shape_of("one", &OneMessageAir, 10, &lookups);
        let bare = shape_of("one", &OneMessageAir, 10, &[]);
        assert_eq!(
            (shape.width, shape.log_height, shape.preprocessed_width),
            (3, 10, 0)
        );
        assert_eq!(
            (
                shape.num_lookups,
                shape.num_interactions,
                shape.max_message_width
            ),
            (1, 1, 2)
        );
        assert_eq!((bare.num_constraints, bare.max_constraint_degree), (1, 2));
        assert!(shape.num_constraints > bare.num_constraints, "{shape:?}");
        assert!(!shape.uses_next_row && !shape.preprocessed_uses_next_row);
        // Main at one point (3), one quotient chunk (4), accumulator + fraction at two (16).
        assert_eq!(shape.num_batched_openings(), 3 + 4 + 16);
        assert_eq!(shape.max_combo(), 2);
    }
}
