//! Constraints of the memory-init chip.

use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::MemoryInitChip;
use super::columns::MemoryInitCols;
use crate::bus::GeodeBus;
use crate::memory::range::eval_below_2_29;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for MemoryInitChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let row = MemoryInitCols::from_slice(main.current_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        builder.assert_bool(row.is_real);

        // The address is below 2^29 (holds on all-zero padding rows too).
        let limbs = e(row.addr_lo) + e(row.addr_hi) * AB::Expr::from_u32(1 << 16);
        builder.assert_eq(row.addr, limbs);
        eval_below_2_29(builder, row.addr_lo, row.addr_hi, e(row.is_real));

        // (addr, value 0 as four zero bytes, timestamp 0).
        let message = std::iter::once(e(row.addr)).chain(std::iter::repeat_n(AB::Expr::ZERO, 5));
        GeodeBus::Memory.send(builder, message, e(row.is_real), 1);
    }
}
