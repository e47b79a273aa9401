//! [`Isa`] on the real instructions: each check is one `asm!` block, so the result is whatever
//! the VM executing the block computes, never something the compiler folded at build time.

use core::arch::asm;

use crate::cases::{
    BranchOp, IMMEDIATES, ImmOp, Isa, JUMP_CHECKS, LoadOp, MEM_IMMEDIATES, MISC_CHECKS, RegOp,
    SHAMTS, STORE_INIT, ShiftImmOp, StoreOp, UPPER_IMMEDIATES,
};

/// The executing machine.
pub(crate) struct Machine;

/// Calls `$f::<I>(args)` for `I = $index`. Instruction immediates must be constants, so each
/// table entry gets its own instance of `$f`; the assertion keeps the arms in step with the table.
macro_rules! by_index {
    ($index:expr, $table:ident, [$($i:literal),+], $f:ident $args:tt) => {{
        const _: () = assert!($table.len() == [$($i),+].len(), "one arm per table entry");
        match $index {
            $($i => $f::<$i> $args,)+
            index => unreachable!("{} has no entry {index}", stringify!($table)),
        }
    }};
}

/// `$mnemonic rd, a, b` on registers.
macro_rules! reg_reg {
    ($mnemonic:literal, $a:expr, $b:expr) => {{
        let rd: u32;
        // SAFETY: register arithmetic only.
        unsafe {
            asm!(
                concat!($mnemonic, " {rd}, {a}, {b}"),
                rd = lateout(reg) rd,
                a = in(reg) $a,
                b = in(reg) $b,
                options(pure, nomem, nostack),
            )
        };
        rd
    }};
}

/// `$mnemonic rd, a, $imm` with a constant immediate.
macro_rules! reg_imm {
    ($mnemonic:literal, $a:expr, $imm:expr) => {{
        let rd: u32;
        // SAFETY: register arithmetic only.
        unsafe {
            asm!(
                concat!($mnemonic, " {rd}, {a}, {imm}"),
                rd = lateout(reg) rd,
                a = in(reg) $a,
                imm = const $imm,
                options(pure, nomem, nostack),
            )
        };
        rd
    }};
}

/// Bit 0: a forward `$mnemonic a, b` is taken; bit 1: a backward one is.
macro_rules! branch {
    ($mnemonic:literal, $a:expr, $b:expr) => {{
        let taken: u32;
        // SAFETY: control flow stays inside the block; registers only.
        unsafe {
            asm!(
                concat!($mnemonic, " {a}, {b}, 1f"),
                "j 2f",
                "1: ori {taken}, {taken}, 1",
                "2: j 4f",
                "3: ori {taken}, {taken}, 2",
                "j 5f",
                concat!("4: ", $mnemonic, " {a}, {b}, 3b"),
                "5:",
                taken = inout(reg) 0_u32 => taken,
                a = in(reg) $a,
                b = in(reg) $b,
                options(pure, nomem, nostack),
            )
        };
        taken
    }};
}

/// `$mnemonic rd, $imm(base)`.
macro_rules! load {
    ($mnemonic:literal, $base:expr, $imm:expr) => {{
        let rd: u32;
        // SAFETY: the caller points `base + imm` at bytes it owns, naturally aligned.
        unsafe {
            asm!(
                concat!($mnemonic, " {rd}, {imm}({base})"),
                rd = lateout(reg) rd,
                base = in(reg) $base,
                imm = const $imm,
                options(readonly, nostack),
            )
        };
        rd
    }};
}

/// `$mnemonic value, $imm(base)`, then `lw` of the word at `word`.
macro_rules! store {
    ($mnemonic:literal, $value:expr, $base:expr, $imm:expr, $word:expr) => {{
        let rd: u32;
        // SAFETY: the caller points `base + imm` at bytes it owns inside the word at `word`,
        // naturally aligned.
        unsafe {
            asm!(
                concat!($mnemonic, " {value}, {imm}({base})"),
                "lw {rd}, 0({word})",
                rd = lateout(reg) rd,
                value = in(reg) $value,
                base = in(reg) $base,
                imm = const $imm,
                word = in(reg) $word,
                options(nostack),
            )
        };
        rd
    }};
}

