//! Constraints of the keccak control chip.

use geode_platform::syscall;
use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::KeccakControlChip;
use super::columns::KeccakControlCols;
use crate::bus::{ByteOp, GeodeBus, byte_lookup};
use crate::keccak::LANES;
use crate::memory::access::eval_access;
use crate::memory::word_of_bytes;
use crate::syscall::{eval_call_rows, eval_entry, eval_ram_pointer};

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for KeccakControlChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = KeccakControlCols::from_slice(main.current_slice());
        let next = KeccakControlCols::from_slice(main.next_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let (real, first) = (e(local.is_real), e(local.is_first));
        let one = AB::Expr::ONE;
        let last_lane = AB::Expr::from_usize(LANES - 1);
        eval_call_rows(builder, local.is_real, local.is_first, next.is_real);

        // The first row: the ecall (result = a0), a1 and a2, a0 an aligned RAM address; lane 0
        // at a0.
        let a0 = local.a0.map(e);
        let [id_lo, id_hi, ..] = syscall::KECCAK_PERMUTE.to_le_bytes();
        let ts = eval_entry(
            builder,
            e(local.clk),
            [AB::Expr::from_u8(id_lo), AB::Expr::from_u8(id_hi)],
            &a0,
            &a0,
            &local.a1_access,
            &local.a2_access,
            first.clone(),
        );
        eval_ram_pointer(builder, &a0, e(local.a0_quarter), first.clone());
        let word = word_of_bytes(&a0);
        builder.assert_zero(first.clone() * (e(local.ptr) - word));
        builder.assert_zero(first * e(local.lane));

        // A continuation is the next lane of the same call; a call ends after lane 24.
        let continues = e(next.is_real) - e(next.is_first);
        let mut step = builder.when_transition();
        step.assert_zero(continues.clone() * (e(next.clk) - e(local.clk)));
        step.assert_zero(continues.clone() * (e(next.lane) - e(local.lane) - one.clone()));
        step.assert_zero(continues.clone() * (e(next.ptr) - e(local.ptr) - AB::Expr::from_u8(8)));
        step.assert_zero((real.clone() - continues) * (e(local.lane) - last_lane.clone()));
        builder
            .when_last_row()
            .assert_zero(real.clone() * (e(local.lane) - last_lane));

        // The lane's words: read the input, write the output (range-checked as byte pairs).
        let limbs = |w: &[AB::Var; 4]| {
            let w = w.map(e);
            [
                w[0].clone() + w[1].clone() * AB::Expr::from_u16(256),
                w[2].clone() + w[3].clone() * AB::Expr::from_u16(256),
            ]
        };
        let mut message = vec![e(local.clk), e(local.lane)];
        let mut outputs = Vec::new();
        for (h, (access, out)) in local.words.iter().zip(&local.output).enumerate() {
            let addr = e(local.ptr) + AB::Expr::from_usize(4 * h);
            eval_access(builder, access, addr, out.map(e), ts.clone(), real.clone());
            for half in [0, 2] {
                byte_lookup(
                    builder,
                    ByteOp::Pair,
                    e(out[half]),
                    e(out[half + 1]),
                    AB::Expr::ZERO,
                    real.clone(),
                );
            }
            message.extend(limbs(&access.prev_value));
            outputs.extend(limbs(out));
        }
        message.extend(outputs);
        GeodeBus::Keccak.send(builder, message, real, 1);
    }
}
