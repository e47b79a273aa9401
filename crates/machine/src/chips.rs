//! [`RiscvChip`]: every chip of the machine in one type, as the batch prover needs.

use geode_stark::{Chip, Val};
use p3_air::{Air, AirBuilder, BaseAir};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

use crate::alu::add_sub::AddSubChip;
use crate::alu::bitwise::BitwiseChip;
use crate::alu::divrem::DivRemChip;
use crate::alu::lt::LtChip;
use crate::alu::mul::MulChip;
use crate::alu::shift::ShiftChip;
use crate::byte::ByteChip;
use crate::cpu::CpuChip;
use crate::keccak::{KeccakControlChip, KeccakPermuteChip};
use crate::load_store::LoadStoreChip;
use crate::memory::{ImageChip, MemoryFinalChip, MemoryInitChip};
use crate::program::ProgramChip;
use crate::secp256k1::Secp256k1Chip;
use crate::syscall::halt::HaltChip;
use crate::syscall::hint_read::HintReadChip;
use crate::syscall::misc::MiscSyscallChip;
use crate::uint256::MulModChip;
use crate::word_io::WordIoChip;

/// One chip of the RISC-V machine.
#[derive(Clone, Debug)]
pub enum RiscvChip {
    /// The preprocessed program table.
    Program(ProgramChip),
    /// One row per cycle.
    Cpu(CpuChip),
    /// ADD, SUB.
    AddSub(AddSubChip),
    /// XOR, OR, AND.
    Bitwise(BitwiseChip),
    /// SLT, SLTU.
    Lt(LtChip),
    /// SLL, SRL, SRA.
    Shift(ShiftChip),
    /// MUL, MULH, MULHSU, MULHU.
    Mul(MulChip),
    /// DIV, DIVU, REM, REMU.
    DivRem(DivRemChip),
    /// Loads and stores.
    LoadStore(LoadStoreChip),
    /// First state (0 at time 0) of registers and untouched-by-the-ELF RAM.
    MemoryInit(MemoryInitChip),
    /// First state of the ELF's memory image (preprocessed).
    Image(ImageChip),
    /// Last state of every address.
    MemoryFinal(MemoryFinalChip),
    /// The run's HALT and its public values.
    Halt(HaltChip),
    /// WRITE, COMMIT, HINT_LEN.
    SyscallMisc(MiscSyscallChip),
    /// HINT_READ.
    HintRead(HintReadChip),
    /// KECCAK_PERMUTE's ecalls and state words.
    KeccakControl(KeccakControlChip),
    /// keccak-f[1600] permutations (p3-keccak-air).
    KeccakPermute(KeccakPermuteChip),
    /// SECP256K1_ADD and SECP256K1_DOUBLE.
    Secp256k1(Secp256k1Chip),
    /// UINT256_MULMOD.
    MulMod(MulModChip),
    /// The memory accesses of the 256-bit precompiles.
    WordIo(WordIoChip),
    /// The preprocessed byte table.
    Byte(ByteChip),
}

/// Calls `$body` with `$c` bound to the chip inside any variant.
macro_rules! dispatch {
    ($self:expr, $c:ident => $body:expr) => {
        match $self {
            RiscvChip::Program($c) => $body,
            RiscvChip::Cpu($c) => $body,
            RiscvChip::AddSub($c) => $body,
            RiscvChip::Bitwise($c) => $body,
            RiscvChip::Lt($c) => $body,
            RiscvChip::Shift($c) => $body,
            RiscvChip::Mul($c) => $body,
            RiscvChip::DivRem($c) => $body,
            RiscvChip::LoadStore($c) => $body,
            RiscvChip::MemoryInit($c) => $body,
            RiscvChip::Image($c) => $body,
            RiscvChip::MemoryFinal($c) => $body,
            RiscvChip::Halt($c) => $body,
            RiscvChip::SyscallMisc($c) => $body,
            RiscvChip::HintRead($c) => $body,
            RiscvChip::KeccakControl($c) => $body,
            RiscvChip::KeccakPermute($c) => $body,
            RiscvChip::Secp256k1($c) => $body,
            RiscvChip::MulMod($c) => $body,
            RiscvChip::WordIo($c) => $body,
            RiscvChip::Byte($c) => $body,
        }
    };
}

impl BaseAir<Val> for RiscvChip {
    fn width(&self) -> usize {
        dispatch!(self, c => BaseAir::<Val>::width(c))
    }
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        dispatch!(self, c => BaseAir::<Val>::preprocessed_trace(c))
    }
    fn preprocessed_width(&self) -> usize {
        dispatch!(self, c => BaseAir::<Val>::preprocessed_width(c))
    }
    fn num_public_values(&self) -> usize {
        dispatch!(self, c => BaseAir::<Val>::num_public_values(c))
    }
    fn main_next_row_columns(&self) -> Vec<usize> {
        dispatch!(self, c => BaseAir::<Val>::main_next_row_columns(c))
    }
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        dispatch!(self, c => BaseAir::<Val>::preprocessed_next_row_columns(c))
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for RiscvChip {
    fn eval(&self, builder: &mut AB) {
        dispatch!(self, c => c.eval(builder))
    }
}

impl Chip<Val> for RiscvChip {
    fn name(&self) -> &'static str {
        dispatch!(self, c => c.name())
    }
    fn column_names(&self) -> Vec<String> {
        dispatch!(self, c => c.column_names())
    }
}
