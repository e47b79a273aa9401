//! The results the `isa-check` guest must commit, computed on the host with plain Rust arithmetic
//! and the RISC-V unprivileged spec's rules (RV32I and the M extension): shift amounts masked to
//! 5 bits; division by zero giving all ones (quotient) or the dividend (remainder); the
//! overflowing `i32::MIN / -1` giving `i32::MIN` and remainder 0; high multiplies from 64-bit
//! products.
//!
//! Host only, never part of the guest: compiled for riscv32im, these would be the compiler's
//! arithmetic rather than the instructions under test. Include it next to `cases.rs`, whose items
//! it uses as `super::cases` (see the top of `cases.rs`):
//!
//! ```ignore
//! #[path = "../../guest-programs/isa-check/src/cases.rs"]
//! mod cases;
//! #[path = "../../guest-programs/isa-check/src/expected.rs"]
//! mod expected;
//!
//! let committed: Vec<u32> = postcard::from_bytes(&output)?;
//! let expected = expected::expected_cases();
//! assert_eq!(committed.len(), expected.len());
//! for ((case, want), got) in expected.into_iter().zip(committed) {
//!     assert_eq!(got, want, "{case}");
//! }
//! ```
//!
//! Both files declare their items `pub(crate)` and `expected_cases` uses every item of
//! `cases.rs`, so including them this way needs no lint attributes. Uses `Vec` from the std
//! prelude.

use super::cases::{
    self, BranchOp, Case, IMMEDIATES, ImmOp, Isa, JUMP_CHECKS, LoadOp, MISC_CHECKS, RegOp, SHAMTS,
    STORE_INIT, ShiftImmOp, StoreOp, UPPER_IMMEDIATES,
};

/// The committed `Vec<u32>` the guest must produce, in order, each word with the check that
/// produces it (for mismatch messages).
pub(crate) fn expected_cases() -> Vec<(Case, u32)> {
    let mut results = Vec::with_capacity(cases::RESULT_COUNT);
    cases::run(&mut Spec, &mut |case, word| results.push((case, word)));
    results
}

/// [`Isa`] by the spec.
struct Spec;

fn signed(x: u32) -> i32 {
    x as i32
}

impl Isa for Spec {
    fn reg_reg(&mut self, op: RegOp, a: u32, b: u32) -> u32 {
        let shamt = b & 31;
        match op {
            RegOp::Add => a.wrapping_add(b),
            RegOp::Sub => a.wrapping_sub(b),
            RegOp::Sll => a << shamt,
            RegOp::Slt => u32::from(signed(a) < signed(b)),
            RegOp::Sltu => u32::from(a < b),
            RegOp::Xor => a ^ b,
            RegOp::Srl => a >> shamt,
            RegOp::Sra => (signed(a) >> shamt) as u32,
            RegOp::Or => a | b,
            RegOp::And => a & b,
            RegOp::Mul => a.wrapping_mul(b),
            RegOp::Mulh => ((i64::from(signed(a)) * i64::from(signed(b))) >> 32) as u32,
            // Signed times unsigned: |product| < 2^63, so it fits an i64.
            RegOp::Mulhsu => ((i64::from(signed(a)) * i64::from(b)) >> 32) as u32,
            RegOp::Mulhu => ((u64::from(a) * u64::from(b)) >> 32) as u32,
            RegOp::Div if b == 0 => u32::MAX,
            // `wrapping_div` gives i32::MIN for i32::MIN / -1, as the spec does.
            RegOp::Div => signed(a).wrapping_div(signed(b)) as u32,
            RegOp::Divu if b == 0 => u32::MAX,
            RegOp::Divu => a / b,
            RegOp::Rem if b == 0 => a,
            // `wrapping_rem` gives 0 for i32::MIN % -1, as the spec does; the sign follows `a`.
            RegOp::Rem => signed(a).wrapping_rem(signed(b)) as u32,
            RegOp::Remu if b == 0 => a,
            RegOp::Remu => a % b,
        }
    }

    fn reg_imm(&mut self, op: ImmOp, a: u32, imm_index: usize) -> u32 {
        let imm = IMMEDIATES[imm_index];
        // The 12-bit immediate is sign-extended to 32 bits, for the unsigned ops too.
        let imm_bits = imm as u32;
        match op {
            ImmOp::Addi => a.wrapping_add(imm_bits),
            ImmOp::Slti => u32::from(signed(a) < imm),
            ImmOp::Sltiu => u32::from(a < imm_bits),
            ImmOp::Xori => a ^ imm_bits,
            ImmOp::Ori => a | imm_bits,
            ImmOp::Andi => a & imm_bits,
        }
    }

    fn shift_imm(&mut self, op: ShiftImmOp, a: u32, shamt_index: usize) -> u32 {
        let shamt = SHAMTS[shamt_index];
        match op {
            ShiftImmOp::Slli => a << shamt,
            ShiftImmOp::Srli => a >> shamt,
            ShiftImmOp::Srai => (signed(a) >> shamt) as u32,
        }
    }

    fn lui(&mut self, imm_index: usize) -> u32 {
        UPPER_IMMEDIATES[imm_index] << 12
    }

    fn auipc(&mut self, imm_index: usize) -> u32 {
        // The second auipc is one instruction after the first.
        4_u32.wrapping_add(UPPER_IMMEDIATES[imm_index] << 12)
    }

    fn branch(&mut self, op: BranchOp, a: u32, b: u32) -> u32 {
        let taken = match op {
            BranchOp::Beq => a == b,
            BranchOp::Bne => a != b,
            BranchOp::Blt => signed(a) < signed(b),
            BranchOp::Bge => signed(a) >= signed(b),
            BranchOp::Bltu => a < b,
            BranchOp::Bgeu => a >= b,
        };
        if taken { 0b11 } else { 0 }
    }

    // The offset immediate (`MEM_IMMEDIATES[_imm_index]`) only moves the base register, never
    // the address, so it does not change the result.
    fn load(&mut self, op: LoadOp, word: u32, offset: u32, _imm_index: usize) -> u32 {
        let bytes = word.to_le_bytes();
        let at = offset as usize;
        let half = || [bytes[at], bytes[at + 1]];
        match op {
            LoadOp::Lb => i32::from(bytes[at] as i8) as u32,
            LoadOp::Lbu => u32::from(bytes[at]),
            LoadOp::Lh => i32::from(i16::from_le_bytes(half())) as u32,
            LoadOp::Lhu => u32::from(u16::from_le_bytes(half())),
            LoadOp::Lw => word,
        }
    }

    // As for loads, the offset immediate does not change the result.
    fn store(&mut self, op: StoreOp, value: u32, offset: u32, _imm_index: usize) -> u32 {
        let mut bytes = STORE_INIT.to_le_bytes();
        let at = offset as usize;
        let width = op.width() as usize;
        bytes[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
        u32::from_le_bytes(bytes)
    }

    fn jumps(&mut self) -> [u32; JUMP_CHECKS.len()] {
        // In `JUMP_CHECKS` order; each entry there derives its value.
        [1, 16, 24, 12, 12, 12, 0, 1, 3, 0]
    }

    fn misc(&mut self) -> [u32; MISC_CHECKS.len()] {
        // In `MISC_CHECKS` order; each entry there states its value.
        [0, 0, 0x8000_0002, 0, 0x0002_0001, 0x1234_5678, 8]
    }
}
