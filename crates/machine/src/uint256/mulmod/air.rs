//! Constraints of the UINT256_MULMOD chip.

use geode_stark::Val;
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::MulModChip;
use super::columns::MulModCols;
use crate::uint256::field_eq::eval_field_eq;
use crate::uint256::less_than::eval_less_than;
use crate::uint256::{LIMBS, conv_expr};
use crate::word_io::{eval_pointer_entry, request_words};

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for MulModChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = MulModCols::from_slice(main.current_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let limbs = |l: &[AB::Var; LIMBS]| -> Vec<AB::Expr> { l.iter().map(|&v| e(v)).collect() };
        let real = e(local.is_real);
        builder.assert_bool(local.is_real);

        let [id_lo, id_hi, ..] = geode_platform::syscall::UINT256_MULMOD.to_le_bytes();
        let [x_ptr, ym_ptr] = eval_pointer_entry(
            builder,
            &local.entry,
            [
                real.clone() * AB::Expr::from_u8(id_lo),
                real.clone() * AB::Expr::from_u8(id_hi),
            ],
            real.clone(),
            real.clone(),
        );
        let clk = e(local.entry.clk);

        let (x, y, m, r) = (
            limbs(&local.x),
            limbs(&local.y),
            limbs(&local.m),
            limbs(&local.r),
        );
        request_words(builder, clk.clone(), x_ptr, &x, &r, real.clone());
        let operands: Vec<AB::Expr> = y.iter().chain(&m).cloned().collect();
        request_words(builder, clk, ym_ptr, &operands, &operands, real.clone());

        let mut eq = conv_expr(&x, &y);
        for (c, rk) in eq.iter_mut().zip(&r) {
            *c -= rk.clone();
        }
        eval_field_eq(builder, &local.eq, &eq, &m, real.clone());
        eval_less_than(builder, &local.r_lt, &r, &m, real);
    }
}
