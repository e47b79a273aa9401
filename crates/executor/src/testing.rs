//! A tiny RV32IM assembler and ELF32 writer, for tests and tools that need hand-made programs
//! (fault cases, malformed ELFs, instruction-level property tests).

use geode_platform::memory::TEXT_START;
use geode_platform::{reg, syscall};

use crate::isa::Opcode;

pub mod fuzz;
pub mod hostile;

/// A tiny deterministic generator (SplitMix64), so generated tests are the same on every run.
#[derive(Clone, Debug)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The register-register RV32IM operations: base ALU (10), then M (8).
pub const REG_REG_OPS: [Opcode; 18] = [
    Opcode::Add,
    Opcode::Sub,
    Opcode::Sll,
    Opcode::Slt,
    Opcode::Sltu,
    Opcode::Xor,
    Opcode::Srl,
    Opcode::Sra,
    Opcode::Or,
    Opcode::And,
    Opcode::Mul,
    Opcode::Mulh,
    Opcode::Mulhsu,
    Opcode::Mulhu,
    Opcode::Div,
    Opcode::Divu,
    Opcode::Rem,
    Opcode::Remu,
];

/// Instruction encoders. Registers are numbers 0..32; immediates are taken as they would be
/// written in assembly (sign-extended values, byte offsets for branches and jumps).
pub mod enc {
    use super::Opcode;

