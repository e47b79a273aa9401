//! The load-store constraints (see [`LoadStoreChip`](super::LoadStoreChip)'s Soundness section).

use geode_stark::{Bus, Val};
use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::LoadStoreChip;
use super::columns::LoadStoreCols;
use crate::alu::eval_add_by_halves;
use crate::bus::{ByteOp, GeodeBus, byte_lookup};
use crate::memory::access::eval_access;

pub(super) fn eval<AB: AirBuilder<F = Val> + InteractionBuilder>(builder: &mut AB) {
    let main = builder.main();
    let row = LoadStoreCols::from_slice(main.current_slice());
    let e = |v: AB::Var| -> AB::Expr { v.into() };
    let c = |k: u32| AB::Expr::from_u32(k);
    let one = AB::Expr::ONE;

    // Exactly one opcode on a real row, none on padding.
    let flags = row.flags();
    for flag in flags {
        builder.assert_bool(flag);
    }
    let is_real: AB::Expr = flags.iter().map(|&f| e(f)).sum();
    builder.assert_bool(is_real.clone());
    builder.assert_bool(row.rd_is_x0);
    let opcode: AB::Expr = LoadStoreChip::OPCODES
        .iter()
        .zip(flags)
        .map(|(&op, flag)| c(op as u32) * flag)
        .sum();
    let (lb, lh, lw, lbu, lhu) = (
        e(row.is_lb),
        e(row.is_lh),
        e(row.is_lw),
        e(row.is_lbu),
        e(row.is_lhu),
    );
    let (sb, sh, sw) = (e(row.is_sb), e(row.is_sh), e(row.is_sw));
    let is_load = lb.clone() + lh.clone() + lw.clone() + lbu.clone() + lhu.clone();

    // The offset: one-hot, aligned for halves and words.
    let off = row.offset_is.map(e);
    for &flag in &row.offset_is {
        builder.assert_bool(flag);
    }
    builder.assert_eq(off.iter().cloned().sum::<AB::Expr>(), is_real.clone());
    let odd = off[1].clone() + off[3].clone();
    builder.assert_zero((lw.clone() + sw.clone()) * (odd.clone() + off[2].clone()));
    builder.assert_zero((lh.clone() + lhu.clone() + sh.clone()) * odd);

    // The address b + imm, by 16-bit halves with boolean carries (all terms bytes, so over the
    // integers), and its word address w = addr − offset, with 0x1_0000 ≤ w < 2^29.
    let offset = off[1].clone() + off[2].clone() * c(2) + off[3].clone() * c(3);
    let addr0 = e(row.quarter) * c(4) + offset;
    let [addr1, addr2, addr3] = row.addr_hi.map(e);
    let addr = [addr0.clone(), addr1.clone(), addr2.clone(), addr3.clone()];
    eval_add_by_halves(
        builder,
        one.clone(),
        [&row.b.map(e), &row.imm.map(e), &addr],
        row.carry,
    );
    byte_lookup(
        builder,
        ByteOp::Pair,
        addr0,
        addr1.clone(),
        AB::Expr::ZERO,
        is_real.clone(),
    );
    byte_lookup(
        builder,
        ByteOp::Pair,
        addr2.clone(),
        addr3.clone(),
        AB::Expr::ZERO,
        is_real.clone(),
    );
    byte_lookup(
        builder,
        ByteOp::Pair,
        e(row.quarter),
        addr3.clone() * c(8),
        AB::Expr::ZERO,
        is_real.clone(),
    );
    let hi = addr2 + addr3 * c(256);
    byte_lookup(
        builder,
        ByteOp::U16,
        hi.clone() - one.clone(),
        AB::Expr::ZERO,
        AB::Expr::ZERO,
        is_real.clone(),
    );
    let word_addr = e(row.quarter) * c(4) + addr1 * c(256) + hi * c(1 << 16);

    // The one access to the word, at the memory slot; loads leave it as they found it.
    let prev = row.access.prev_value.map(e);
    let value = row.value.map(e);
    let bytes = row.c.map(e);
    for k in 0..4 {
        let written = sb.clone() * off[k].clone() * (bytes[0].clone() - prev[k].clone())
            + sh.clone() * off[k & 2].clone() * (bytes[k & 1].clone() - prev[k].clone())
            + sw.clone() * (bytes[k].clone() - prev[k].clone());
        builder.assert_eq(value[k].clone() - prev[k].clone(), written);
    }
    let ts = e(row.clk) * c(4) + c(2);
    eval_access(builder, &row.access, word_addr, value, ts, is_real.clone());

    // Loads: the selected bytes, extended.
    let byte_lo = e(row.byte_lo);
    let byte_hi = e(row.byte_hi);
    let selected: AB::Expr = (0..4).map(|k| off[k].clone() * prev[k].clone()).sum();
    builder.assert_eq(byte_lo.clone(), selected);
    let above = off[0].clone() * prev[1].clone() + off[2].clone() * prev[3].clone();
    builder.assert_eq(
        byte_hi.clone(),
        lb.clone() * byte_lo.clone() + (one.clone() - lb.clone()) * above,
    );
    let signed = lb.clone() + lh.clone();
    byte_lookup(
        builder,
        ByteOp::Msb,
        byte_hi.clone(),
        e(row.sign),
        AB::Expr::ZERO,
        signed.clone(),
    );
    let fill = e(row.sign) * c(255);
    let a = row.a.map(e);
    let mut keep = builder.when(one - e(row.rd_is_x0));
    keep.assert_zero(is_load.clone() * (a[0].clone() - byte_lo));
    keep.assert_zero(
        is_load.clone() * a[1].clone() - (lh + lhu + lw.clone()) * byte_hi - lb * fill.clone(),
    );
    for k in 2..4 {
        keep.assert_zero(
            is_load.clone() * a[k].clone()
                - lw.clone() * prev[k].clone()
                - signed.clone() * fill.clone(),
        );
    }

    // The CPU's message.
    let message = [e(row.clk), opcode, e(row.rd_is_x0)]
        .into_iter()
        .chain(row.b.map(e))
        .chain(row.imm.map(e))
        .chain(bytes)
        .chain(a);
    GeodeBus::LoadStore.receive(builder, message, is_real, 1);
}
