//! The ALU chips. Each receives `(op, a[4], b[4], c[4])` on [`GeodeBus::Alu`] for its ops, one
//! row per event, after proving `a = op(b, c)` on range-checked bytes. Ops are identified on the
//! bus by [`alu_op_id`].

pub mod add_sub;
pub mod bitwise;
pub mod divrem;
pub mod lt;
pub mod mul;
pub mod shift;
#[cfg(test)]
pub(crate) mod testing;

use geode_executor::AluOp;
use geode_stark::{Bus, Val};
use p3_air::AirBuilder;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;

use crate::bus::{ByteOp, GeodeBus, byte_lookup};
use crate::byte_counter::ByteCounter;

/// One ALU operation to prove: `a = op(b, c)` with RISC-V (executor) semantics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AluEvent {
    /// The operation.
    pub op: AluOp,
    /// The result.
    pub a: u32,
    /// The first operand (`rs1`).
    pub b: u32,
    /// The second operand (`rs2`, or the sign-extended immediate).
    pub c: u32,
}

/// The op field of an ALU bus message: `AluOp`'s declaration order, fixed here so that the
/// message layout does not silently change if the executor's enum is reordered.
pub const fn alu_op_id(op: AluOp) -> u8 {
    match op {
        AluOp::Add => 0,
        AluOp::Sub => 1,
        AluOp::Sll => 2,
        AluOp::Slt => 3,
        AluOp::Sltu => 4,
        AluOp::Xor => 5,
        AluOp::Srl => 6,
        AluOp::Sra => 7,
        AluOp::Or => 8,
        AluOp::And => 9,
        AluOp::Mul => 10,
        AluOp::Mulh => 11,
        AluOp::Mulhsu => 12,
        AluOp::Mulhu => 13,
        AluOp::Div => 14,
        AluOp::Divu => 15,
        AluOp::Rem => 16,
        AluOp::Remu => 17,
    }
}

/// Fewest rows an ALU trace has: a trace of one row (log height 0) is not provable.
const MIN_ROWS: usize = 2;

/// Builds a trace of one row per event (filled by `fill`, in parallel), padded with all-zero rows
/// to a power of two.
///
/// # Panics
/// If an event's op is not in `ops` (the caller routed it to the wrong chip).
fn build_trace(
    chip: &str,
    ops: &[AluOp],
    width: usize,
    events: &[AluEvent],
    fill: impl Fn(&AluEvent, &mut [Val]) + Sync,
) -> RowMajorMatrix<Val> {
    if let Some(e) = events.iter().find(|e| !ops.contains(&e.op)) {
        panic!("{chip} does not prove {:?}", e.op);
    }
    let height = events.len().next_power_of_two().max(MIN_ROWS);
    let mut values = Val::zero_vec(height * width);
    values[..events.len() * width]
        .par_chunks_mut(width)
        .zip(events.par_iter())
        .for_each(|(row, event)| fill(event, row));
    RowMajorMatrix::new(values, width)
}

/// Constrains `sum = x + y mod 2^32` on rows where `gate` is 1, by 16-bit halves with the
/// carries `carry` out of each (boolean there). Sound when every cell of `x`, `y` and `sum` is
/// a byte, which the caller shows: each half's equation then holds over the integers. The CPU
/// adds ADD/ADDI so, and the load-store chip its address.
pub fn eval_add_by_halves<AB: AirBuilder>(
    builder: &mut AB,
    gate: AB::Expr,
    [x, y, sum]: [&[AB::Expr; 4]; 3],
    carry: [AB::Var; 2],
) {
    let half =
        |w: &[AB::Expr; 4], k: usize| w[k].clone() + w[k + 1].clone() * AB::Expr::from_u16(256);
    let two16 = AB::Expr::from_u32(1 << 16);
    let [lo, hi] = carry.map(Into::<AB::Expr>::into);
    let mut when = builder.when(gate);
    when.assert_bool(lo.clone());
    when.assert_bool(hi.clone());
    when.assert_eq(
        half(x, 0) + half(y, 0),
        half(sum, 0) + lo.clone() * two16.clone(),
    );
    when.assert_eq(half(x, 2) + half(y, 2) + lo, half(sum, 2) + hi * two16);
}

/// The carries out of the low and high 16-bit halves of `x + y` ([`eval_add_by_halves`]).
pub fn carries_by_halves(x: u32, y: u32) -> [Val; 2] {
    let lo = (x & 0xffff) + (y & 0xffff) > 0xffff;
    let hi = (x >> 16) + (y >> 16) + u32::from(lo) > 0xffff;
    [Val::from_bool(lo), Val::from_bool(hi)]
}

/// The op field `Σ alu_op_id(op) · flag` for one-hot `flags` (0 on padding rows).
fn op_field<AB: AirBuilder>(flags: &[(AluOp, AB::Var)]) -> AB::Expr {
    flags
        .iter()
        .map(|&(op, flag)| AB::Expr::from_u8(alu_op_id(op)) * flag)
        .sum()
}

/// Receives `(op, a, b, c)` on the ALU bus with multiplicity `is_real` (boolean).
fn receive_alu<AB: AirBuilder + InteractionBuilder>(
    builder: &mut AB,
    op: AB::Expr,
    [a, b, c]: [[AB::Expr; 4]; 3],
    is_real: AB::Expr,
) {
    let message = [op].into_iter().chain(a).chain(b).chain(c);
    GeodeBus::Alu.receive(builder, message, is_real, 1);
}

/// Range-checks `bytes` two at a time with `ByteOp::Pair` (an odd last one is paired with 0).
fn range_check<AB: AirBuilder + InteractionBuilder>(
    builder: &mut AB,
    bytes: &[AB::Var],
    count: &AB::Expr,
) {
    for pair in bytes.chunks(2) {
        let y = pair.get(1).map_or(AB::Expr::ZERO, |&y| y.into());
        byte_lookup(
            builder,
            ByteOp::Pair,
            pair[0].into(),
            y,
            AB::Expr::ZERO,
            count.clone(),
        );
    }
}

/// Counts the lookups [`range_check`] makes for `bytes` on a real row.
fn count_range_check(counter: &ByteCounter, bytes: &[u8]) {
    for pair in bytes.chunks(2) {
        counter.pair(pair[0], pair.get(1).copied().unwrap_or(0));
    }
}

/// A word's little-endian bytes as field elements (its four cells).
fn word_vals(x: u32) -> [Val; 4] {
    x.to_le_bytes().map(Val::from_u8)
}
