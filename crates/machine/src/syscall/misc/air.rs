//! Constraints of the register-only syscalls.

use geode_platform::syscall;
use geode_stark::Val;
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::MiscSyscallChip;
use super::columns::MiscSyscallCols;
use crate::bus::check_word_bytes;
use crate::syscall::eval_entry;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for MiscSyscallChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = MiscSyscallCols::from_slice(main.current_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let (write, commit, hint_len) =
            (e(local.is_write), e(local.is_commit), e(local.is_hint_len));
        for flag in [local.is_write, local.is_commit, local.is_hint_len] {
            builder.assert_bool(flag);
        }
        let real = write.clone() + commit.clone() + hint_len.clone();
        builder.assert_bool(real.clone());

        // t0 is the id, in all four bytes.
        let id = write.clone() * AB::Expr::from_u32(syscall::WRITE)
            + commit.clone() * AB::Expr::from_u32(syscall::COMMIT)
            + hint_len.clone() * AB::Expr::from_u32(syscall::HINT_LEN);
        let a0 = local.a0.map(e);
        let result = local.result.map(e);
        let (a1, a2) = (&local.a1_access, &local.a2_access);
        eval_entry(
            builder,
            e(local.clk),
            [id, AB::Expr::ZERO],
            &a0,
            &result,
            a1,
            a2,
            real,
        );

        // WRITE and COMMIT leave a0; HINT_LEN's result is advice, so its bytes are checked here.
        for k in 0..4 {
            builder.assert_zero(
                (write.clone() + commit.clone()) * (result[k].clone() - a0[k].clone()),
            );
        }
        check_word_bytes(builder, &result, hint_len);
    }
}
