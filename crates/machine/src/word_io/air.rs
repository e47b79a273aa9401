//! Constraints of the word-io chip.

use geode_executor::record::SLOT_MEM;
use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::WordIoChip;
use super::columns::WordIoCols;
use crate::bus::GeodeBus;
use crate::memory::access::eval_access;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for WordIoChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = WordIoCols::from_slice(main.current_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let real = e(local.is_real);
        builder.assert_bool(local.is_real);
        let ts = e(local.clk) * AB::Expr::from_u8(4) + AB::Expr::from_u32(SLOT_MEM);
        let mut message = vec![e(local.clk), e(local.addr)];
        for access in &local.access {
            message.extend(access.prev_value.map(e));
        }
        for (h, (access, value)) in local.access.iter().zip(&local.value).enumerate() {
            let addr = e(local.addr) + AB::Expr::from_usize(4 * h);
            eval_access(
                builder,
                access,
                addr,
                value.map(e),
                ts.clone(),
                real.clone(),
            );
            message.extend(value.map(e));
        }
        GeodeBus::WordIo.receive(builder, message, real, 1);
    }
}