fn reg_imm_at<const I: usize>(op: ImmOp, a: u32) -> u32 {
    match op {
        ImmOp::Addi => reg_imm!("addi", a, IMMEDIATES[I]),
        ImmOp::Slti => reg_imm!("slti", a, IMMEDIATES[I]),
        ImmOp::Sltiu => reg_imm!("sltiu", a, IMMEDIATES[I]),
        ImmOp::Xori => reg_imm!("xori", a, IMMEDIATES[I]),
        ImmOp::Ori => reg_imm!("ori", a, IMMEDIATES[I]),
        ImmOp::Andi => reg_imm!("andi", a, IMMEDIATES[I]),
    }
}

fn shift_imm_at<const I: usize>(op: ShiftImmOp, a: u32) -> u32 {
    match op {
        ShiftImmOp::Slli => reg_imm!("slli", a, SHAMTS[I]),
        ShiftImmOp::Srli => reg_imm!("srli", a, SHAMTS[I]),
        ShiftImmOp::Srai => reg_imm!("srai", a, SHAMTS[I]),
    }
}

fn lui_at<const I: usize>() -> u32 {
    let rd: u32;
    // SAFETY: register write only.
    unsafe {
        asm!(
            "lui {rd}, {imm}",
            rd = lateout(reg) rd,
            imm = const UPPER_IMMEDIATES[I],
            options(pure, nomem, nostack),
        )
    };
    rd
}

fn auipc_at<const I: usize>() -> u32 {
    let rd: u32;
    // SAFETY: register writes only. Not `pure`: the result depends on where the block is, so
    // two instances must not be merged.
    unsafe {
        asm!(
            "auipc {pc}, 0",
            "auipc {rd}, {imm}",
            "sub {rd}, {rd}, {pc}",
            pc = out(reg) _,
            rd = out(reg) rd,
            imm = const UPPER_IMMEDIATES[I],
            options(nomem, nostack),
        )
    };
    rd
}

fn load_at<const I: usize>(op: LoadOp, word: u32, offset: u32) -> u32 {
    // The loaded word sits between two others, so that every access stays inside `memory`.
    let memory = [0, word, 0_u32];
    let target = memory
        .as_ptr()
        .wrapping_add(1)
        .cast::<u8>()
        .wrapping_add(offset as usize);
    // Whatever `imm` is, `base + imm` is the target.
    let base = target.wrapping_offset(-(MEM_IMMEDIATES[I] as isize));
    match op {
        LoadOp::Lb => load!("lb", base, MEM_IMMEDIATES[I]),
        LoadOp::Lh => load!("lh", base, MEM_IMMEDIATES[I]),
        LoadOp::Lw => load!("lw", base, MEM_IMMEDIATES[I]),
        LoadOp::Lbu => load!("lbu", base, MEM_IMMEDIATES[I]),
        LoadOp::Lhu => load!("lhu", base, MEM_IMMEDIATES[I]),
    }
}

fn store_at<const I: usize>(op: StoreOp, value: u32, offset: u32) -> u32 {
    let mut memory = [0, STORE_INIT, 0_u32];
    let word = memory.as_mut_ptr().wrapping_add(1);
    let target = word.cast::<u8>().wrapping_add(offset as usize);
    // Whatever `imm` is, `base + imm` is the target.
    let base = target.wrapping_offset(-(MEM_IMMEDIATES[I] as isize));
    match op {
        StoreOp::Sb => store!("sb", value, base, MEM_IMMEDIATES[I], word),
        StoreOp::Sh => store!("sh", value, base, MEM_IMMEDIATES[I], word),
        StoreOp::Sw => store!("sw", value, base, MEM_IMMEDIATES[I], word),
    }
}

