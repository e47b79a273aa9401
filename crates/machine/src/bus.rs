//! Every bus of the RISC-V machine, and typed helpers to use them. Message layouts are fixed in
//! `docs/machine-design.md`; change them there first.

use geode_stark::{Bus, Val};
use p3_air::AirBuilder;
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_lookup::{Count, InteractionBuilder};

/// Width of every message on the `exec` bus, which [`GeodeBus::Alu`], [`GeodeBus::LoadStore`]
/// and [`GeodeBus::Syscall`] share so that the CPU sends all three as one interaction: an
/// [`ExecRequest`]'s fields.
pub const EXEC_WIDTH: usize = 20;
/// Fields of an ALU message: `(op, a[4], b[4], c[4])`.
const ALU_FIELDS: usize = 13;
/// Fields of a load-store message: `(clk, opcode, rd_is_x0, b[4], imm[4], c[4], a[4])`.
const LOAD_STORE_FIELDS: usize = 19;
/// Fields of a syscall message: `(clk, t0[4], a0[4], result[4])`.
const SYSCALL_FIELDS: usize = 13;
/// The tag before a load-store message on the `exec` bus (ALU messages start with their op
/// id, all below it).
pub const LOAD_STORE_TAG: u32 = 64;
/// The tag before a syscall message on the `exec` bus.
pub const SYSCALL_TAG: u32 = 65;

/// Where each field of an [`ExecRequest`] after `op` comes from in a kind's own message, by
/// runs `(first source field or None for zeros, length)`.
type ExecLayout = [Option<usize>; EXEC_WIDTH - 1];

const fn exec_layout(runs: &[(Option<usize>, usize)]) -> ExecLayout {
    let mut layout = [None; EXEC_WIDTH - 1];
    let (mut at, mut run) = (0, 0);
    while run < runs.len() {
        let (from, len) = runs[run];
        let mut k = 0;
        while k < len {
            layout[at] = match from {
                Some(first) => Some(first + k),
                None => None,
            };
            at += 1;
            k += 1;
        }
        run += 1;
    }
    assert!(at == EXEC_WIDTH - 1, "an exec layout covers every field");
    layout
}

/// A load-store message `(clk, opcode, rd_is_x0, b, imm, c, a)` as `a`, then `b, imm, c` as
/// `b, c, d`, then `clk, opcode, rd_is_x0`.
const LOAD_STORE_LAYOUT: ExecLayout = exec_layout(&[(Some(15), 4), (Some(3), 12), (Some(0), 3)]);
/// A syscall message `(clk, t0, a0, result)` as `a = result`, `b = t0`, `c = a0`, no `d`, `clk`,
/// then zeros.
const SYSCALL_LAYOUT: ExecLayout = exec_layout(&[
    (Some(9), 4),
    (Some(1), 8),
    (None, 4),
    (Some(0), 1),
    (None, 2),
]);

/// One message on the `exec` bus in its common layout, which lines the three kinds up so that
/// the CPU sends every class's request as one message whose fields are mostly its own cells:
/// `(op, a[4], b[4], c[4], d[4], clk, opcode, rd_is_x0)`.
///
/// - ALU: `op` is the op id, `(a, b, c)` the operation's; the rest 0.
/// - Load-store: `op` is [`LOAD_STORE_TAG`], `a` the loaded value (or a store's `a`), `b` the
///   base, `c` the immediate, `d` the store's value, then `clk`, `opcode`, `rd_is_x0`.
/// - Syscall: `op` is [`SYSCALL_TAG`], `a` the result, `b` t0, `c` a0, `d` 0, `clk`, 0, 0.
///
/// [`Bus::frame`] maps each kind's own field order to this layout, so the receivers keep theirs.
#[derive(Clone, Debug)]
pub struct ExecRequest<E> {
    pub op: E,
    pub a: [E; 4],
    pub b: [E; 4],
    pub c: [E; 4],
    pub d: [E; 4],
    pub clk: E,
    pub opcode: E,
    pub rd_is_x0: E,
}

impl<E> ExecRequest<E> {
    /// The message's fields, in order.
    pub fn fields(self) -> impl Iterator<Item = E> {
        std::iter::once(self.op)
            .chain(self.a)
            .chain(self.b)
            .chain(self.c)
            .chain(self.d)
            .chain([self.clk, self.opcode, self.rd_is_x0])
    }
}

/// Sends `request` on the `exec` bus with multiplicity `count` (at most 1).
pub fn send_exec<AB: InteractionBuilder>(
    builder: &mut AB,
    request: ExecRequest<AB::Expr>,
    count: AB::Expr,
) {
    builder.push_interaction(
        GeodeBus::Alu.name(),
        request.fields(),
        Count::bounded(count, 1),
    );
}

