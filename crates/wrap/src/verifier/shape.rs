//! The shape of a wrap-configuration proof: everything the circuit's structure depends on,
//! derived from the chips, their log heights and the parameters alone — never from a proof.
//!
//! Two proofs of one shape give circuits of one structure, so a key made for the shape proves
//! and verifies them all; the values (commitments, openings, challenges) are witnesses.

use geode_stark::config::wrap::{self, WrapConfig};
use geode_stark::{Challenge, FastParams, StarkAir, Val};
use p3_air::symbolic::AirLayout;
use p3_batch_stark::BatchShape;
use p3_batch_stark::symbolic::get_log_num_quotient_chunks_for_domain;
use p3_challenger::CanObserve;
use p3_field::PrimeCharacteristicRing;
use p3_field::coset::TwoAdicMultiplicativeCoset;
use p3_fri::{FriShape, PcsShape};
use p3_lookup::logup::LogUpGadget;
use p3_lookup::{Kind, Lookups, assert_uniform_tuple_width};
use pasta_curves::Fp;
use std::collections::HashMap;

use crate::WrapError;

/// What the circuit needs to know about one chip of the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceShape {
    /// The chip's name.
    pub name: String,
    /// log2 of its trace height.
    pub log_height: usize,
    /// Main-trace width.
    pub width: usize,
    /// Whether the main trace is opened at the next row.
    pub opens_next: bool,
    /// Preprocessed width (0 when none).
    pub preprocessed_width: usize,
    /// Whether the preprocessed trace is opened at the next row.
    pub preprocessed_opens_next: bool,
    /// Public values.
    pub num_public_values: usize,
    /// LogUp lookups (0 when the chip has none).
    pub num_lookups: usize,
    /// log2 of the number of quotient chunks.
    pub log_num_quotient_chunks: usize,
}

impl InstanceShape {
    /// Width of the permutation (LogUp) trace in extension elements: one accumulator and one
    /// fraction column per lookup, or nothing.
    pub fn permutation_width(&self) -> usize {
        if self.num_lookups == 0 {
            0
        } else {
            self.num_lookups + 1
        }
    }
}

/// The shape of a batch proof under the wrap configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    /// The chips, in proof order.
    pub instances: Vec<InstanceShape>,
    /// The FRI and grinding parameters.
    pub params: FastParams,
    /// The instances with preprocessed columns, in the order of their matrices.
    pub preprocessed_instances: Vec<usize>,
    /// The preprocessed commitment (a property of the chips, like a verifying key).
    pub preprocessed_commitment: Option<Fp>,
    /// What the batch transcript absorbs before anything else (its domain separator).
    pub batch_seed: Vec<Val>,
    /// What the opening argument's transcript absorbs first.
    pub pcs_seed: Vec<Val>,
    /// What FRI's transcript absorbs first.
    pub fri_seed: Vec<Val>,
    /// FRI commit-phase rounds (binary folds).
    pub fri_rounds: usize,
    /// Bits of a query index: log2 of the tallest LDE.
    pub index_bits: usize,
    /// For each chip, each lookup's bus (an index into the bus prefixes LogUp derives from its
    /// `alpha` and `beta`: global buses by name in order of appearance, each local lookup its
    /// own).
    pub lookup_buses: Vec<Vec<usize>>,
    /// The widest message of any lookup (at least 1).
    pub max_message_width: usize,
    /// How many buses.
    pub num_buses: usize,
}

/// Collects what a domain separator absorbs.
#[derive(Default)]
struct Collector(Vec<Val>);

impl CanObserve<Val> for Collector {
    fn observe(&mut self, value: Val) {
        self.0.push(value);
    }
}

