//! The execution record: plain-integer events for trace generation. No field types here.
//!
//! # Timestamps
//! Cycle `clk` (1-based; 0 is the time of the initial memory) owns four timestamps
//! `4 * clk + slot`, one per access port, so the accesses of one instruction are ordered:
//! [`SLOT_RS1`] < [`SLOT_RS2`] < [`SLOT_MEM`] < [`SLOT_RD`]. Registers are addresses `0..32`
//! of the one address space, below the guard page, so RAM never reaches them. Every access carries the value and timestamp it found (`prev_*`), which is
//! what offline memory checking consumes; an address is touched at most once per port per
//! cycle, so timestamps of one address strictly increase.

/// Timestamp slot of the `rs1` read.
pub const SLOT_RS1: u32 = 0;
/// Timestamp slot of the `rs2` read.
pub const SLOT_RS2: u32 = 1;
/// Timestamp slot of RAM accesses (and a syscall's reads of `a1`, `a2`).
pub const SLOT_MEM: u32 = 2;
/// Timestamp slot of the `rd` write.
pub const SLOT_RD: u32 = 3;

/// The timestamp of `slot` in cycle `clk`.
pub const fn timestamp(clk: u32, slot: u32) -> u32 {
    4 * clk + slot
}

/// One executed instruction. Which register ports it used follows from its opcode (see
/// [`crate::Opcode::reads_rs1`] and friends); unused ports hold zeros.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuEvent {
    /// Cycle number, from 1.
    pub clk: u32,
    /// Address of the instruction.
    pub pc: u32,
    /// Address of the next instruction.
    pub next_pc: u32,
    /// Value of `rd` after the instruction (0 when `rd` is `x0`).
    pub a: u32,
    /// Value read from `rs1`.
    pub b: u32,
    /// Value read from `rs2`.
    pub c: u32,
    /// Timestamp of the previous access to `rs1`.
    pub rs1_prev_ts: u32,
    /// Timestamp of the previous access to `rs2`.
    pub rs2_prev_ts: u32,
    /// Timestamp of the previous access to `rd`.
    pub rd_prev_ts: u32,
    /// Value of `rd` before the write.
    pub rd_prev_value: u32,
}

/// One access to a word of RAM, at timestamp `timestamp(clk, SLOT_MEM)`. A read has
/// `value == prev_value`; a sub-word store or a partial syscall write is one read-modify-write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryEvent {
    /// Cycle of the access.
    pub clk: u32,
    /// Word-aligned address.
    pub addr: u32,
    /// Word after the access.
    pub value: u32,
    /// Word before the access.
    pub prev_value: u32,
    /// Timestamp of the previous access to this word (0: the initial image).
    pub prev_ts: u32,
}

/// A register read by a syscall beyond the `ecall`'s own ports (`a1`, `a2`), at slot
/// [`SLOT_MEM`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegisterRead {
    /// The value read.
    pub value: u32,
    /// Timestamp of the previous access to the register.
    pub prev_ts: u32,
}

/// One `ecall`. The id (`t0`), `a0` and the result in `a0` are in its [`CpuEvent`]; `a1` and
/// `a2` are read here; its RAM accesses are `memory[memory_start..memory_end]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyscallEvent {
    /// Cycle of the `ecall`.
    pub clk: u32,
    /// Syscall id.
    pub id: u32,
    /// `a0` on entry.
    pub arg0: u32,
    /// `a1` on entry.
    pub arg1: RegisterRead,
    /// `a2` on entry.
    pub arg2: RegisterRead,
    /// Index of this syscall's first RAM access in [`ExecutionRecord::memory`].
    pub memory_start: u32,
    /// One past its last RAM access.
    pub memory_end: u32,
}

/// One `KECCAK_PERMUTE`: the state before and after (its 50 word accesses are in the syscall's
/// memory range, in lane order, low word first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeccakEvent {
    /// Cycle of the `ecall`.
    pub clk: u32,
    /// Word-aligned address of the state.
    pub ptr: u32,
    /// Lanes before the permutation.
    pub input: [u64; 25],
    /// Lanes after the permutation.
    pub output: [u64; 25],
}

/// The first value of a touched RAM word (from the program image, or 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryInit {
    /// Word address.
    pub addr: u32,
    /// Initial word.
    pub value: u32,
}

/// The last state of a touched word or register.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryFinal {
    /// Word address (or register number).
    pub addr: u32,
    /// Final word.
    pub value: u32,
    /// Timestamp of the last access.
    pub ts: u32,
}

/// Everything a prover needs of one run. Events are in execution order. Recording in chunks
/// splits the event vectors; `memory_init`, `memory_final` and `registers_final` arrive with the
/// last chunk, sorted by address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecutionRecord {
    /// One per executed instruction.
    pub cpu: Vec<CpuEvent>,
    /// Every RAM access, by instructions and syscalls.
    pub memory: Vec<MemoryEvent>,
    /// One per `ecall`.
    pub syscalls: Vec<SyscallEvent>,
    /// One per `KECCAK_PERMUTE`.
    pub keccak: Vec<KeccakEvent>,
    /// Initial value of every touched RAM word.
    pub memory_init: Vec<MemoryInit>,
    /// Final value and timestamp of every touched RAM word.
    pub memory_final: Vec<MemoryFinal>,
    /// Final value and timestamp of every register (all start at 0 at timestamp 0).
    pub registers_final: Vec<MemoryFinal>,
}

impl ExecutionRecord {
    /// Empties every list, keeping their capacity.
    pub fn clear(&mut self) {
        self.cpu.clear();
        self.memory.clear();
        self.syscalls.clear();
        self.keccak.clear();
        self.memory_init.clear();
        self.memory_final.clear();
        self.registers_final.clear();
    }

    /// Appends a later chunk of the same run.
    pub fn append(&mut self, mut later: ExecutionRecord) {
        let base = self.memory.len() as u32;
        for s in &mut later.syscalls {
            s.memory_start += base;
            s.memory_end += base;
        }
        self.cpu.append(&mut later.cpu);
        self.memory.append(&mut later.memory);
        self.syscalls.append(&mut later.syscalls);
        self.keccak.append(&mut later.keccak);
        self.memory_init.append(&mut later.memory_init);
        self.memory_final.append(&mut later.memory_final);
        self.registers_final.append(&mut later.registers_final);
    }
}