/// The machine's buses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GeodeBus {
    /// `(pc, opcode, rd, rs1, rs2, imm[4], flags…)`: the CPU runs only instructions of the ELF.
    ///
    /// # Soundness
    /// The program chip is preprocessed from the ELF (part of the verifying key) and provides
    /// each instruction with a multiplicity; the CPU sends one message per real row.
    Program,
    /// `(addr, value[4], ts)`: offline memory checking over registers (addresses 0..32) and RAM.
    ///
    /// # Soundness
    /// Each access receives the previous `(addr, value, ts)` and sends the new one with a larger
    /// timestamp; init sends the first state of every address, final receives the last one, once
    /// per address. Balanced, every read returns the last write.
    Memory,
    /// `(op, a[4], b[4], c[4])`: `a = op(b, c)`.
    ///
    /// # Soundness
    /// ALU chips receive each message only after constraining the relation on range-checked
    /// bytes.
    Alu,
    /// `(op, x, y, z)`: byte relations provided by the preprocessed byte table ([`ByteOp`]).
    ///
    /// # Soundness
    /// The table lists exactly the valid tuples, so a balanced bus proves every looked-up tuple
    /// is one of them.
    Byte,
    /// `(clk, t0[4], a0[4], result[4])`: an `ecall`, handed to the syscall chips (which read
    /// further argument registers themselves).
    ///
    /// # Soundness
    /// Every `ecall` row sends one message; a syscall chip receives it only after proving that
    /// syscall's effect, so an unknown id cannot balance.
    Syscall,
    /// `(clk, opcode, rd_is_x0, b[4], imm[4], c[4], a[4])`: a load or store, handed to the
    /// load-store chip.
    ///
    /// # Soundness
    /// The load-store chip receives each message only after proving the address, alignment,
    /// the memory access and the extraction of `a` (loads) or the merge of `c` (stores).
    LoadStore,
    /// `(clk, lane, input[4], output[4])`: one lane (`x + 5y`) of one keccak-f[1600]
    /// permutation, as little-endian 16-bit limbs, from the keccak control chip to the
    /// permutation chip.
    ///
    /// # Soundness
    /// The permutation chip receives the 25 lanes of a cycle on the last round row of a 24-row
    /// block that `p3-keccak-air` constrains to compute `output = keccak-f(input)`, so a
    /// balanced bus proves every permutation the control chip sends.
    Keccak,
    /// `(clk, addr, prev[8], value[8])`: two consecutive words at `addr`, `addr + 4` that a
    /// precompile chip reads (`value = prev`) or overwrites at cycle `clk`'s memory slot, as
    /// bytes; handed to the word-io chip, which performs the two memory accesses.
    ///
    /// # Soundness
    /// The word-io chip receives each message only on a row that accesses exactly those two
    /// addresses at that timestamp, finding `prev` and leaving `value`, so a balanced bus proves
    /// every word a precompile claims to have read or written. The sender range-checks the bytes
    /// it writes.
    WordIo,
}

/// How one kind of `exec` message sits in [`ExecRequest`]'s layout.
#[derive(Clone, Copy)]
enum ExecKind {
    /// An ALU message: as it is (its op id first), then zeros.
    Alu,
    /// A message of `len` fields: `tag`, then its fields moved by `layout`.
    Tagged {
        tag: u32,
        len: usize,
        layout: &'static ExecLayout,
    },
}

impl GeodeBus {
    /// How a message of this kind sits on the `exec` bus; `None` for a bus of its own.
    const fn exec_kind(self) -> Option<ExecKind> {
        match self {
            GeodeBus::Alu => Some(ExecKind::Alu),
            GeodeBus::LoadStore => Some(ExecKind::Tagged {
                tag: LOAD_STORE_TAG,
                len: LOAD_STORE_FIELDS,
                layout: &LOAD_STORE_LAYOUT,
            }),
            GeodeBus::Syscall => Some(ExecKind::Tagged {
                tag: SYSCALL_TAG,
                len: SYSCALL_FIELDS,
                layout: &SYSCALL_LAYOUT,
            }),
            _ => None,
        }
    }

    /// [`Bus::frame`] for a message of integers (tests and expected values).
    ///
    /// # Panics
    /// If an `exec` message has another number of fields than its kind's.
    pub fn frame_values(self, fields: impl IntoIterator<Item = u32>) -> Vec<u32> {
        let fields: Vec<u32> = fields.into_iter().collect();
        if let Some(kind) = self.exec_kind() {
            let expected = match kind {
                ExecKind::Alu => ALU_FIELDS,
                ExecKind::Tagged { len, .. } => len,
            };
            assert_eq!(
                fields.len(),
                expected,
                "{self:?} message of {} fields",
                fields.len()
            );
        }
        self.frame(fields.into_iter().map(Val::from_u32))
            .map(|v| v.as_canonical_u32())
            .collect()
    }
}

