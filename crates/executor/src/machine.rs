//! The RV32IM run loop.

use geode_platform::memory::{GUARD_END, MEMORY_TOP, WORD_BYTES};

use crate::error::{AccessKind, ExecError};
use crate::isa::{Instruction, Opcode};
use crate::program::Program;
use crate::record::{
    CpuEvent, ExecutionRecord, MemoryEvent, MemoryFinal, MemoryInit, SLOT_MEM, SLOT_RD, SLOT_RS1,
    SLOT_RS2, timestamp,
};
use crate::tracer::Tracer;

const WORDS: usize = (MEMORY_TOP / WORD_BYTES) as usize;

/// The architectural state plus what the host collects from syscalls.
pub(crate) struct Machine<'p, T: Tracer> {
    pub(crate) program: &'p Program,
    pub(crate) regs: [u32; 32],
    /// All of guest memory, one entry per word. Allocated zeroed, so the OS maps pages lazily
    /// and untouched memory costs nothing.
    pub(crate) mem: Vec<u32>,
    /// Recording only: timestamp of the last access to each word (0: never touched).
    pub(crate) mem_ts: Vec<u32>,
    pub(crate) reg_ts: [u32; 32],
    /// Recording only: words in the order they were first touched.
    pub(crate) touched: Vec<u32>,
    /// Current cycle while recording (1-based), for timestamps.
    pub(crate) clk: u32,
    pub(crate) input: &'p [u8],
    pub(crate) public_output: Vec<u8>,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
    /// Bytes written by WRITE and COMMIT so far, and the most allowed.
    pub(crate) output_bytes: usize,
    pub(crate) max_output_bytes: usize,
    /// Set by HALT: exit code and output digest.
    pub(crate) exit: Option<(u32, [u8; 32])>,
    pub(crate) tracer: T,
}

/// How a run ended.
pub(crate) struct Halted {
    pub(crate) cycles: u64,
    pub(crate) exit_code: u32,
    pub(crate) digest: [u8; 32],
}

impl<'p, T: Tracer> Machine<'p, T> {
    pub(crate) fn new(
        program: &'p Program,
        input: &'p [u8],
        max_output_bytes: usize,
        tracer: T,
    ) -> Self {
        let mut mem = vec![0u32; WORDS];
        for (&addr, &word) in program.image() {
            mem[(addr / WORD_BYTES) as usize] = word;
        }
        let mem_ts = if T::RECORDING {
            vec![0u32; WORDS]
        } else {
            Vec::new()
        };
        Self {
            program,
            regs: [0; 32],
            mem,
            mem_ts,
            reg_ts: [0; 32],
            touched: Vec::new(),
            clk: 0,
            input,
            public_output: Vec::new(),
            stdout: Vec::new(),
            stderr: Vec::new(),
            output_bytes: 0,
            max_output_bytes,
            exit: None,
            tracer,
        }
    }

    /// Runs from the entry point until HALT, a fault, or `max_cycles` instructions.
    pub(crate) fn run(&mut self, max_cycles: u64) -> Result<Halted, ExecError> {
        let program = self.program;
        let insns = program.instructions();
        let text_start = program.text_start();
        let mut pc = program.entry();
        let mut prev_pc = pc;
        let mut cycles: u64 = 0;
        loop {
            let offset = pc.wrapping_sub(text_start);
            // A misaligned pc rotates its low bits to the top, so one bounds check covers both.
            let Some(&insn) = insns.get(offset.rotate_right(2) as usize) else {
                return Err(ExecError::PcOutsideText {
                    pc,
                    from_pc: prev_pc,
                    from_insn: program.word_at(prev_pc),
                });
            };
            if cycles == max_cycles {
                let insn = program.word_at(pc);
                return Err(ExecError::CycleLimit {
                    pc,
                    insn,
                    limit: max_cycles,
                });
            }
            cycles += 1;
            if T::RECORDING {
                self.clk = cycles as u32;
            }
            let next_pc = self.step(insn, pc)?;
            if insn.opcode == Opcode::Ecall
                && let Some((exit_code, digest)) = self.exit
            {
                if T::RECORDING {
                    self.finish();
                }
                return Ok(Halted {
                    cycles,
                    exit_code,
                    digest,
                });
            }
            prev_pc = pc;
            pc = next_pc;
        }
    }

