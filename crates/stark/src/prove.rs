//! Proving and verifying a batch of chips.

use p3_air::AirLayout;
use p3_air::{Air, DebugConstraintBuilder};
use p3_batch_stark::folder::{
    ProverConstraintFolderWithLookups, VerifierConstraintFolderWithLookups,
};
use p3_batch_stark::symbolic::get_log_num_quotient_chunks_for_domain;
use p3_batch_stark::{ProverData, prove_batch_traces};
use p3_commit::{Pcs, PolynomialSpace};
use p3_lookup::InteractionSymbolicBuilder;
use p3_lookup::Lookups;
use p3_lookup::logup::LogUpGadget;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use std::borrow::Borrow;

use crate::chip::Chip;
use crate::config::{Challenge, FastConfig, GeodeConfig, Val};
use crate::error::StarkError;
use crate::proof::{PROOF_VERSION, StarkProofOf};
use crate::verifier_key::{VerifierKey, verify_with_key};

/// Largest trace a proof may claim: KoalaBear's two-adicity (24) must hold the trace, its
/// blowup and the quotient's degree.
pub const MAX_LOG_HEIGHT: usize = 22;

/// Everything an AIR must support to be proven and verified under configuration `SC` (the fast
/// one by default) and checked by the debug checker. Blanket-implemented: a chip written once
/// for any `AirBuilder<F = Val> + InteractionBuilder` is a `StarkAir` of every [`GeodeConfig`].
pub trait StarkAir<SC: GeodeConfig = FastConfig>:
    Chip<Val>
    + Air<InteractionSymbolicBuilder<Val, Challenge>>
    + for<'a> Air<ProverConstraintFolderWithLookups<'a, SC>>
    + for<'a> Air<VerifierConstraintFolderWithLookups<'a, SC>>
    + for<'a> Air<DebugConstraintBuilder<'a, Val, Challenge>>
    + for<'a> Air<DebugConstraintBuilder<'a, Val>>
    + Clone
    + Sync
{
}

impl<SC: GeodeConfig, T> StarkAir<SC> for T where
    T: Chip<Val>
        + Air<InteractionSymbolicBuilder<Val, Challenge>>
        + for<'a> Air<ProverConstraintFolderWithLookups<'a, SC>>
        + for<'a> Air<VerifierConstraintFolderWithLookups<'a, SC>>
        + for<'a> Air<DebugConstraintBuilder<'a, Val, Challenge>>
        + for<'a> Air<DebugConstraintBuilder<'a, Val>>
        + Clone
        + Sync
{
}

/// Proves that each `traces[i]` satisfies `airs[i]` with public values `public_values[i]`, and
/// that the chips' buses balance, in one batch proof. [`prove_owned`] takes the traces by value
/// and frees them halfway, for a lower peak.
///
/// # Errors
/// [`StarkError::Prover`] if the inputs are inconsistent or Plonky3 fails.
pub fn prove<SC: GeodeConfig, A: StarkAir<SC>>(
    config: &SC,
    airs: &[A],
    traces: &[RowMajorMatrix<Val>],
    public_values: &[Vec<Val>],
) -> Result<StarkProofOf<SC>, StarkError> {
    let data = prepare(config, airs, traces, public_values)?;
    prove_with(config, airs, traces.iter().collect(), public_values, &data)
}

/// [`prove`], given the traces by value: Plonky3 drops them once the LogUp traces are generated
/// (the rest of the proof reads only their low-degree extensions), so at 2^20 cycles the peak
/// is about 0.3 GB lower.
///
/// # Errors
/// As [`prove`].
pub fn prove_owned<SC: GeodeConfig, A: StarkAir<SC>>(
    config: &SC,
    airs: &[A],
    traces: Vec<RowMajorMatrix<Val>>,
    public_values: &[Vec<Val>],
) -> Result<StarkProofOf<SC>, StarkError> {
    let data = prepare(config, airs, &traces, public_values)?;
    prove_with(config, airs, traces, public_values, &data)
}

/// The batch proof of checked inputs, over borrowed or owned traces.
fn prove_with<SC: GeodeConfig, A: StarkAir<SC>, T: Borrow<RowMajorMatrix<Val>>>(
    config: &SC,
    airs: &[A],
    traces: Vec<T>,
    public_values: &[Vec<Val>],
    data: &ProverData<SC>,
) -> Result<StarkProofOf<SC>, StarkError> {
    let inner = prove_batch_traces(config, airs.iter().collect(), traces, public_values, data)
        .map_err(|e| StarkError::Prover(format!("{e:?}")))?;
    Ok(StarkProofOf {
        version: PROOF_VERSION,
        chips: airs.iter().map(|a| a.name().to_owned()).collect(),
        inner,
    })
}