impl Isa for Machine {
    fn reg_reg(&mut self, op: RegOp, a: u32, b: u32) -> u32 {
        match op {
            RegOp::Add => reg_reg!("add", a, b),
            RegOp::Sub => reg_reg!("sub", a, b),
            RegOp::Sll => reg_reg!("sll", a, b),
            RegOp::Slt => reg_reg!("slt", a, b),
            RegOp::Sltu => reg_reg!("sltu", a, b),
            RegOp::Xor => reg_reg!("xor", a, b),
            RegOp::Srl => reg_reg!("srl", a, b),
            RegOp::Sra => reg_reg!("sra", a, b),
            RegOp::Or => reg_reg!("or", a, b),
            RegOp::And => reg_reg!("and", a, b),
            RegOp::Mul => reg_reg!("mul", a, b),
            RegOp::Mulh => reg_reg!("mulh", a, b),
            RegOp::Mulhsu => reg_reg!("mulhsu", a, b),
            RegOp::Mulhu => reg_reg!("mulhu", a, b),
            RegOp::Div => reg_reg!("div", a, b),
            RegOp::Divu => reg_reg!("divu", a, b),
            RegOp::Rem => reg_reg!("rem", a, b),
            RegOp::Remu => reg_reg!("remu", a, b),
        }
    }

    fn reg_imm(&mut self, op: ImmOp, a: u32, imm_index: usize) -> u32 {
        by_index!(imm_index, IMMEDIATES, [0, 1, 2, 3, 4, 5], reg_imm_at(op, a))
    }

    fn shift_imm(&mut self, op: ShiftImmOp, a: u32, shamt_index: usize) -> u32 {
        by_index!(shamt_index, SHAMTS, [0, 1, 2, 3], shift_imm_at(op, a))
    }

    fn lui(&mut self, imm_index: usize) -> u32 {
        by_index!(imm_index, UPPER_IMMEDIATES, [0, 1, 2, 3, 4, 5], lui_at())
    }

    fn auipc(&mut self, imm_index: usize) -> u32 {
        by_index!(imm_index, UPPER_IMMEDIATES, [0, 1, 2, 3, 4, 5], auipc_at())
    }

    fn branch(&mut self, op: BranchOp, a: u32, b: u32) -> u32 {
        match op {
            BranchOp::Beq => branch!("beq", a, b),
            BranchOp::Bne => branch!("bne", a, b),
            BranchOp::Blt => branch!("blt", a, b),
            BranchOp::Bge => branch!("bge", a, b),
            BranchOp::Bltu => branch!("bltu", a, b),
            BranchOp::Bgeu => branch!("bgeu", a, b),
        }
    }

    fn load(&mut self, op: LoadOp, word: u32, offset: u32, imm_index: usize) -> u32 {
        by_index!(
            imm_index,
            MEM_IMMEDIATES,
            [0, 1, 2, 3, 4],
            load_at(op, word, offset)
        )
    }

    fn store(&mut self, op: StoreOp, value: u32, offset: u32, imm_index: usize) -> u32 {
        by_index!(
            imm_index,
            MEM_IMMEDIATES,
            [0, 1, 2, 3, 4],
            store_at(op, value, offset)
        )
    }