impl Shape {
    /// The shape of proofs of `airs` at `log_heights` under the wrap configuration with
    /// `params`.
    ///
    /// # Errors
    /// If Plonky3 cannot lay the instances out (inconsistent heights or fixed tables).
    pub fn new<A: StarkAir<WrapConfig>>(
        params: &FastParams,
        airs: &[A],
        log_heights: &[usize],
    ) -> Result<Self, WrapError> {
        if airs.len() != log_heights.len() || airs.is_empty() {
            return Err(WrapError::Shape(format!(
                "{} chips and {} heights",
                airs.len(),
                log_heights.len()
            )));
        }
        geode_stark::check_heights(airs, log_heights, wrap::MAX_LOG_HEIGHT)
            .map_err(|e| WrapError::Shape(e.to_string()))?;
        let config = wrap::config(params);
        let data = geode_stark::prover_data(&config, airs, log_heights)
            .map_err(|e| WrapError::Shape(e.to_string()))?;
        let common = &data.common;
        let gadget = LogUpGadget::new();
        let mut instances = Vec::with_capacity(airs.len());
        for (i, (air, &log_height)) in airs.iter().zip(log_heights).enumerate() {
            let preprocessed_width = common
                .preprocessed
                .as_ref()
                .and_then(|g| g.instances[i].as_ref().map(|m| m.width))
                .unwrap_or(0);
            let layout = AirLayout {
                preprocessed_width,
                main_width: air.width(),
                num_public_values: air.num_public_values(),
                num_periodic_columns: air.num_periodic_columns(),
                ..Default::default()
            };
            let domain = TwoAdicMultiplicativeCoset::new(Val::ONE, log_height)
                .ok_or_else(|| WrapError::Shape(format!("log height {log_height}")))?;
            let log_num_quotient_chunks = get_log_num_quotient_chunks_for_domain::<
                Val,
                Challenge,
                A,
                _,
            >(
                air, layout, domain, &common.lookups[i], 0, &gadget
            );
            if log_height == 0 {
                return Err(WrapError::Shape(format!(
                    "{}: a trace of one row",
                    air.name()
                )));
            }
            if air.num_periodic_columns() != 0 {
                return Err(WrapError::Shape(format!(
                    "{}: periodic columns are not supported",
                    air.name()
                )));
            }
            instances.push(InstanceShape {
                name: air.name().to_owned(),
                log_height,
                width: air.width(),
                opens_next: !air.main_next_row_columns().is_empty(),
                preprocessed_width,
                preprocessed_opens_next: preprocessed_width > 0
                    && !air.preprocessed_next_row_columns().is_empty(),
                num_public_values: air.num_public_values(),
                num_lookups: common.lookups[i].len(),
                log_num_quotient_chunks,
            });
        }
        let (preprocessed_instances, preprocessed_commitment) = match &common.preprocessed {
            Some(g) => (
                g.matrix_to_instance.clone(),
                Some(g.commitment.roots()[0][0].0),
            ),
            None => (Vec::new(), None),
        };
        if params.log_final_poly_len != 0 || params.max_log_arity != 1 {
            return Err(WrapError::Shape(
                "the circuit folds by two down to a constant final polynomial".into(),
            ));
        }
        let mut shape = Self {
            instances,
            params: *params,
            preprocessed_instances,
            preprocessed_commitment,
            batch_seed: Vec::new(),
            pcs_seed: Vec::new(),
            fri_seed: Vec::new(),
            fri_rounds: 0,
            index_bits: 0,
            lookup_buses: Vec::new(),
            max_message_width: 1,
            num_buses: 0,
        };
        shape.number_buses(&common.lookups);
        shape.seed(params);
        Ok(shape)
    }

