//! What the run loop does with events: nothing (fast mode), collect them (recording), or print
//! them (`--trace`). The run loop is generic over [`Tracer`], so fast mode compiles the event
//! code away entirely.

use std::io::Write;

use crate::decode::disassemble;
use crate::program::Program;
use crate::record::{CpuEvent, ExecutionRecord, KeccakEvent, MemoryEvent, SyscallEvent};

/// A consumer of execution events.
pub(crate) trait Tracer {
    /// Whether events (and the timestamps they need) are produced at all.
    const RECORDING: bool;
    fn cpu(&mut self, event: CpuEvent);
    fn memory(&mut self, event: MemoryEvent);
    /// Index the next [`MemoryEvent`] will get, for syscall memory ranges.
    fn memory_len(&self) -> u32;
    fn syscall(&mut self, event: SyscallEvent);
    fn keccak(&mut self, event: KeccakEvent);
    /// Called once after HALT with the final memory state.
    fn finish(&mut self, tail: ExecutionRecord);
}

/// Fast mode: no events.
pub(crate) struct NoTrace;

impl Tracer for NoTrace {
    const RECORDING: bool = false;
    fn cpu(&mut self, _: CpuEvent) {}
    fn memory(&mut self, _: MemoryEvent) {}
    fn memory_len(&self) -> u32 {
        0
    }
    fn syscall(&mut self, _: SyscallEvent) {}
    fn keccak(&mut self, _: KeccakEvent) {}
    fn finish(&mut self, _: ExecutionRecord) {}
}

/// Recording mode: fills an [`ExecutionRecord`], lending it to `sink` every `chunk_cycles`
/// instructions and once more at the end, then clearing it. Lending instead of handing over
/// keeps the buffers' capacity (and their pages mapped) from one chunk to the next; a sink that
/// wants to keep a chunk takes it with `std::mem::take`.
pub(crate) struct Recorder<F: FnMut(&mut ExecutionRecord)> {
    pub(crate) record: ExecutionRecord,
    pub(crate) chunk_cycles: usize,
    pub(crate) sink: F,
}

impl<F: FnMut(&mut ExecutionRecord)> Recorder<F> {
    fn flush(&mut self) {
        (self.sink)(&mut self.record);
        self.record.clear();
    }
}

impl<F: FnMut(&mut ExecutionRecord)> Tracer for Recorder<F> {
    const RECORDING: bool = true;
    #[inline(always)]
    fn cpu(&mut self, event: CpuEvent) {
        self.record.cpu.push(event);
        if self.record.cpu.len() >= self.chunk_cycles {
            self.flush();
        }
    }
    #[inline(always)]
    fn memory(&mut self, event: MemoryEvent) {
        self.record.memory.push(event);
    }
    fn memory_len(&self) -> u32 {
        self.record.memory.len() as u32
    }
    fn syscall(&mut self, event: SyscallEvent) {
        self.record.syscalls.push(event);
    }
    fn keccak(&mut self, event: KeccakEvent) {
        self.record.keccak.push(event);
    }
    fn finish(&mut self, tail: ExecutionRecord) {
        self.record.append(tail);
        self.flush();
    }
}

/// `--trace`: one line per executed instruction.
pub(crate) struct Listing<'a> {
    pub(crate) program: &'a Program,
    pub(crate) out: &'a mut dyn Write,
}

impl Tracer for Listing<'_> {
    const RECORDING: bool = true;
    fn cpu(&mut self, e: CpuEvent) {
        let insn = self.program.word_at(e.pc);
        // A failed write to the listing must not change the run; the caller sees it on flush.
        let _ = writeln!(
            self.out,
            "{:>10} {:#010x}  {:<32} rd={:#010x} rs1={:#010x} rs2={:#010x}",
            e.clk,
            e.pc,
            disassemble(insn, e.pc),
            e.a,
            e.b,
            e.c
        );
    }
    fn memory(&mut self, _: MemoryEvent) {}
    fn memory_len(&self) -> u32 {
        0
    }
    fn syscall(&mut self, e: SyscallEvent) {
        let name = geode_platform::syscall::name(e.id).unwrap_or("?");
        let _ = writeln!(
            self.out,
            "{:>10} syscall {name} a0={:#x} a1={:#x} a2={:#x}",
            e.clk, e.arg0, e.arg1.value, e.arg2.value
        );
    }
    fn keccak(&mut self, _: KeccakEvent) {}
    fn finish(&mut self, _: ExecutionRecord) {}
}

/// Profiling: counts executed instructions per pc and calls per syscall id.
pub(crate) struct Profiler {
    pub(crate) text_start: u32,
    pub(crate) profile: crate::Profile,
}

impl Tracer for Profiler {
    const RECORDING: bool = true;
    fn cpu(&mut self, e: CpuEvent) {
        let index = (e.pc.wrapping_sub(self.text_start) / 4) as usize;
        if let Some(count) = self.profile.instructions.get_mut(index) {
            *count += 1;
        }
    }
    fn memory(&mut self, _: MemoryEvent) {}
    fn memory_len(&self) -> u32 {
        0
    }
    fn syscall(&mut self, e: SyscallEvent) {
        *self.profile.syscalls.entry(e.id).or_default() += 1;
    }
    fn keccak(&mut self, _: KeccakEvent) {}
    fn finish(&mut self, _: ExecutionRecord) {}
}