impl Bus for GeodeBus {
    fn name(self) -> &'static str {
        match self {
            GeodeBus::Program => "program",
            GeodeBus::Memory => "memory",
            GeodeBus::Alu | GeodeBus::Syscall | GeodeBus::LoadStore => "exec",
            GeodeBus::Byte => "byte",
            GeodeBus::Keccak => "keccak",
            GeodeBus::WordIo => "word_io",
        }
    }

    /// On `exec`, the message in [`ExecRequest`]'s layout: an ALU message as it is, padded with
    /// zeros; a load-store or syscall message tagged and its fields moved to their places. The
    /// kinds never collide, as their first fields differ (ALU op ids are below
    /// [`LOAD_STORE_TAG`]). Elsewhere the fields themselves. A message of the wrong length makes
    /// its bus's widths differ, which Plonky3 refuses when it lays the lookups out; a load-store
    /// or syscall message of the wrong length panics here (a bug in the chip that sends it).
    fn frame<E: PrimeCharacteristicRing>(
        self,
        fields: impl IntoIterator<Item = E>,
    ) -> impl Iterator<Item = E> {
        let (direct, moved, padding) = match self.exec_kind() {
            None => (Some(fields.into_iter()), None, 0),
            Some(ExecKind::Alu) => (Some(fields.into_iter()), None, EXEC_WIDTH - ALU_FIELDS),
            Some(ExecKind::Tagged { tag, len, layout }) => {
                let fields: Vec<E> = fields.into_iter().collect();
                // A wrong length would otherwise be padded or cut here, silently.
                assert_eq!(
                    fields.len(),
                    len,
                    "{self:?} message of {} fields",
                    fields.len()
                );
                let moved: [E; EXEC_WIDTH - 1] = std::array::from_fn(|k| {
                    layout[k]
                        .and_then(|from| fields.get(from).cloned())
                        .unwrap_or(E::ZERO)
                });
                (
                    None,
                    Some(std::iter::once(E::from_u32(tag)).chain(moved)),
                    0,
                )
            }
        };
        direct
            .into_iter()
            .flatten()
            .chain(moved.into_iter().flatten())
            .chain(std::iter::repeat_n(E::ZERO, padding))
    }
}

/// The relations of the byte table: row `(x, y)` for `x, y ∈ [0, 256)` provides `(op, x, y, z)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum ByteOp {
    /// `(x, y, 0)`: both are bytes.
    Pair = 0,
    /// `(x, y, x & y)`.
    And = 1,
    /// `(x, y, x | y)`.
    Or = 2,
    /// `(x, y, x ^ y)`.
    Xor = 3,
    /// `(x, y, x < y)`.
    Ltu = 4,
    /// `(x + 256·y, 0, 0)`: a 16-bit value.
    U16 = 5,
    /// `(x, x >> 7, 0)`: the top bit of a byte (provided by rows with y = 0).
    Msb = 6,
}

impl ByteOp {
    /// Every op, in value order.
    pub const ALL: [ByteOp; 7] = [
        ByteOp::Pair,
        ByteOp::And,
        ByteOp::Or,
        ByteOp::Xor,
        ByteOp::Ltu,
        ByteOp::U16,
        ByteOp::Msb,
    ];

    /// The op's entry for the table row `(x, y)`, or `None` if that row does not provide it.
    pub const fn entry(self, x: u8, y: u8) -> Option<[u32; 3]> {
        let (x32, y32) = (x as u32, y as u32);
        Some(match self {
            ByteOp::Pair => [x32, y32, 0],
            ByteOp::And => [x32, y32, x32 & y32],
            ByteOp::Or => [x32, y32, x32 | y32],
            ByteOp::Xor => [x32, y32, x32 ^ y32],
            ByteOp::Ltu => [x32, y32, (x < y) as u32],
            ByteOp::U16 => [x32 + 256 * y32, 0, 0],
            ByteOp::Msb if y == 0 => [x32, x32 >> 7, 0],
            ByteOp::Msb => return None,
        })
    }

    /// The table row `(x, y)` that provides `entry` for this op, if any: the inverse of
    /// [`ByteOp::entry`], used by trace generation to count lookups.
    pub const fn row_of(self, entry: [u32; 3]) -> Option<(u8, u8)> {
        match self {
            ByteOp::U16 if entry[0] < 1 << 16 => Some((entry[0] as u8, (entry[0] >> 8) as u8)),
            ByteOp::U16 => None,
            ByteOp::Msb if entry[0] < 256 => Some((entry[0] as u8, 0)),
            ByteOp::Msb => None,
            _ if entry[0] < 256 && entry[1] < 256 => Some((entry[0] as u8, entry[1] as u8)),
            _ => None,
        }
    }
}