/// Checks that the inputs are consistent (one trace and one public value list per chip, each
/// trace of a provable height and the chip's width) and derives the prover's fixed data.
fn prepare<SC: GeodeConfig, A: StarkAir<SC>>(
    config: &SC,
    airs: &[A],
    traces: &[RowMajorMatrix<Val>],
    public_values: &[Vec<Val>],
) -> Result<ProverData<SC>, StarkError> {
    if airs.len() != traces.len() || airs.len() != public_values.len() || airs.is_empty() {
        return Err(StarkError::Prover(format!(
            "{} chips, {} traces, {} public value lists",
            airs.len(),
            traces.len(),
            public_values.len()
        )));
    }
    for (air, trace) in airs.iter().zip(traces) {
        let (h, w) = (trace.height(), trace.width());
        if !h.is_power_of_two() || h.ilog2() as usize > MAX_LOG_HEIGHT || w != air.width() {
            let name = air.name();
            return Err(StarkError::Prover(format!(
                "{name}: trace of {h} rows x {w} columns, AIR width {}",
                air.width()
            )));
        }
    }
    // Plonky3's degree bits count a zero-knowledge configuration's doubled trace.
    let log_heights: Vec<usize> = traces
        .iter()
        .map(|t| t.height().ilog2() as usize + config.is_zk())
        .collect();
    prover_data(config, airs, &log_heights)
}

/// Verifies `proof` against `airs` (the chips the proof names, in its order) and their public
/// values. Hostile proofs are rejected with an error, never a panic. Derives the shape's
/// [`VerifierKey`] first; a verifier that checks many proofs keeps it
/// ([`crate::verify_with_key`], [`crate::KeyCache`]).
///
/// # Errors
/// [`StarkError::BadShape`] or [`StarkError::Rejected`].
pub fn verify<SC: GeodeConfig, A: StarkAir<SC>>(
    config: &SC,
    airs: &[A],
    proof: &StarkProofOf<SC>,
    public_values: &[Vec<Val>],
) -> Result<(), StarkError> {
    check_proof(airs, proof, public_values)?;
    let key = VerifierKey::new(config, airs, &proof.inner.degree_bits)?;
    verify_with_key(config, airs, &key, proof, public_values)
}

/// Checks the proof's version, its per-chip counts and its chip names against `airs`: all that
/// Plonky3 would otherwise assert on but the heights ([`check_heights`]).
pub(crate) fn check_proof<SC: GeodeConfig, A: StarkAir<SC>>(
    airs: &[A],
    proof: &StarkProofOf<SC>,
    public_values: &[Vec<Val>],
) -> Result<(), StarkError> {
    let bad = |msg: String| Err(StarkError::BadShape(msg));
    if proof.version != PROOF_VERSION {
        return Err(StarkError::UnsupportedVersion {
            found: proof.version,
            supported: PROOF_VERSION,
        });
    }
    let n = airs.len();
    let inner = &proof.inner;
    let counts = [
        proof.chips.len(),
        public_values.len(),
        inner.degree_bits.len(),
        inner.opened_values.instances.len(),
        inner.lookup_terminals.len(),
    ];
    if n == 0 || counts.iter().any(|&c| c != n) {
        return bad(format!("{n} chips but per-instance counts {counts:?}"));
    }
    for (air, name) in airs.iter().zip(&proof.chips) {
        if air.name() != name {
            return bad(format!(
                "proof names chip {name:?} where {:?} was expected",
                air.name()
            ));
        }
    }
    Ok(())
}

/// Checks that each of `airs` may have its log height under a configuration whose tallest
/// trace is `2^max_log_height` ([`MAX_LOG_HEIGHT`] for the fast one): in range, and its fixed
/// table's if it has one. Plonky3 asserts on either, and heights come from proofs.
///
/// # Errors
/// [`StarkError::BadShape`], naming the chip.
pub fn check_heights<A: Chip<Val>>(
    airs: &[A],
    log_heights: &[usize],
    max_log_height: usize,
) -> Result<(), StarkError> {
    let bad = |msg: String| Err(StarkError::BadShape(msg));
    for (air, &bits) in airs.iter().zip(log_heights) {
        let name = air.name();
        if bits == 0 || bits > max_log_height {
            return bad(format!(
                "{name}: log height {bits} is out of range 1..={max_log_height}"
            ));
        }
        if let Some(prep) = air.preprocessed_trace() {
            let expected = prep.height().ilog2() as usize;
            if prep.width() > 0 && bits != expected {
                return bad(format!(
                    "{name}: log height {bits}, but its fixed table has log height {expected}"
                ));
            }
        }
    }
    Ok(())
}

