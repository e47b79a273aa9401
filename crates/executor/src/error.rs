//! The executor's errors: ELF rejections and guest faults. Every guest fault names the pc and
//! the instruction word (disassembled when printed).

use std::fmt;

use crate::decode::disassemble;

/// Why an ELF file was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ElfError {
    /// goblin could not parse the file at all.
    #[error("malformed ELF: {0}")]
    Malformed(String),
    /// A 64-bit ELF.
    #[error("not a 32-bit ELF (Geode runs riscv32im executables)")]
    Not32Bit,
    /// A big-endian ELF.
    #[error("not a little-endian ELF")]
    NotLittleEndian,
    /// `e_machine` is not RISC-V.
    #[error("ELF machine is {0:#x}, not RISC-V (0xf3)")]
    NotRiscv(u16),
    /// Not `ET_EXEC` (a relocatable object or shared library, say).
    #[error("ELF type is {0}, not an executable (ET_EXEC)")]
    NotExecutable(u16),
    /// The ELF flags ask for an extension Geode does not run (compressed or floating point).
    #[error("ELF flags {0:#x} require an unsupported extension (only riscv32im, soft-float ABI)")]
    UnsupportedFlags(u32),
    /// A segment's file bytes run past the end of the file, or its sizes are inconsistent.
    #[error("segment {index} is truncated: {reason}")]
    TruncatedSegment {
        /// Program header index.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// A segment lies (partly) outside the valid memory map.
    #[error("segment {index} at {vaddr:#x}..{end:#x} lies outside the memory map ({lo:#x}..{hi:#x})",
        lo = geode_platform::memory::GUARD_END, hi = geode_platform::memory::MEMORY_TOP)]
    SegmentOutsideMap {
        /// Program header index.
        index: usize,
        /// First address.
        vaddr: u64,
        /// One past the last address.
        end: u64,
    },
    /// Two loadable segments share addresses.
    #[error("segments {first} and {second} overlap")]
    OverlappingSegments {
        /// Program header index of one segment.
        first: usize,
        /// Program header index of the other.
        second: usize,
    },
    /// An executable segment does not start on a word boundary.
    #[error("executable segment {index} at {vaddr:#x} is not word aligned")]
    MisalignedText {
        /// Program header index.
        index: usize,
        /// Its address.
        vaddr: u32,
    },
    /// The code spans more words than a program table may hold.
    #[error(
        "text spans {words} words (at most {} allowed)",
        crate::program::MAX_TEXT_WORDS
    )]
    TextTooLarge {
        /// Words from the first to the last executable word.
        words: u32,
    },
    /// No executable bytes at all.
    #[error("ELF has no executable code")]
    EmptyText,
    /// The entry point is not a word-aligned address inside the executable code.
    #[error("entry point {0:#x} is not a word-aligned address in the executable code")]
    BadEntry(u32),
}

/// A fault or limit hit while running a guest. Each names the pc and the instruction word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExecError {
    /// A load or store whose address is not a multiple of its size.
    #[error("misaligned {size}-byte {kind} at address {addr:#010x} ({})", At(*pc, *insn))]
    MisalignedAccess {
        /// pc of the faulting instruction.
        pc: u32,
        /// Its instruction word.
        insn: u32,
        /// The effective address.
        addr: u32,
        /// Access size in bytes.
        size: u32,
        /// "load" or "store".
        kind: AccessKind,
    },
    /// An access to the null guard or above the top of memory.
    #[error("{kind} of {size} bytes at address {addr:#010x} is outside the memory map ({})", At(*pc, *insn))]
    AccessOutsideMap {
        /// pc of the faulting instruction.
        pc: u32,
        /// Its instruction word.
        insn: u32,
        /// The first address of the access.
        addr: u32,
        /// Access size in bytes.
        size: u32,
        /// "load" or "store".
        kind: AccessKind,
    },
    /// An instruction Geode does not support (CSR, `ebreak`, `fence.i`, compressed, float, …).
    #[error("illegal or unsupported instruction ({})", At(*pc, *insn))]
    IllegalInstruction {
        /// pc of the instruction.
        pc: u32,
        /// Its word.
        insn: u32,
    },
    /// Control reached an address that holds no code (or is not word aligned).
    #[error("jump to {pc:#010x}, which is not a word-aligned address in the program text ({})", At(*from_pc, *from_insn))]
    PcOutsideText {
        /// The bad target.
        pc: u32,
        /// pc of the instruction that jumped there.
        from_pc: u32,
        /// Its instruction word.
        from_insn: u32,
    },
    /// `ecall` with an id in `t0` that names no syscall.
    #[error("unknown syscall {id:#x} ({})", At(*pc, *insn))]
    UnknownSyscall {
        /// pc of the `ecall`.
        pc: u32,
        /// The `ecall` word.
        insn: u32,
        /// The id found in `t0`.
        id: u32,
    },
    /// A syscall with arguments it cannot accept.
    #[error("bad {name} syscall: {reason} ({})", At(*pc, *insn))]
    BadSyscall {
        /// pc of the `ecall`.
        pc: u32,
        /// The `ecall` word.
        insn: u32,
        /// Syscall name.
        name: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// WRITE and COMMIT together produced more bytes than the run allows.
    #[error("output limit of {limit} bytes exceeded ({})", At(*pc, *insn))]
    OutputLimit {
        /// pc of the `ecall`.
        pc: u32,
        /// The `ecall` word.
        insn: u32,
        /// The limit.
        limit: usize,
    },
    /// The input stream is longer than a guest could ever read (`HINT_LEN` returns a `u32`).
    #[error(
        "input of {bytes} bytes is too large (at most {} bytes)",
        geode_platform::memory::MEMORY_TOP
    )]
    InputTooLarge {
        /// Input length.
        bytes: usize,
    },
    /// The run did not halt within the cycle limit.
    #[error("cycle limit of {limit} reached without HALT ({})", At(*pc, *insn))]
    CycleLimit {
        /// pc of the next instruction that would have run.
        pc: u32,
        /// Its word.
        insn: u32,
        /// The limit.
        limit: u64,
    },
}

impl ExecError {
    /// The pc of the faulting instruction (`None` for an error before the run starts).
    pub fn pc(&self) -> Option<u32> {
        match *self {
            ExecError::MisalignedAccess { pc, .. }
            | ExecError::AccessOutsideMap { pc, .. }
            | ExecError::IllegalInstruction { pc, .. }
            | ExecError::UnknownSyscall { pc, .. }
            | ExecError::BadSyscall { pc, .. }
            | ExecError::OutputLimit { pc, .. }
            | ExecError::CycleLimit { pc, .. } => Some(pc),
            ExecError::PcOutsideText { from_pc, .. } => Some(from_pc),
            ExecError::InputTooLarge { .. } => None,
        }
    }
}

/// Whether a faulting access read or wrote memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKind {
    /// A read.
    Load,
    /// A write.
    Store,
}

impl fmt::Display for AccessKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AccessKind::Load => "load",
            AccessKind::Store => "store",
        })
    }
}

/// "pc 0x…: 0x… `disassembly`" for error messages.
struct At(u32, u32);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pc {:#010x}: {:#010x} `{}`",
            self.0,
            self.1,
            disassemble(self.1, self.0)
        )
    }
}