    fn jumps(&mut self) -> [u32; JUMP_CHECKS.len()] {
        // The sequences and their expected values are spelled out in `JUMP_CHECKS`.
        let (jal_marker, jal_forward, jal_backward): (u32, u32, u32);
        // SAFETY: control flow stays inside the block; registers only.
        unsafe {
            asm!(
                "auipc {p}, 0",
                "jal x0, 2f",
                "1: addi {m}, {m}, 1",
                "jal {l2}, 3f",
                "addi {m}, {m}, 16",
                "2: jal {l1}, 1b",
                "addi {m}, {m}, 256",
                "3: sub {l1}, {l1}, {p}",
                "sub {l2}, {l2}, {p}",
                p = out(reg) _,
                m = inout(reg) 0_u32 => jal_marker,
                l1 = out(reg) jal_backward,
                l2 = out(reg) jal_forward,
                options(nomem, nostack),
            )
        };

        let (odd_base, odd_imm, same_reg, jalr_marker): (u32, u32, u32, u32);
        // SAFETY: as above.
        unsafe {
            asm!(
                "auipc {p}, 0",
                "addi {t}, {p}, 17",
                "jalr {a}, 0({t})",
                "addi {m}, {m}, 1",
                "sub {a}, {a}, {p}",
                //
                "auipc {p}, 0",
                "addi {t}, {p}, 24",
                "jalr {b}, -7({t})",
                "addi {m}, {m}, 2",
                "sub {b}, {b}, {p}",
                //
                "auipc {p}, 0",
                "addi {t}, {p}, 20",
                "jalr {t}, -4({t})",
                "addi {m}, {m}, 4",
                "sub {t}, {t}, {p}",
                p = out(reg) _,
                t = out(reg) same_reg,
                a = out(reg) odd_base,
                b = out(reg) odd_imm,
                m = inout(reg) 0_u32 => jalr_marker,
                options(nomem, nostack),
            )
        };

        let jalr_x0_marker: u32;
        // SAFETY: as above.
        unsafe {
            asm!(
                "auipc {p}, 0",
                "jal x0, 2f",
                "1: addi {m}, {m}, 1",
                "jal x0, 3f",
                "2: addi {t}, {p}, 9",
                "jalr x0, -1({t})",
                "addi {m}, {m}, 2",
                "3:",
                p = out(reg) _,
                t = out(reg) _,
                m = inout(reg) 0_u32 => jalr_x0_marker,
                options(nomem, nostack),
            )
        };

        let (iterations, count_down): (u32, u32);
        // SAFETY: as above.
        unsafe {
            asm!(
                "li {n}, 3",
                "li {c}, 0",
                "1: addi {n}, {n}, -1",
                "addi {c}, {c}, 1",
                "bne {n}, x0, 1b",
                n = out(reg) count_down,
                c = out(reg) iterations,
                options(nomem, nostack),
            )
        };

        [
            jal_marker,
            jal_forward,
            jal_backward,
            odd_base,
            odd_imm,
            same_reg,
            jalr_marker,
            jalr_x0_marker,
            iterations,
            count_down,
        ]
    }

    fn misc(&mut self) -> [u32; MISC_CHECKS.len()] {
        let (addi_x0, lui_x0): (u32, u32);
        // SAFETY: registers only; writes to x0 are discarded.
        unsafe {
            asm!(
                "addi x0, x0, 5",
                "addi {a}, x0, 0",
                "lui x0, 0x12345",
                "add {b}, x0, x0",
                a = out(reg) addi_x0,
                b = out(reg) lui_x0,
                options(nomem, nostack),
            )
        };
        let (add_self, sub_self, mul_self): (u32, u32, u32);
        // SAFETY: register arithmetic only.
        unsafe {
            asm!(
                "add {a}, {a}, {a}",
                "sub {s}, {s}, {s}",
                "mul {m}, {m}, {m}",
                a = inout(reg) 0x4000_0001_u32 => add_self,
                s = inout(reg) 0xdead_beef_u32 => sub_self,
                m = inout(reg) 0x0001_0001_u32 => mul_self,
                options(pure, nomem, nostack),
            )
        };
        let memory = [0x1234_5678_u32];
        let load_into_base: u32;
        // SAFETY: loads the word of `memory`.
        unsafe {
            asm!(
                "mv {r}, {p}",
                "lw {r}, 0({r})",
                p = in(reg) memory.as_ptr(),
                r = out(reg) load_into_base,
                options(readonly, nostack),
            )
        };
        let fenced: u32;
        // SAFETY: registers only; fences order nothing in a single-hart guest.
        unsafe {
            asm!(
                "li {r}, 7",
                "fence",
                "fence rw, rw",
                "addi {r}, {r}, 1",
                r = out(reg) fenced,
                options(nostack),
            )
        };
        [
            addi_x0,
            lui_x0,
            add_self,
            sub_self,
            mul_self,
            load_into_base,
            fenced,
        ]
    }
}