    fn r(funct7: u32, rs2: u32, rs1: u32, funct3: u32, rd: u32, opcode: u32) -> u32 {
        (funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode
    }
    fn i(imm: i32, rs1: u32, funct3: u32, rd: u32, opcode: u32) -> u32 {
        ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode
    }
    fn s(imm: i32, rs2: u32, rs1: u32, funct3: u32, opcode: u32) -> u32 {
        let imm = imm as u32;
        ((imm >> 5 & 0x7f) << 25)
            | (rs2 << 20)
            | (rs1 << 15)
            | (funct3 << 12)
            | ((imm & 0x1f) << 7)
            | opcode
    }

    /// Register-register ALU instruction (`add`, `mul`, …).
    ///
    /// # Panics
    /// If `op` is not a register-register ALU opcode.
    pub fn alu(op: Opcode, rd: u32, rs1: u32, rs2: u32) -> u32 {
        let (funct7, funct3) = match op {
            Opcode::Add => (0, 0),
            Opcode::Sub => (0x20, 0),
            Opcode::Sll => (0, 1),
            Opcode::Slt => (0, 2),
            Opcode::Sltu => (0, 3),
            Opcode::Xor => (0, 4),
            Opcode::Srl => (0, 5),
            Opcode::Sra => (0x20, 5),
            Opcode::Or => (0, 6),
            Opcode::And => (0, 7),
            Opcode::Mul => (1, 0),
            Opcode::Mulh => (1, 1),
            Opcode::Mulhsu => (1, 2),
            Opcode::Mulhu => (1, 3),
            Opcode::Div => (1, 4),
            Opcode::Divu => (1, 5),
            Opcode::Rem => (1, 6),
            Opcode::Remu => (1, 7),
            other => panic!("{other} is not a register-register ALU opcode"),
        };
        r(funct7, rs2, rs1, funct3, rd, 0x33)
    }

    /// Register-immediate ALU instruction (`addi`, `srai`, …); shifts take the shift amount.
    ///
    /// # Panics
    /// If `op` is not a register-immediate ALU opcode.
    pub fn alu_imm(op: Opcode, rd: u32, rs1: u32, imm: i32) -> u32 {
        match op {
            Opcode::Addi => i(imm, rs1, 0, rd, 0x13),
            Opcode::Slti => i(imm, rs1, 2, rd, 0x13),
            Opcode::Sltiu => i(imm, rs1, 3, rd, 0x13),
            Opcode::Xori => i(imm, rs1, 4, rd, 0x13),
            Opcode::Ori => i(imm, rs1, 6, rd, 0x13),
            Opcode::Andi => i(imm, rs1, 7, rd, 0x13),
            Opcode::Slli => i(imm & 31, rs1, 1, rd, 0x13),
            Opcode::Srli => i(imm & 31, rs1, 5, rd, 0x13),
            Opcode::Srai => i((imm & 31) | 0x400, rs1, 5, rd, 0x13),
            other => panic!("{other} is not a register-immediate ALU opcode"),
        }
    }

    /// Load `rd, imm(rs1)`.
    ///
    /// # Panics
    /// If `op` is not a load.
    pub fn load(op: Opcode, rd: u32, rs1: u32, imm: i32) -> u32 {
        let funct3 = match op {
            Opcode::Lb => 0,
            Opcode::Lh => 1,
            Opcode::Lw => 2,
            Opcode::Lbu => 4,
            Opcode::Lhu => 5,
            other => panic!("{other} is not a load"),
        };
        i(imm, rs1, funct3, rd, 0x03)
    }

    /// Store `rs2, imm(rs1)`.
    ///
    /// # Panics
    /// If `op` is not a store.
    pub fn store(op: Opcode, rs2: u32, rs1: u32, imm: i32) -> u32 {
        let funct3 = match op {
            Opcode::Sb => 0,
            Opcode::Sh => 1,
            Opcode::Sw => 2,
            other => panic!("{other} is not a store"),
        };
        s(imm, rs2, rs1, funct3, 0x23)
    }

    /// Conditional branch to `pc + offset`.
    ///
    /// # Panics
    /// If `op` is not a branch.
    pub fn branch(op: Opcode, rs1: u32, rs2: u32, offset: i32) -> u32 {
        let funct3 = match op {
            Opcode::Beq => 0,
            Opcode::Bne => 1,
            Opcode::Blt => 4,
            Opcode::Bge => 5,
            Opcode::Bltu => 6,
            Opcode::Bgeu => 7,
            other => panic!("{other} is not a branch"),
        };
        let o = offset as u32;
        let hi = ((o >> 12 & 1) << 6) | (o >> 5 & 0x3f);
        let lo = (o & 0x1e) | (o >> 11 & 1);
        (hi << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (lo << 7) | 0x63
    }

    /// `jal rd, pc + offset`.
    pub fn jal(rd: u32, offset: i32) -> u32 {
        let o = offset as u32;
        let imm = ((o >> 20 & 1) << 19)
            | ((o >> 1 & 0x3ff) << 9)
            | ((o >> 11 & 1) << 8)
            | (o >> 12 & 0xff);
        (imm << 12) | (rd << 7) | 0x6f
    }

    /// `jalr rd, imm(rs1)`.
    pub fn jalr(rd: u32, rs1: u32, imm: i32) -> u32 {
        i(imm, rs1, 0, rd, 0x67)
    }

    /// `lui rd, upper` (upper is the 20-bit value).
    pub fn lui(rd: u32, upper: u32) -> u32 {
        (upper << 12) | (rd << 7) | 0x37
    }

    /// `auipc rd, upper`.
    pub fn auipc(rd: u32, upper: u32) -> u32 {
        (upper << 12) | (rd << 7) | 0x17
    }

    /// `ecall`.
    pub const ECALL: u32 = 0x0000_0073;

    /// `li rd, value` as `lui` + `addi`.
    pub fn li(rd: u32, value: u32) -> [u32; 2] {
        let upper = value.wrapping_add(0x800) >> 12;
        let lower = value.wrapping_sub(upper << 12) as i32;
        [
            lui(rd, upper & 0xfffff),
            alu_imm(Opcode::Addi, rd, rd, lower),
        ]
    }
}

/// A straight-line program builder whose code starts at [`TEXT_START`].
#[derive(Clone, Debug, Default)]
pub struct Asm {
    /// Instruction words.
    pub code: Vec<u32>,
}

impl Asm {
    /// An empty program.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends words.
    pub fn push(&mut self, words: impl IntoIterator<Item = u32>) -> &mut Self {
        self.code.extend(words);
        self
    }

    /// Appends `li rd, value`.
    pub fn li(&mut self, rd: u32, value: u32) -> &mut Self {
        self.push(enc::li(rd, value))
    }

    /// Appends `ecall` for syscall `id` (loads `t0` first).
    pub fn syscall(&mut self, id: u32) -> &mut Self {
        self.li(reg::T0 as u32, id).push([enc::ECALL])
    }

    /// Stores `reg` at `scratch` and commits those 4 bytes (clobbers a0, a1, t0).
    pub fn commit_reg(&mut self, r: u32, scratch: u32) -> &mut Self {
        self.li(reg::A0 as u32, scratch)
            .push([enc::store(Opcode::Sw, r, reg::A0 as u32, 0)])
            .li(reg::A1 as u32, 4)
            .syscall(syscall::COMMIT)
    }

    /// Appends HALT with exit code `code`, pointing the digest at the start of the text (any
    /// valid 32 bytes will do for tests that do not check the digest).
    pub fn halt(&mut self, code: u32) -> &mut Self {
        self.li(reg::A0 as u32, code)
            .li(reg::A1 as u32, TEXT_START)
            .syscall(syscall::HALT)
    }

    /// The program as an ELF with one executable segment at [`TEXT_START`].
    pub fn elf(&self) -> Vec<u8> {
        let bytes: Vec<u8> = self.code.iter().flat_map(|w| w.to_le_bytes()).collect();
        ElfWriter::new(TEXT_START)
            .segment(TEXT_START, PF_R | PF_X, bytes, None)
            .build()
    }
}

/// Segment flag: executable.
pub const PF_X: u32 = 1;
/// Segment flag: writable.
pub const PF_W: u32 = 2;
/// Segment flag: readable.
pub const PF_R: u32 = 4;

/// One loadable segment to write.
#[derive(Clone, Debug)]
pub struct SegmentSpec {
    /// Load address.
    pub vaddr: u32,
    /// `PF_*` flags.
    pub flags: u32,
    /// File bytes.
    pub data: Vec<u8>,
    /// Memory size (at least `data.len()` for a well-formed file).
    pub memsz: u32,
}

/// Writes a minimal ELF32 executable; every header field is public so tests can corrupt it.
#[derive(Clone, Debug)]
pub struct ElfWriter {
    /// Entry point.
    pub entry: u32,
    /// `e_machine` (0xf3: RISC-V).
    pub machine: u16,
    /// `e_type` (2: executable).
    pub elf_type: u16,
    /// `EI_CLASS` (1: 32-bit).
    pub class: u8,
    /// `EI_DATA` (1: little-endian).
    pub data_encoding: u8,
    /// `e_flags`.
    pub flags: u32,
    /// The loadable segments.
    pub segments: Vec<SegmentSpec>,
    /// `None`: segments follow each other in the file with `p_align` 4. `Some(page)`: each
    /// segment's file offset is padded to be congruent to its address modulo `page`, and
    /// `p_align` is `page`, as loaders that `mmap` the file (Linux, qemu user mode) require.
    pub page_align: Option<u32>,
}

impl ElfWriter {
    /// A well-formed empty executable with entry `entry`.
    pub fn new(entry: u32) -> Self {
        Self {
            entry,
            machine: 0xf3,
            elf_type: 2,
            class: 1,
            data_encoding: 1,
            flags: 0,
            segments: Vec::new(),
            page_align: None,
        }
    }

    /// Pads segment offsets to `page` (see [`ElfWriter::page_align`]), so that Linux and
    /// `qemu-riscv32` can load the file too.
    ///
    /// # Panics
    /// If `page` is not a power of two.
    pub fn page_aligned(mut self, page: u32) -> Self {
        assert!(
            page.is_power_of_two(),
            "page size {page} is not a power of two"
        );
        self.page_align = Some(page);
        self
    }

    /// Adds a segment; `memsz` defaults to the data length.
    pub fn segment(mut self, vaddr: u32, flags: u32, data: Vec<u8>, memsz: Option<u32>) -> Self {
        let memsz = memsz.unwrap_or(data.len() as u32);
        self.segments.push(SegmentSpec {
            vaddr,
            flags,
            data,
            memsz,
        });
        self
    }

    /// The file bytes.
    pub fn build(&self) -> Vec<u8> {
        const EHSIZE: u32 = 52;
        const PHENTSIZE: u32 = 32;
        let phnum = self.segments.len() as u32;
        let mut next = EHSIZE + PHENTSIZE * phnum;
        let offsets: Vec<u32> = self
            .segments
            .iter()
            .map(|seg| {
                if let Some(page) = self.page_align {
                    next += seg.vaddr.wrapping_sub(next) % page;
                }
                let offset = next;
                next += seg.data.len() as u32;
                offset
            })
            .collect();
        let p_align = self.page_align.unwrap_or(4);
        let mut out = Vec::new();
        out.extend_from_slice(&[0x7f, b'E', b'L', b'F', self.class, self.data_encoding, 1, 0]);
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&self.elf_type.to_le_bytes());
        out.extend_from_slice(&self.machine.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes()); // e_version
        out.extend_from_slice(&self.entry.to_le_bytes());
        out.extend_from_slice(&EHSIZE.to_le_bytes()); // e_phoff
        out.extend_from_slice(&0u32.to_le_bytes()); // e_shoff
        out.extend_from_slice(&self.flags.to_le_bytes());
        out.extend_from_slice(&(EHSIZE as u16).to_le_bytes());
        out.extend_from_slice(&(PHENTSIZE as u16).to_le_bytes());
        out.extend_from_slice(&(phnum as u16).to_le_bytes());
        out.extend_from_slice(&40u16.to_le_bytes()); // e_shentsize
        out.extend_from_slice(&0u16.to_le_bytes()); // e_shnum
        out.extend_from_slice(&0u16.to_le_bytes()); // e_shstrndx
        for (seg, &offset) in self.segments.iter().zip(&offsets) {
            for field in [
                1,
                offset,
                seg.vaddr,
                seg.vaddr,
                seg.data.len() as u32,
                seg.memsz,
                seg.flags,
                p_align,
            ] {
                out.extend_from_slice(&field.to_le_bytes());
            }
        }
        for (seg, &offset) in self.segments.iter().zip(&offsets) {
            out.resize(offset as usize, 0);
            out.extend_from_slice(&seg.data);
        }
        out
    }
}