    /// Executes one instruction and returns the next pc.
    #[inline(always)]
    fn step(&mut self, insn: Instruction, pc: u32) -> Result<u32, ExecError> {
        let b = self.regs[insn.rs1 as usize];
        let c = self.regs[insn.rs2 as usize];
        let (rs1_prev_ts, rs2_prev_ts) = if T::RECORDING {
            let op = insn.opcode;
            (
                if op.reads_rs1() {
                    self.touch_reg(insn.rs1, SLOT_RS1)
                } else {
                    0
                },
                if op.reads_rs2() {
                    self.touch_reg(insn.rs2, SLOT_RS2)
                } else {
                    0
                },
            )
        } else {
            (0, 0)
        };
        let imm = insn.imm;
        let mut next_pc = pc.wrapping_add(4);
        let a = match insn.opcode {
            Opcode::Add => b.wrapping_add(c),
            Opcode::Sub => b.wrapping_sub(c),
            Opcode::Sll => b << (c & 31),
            Opcode::Slt => u32::from((b as i32) < (c as i32)),
            Opcode::Sltu => u32::from(b < c),
            Opcode::Xor => b ^ c,
            Opcode::Srl => b >> (c & 31),
            Opcode::Sra => ((b as i32) >> (c & 31)) as u32,
            Opcode::Or => b | c,
            Opcode::And => b & c,
            Opcode::Addi => b.wrapping_add(imm),
            Opcode::Slti => u32::from((b as i32) < (imm as i32)),
            Opcode::Sltiu => u32::from(b < imm),
            Opcode::Xori => b ^ imm,
            Opcode::Ori => b | imm,
            Opcode::Andi => b & imm,
            Opcode::Slli => b << (imm & 31),
            Opcode::Srli => b >> (imm & 31),
            Opcode::Srai => ((b as i32) >> (imm & 31)) as u32,
            Opcode::Mul => b.wrapping_mul(c),
            Opcode::Mulh => ((i64::from(b as i32) * i64::from(c as i32)) >> 32) as u32,
            Opcode::Mulhsu => ((i64::from(b as i32) * i64::from(c)) >> 32) as u32,
            Opcode::Mulhu => ((u64::from(b) * u64::from(c)) >> 32) as u32,
            // The spec defines division by zero and overflow instead of trapping.
            Opcode::Div if c == 0 => u32::MAX,
            Opcode::Div => (b as i32).wrapping_div(c as i32) as u32,
            Opcode::Divu if c == 0 => u32::MAX,
            Opcode::Divu => b / c,
            Opcode::Rem if c == 0 => b,
            Opcode::Rem => (b as i32).wrapping_rem(c as i32) as u32,
            Opcode::Remu if c == 0 => b,
            Opcode::Remu => b % c,
            Opcode::Lb => self.load(pc, b.wrapping_add(imm), 1)? as u8 as i8 as u32,
            Opcode::Lh => self.load(pc, b.wrapping_add(imm), 2)? as u16 as i16 as u32,
            Opcode::Lw => self.load(pc, b.wrapping_add(imm), 4)?,
            Opcode::Lbu => self.load(pc, b.wrapping_add(imm), 1)? as u8 as u32,
            Opcode::Lhu => self.load(pc, b.wrapping_add(imm), 2)? as u16 as u32,
            Opcode::Sb => self.store(pc, b.wrapping_add(imm), 1, c).map(|()| 0)?,
            Opcode::Sh => self.store(pc, b.wrapping_add(imm), 2, c).map(|()| 0)?,
            Opcode::Sw => self.store(pc, b.wrapping_add(imm), 4, c).map(|()| 0)?,
            Opcode::Beq => branch(&mut next_pc, pc, imm, b == c),
            Opcode::Bne => branch(&mut next_pc, pc, imm, b != c),
            Opcode::Blt => branch(&mut next_pc, pc, imm, (b as i32) < (c as i32)),
            Opcode::Bge => branch(&mut next_pc, pc, imm, (b as i32) >= (c as i32)),
            Opcode::Bltu => branch(&mut next_pc, pc, imm, b < c),
            Opcode::Bgeu => branch(&mut next_pc, pc, imm, b >= c),
            Opcode::Jal => {
                next_pc = pc.wrapping_add(imm);
                pc.wrapping_add(4)
            }
            Opcode::Jalr => {
                next_pc = b.wrapping_add(imm) & !1;
                pc.wrapping_add(4)
            }
            Opcode::Lui => imm,
            Opcode::Auipc => pc.wrapping_add(imm),
            Opcode::Ecall => self.ecall(pc, b, c)?,
            Opcode::Fence => 0,
            Opcode::Illegal => return Err(ExecError::IllegalInstruction { pc, insn: imm }),
        };
        let rd = insn.rd as usize;
        let rd_prev_value = self.regs[rd];
        self.regs[rd] = a;
        self.regs[0] = 0;
        if T::RECORDING {
            let rd_prev_ts = if insn.opcode.writes_rd() {
                self.touch_reg(insn.rd, SLOT_RD)
            } else {
                0
            };
            let event = CpuEvent {
                clk: self.clk,
                pc,
                next_pc,
                a: self.regs[rd],
                b: if insn.opcode.reads_rs1() { b } else { 0 },
                c: if insn.opcode.reads_rs2() { c } else { 0 },
                rs1_prev_ts,
                rs2_prev_ts,
                rd_prev_ts,
                rd_prev_value: if insn.opcode.writes_rd() {
                    rd_prev_value
                } else {
                    0
                },
            };
            self.tracer.cpu(event);
        }
        Ok(next_pc)
    }

