//! HINT_READ constraints.

use geode_platform::syscall;
use geode_stark::Val;
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::HintReadChip;
use super::columns::HintReadCols;
use crate::bus::{check_top_byte_below_32, check_word_bytes};
use crate::memory::access::eval_access;
use crate::memory::word_of_bytes;
use crate::syscall::{eval_call_rows, eval_entry, eval_ram_pointer};

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for HintReadChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = HintReadCols::from_slice(main.current_slice());
        let next = HintReadCols::from_slice(main.next_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let (real, first) = (e(local.is_real), e(local.is_first));
        let one = AB::Expr::ONE;
        eval_call_rows(builder, local.is_real, local.is_first, next.is_real);
        let writes = local.writes.map(e);
        for &w in &local.writes {
            builder.assert_bool(w);
        }
        builder.assert_eq(writes.iter().cloned().sum::<AB::Expr>(), real.clone());
        let n = (1..5)
            .map(|k| writes[k].clone() * AB::Expr::from_usize(k))
            .sum::<AB::Expr>();

        // The first row: the ecall (result = a0), a1 and a2, and the destination's checks.
        let a0 = local.a0.map(e);
        let (a1, a2) = (&local.a1_access, &local.a2_access);
        let id = AB::Expr::from_u32(syscall::HINT_READ);
        let ts = eval_entry(
            builder,
            e(local.clk),
            [id, AB::Expr::ZERO],
            &a0,
            &a0,
            a1,
            a2,
            first.clone(),
        );
        let word = word_of_bytes::<AB::Expr>;
        let len = local.a1_access.prev_value.map(e);
        builder.assert_zero(first.clone() * (e(local.len_left) - word(&len)));
        check_top_byte_below_32(builder, len[3].clone(), first.clone());
        builder.assert_zero(first.clone() * (e(local.ptr) - word(&a0)));
        eval_ram_pointer(builder, &a0, e(local.a0_quarter), first);

        // The word: written bytes are new (range-checked), the rest keep their value.
        let value = local.value.map(e);
        let prev = local.word.prev_value.map(e);
        for j in 0..4 {
            let keeps = writes[..=j].iter().cloned().sum::<AB::Expr>();
            builder.assert_zero(keeps * (value[j].clone() - prev[j].clone()));
        }
        check_word_bytes(builder, &value, real.clone());
        eval_access(
            builder,
            &local.word,
            e(local.ptr),
            value,
            ts,
            real.clone() - writes[0].clone(),
        );

        // A continuation follows a full word of the same read; a read's last row writes what is left.
        let continues = e(next.is_real) - e(next.is_first);
        let mut step = builder.when_transition();
        step.assert_zero(continues.clone() * (one.clone() - writes[4].clone()));
        step.assert_zero(continues.clone() * (e(next.clk) - e(local.clk)));
        step.assert_zero(continues.clone() * (e(next.ptr) - e(local.ptr) - AB::Expr::from_u8(4)));
        step.assert_zero(
            continues.clone() * (e(next.len_left) - e(local.len_left) + AB::Expr::from_u8(4)),
        );
        step.assert_zero((real.clone() - continues) * (e(local.len_left) - n.clone()));
        builder
            .when_last_row()
            .assert_zero(real * (e(local.len_left) - n));
    }
}
