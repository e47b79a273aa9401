//! The checks of the `isa-check` guest: which instructions it runs on which operands, and in
//! which order. Plain `core` Rust, so that the host can compile this very file too and compute the
//! expected results with host arithmetic (see `expected.rs` next to it):
//!
//! ```ignore
//! #[path = "../../guest-programs/isa-check/src/cases.rs"]
//! mod cases;
//! #[path = "../../guest-programs/isa-check/src/expected.rs"]
//! mod expected;
//! ```
//!
//! (both as sibling modules: `expected.rs` refers to `super::cases`). Items are `pub(crate)`, not
//! `pub`, so that neither the guest nor a host test including this file trips `unreachable_pub`.
//!
//! # Committed output
//!
//! The guest commits exactly one value, `io::commit(&results)` with `results: Vec<u32>` (postcard:
//! a varint length, then one varint per word), holding [`RESULT_COUNT`] words in the order in
//! which [`run`] emits them. The sections follow one another without separators; in each, the
//! loops nest in the order written, outermost first:
//!
//! 1. **register-register** — for each `op` in [`RegOp::ALL`], for each `a` in [`OPERANDS`], for
//!    each `b` in [`OPERANDS`]: `op rd, a, b`.
//! 2. **register-immediate** — for each `op` in [`ImmOp::ALL`], for each `imm` in
//!    [`IMMEDIATES`], for each `a` in [`OPERANDS`]: `op rd, a, imm`.
//! 3. **shift-immediate** — for each `op` in [`ShiftImmOp::ALL`], for each `shamt` in
//!    [`SHAMTS`], for each `a` in [`OPERANDS`]: `op rd, a, shamt`.
//! 4. **lui** — for each `imm` in [`UPPER_IMMEDIATES`]: `lui rd, imm`, so `imm << 12`.
//! 5. **auipc** — for each `imm` in [`UPPER_IMMEDIATES`]: `auipc p, 0` followed directly by
//!    `auipc rd, imm`; the word is `rd - p`, i.e. `4 + (imm << 12)` wrapping, independent of
//!    where the code lies.
//! 6. **branch** — for each `op` in [`BranchOp::ALL`], for each `a` in [`OPERANDS`], for each `b`
//!    in [`OPERANDS`]: bit 0 is set when a forward `op a, b` is taken, bit 1 when a backward one
//!    is; so `3` if the condition holds, else `0`.
//! 7. **load** — for each `word` in [`LOAD_WORDS`], for each `op` in [`LoadOp::ALL`], for each
//!    naturally aligned `offset` in `0..4` (step `op.width()`), for each `imm` in
//!    [`MEM_IMMEDIATES`]: `word` is stored at an aligned address `w`, and the word is what
//!    `op rd, imm(base)` loads with `base = w + offset - imm`, so always from `w + offset`.
//! 8. **store** — for each `value` in [`STORE_VALUES`], for each `op` in [`StoreOp::ALL`], for each
//!    naturally aligned `offset`, for each `imm` in [`MEM_IMMEDIATES`]: [`STORE_INIT`] is stored
//!    at an aligned `w`, then `op value, imm(base)` with `base = w + offset - imm`; the word is
//!    what `lw` then reads from `w`.
//! 9. **jump** — one word per entry of [`JUMP_CHECKS`] (the comments there give the instruction
//!    sequences): link values as differences from an `auipc` in the same sequence, and path
//!    markers that say which instructions ran.
//! 10. **misc** — one word per entry of [`MISC_CHECKS`]: `x0` stays zero, register aliasing,
//!     `fence`.
//!
//! Everything is position independent: no result depends on where the linker puts the code or
//! on the stack's address.

use core::fmt;

/// The register operands: zero, small values, the signed and unsigned extremes, shift amounts
/// around the 5-bit mask, values whose signed and unsigned division differ, and irregular bit
/// patterns.
pub(crate) const OPERANDS: [u32; 12] = [
    0,
    1,
    7,
    31,
    32,
    33,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fff9, // -7
    0xffff_ffff, // -1
    0x1234_5678,
    0xdead_beef,
];

/// The 12-bit immediates of the register-immediate section: both extremes, around zero, and one
/// irregular value.
pub(crate) const IMMEDIATES: [i32; 6] = [0, 1, -1, 2047, -2048, 0x2a5];

/// The shift amounts of `slli`/`srli`/`srai`.
pub(crate) const SHAMTS: [u32; 4] = [0, 1, 15, 31];

/// The 20-bit immediates of `lui` and `auipc`.
pub(crate) const UPPER_IMMEDIATES: [u32; 6] = [0, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345];

/// The words that the load section reads from, chosen so that every byte and halfword position
/// holds both a value with its top bit set and one without (sign vs. zero extension).
pub(crate) const LOAD_WORDS: [u32; 3] = [0x7f80_01ff, 0x80ff_7f01, 0xdead_beef];

