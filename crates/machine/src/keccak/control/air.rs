//! Constraints of the keccak control chip.

use geode_platform::syscall;
use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::KeccakControlChip;
use super::columns::KeccakControlCols;
use crate::bus::{ByteOp, GeodeBus, byte_lookup};
use crate::memory::access::eval_access;
use crate::syscall::{eval_entry, eval_ram_pointer};

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for KeccakControlChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = KeccakControlCols::from_slice(main.current_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let real = e(local.is_real);
        builder.assert_bool(local.is_real);

        // The ecall: result = a0 (unchanged), a1 and a2 read; a0 an aligned RAM address.
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
            real.clone(),
        );
        eval_ram_pointer(builder, &a0, e(local.a0_quarter), real.clone());
        let ptr = a0.iter().rev().fold(AB::Expr::ZERO, |acc, b| {
            acc * AB::Expr::from_u16(256) + b.clone()
        });

        // Each word: read the input, write the output (range-checked as byte pairs).
        let limbs = |w: &[AB::Var; 4]| {
            let w = w.map(e);
            [
                w[0].clone() + w[1].clone() * AB::Expr::from_u16(256),
                w[2].clone() + w[3].clone() * AB::Expr::from_u16(256),
            ]
        };
        let mut message = vec![e(local.clk)];
        let mut outputs = Vec::new();
        let words = local.words.iter().flatten();
        for (k, (access, out)) in words.zip(local.output.iter().flatten()).enumerate() {
            let addr = ptr.clone() + AB::Expr::from_usize(4 * k);
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
