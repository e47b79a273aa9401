//! Constraints of the secp256k1 point chip.

use geode_stark::Val;
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::columns::Secp256k1Cols;
use super::{OFFSET_SHIFT, P_BYTES, Secp256k1Chip};
use crate::bus::{ByteOp, byte_lookup};
use crate::uint256::field_eq::eval_field_eq;
use crate::uint256::less_than::eval_less_than;
use crate::uint256::{EQ_COEFFS, LIMBS, conv_expr, shifted_modulus};
use crate::word_io::{eval_pointer_entry, request_words};

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for Secp256k1Chip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = Secp256k1Cols::from_slice(main.current_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let limbs = |l: &[AB::Var; LIMBS]| -> Vec<AB::Expr> { l.iter().map(|&v| e(v)).collect() };
        let (add, double) = (e(local.is_add), e(local.is_double));
        let real = add.clone() + double.clone();
        builder.assert_bool(local.is_add);
        builder.assert_bool(local.is_double);
        builder.assert_bool(real.clone());

        // The ecall: id 0x101 (add) or 0x102 (double); a0 (and for an add a1) a RAM pointer.
        let [p_ptr, q_ptr] = eval_pointer_entry(
            builder,
            &local.entry,
            [add.clone() + double.clone() * AB::Expr::TWO, real.clone()],
            real.clone(),
            add.clone(),
        );
        let clk = e(local.entry.clk);

        // A doubling adds P to itself.
        for (qc, pc) in local.q.iter().zip(&local.p) {
            for (&qk, &pk) in qc.iter().zip(pc) {
                builder.assert_zero(double.clone() * (e(qk) - e(pk)));
            }
        }

        // Memory: P is replaced by R; Q is read (and left as it was).
        let flat = |pt: &[[AB::Var; LIMBS]; 2]| -> Vec<AB::Expr> {
            pt.iter().flatten().map(|&v| e(v)).collect()
        };
        let (p, q, r) = (flat(&local.p), flat(&local.q), flat(&local.r));
        request_words(builder, clk.clone(), p_ptr, &p, &r, real.clone());
        request_words(builder, clk, q_ptr, &q, &q, add.clone());

        // λ and inv are bytes.
        for (&l, &i) in local.lambda.iter().zip(&local.inv) {
            byte_lookup(
                builder,
                ByteOp::Pair,
                e(l),
                e(i),
                AB::Expr::ZERO,
                real.clone(),
            );
        }

        let [x1, y1] = [limbs(&local.p[0]), limbs(&local.p[1])];
        let [x2, y2] = [limbs(&local.q[0]), limbs(&local.q[1])];
        let [x3, y3] = [limbs(&local.r[0]), limbs(&local.r[1])];
        let (lambda, inv) = (limbs(&local.lambda), limbs(&local.inv));
        let modulus: Vec<AB::Expr> = P_BYTES.iter().map(|&b| AB::Expr::from_u8(b)).collect();
        let offset = shifted_modulus(&P_BYTES, OFFSET_SHIFT);
        // `real·2^259·p + terms`: every equation's coefficients start from the offset.
        let start = || -> Vec<AB::Expr> {
            offset
                .iter()
                .map(|&c| real.clone() * AB::Expr::from_u8(c))
                .collect()
        };
        let sub = |a: &[AB::Expr], b: &[AB::Expr]| -> Vec<AB::Expr> {
            a.iter()
                .zip(b)
                .map(|(x, y)| x.clone() - y.clone())
                .collect()
        };
        let scale = |s: AB::Expr, v: Vec<AB::Expr>| -> Vec<AB::Expr> {
            v.into_iter().map(|x| s.clone() * x).collect()
        };
        let accumulate = |acc: &mut Vec<AB::Expr>, v: Vec<AB::Expr>| {
            for (a, x) in acc.iter_mut().zip(v) {
                *a += x;
            }
        };
        let d_add = sub(&x2, &x1);
        let d_double: Vec<AB::Expr> = y1.iter().map(|y| y.clone() * AB::Expr::TWO).collect();

        // 1. inv·d ≡ 1.
        let mut eq_inv = start();
        eq_inv[0] -= real.clone();
        accumulate(&mut eq_inv, scale(add.clone(), conv_expr(&inv, &d_add)));
        accumulate(
            &mut eq_inv,
            scale(double.clone(), conv_expr(&inv, &d_double)),
        );

        // 2. λ·d ≡ n.
        let mut eq_slope = start();
        let mut slope_add = conv_expr(&lambda, &d_add);
        accumulate(&mut slope_add, sub(&y1, &y2));
        accumulate(&mut eq_slope, scale(add, slope_add));
        let mut slope_double = conv_expr(&lambda, &d_double);
        let square = conv_expr(&x1, &x1);
        accumulate(&mut slope_double, scale(-AB::Expr::from_u8(3), square));
        accumulate(&mut eq_slope, scale(double, slope_double));

        // 3. x3 ≡ λ² − x1 − x2.
        let mut eq_x = start();
        accumulate(&mut eq_x, conv_expr(&lambda, &lambda));
        for v in [&x1, &x2, &x3] {
            accumulate(&mut eq_x, scale(-AB::Expr::ONE, v.clone()));
        }

        // 4. y3 ≡ λ·(x1 − x3) − y1.
        let mut eq_y = start();
        accumulate(&mut eq_y, conv_expr(&lambda, &sub(&x1, &x3)));
        for v in [&y1, &y3] {
            accumulate(&mut eq_y, scale(-AB::Expr::ONE, v.clone()));
        }

        for (cols, eq) in local.eq.iter().zip([eq_inv, eq_slope, eq_x, eq_y]) {
            debug_assert_eq!(eq.len(), EQ_COEFFS);
            eval_field_eq(builder, cols, &eq, &modulus, real.clone());
        }
        for (lt, coord) in local.r_lt.iter().zip([x3, y3]) {
            eval_less_than(builder, lt, &coord, &modulus, real.clone());
        }
    }
}