    /// Records an access to register `reg` at `slot`; returns the previous timestamp.
    #[inline(always)]
    pub(crate) fn touch_reg(&mut self, reg: u8, slot: u32) -> u32 {
        std::mem::replace(&mut self.reg_ts[reg as usize], timestamp(self.clk, slot))
    }

    /// Checks that an access of `size` bytes at `addr` is aligned and inside the map, and
    /// returns the word index.
    #[inline(always)]
    fn check(&self, pc: u32, addr: u32, size: u32, kind: AccessKind) -> Result<usize, ExecError> {
        if addr & (size - 1) != 0 {
            let insn = self.program.word_at(pc);
            return Err(ExecError::MisalignedAccess {
                pc,
                insn,
                addr,
                size,
                kind,
            });
        }
        // Aligned accesses never straddle MEMORY_TOP, so the first byte decides.
        if addr.wrapping_sub(GUARD_END) >= MEMORY_TOP - GUARD_END {
            let insn = self.program.word_at(pc);
            return Err(ExecError::AccessOutsideMap {
                pc,
                insn,
                addr,
                size,
                kind,
            });
        }
        Ok((addr / WORD_BYTES) as usize)
    }

    /// A load of `size` bytes, returned in the low bits (not extended).
    #[inline(always)]
    fn load(&mut self, pc: u32, addr: u32, size: u32) -> Result<u32, ExecError> {
        let index = self.check(pc, addr, size, AccessKind::Load)?;
        let word = self.mem[index];
        if T::RECORDING {
            self.record_access(index, word);
        }
        Ok(word >> ((addr & 3) * 8))
    }

    #[inline(always)]
    fn store(&mut self, pc: u32, addr: u32, size: u32, value: u32) -> Result<(), ExecError> {
        let index = self.check(pc, addr, size, AccessKind::Store)?;
        let prev = self.mem[index];
        let word = if size == 4 {
            value
        } else {
            let shift = (addr & 3) * 8;
            let mask = (u32::MAX >> (32 - size * 8)) << shift;
            (prev & !mask) | ((value << shift) & mask)
        };
        self.mem[index] = word;
        if T::RECORDING {
            self.record_access(index, prev);
        }
        Ok(())
    }

    /// Records one access to word `index` that found `prev_value` and left `mem[index]`.
    #[inline(always)]
    pub(crate) fn record_access(&mut self, index: usize, prev_value: u32) {
        let prev_ts = std::mem::replace(&mut self.mem_ts[index], timestamp(self.clk, SLOT_MEM));
        if prev_ts == 0 {
            self.touched.push(index as u32);
        }
        let addr = index as u32 * WORD_BYTES;
        let event = MemoryEvent {
            clk: self.clk,
            addr,
            value: self.mem[index],
            prev_value,
            prev_ts,
        };
        self.tracer.memory(event);
    }

    /// Hands the final memory and register state to the tracer.
    fn finish(&mut self) {
        let mut touched = std::mem::take(&mut self.touched);
        touched.sort_unstable();
        let memory_init = touched
            .iter()
            .map(|&i| {
                let addr = i * WORD_BYTES;
                MemoryInit {
                    addr,
                    value: self.program.image().get(&addr).copied().unwrap_or(0),
                }
            })
            .collect();
        let memory_final = touched
            .iter()
            .map(|&i| MemoryFinal {
                addr: i * WORD_BYTES,
                value: self.mem[i as usize],
                ts: self.mem_ts[i as usize],
            })
            .collect();
        let registers_final = (0..32)
            .map(|r| MemoryFinal {
                addr: r,
                value: self.regs[r as usize],
                ts: self.reg_ts[r as usize],
            })
            .collect();
        let tail = ExecutionRecord {
            memory_init,
            memory_final,
            registers_final,
            ..Default::default()
        };
        self.tracer.finish(tail);
    }
}

#[inline(always)]
fn branch(next_pc: &mut u32, pc: u32, imm: u32, taken: bool) -> u32 {
    if taken {
        *next_pc = pc.wrapping_add(imm);
    }
    0
}
