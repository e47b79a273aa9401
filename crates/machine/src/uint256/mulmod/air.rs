//! Constraints of the UINT256_MULMOD chip.

use geode_stark::Val;
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::MulModChip;
use super::columns::MulModCols;
use crate::syscall::{eval_entry, eval_ram_pointer};
use crate::uint256::field_eq::eval_field_eq;
use crate::uint256::less_than::eval_less_than;
use crate::uint256::{LIMBS, conv_expr};
use crate::word_io::request_words;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for MulModChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = MulModCols::from_slice(main.current_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let limbs = |l: &[AB::Var; LIMBS]| -> Vec<AB::Expr> { l.iter().map(|&v| e(v)).collect() };
        let real = e(local.is_real);
        builder.assert_bool(local.is_real);

        let a0 = local.a0.map(e);
        let a1 = local.a1_access.prev_value.map(e);
        let [id_lo, id_hi, ..] = geode_platform::syscall::UINT256_MULMOD.to_le_bytes();
        eval_entry(
            builder,
            e(local.clk),
            [
                real.clone() * AB::Expr::from_u8(id_lo),
                real.clone() * AB::Expr::from_u8(id_hi),
            ],
            &a0,
            &a0,
            &local.a1_access,
            &local.a2_access,
            real.clone(),
        );
        eval_ram_pointer(builder, &a0, e(local.a0_quarter), real.clone());
        eval_ram_pointer(builder, &a1, e(local.a1_quarter), real.clone());
        let word = |w: &[AB::Expr; 4]| {
            w.iter().rev().fold(AB::Expr::ZERO, |acc, b| {
                acc * AB::Expr::from_u16(256) + b.clone()
            })
        };

        let (x, y, m, r) = (
            limbs(&local.x),
            limbs(&local.y),
            limbs(&local.m),
            limbs(&local.r),
        );
        request_words(builder, e(local.clk), word(&a0), &x, &r, real.clone());
        let operands: Vec<AB::Expr> = y.iter().chain(&m).cloned().collect();
        request_words(
            builder,
            e(local.clk),
            word(&a1),
            &operands,
            &operands,
            real.clone(),
        );

        let mut eq = conv_expr(&x, &y);
        for (c, rk) in eq.iter_mut().zip(&r) {
            *c -= rk.clone();
        }
        eval_field_eq(builder, &local.eq, &eq, &m, real.clone());
        eval_less_than(builder, &local.r_lt, &r, &m, real);
    }
}
