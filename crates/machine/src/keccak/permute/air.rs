//! Constraints of the keccak permutation chip.

use std::borrow::Borrow;

use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_keccak_air::{KeccakAir, KeccakCols, NUM_KECCAK_COLS, NUM_ROUNDS, U64_LIMBS};
use p3_lookup::InteractionBuilder;
use p3_uni_stark::SubAirBuilder;

use super::{CLK, KeccakPermuteChip};
use crate::bus::GeodeBus;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for KeccakPermuteChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let (local_row, next_row) = (main.current_slice(), main.next_slice());
        let local: &KeccakCols<AB::Var> = local_row[..NUM_KECCAK_COLS].borrow();
        let (clk, next_clk) = (local_row[CLK], next_row[CLK]);
        let e = |v: AB::Var| -> AB::Expr { v.into() };

        // The messages, read before the sub-builder borrows `builder`: one per lane x + 5y,
        // the cycle, the lane, its preimage limbs (constant over the block) and its final limbs.
        let messages: Vec<Vec<AB::Expr>> = (0..5)
            .flat_map(|y| (0..5).map(move |x| (y, x)))
            .map(|(y, x)| {
                let mut message = vec![e(clk), AB::Expr::from_usize(x + 5 * y)];
                message.extend(local.preimage[y][x].map(e));
                message.extend((0..U64_LIMBS).map(|l| e(local.a_prime_prime_prime(y, x, l))));
                message
            })
            .collect();
        let export = e(local.export);
        let not_final = AB::Expr::ONE - e(local.step_flags[NUM_ROUNDS - 1]);

        // One permutation serves one ecall: the cycle is constant within a block.
        builder
            .when_transition()
            .assert_zero(not_final * (e(next_clk) - e(clk)));

        let mut sub = SubAirBuilder::<AB, KeccakAir, AB::Var>::new(builder, 0..NUM_KECCAK_COLS);
        KeccakAir {}.eval(&mut sub);

        for message in messages {
            GeodeBus::Keccak.receive(builder, message, export.clone(), 1);
        }
    }
}