/// The 12-bit offsets of loads and stores: the base register is set so that the effective
/// address stays the same, which checks that the offset is sign-extended and added.
pub(crate) const MEM_IMMEDIATES: [i32; 5] = [0, 4, -4, 2047, -2048];

/// The word each store of the store section lands in, before the store.
pub(crate) const STORE_INIT: u32 = 0xa5a5_a5a5;

/// The values the store section stores; only their low byte/halfword/word reach memory.
pub(crate) const STORE_VALUES: [u32; 2] = [0x1234_5678, 0xffff_ff80];

/// The checks of the jump section, in order. In the sequences, `P` is the address of the
/// sequence's leading `auipc p, 0`, and each instruction is 4 bytes (no compressed
/// instructions); "skipped" instructions add a distinct bit to a marker that starts at 0.
pub(crate) const JUMP_CHECKS: [&str; 10] = [
    // auipc p,0 (P) | jal x0,2f (P+4) | 1: addi m,m,1 (P+8) | jal l2,3f (P+12) |
    // addi m,m,16 (P+16, skipped) | 2: jal l1,1b (P+20) | addi m,m,256 (P+24, skipped) | 3:
    "jal: path marker (1: only the backward target ran)",
    "jal: forward link - P (16)",
    "jal: backward link - P (24)",
    // auipc p,0 (P) | addi t,p,17 (P+4) | jalr l,0(t) (P+8) | addi m,m,1 (P+12, skipped) |
    // P+16: the target, (P+17) & !1
    "jalr with an odd base: link - P (12)",
    // auipc p,0 (P) | addi t,p,24 (P+4) | jalr l,-7(t) (P+8) | addi m,m,2 (P+12, skipped) |
    // P+16: the target, (P+17) & !1
    "jalr with an odd offset: link - P (12)",
    // auipc p,0 (P) | addi t,p,20 (P+4) | jalr t,-4(t) (P+8) | addi m,m,4 (P+12, skipped) |
    // P+16: the target, read from t before the link overwrites it
    "jalr with rd == rs1: link - P (12)",
    "jalr: path marker of the three sequences above (0: nothing skipped ran)",
    // auipc p,0 (P) | jal x0,2f (P+4) | 1: addi m,m,1 (P+8) | jal x0,3f (P+12) |
    // 2: addi t,p,9 (P+16) | jalr x0,-1(t) (P+20, back to P+8) | addi m,m,2 (P+24, skipped) | 3:
    "jalr x0 backwards: path marker (1)",
    // li n,3 | li c,0 | 1: addi n,n,-1 | addi c,c,1 | bne n,x0,1b
    "backward-branch loop: iterations, c (3)",
    "backward-branch loop: the count-down register n afterwards (0)",
];

/// The checks of the misc section, in order.
pub(crate) const MISC_CHECKS: [&str; 7] = [
    "addi x0, x0, 5 then read x0 (0)",
    "lui x0, 0x12345 then read x0 (0)",
    "add r, r, r with r = 0x4000_0001 (0x8000_0002)",
    "sub r, r, r with r = 0xdead_beef (0)",
    "mul r, r, r with r = 0x0001_0001 (0x0002_0001)",
    "lw r, 0(r) with r pointing at 0x1234_5678 (0x1234_5678)",
    "li r, 7; fence; fence rw, rw; addi r, r, 1 (8)",
];

macro_rules! ops {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $mnemonic:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum $name {
            $(
                #[doc = concat!("`", $mnemonic, "`")]
                $variant,
            )+
        }

        impl $name {
            /// Every operation, in the order the checks run them.
            pub(crate) const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The assembler mnemonic.
            pub(crate) const fn mnemonic(self) -> &'static str {
                match self {
                    $(Self::$variant => $mnemonic,)+
                }
            }
        }
    };
}

ops!(
    /// Register-register operations of RV32I and the M extension.
    RegOp {
        Add => "add",
        Sub => "sub",
        Sll => "sll",
        Slt => "slt",
        Sltu => "sltu",
        Xor => "xor",
        Srl => "srl",
        Sra => "sra",
        Or => "or",
        And => "and",
        Mul => "mul",
        Mulh => "mulh",
        Mulhsu => "mulhsu",
        Mulhu => "mulhu",
        Div => "div",
        Divu => "divu",
        Rem => "rem",
        Remu => "remu",
    }
);

ops!(
    /// Register-immediate ALU operations other than shifts.
    ImmOp {
        Addi => "addi",
        Slti => "slti",
        Sltiu => "sltiu",
        Xori => "xori",
        Ori => "ori",
        Andi => "andi",
    }
);