/// The security estimate of a proof of `airs` at the given log heights, with the lookups packed
/// exactly as the prover packs them.
///
/// # Errors
/// If Plonky3 cannot lay out the instances (inconsistent inputs).
pub fn security_of<A: StarkAir>(
    params: &crate::config::FastParams,
    airs: &[A],
    log_heights: &[usize],
) -> Result<crate::security::SecurityReport, StarkError> {
    let config = params.config();
    let data = prover_data(&config, airs, log_heights)?;
    let shapes: Vec<_> = airs
        .iter()
        .zip(log_heights)
        .zip(&data.common.lookups)
        .map(|((air, &bits), lookups)| crate::security::shape_of(air.name(), air, bits, lookups))
        .collect();
    Ok(crate::security::estimate(params, &shapes))
}

/// The fraction-pin degree [`prover_data`] lets same-bus interactions pack up to, where that
/// commits fewer columns: two interactions with linear messages per LogUp column, at the price
/// of a second quotient chunk (a degree-3 quotient, which any `log_blowup >= 1` certifies).
const PACKING_BUDGET: usize = 3;

/// The prover's (and, through [`crate::VerifierKey`], the verifier's) data for `airs` at
/// `log_heights`: the fixed tables' commitment and each chip's lookup layout.
///
/// Plonky3 packs a chip's same-bus interactions only as far as its quotient's chunk count
/// allows. A chip whose constraints have degree 2 (one quotient chunk) then commits one
/// extension column per interaction. Packing pairs instead costs a second quotient chunk (one
/// extension column) and saves one column per pair, so each chip gets [`PACKING_BUDGET`] where
/// that commits fewer base columns in all. The choice depends on the chips and heights only,
/// so prover and verifier derive the same layout.
///
/// # Errors
/// If Plonky3 cannot lay out or commit the fixed tables.
pub fn prover_data<SC: GeodeConfig, A: StarkAir<SC>>(
    config: &SC,
    airs: &[A],
    log_heights: &[usize],
) -> Result<ProverData<SC>, StarkError> {
    let budgets: Vec<usize> = airs
        .iter()
        .zip(log_heights)
        .map(|(air, &bits)| packing_budget(config, air, bits))
        .collect();
    // Budget 3 means at most two quotient chunks, which `log_blowup = 1` already certifies.
    ProverData::from_airs_and_degrees_with_lookup_budgets(config, airs, log_heights, &budgets, 1)
        .map_err(|e| StarkError::Prover(format!("{e:?}")))
}

/// [`PACKING_BUDGET`] if it commits fewer base columns for `air` than Plonky3's default
/// packing, else 0 (the default).
fn packing_budget<SC: GeodeConfig, A: StarkAir<SC>>(
    config: &SC,
    air: &A,
    log_height: usize,
) -> usize {
    // As Plonky3 lays out the lookups: the trace's own domain, without the ZK doubling.
    let is_zk = config.is_zk();
    let domain = config
        .pcs()
        .natural_domain_for_degree(1 << (log_height - is_zk));
    let gadget = LogUpGadget::new();
    let unpacked = Lookups::<Val>::from_air::<Challenge, A>(air);
    if unpacked.is_empty() {
        return 0;
    }
    let log_chunks = |lookups: &Lookups<Val>| {
        get_log_num_quotient_chunks_for_domain::<Val, Challenge, A, _>(
            air,
            AirLayout::from_air(air),
            domain,
            lookups,
            is_zk,
            &gadget,
        )
    };
    let pack = |budget: usize| {
        unpacked
            .clone()
            .pack_same_bus_with_degree(budget, |lookup| {
                gadget
                    .constraint_degree_with_transition(lookup, domain.transition_degree_multiple())
            })
    };
    // Fraction columns, the accumulator and the quotient chunks, each an extension column.
    let committed =
        |lookups: &Lookups<Val>, log_chunks: usize| lookups.len() + 1 + (1 << log_chunks);
    // Plonky3's own budget: the largest degree that keeps the unpacked chunk count.
    let free_log_chunks = log_chunks(&unpacked);
    let free = (1 << free_log_chunks) + 1 - is_zk;
    if free >= PACKING_BUDGET {
        return 0;
    }
    let default = pack(free);
    let packed = pack(PACKING_BUDGET);
    let packed_log_chunks = log_chunks(&packed);
    if packed_log_chunks <= 1
        && committed(&packed, packed_log_chunks) < committed(&default, log_chunks(&default))
    {
        PACKING_BUDGET
    } else {
        0
    }
}