/// Proves `w3` is a byte below 32, so the word whose top byte it is stays below 2^29 (a valid
/// address): both `w3` and `8·w3` must be bytes.
pub fn check_top_byte_below_32<AB: AirBuilder + InteractionBuilder>(
    builder: &mut AB,
    w3: AB::Expr,
    count: AB::Expr,
) {
    let eight = AB::Expr::from_u8(8);
    byte_lookup(
        builder,
        ByteOp::Pair,
        w3.clone(),
        w3 * eight,
        AB::Expr::ZERO,
        count,
    );
}

/// Proves the four bytes of a word the caller creates are bytes (two `Pair` lookups; count them
/// with [`crate::byte_counter::ByteCounter::word`]).
pub fn check_word_bytes<AB: AirBuilder + InteractionBuilder>(
    builder: &mut AB,
    word: &[AB::Expr; 4],
    count: AB::Expr,
) {
    byte_lookup(
        builder,
        ByteOp::Pair,
        word[0].clone(),
        word[1].clone(),
        AB::Expr::ZERO,
        count.clone(),
    );
    byte_lookup(
        builder,
        ByteOp::Pair,
        word[2].clone(),
        word[3].clone(),
        AB::Expr::ZERO,
        count,
    );
}

/// Looks up `(op, x, y, z)` in the byte table with multiplicity `count` (0 or 1, constrained by
/// the caller).
pub fn byte_lookup<AB: AirBuilder + InteractionBuilder>(
    builder: &mut AB,
    op: ByteOp,
    x: AB::Expr,
    y: AB::Expr,
    z: AB::Expr,
    count: AB::Expr,
) {
    let op = AB::Expr::from_u8(op as u8);
    GeodeBus::Byte.send(builder, [op, x, y, z], count, 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_kinds_are_tagged_apart_and_padded() {
        use geode_executor::AluOp;
        for op in [
            AluOp::Add,
            AluOp::Sub,
            AluOp::Sll,
            AluOp::Slt,
            AluOp::Sltu,
            AluOp::Xor,
            AluOp::Srl,
            AluOp::Sra,
            AluOp::Or,
            AluOp::And,
            AluOp::Mul,
            AluOp::Mulh,
            AluOp::Mulhsu,
            AluOp::Mulhu,
            AluOp::Div,
            AluOp::Divu,
            AluOp::Rem,
            AluOp::Remu,
        ] {
            assert!(
                u32::from(crate::alu::alu_op_id(op)) < LOAD_STORE_TAG,
                "{op:?}"
            );
        }
        assert_ne!(LOAD_STORE_TAG, SYSCALL_TAG);
        let alu = GeodeBus::Alu.frame_values(1..=13);
        let ls = GeodeBus::LoadStore.frame_values(1..=19);
        let sys = GeodeBus::Syscall.frame_values(1..=13);
        for m in [&alu, &ls, &sys] {
            assert_eq!(m.len(), EXEC_WIDTH);
        }
        assert_eq!((alu[0], ls[0], sys[0]), (1, LOAD_STORE_TAG, SYSCALL_TAG));
        // The common layout (op, a, b, c, d, clk, opcode, rd_is_x0).
        assert_eq!(
            &alu[1..],
            [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0]
        );
        // (clk, opcode, rd_is_x0, b, imm, c, a).
        assert_eq!(
            &ls[1..],
            [
                16, 17, 18, 19, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 1, 2, 3
            ]
        );
        // (clk, t0, a0, result).
        assert_eq!(
            &sys[1..],
            [10, 11, 12, 13, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 1, 0, 0]
        );
        // Other buses carry their fields as they are.
        assert_eq!(GeodeBus::Byte.frame_values([1, 2, 3, 4]), [1, 2, 3, 4]);
    }

    #[test]
    #[should_panic(expected = "message")]
    fn an_exec_message_too_long_is_refused() {
        let _ = GeodeBus::LoadStore.frame_values([0; 20]);
    }

    #[test]
    fn row_of_inverts_entry() {
        for op in ByteOp::ALL {
            for (x, y) in [(0u8, 0u8), (1, 2), (255, 255), (128, 0), (7, 200)] {
                if let Some(entry) = op.entry(x, y) {
                    assert_eq!(op.row_of(entry), Some((x, y)), "{op:?} {x} {y}");
                }
            }
        }
        assert_eq!(ByteOp::U16.row_of([1 << 16, 0, 0]), None);
        assert_eq!(ByteOp::Pair.row_of([256, 0, 0]), None);
    }
}