ops!(
    /// Shifts by an immediate amount.
    ShiftImmOp {
        Slli => "slli",
        Srli => "srli",
        Srai => "srai",
    }
);

ops!(
    /// Conditional branches.
    BranchOp {
        Beq => "beq",
        Bne => "bne",
        Blt => "blt",
        Bge => "bge",
        Bltu => "bltu",
        Bgeu => "bgeu",
    }
);

ops!(
    /// Loads.
    LoadOp {
        Lb => "lb",
        Lh => "lh",
        Lw => "lw",
        Lbu => "lbu",
        Lhu => "lhu",
    }
);

ops!(
    /// Stores.
    StoreOp {
        Sb => "sb",
        Sh => "sh",
        Sw => "sw",
    }
);

impl LoadOp {
    /// Bytes accessed.
    pub(crate) const fn width(self) -> u32 {
        match self {
            Self::Lb | Self::Lbu => 1,
            Self::Lh | Self::Lhu => 2,
            Self::Lw => 4,
        }
    }
}

impl StoreOp {
    /// Bytes accessed.
    pub(crate) const fn width(self) -> u32 {
        match self {
            Self::Sb => 1,
            Self::Sh => 2,
            Self::Sw => 4,
        }
    }
}

/// One check, as [`run`] reports it alongside its result; its `Display` names the instruction
/// and operands, for the host test's mismatch messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// Section 1.
    RegReg { op: RegOp, a: u32, b: u32 },
    /// Section 2.
    RegImm { op: ImmOp, a: u32, imm: i32 },
    /// Section 3.
    ShiftImm { op: ShiftImmOp, a: u32, shamt: u32 },
    /// Section 4.
    Lui { imm: u32 },
    /// Section 5.
    Auipc { imm: u32 },
    /// Section 6.
    Branch { op: BranchOp, a: u32, b: u32 },
    /// Section 7.
    Load {
        op: LoadOp,
        word: u32,
        offset: u32,
        imm: i32,
    },
    /// Section 8.
    Store {
        op: StoreOp,
        value: u32,
        offset: u32,
        imm: i32,
    },
    /// Section 9: an index into [`JUMP_CHECKS`].
    Jump(usize),
    /// Section 10: an index into [`MISC_CHECKS`].
    Misc(usize),
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::RegReg { op, a, b } => write!(f, "{} {a:#x}, {b:#x}", op.mnemonic()),
            Self::RegImm { op, a, imm } => write!(f, "{} {a:#x}, {imm}", op.mnemonic()),
            Self::ShiftImm { op, a, shamt } => write!(f, "{} {a:#x}, {shamt}", op.mnemonic()),
            Self::Lui { imm } => write!(f, "lui {imm:#x}"),
            Self::Auipc { imm } => write!(f, "auipc {imm:#x} (minus the pc of the previous auipc)"),
            Self::Branch { op, a, b } => write!(f, "{} {a:#x}, {b:#x}", op.mnemonic()),
            Self::Load {
                op,
                word,
                offset,
                imm,
            } => write!(
                f,
                "{} at byte {offset} of {word:#010x}, offset {imm}",
                op.mnemonic()
            ),
            Self::Store {
                op,
                value,
                offset,
                imm,
            } => write!(
                f,
                "{} {value:#x} at byte {offset} of {STORE_INIT:#010x}, offset {imm}",
                op.mnemonic()
            ),
            Self::Jump(index) => f.write_str(JUMP_CHECKS[index]),
            Self::Misc(index) => f.write_str(MISC_CHECKS[index]),
        }
    }
}

/// How the checks are evaluated: by the guest with real instructions, by the host test with
/// host arithmetic. The immediates are passed as indices into their tables, because the guest
/// must write them into the instruction as constants.
pub(crate) trait Isa {
    /// Section 1: `op rd, a, b`.
    fn reg_reg(&mut self, op: RegOp, a: u32, b: u32) -> u32;
    /// Section 2: `op rd, a, IMMEDIATES[imm_index]`.
    fn reg_imm(&mut self, op: ImmOp, a: u32, imm_index: usize) -> u32;
    /// Section 3: `op rd, a, SHAMTS[shamt_index]`.
    fn shift_imm(&mut self, op: ShiftImmOp, a: u32, shamt_index: usize) -> u32;
    /// Section 4: `lui rd, UPPER_IMMEDIATES[imm_index]`.
    fn lui(&mut self, imm_index: usize) -> u32;
    /// Section 5: `auipc rd, UPPER_IMMEDIATES[imm_index]` minus the pc of the `auipc` before it.
    fn auipc(&mut self, imm_index: usize) -> u32;
    /// Section 6: `3` when `op a, b` is taken (forwards and backwards), else `0`.
    fn branch(&mut self, op: BranchOp, a: u32, b: u32) -> u32;
    /// Section 7: `op` at byte `offset` of `word`, through offset `MEM_IMMEDIATES[imm_index]`.
    fn load(&mut self, op: LoadOp, word: u32, offset: u32, imm_index: usize) -> u32;
    /// Section 8: the word `STORE_INIT` after `op value` at byte `offset`, through offset
    /// `MEM_IMMEDIATES[imm_index]`.
    fn store(&mut self, op: StoreOp, value: u32, offset: u32, imm_index: usize) -> u32;
    /// Section 9: one word per entry of [`JUMP_CHECKS`].
    fn jumps(&mut self) -> [u32; JUMP_CHECKS.len()];
    /// Section 10: one word per entry of [`MISC_CHECKS`].
    fn misc(&mut self) -> [u32; MISC_CHECKS.len()];
}

