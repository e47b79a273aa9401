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

        // The message, read before the sub-builder borrows `builder`: the cycle, the preimage
        // (constant over the block) and the final state, lane x + 5y, little-endian limbs.
        let mut message = vec![e(clk)];
        for y in 0..5 {
            for x in 0..5 {
                message.extend(local.preimage[y][x].map(e));
            }
        }
        for y in 0..5 {
            for x in 0..5 {
                message.extend((0..U64_LIMBS).map(|l| e(local.a_prime_prime_prime(y, x, l))));
            }
        }
        let export = e(local.export);
        let not_final = AB::Expr::ONE - e(local.step_flags[NUM_ROUNDS - 1]);

        // One permutation serves one ecall: the cycle is constant within a block.
        builder
            .when_transition()
            .assert_zero(not_final * (e(next_clk) - e(clk)));

        let mut sub = SubAirBuilder::<AB, KeccakAir, AB::Var>::new(builder, 0..NUM_KECCAK_COLS);
        KeccakAir {}.eval(&mut sub);

        GeodeBus::Keccak.receive(builder, message, export, 1);
    }
}