    /// Numbers the buses as `p3-batch-stark` lays out its lookup challenges.
    fn number_buses(&mut self, lookups: &[Lookups<Val>]) {
        let mut global: HashMap<&str, usize> = HashMap::new();
        let mut next = 0;
        self.lookup_buses = lookups
            .iter()
            .map(|contexts| {
                contexts
                    .iter()
                    .map(|ctx| {
                        let width = assert_uniform_tuple_width(&ctx.elements, "lookup");
                        self.max_message_width = self.max_message_width.max(width);
                        match &ctx.kind {
                            Kind::Global(name) => {
                                *global.entry(name.as_str()).or_insert_with(|| {
                                    next += 1;
                                    next - 1
                                })
                            }
                            Kind::Local => {
                                next += 1;
                                next - 1
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        self.num_buses = next;
    }

    /// Fills in the seeds and FRI's dimensions from Plonky3's own transcript descriptions.
    fn seed(&mut self, params: &FastParams) {
        let batch = BatchShape {
            trace_widths: self.instances.iter().map(|i| i.width).collect(),
            public_value_counts: self.instances.iter().map(|i| i.num_public_values).collect(),
            preprocessed_widths: self
                .instances
                .iter()
                .map(|i| i.preprocessed_width)
                .collect(),
            has_preprocessed_commitment: self.preprocessed_commitment.is_some(),
            num_lookup_instances: self.instances.iter().filter(|i| i.num_lookups > 0).count(),
            lookup_pow_bits: params.lookup_pow_bits,
            has_randomization_commitment: false,
            ood_pow_bits: params.ood_pow_bits,
        };
        let mut c = Collector::default();
        batch.domain_separator::<Val, Challenge>().seed(&mut c);
        self.batch_seed = c.0;

        let pcs = PcsShape {
            claimed_evaluation_counts: self.claimed_evaluation_counts(),
            batch_pow_bits: params.batch_pow_bits,
        };
        let mut c = Collector::default();
        pcs.domain_separator::<Val, Challenge>().seed(&mut c);
        self.pcs_seed = c.0;

        let mut heights: Vec<usize> = self
            .opened_matrices()
            .map(|log_height| log_height + params.log_blowup)
            .collect();
        heights.sort_unstable_by(|a, b| b.cmp(a));
        heights.dedup();
        self.index_bits = heights[0];
        let fri_params = params.fri(());
        let fri = FriShape::new(&fri_params, &heights, self.index_bits);
        self.fri_rounds = fri.log_arities.len();
        let mut c = Collector::default();
        fri.domain_separator::<Val, Challenge>().seed(&mut c);
        self.fri_seed = c.0;
    }

    /// The log height (before blowup) of every committed matrix, in opening order.
    fn opened_matrices(&self) -> impl Iterator<Item = usize> + '_ {
        self.input_log_heights().into_iter().flatten()
    }

    /// For each input commitment (trace, quotient, preprocessed, LogUp — those present), each
    /// of its matrices as `(log height before blowup, width in base values)`, in matrix order.
    fn input_matrices(&self) -> Vec<Vec<(usize, usize)>> {
        let ext = <Challenge as p3_field::BasedVectorSpace<Val>>::DIMENSION;
        let trace = self
            .instances
            .iter()
            .map(|i| (i.log_height, i.width))
            .collect();
        let quotient = self
            .instances
            .iter()
            .flat_map(|i| std::iter::repeat_n((i.log_height, ext), 1 << i.log_num_quotient_chunks))
            .collect();
        let mut batches = vec![trace, quotient];
        if self.preprocessed_commitment.is_some() {
            batches.push(
                self.preprocessed_instances
                    .iter()
                    .map(|&i| {
                        (
                            self.instances[i].log_height,
                            self.instances[i].preprocessed_width,
                        )
                    })
                    .collect(),
            );
        }
        let permutation: Vec<(usize, usize)> = self
            .instances
            .iter()
            .filter(|i| i.num_lookups > 0)
            .map(|i| (i.log_height, i.permutation_width() * ext))
            .collect();
        if !permutation.is_empty() {
            batches.push(permutation);
        }
        batches
    }

    /// For each input commitment (trace, quotient, preprocessed, LogUp — those present), the
    /// log height (before blowup) of each of its matrices, in matrix order.
    pub fn input_log_heights(&self) -> Vec<Vec<usize>> {
        let batches = self.input_matrices();
        batches
            .iter()
            .map(|b| b.iter().map(|m| m.0).collect())
            .collect()
    }

    /// For each input commitment, the width (in base values) of each of its matrices, in
    /// matrix order (as [`Shape::input_log_heights`]).
    pub fn input_widths(&self) -> Vec<Vec<usize>> {
        let batches = self.input_matrices();
        batches
            .iter()
            .map(|b| b.iter().map(|m| m.1).collect())
            .collect()
    }

    /// For each commitment round, each matrix, each opening point: how many values are
    /// claimed (Plonky3's `PcsShape`).
    pub fn claimed_evaluation_counts(&self) -> Vec<Vec<Vec<usize>>> {
        let two = |w: usize, next: bool| if next { vec![w, w] } else { vec![w] };
        let trace = self
            .instances
            .iter()
            .map(|i| two(i.width, i.opens_next))
            .collect();
        let ext = <Challenge as p3_field::BasedVectorSpace<Val>>::DIMENSION;
        let quotient = self
            .instances
            .iter()
            .flat_map(|i| std::iter::repeat_n(vec![ext], 1 << i.log_num_quotient_chunks))
            .collect();
        let mut rounds = vec![trace, quotient];
        if self.preprocessed_commitment.is_some() {
            rounds.push(
                self.preprocessed_instances
                    .iter()
                    .map(|&i| {
                        let inst = &self.instances[i];
                        two(inst.preprocessed_width, inst.preprocessed_opens_next)
                    })
                    .collect(),
            );
        }
        if self.instances.iter().any(|i| i.num_lookups > 0) {
            rounds.push(
                self.instances
                    .iter()
                    .filter(|i| i.num_lookups > 0)
                    .map(|i| vec![i.permutation_width() * ext; 2])
                    .collect(),
            );
        }
        rounds
    }
}