/// The naturally aligned byte offsets of an access of `width` bytes within a word.
fn offsets(width: u32) -> impl Iterator<Item = u32> {
    (0..4).step_by(width as usize)
}

/// Runs every check on `isa`, in the committed order, passing each result to `out`.
pub(crate) fn run(isa: &mut impl Isa, out: &mut impl FnMut(Case, u32)) {
    for op in RegOp::ALL {
        for a in OPERANDS {
            for b in OPERANDS {
                out(Case::RegReg { op, a, b }, isa.reg_reg(op, a, b));
            }
        }
    }
    for op in ImmOp::ALL {
        for (imm_index, imm) in IMMEDIATES.into_iter().enumerate() {
            for a in OPERANDS {
                out(Case::RegImm { op, a, imm }, isa.reg_imm(op, a, imm_index));
            }
        }
    }
    for op in ShiftImmOp::ALL {
        for (shamt_index, shamt) in SHAMTS.into_iter().enumerate() {
            for a in OPERANDS {
                out(
                    Case::ShiftImm { op, a, shamt },
                    isa.shift_imm(op, a, shamt_index),
                );
            }
        }
    }
    for (imm_index, imm) in UPPER_IMMEDIATES.into_iter().enumerate() {
        out(Case::Lui { imm }, isa.lui(imm_index));
    }
    for (imm_index, imm) in UPPER_IMMEDIATES.into_iter().enumerate() {
        out(Case::Auipc { imm }, isa.auipc(imm_index));
    }
    for op in BranchOp::ALL {
        for a in OPERANDS {
            for b in OPERANDS {
                out(Case::Branch { op, a, b }, isa.branch(op, a, b));
            }
        }
    }
    for word in LOAD_WORDS {
        for op in LoadOp::ALL {
            for offset in offsets(op.width()) {
                for (imm_index, imm) in MEM_IMMEDIATES.into_iter().enumerate() {
                    let case = Case::Load {
                        op,
                        word,
                        offset,
                        imm,
                    };
                    out(case, isa.load(op, word, offset, imm_index));
                }
            }
        }
    }
    for value in STORE_VALUES {
        for op in StoreOp::ALL {
            for offset in offsets(op.width()) {
                for (imm_index, imm) in MEM_IMMEDIATES.into_iter().enumerate() {
                    let case = Case::Store {
                        op,
                        value,
                        offset,
                        imm,
                    };
                    out(case, isa.store(op, value, offset, imm_index));
                }
            }
        }
    }
    for (index, word) in isa.jumps().into_iter().enumerate() {
        out(Case::Jump(index), word);
    }
    for (index, word) in isa.misc().into_iter().enumerate() {
        out(Case::Misc(index), word);
    }
}

/// Accesses per word of each load op (4 bytes, 2 halfwords, 1 word), summed over the ops.
const fn load_accesses() -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < LoadOp::ALL.len() {
        total += 4 / LoadOp::ALL[i].width() as usize;
        i += 1;
    }
    total
}

/// The same for the store ops.
const fn store_accesses() -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < StoreOp::ALL.len() {
        total += 4 / StoreOp::ALL[i].width() as usize;
        i += 1;
    }
    total
}

/// The number of words [`run`] emits, so the length of the committed `Vec<u32>`.
pub(crate) const RESULT_COUNT: usize = {
    let pairs = OPERANDS.len() * OPERANDS.len();
    RegOp::ALL.len() * pairs
        + ImmOp::ALL.len() * IMMEDIATES.len() * OPERANDS.len()
        + ShiftImmOp::ALL.len() * SHAMTS.len() * OPERANDS.len()
        + 2 * UPPER_IMMEDIATES.len()
        + BranchOp::ALL.len() * pairs
        + LOAD_WORDS.len() * load_accesses() * MEM_IMMEDIATES.len()
        + STORE_VALUES.len() * store_accesses() * MEM_IMMEDIATES.len()
        + JUMP_CHECKS.len()
        + MISC_CHECKS.len()
};
