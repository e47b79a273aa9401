//! The HALT chip's constraints.

use geode_stark::Val;
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::HaltChip;
use super::columns::HaltCols;
use crate::bus::{ByteOp, byte_lookup, check_top_byte_below_32};
use crate::memory::access::eval_read;
use crate::memory::word_of_bytes;
use crate::syscall::eval_entry;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for HaltChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = HaltCols::from_slice(main.current_slice());
        let next = HaltCols::from_slice(main.next_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let real = e(local.is_real);

        // Exactly one real row: the first.
        builder.when_first_row().assert_one(local.is_real);
        builder.when_transition().assert_zero(next.is_real);
        builder.assert_bool(local.is_real);

        // The HALT ecall (t0 = 0, result = a0 = exit code), then a1, a2 and the digest words.
        let exit = local.exit_code.map(e);
        let (a1, a2) = (&local.a1_access, &local.a2_access);
        let ts = eval_entry(
            builder,
            e(local.clk),
            [AB::Expr::ZERO, AB::Expr::ZERO],
            &exit,
            &exit,
            a1,
            a2,
            real.clone(),
        );
        let ptr = local.a1_access.prev_value.map(e);
        // Word aligned: the low byte is 4·q with q < 64 (q and 4q both bytes).
        let four = AB::Expr::from_u8(4);
        builder.assert_zero(real.clone() * (ptr[0].clone() - e(local.ptr_quarter) * four.clone()));
        byte_lookup(
            builder,
            ByteOp::Pair,
            e(local.ptr_quarter),
            e(local.ptr_quarter) * four,
            AB::Expr::ZERO,
            real.clone(),
        );
        check_top_byte_below_32(builder, ptr[3].clone(), real.clone());
        let base = word_of_bytes(&ptr);
        for (k, access) in local.digest.iter().enumerate() {
            let addr = base.clone() + AB::Expr::from_usize(4 * k);
            eval_read(builder, access, addr, ts.clone(), real.clone());
        }

        // Public values: exit code bytes, then digest bytes.
        let public: Vec<AB::Expr> = builder.public_values().iter().map(|&p| p.into()).collect();
        let mut first = builder.when_first_row();
        for (k, byte) in exit.iter().enumerate() {
            first.assert_eq(byte.clone(), public[k].clone());
        }
        for (w, access) in local.digest.iter().enumerate() {
            for (k, &byte) in access.prev_value.iter().enumerate() {
                first.assert_eq(byte, public[4 + 4 * w + k].clone());
            }
        }
    }
}
