//! Constraints of the memory-final chip.

use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::MemoryFinalChip;
use super::columns::MemoryFinalCols;
use crate::bus::GeodeBus;
use crate::memory::range::eval_below_2_29;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for MemoryFinalChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = MemoryFinalCols::from_slice(main.current_slice());
        let next = MemoryFinalCols::from_slice(main.next_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let one = AB::Expr::ONE;

        // Real rows first: has_next is next.is_real (0 on the last row, where "next" wraps to
        // row 0), and a row followed by a real row is real.
        builder.assert_bool(local.is_real);
        builder
            .when_transition()
            .assert_eq(local.has_next, next.is_real);
        builder.when_last_row().assert_zero(local.has_next);
        builder.assert_zero(e(local.has_next) * (one.clone() - e(local.is_real)));

        // Strictly increasing addresses: next.addr − addr − 1 ∈ [0, 2^29).
        let gap = e(local.gap_lo) + e(local.gap_hi) * AB::Expr::from_u32(1 << 16);
        builder
            .when(local.has_next)
            .assert_eq(e(next.addr) - e(local.addr) - one, gap);
        eval_below_2_29(builder, local.gap_lo, local.gap_hi, e(local.has_next));

        let mut message = vec![e(local.addr)];
        message.extend(local.value.map(e));
        message.push(e(local.ts));
        GeodeBus::Memory.receive(builder, message, e(local.is_real), 1);
    }
}
