//! [`Program`]: an ELF loaded with goblin, validated against the memory map, and pre-decoded.

use std::collections::BTreeMap;

use geode_platform::memory::{MEMORY_TOP, WORD_BYTES, is_valid_range};
use goblin::container::{Container, Ctx};
use goblin::elf::program_header::{PT_LOAD, ProgramHeader};
use goblin::elf::{Elf, header};

use crate::decode::decode;
use crate::error::ElfError;
use crate::isa::Instruction;

/// `EF_RISCV_RVC`: the ELF uses compressed instructions.
const EF_RISCV_RVC: u32 = 0x1;
/// `EF_RISCV_FLOAT_ABI` bits: anything but soft-float passes arguments in FP registers.
const EF_RISCV_FLOAT_ABI: u32 = 0x6;
/// `EF_RISCV_RVE`: the embedded 16-register ABI.
const EF_RISCV_RVE: u32 = 0x8;
/// More program headers than any real guest has; bounds the loader's work on hostile files.
pub const MAX_PROGRAM_HEADERS: usize = 64;
/// Size of one ELF32 program header.
const PHDR32_BYTES: usize = 32;
/// The largest text (first to last executable word) a program may have: 16 MiB of code. The
/// decoded text becomes the program table, so it is bounded like any other input.
pub const MAX_TEXT_WORDS: u32 = 1 << 22;

/// A guest program ready to run: entry point, initial memory image and decoded text.
///
/// Built only by [`Program::from_elf`], which establishes what the run loop relies on: every
/// image word is word-aligned and inside the memory map, and every decoded register field is
/// below 32. The run loop indexes the decoded text by `(pc - text_start) / 4` and never decodes
/// again. Text is fixed at load time: a guest that writes over its own code changes memory, not
/// the instructions that run (as in every zkVM, whose program table is part of the verifying key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    entry: u32,
    text_start: u32,
    instructions: Vec<Instruction>,
    image: BTreeMap<u32, u32>,
}

impl Program {
    /// Parses and validates a riscv32im ELF executable. Only the ELF header and the program
    /// headers are read: sections and symbols play no part in running a program.
    ///
    /// # Errors
    /// [`ElfError`] for anything that is not a well-formed 32-bit little-endian RISC-V
    /// executable whose segments fit the memory map without overlapping.
    pub fn from_elf(bytes: &[u8]) -> Result<Self, ElfError> {
        let malformed = |e: goblin::error::Error| ElfError::Malformed(e.to_string());
        let header = Elf::parse_header(bytes).map_err(malformed)?;
        check_header(&header)?;
        let count = usize::from(header.e_phnum);
        if count > MAX_PROGRAM_HEADERS {
            return Err(ElfError::Malformed(format!(
                "{count} program headers (at most {MAX_PROGRAM_HEADERS})"
            )));
        }
        // The table is read as ELF32 entries; a file that says its entries are another size was
        // written for another layout, and reading it as ELF32 would misplace every field.
        if count > 0 && usize::from(header.e_phentsize) != PHDR32_BYTES {
            return Err(ElfError::Malformed(format!(
                "program header entries of {} bytes (ELF32 uses {PHDR32_BYTES})",
                header.e_phentsize
            )));
        }
        let offset = usize::try_from(header.e_phoff)
            .map_err(|_| ElfError::Malformed("program header offset".into()))?;
        let ctx = Ctx::new(Container::Little, goblin::container::Endian::Little);
        let headers = ProgramHeader::parse(bytes, offset, count, ctx).map_err(malformed)?;

        let mut image = BTreeMap::new();
        let mut loaded: Vec<(usize, u64, u64)> = Vec::new();
        let mut text_segments: Vec<(u32, u32)> = Vec::new();
        for (index, ph) in headers.iter().enumerate() {
            if ph.p_type != PT_LOAD || ph.p_memsz == 0 {
                continue;
            }
            let (vaddr, end) = segment_range(index, ph)?;
            for &(other, lo, hi) in &loaded {
                if vaddr < hi && lo < end {
                    return Err(ElfError::OverlappingSegments {
                        first: other,
                        second: index,
                    });
                }
            }
            loaded.push((index, vaddr, end));
            let file = file_bytes(bytes, index, ph)?;
            let vaddr = vaddr as u32; // checked against the map above
            for (k, &byte) in file.iter().enumerate() {
                if byte != 0 {
                    let addr = vaddr + k as u32;
                    let word = image.entry(addr & !3).or_insert(0u32);
                    *word |= u32::from(byte) << ((addr & 3) * 8);
                }
            }
            if ph.is_executable() && ph.p_filesz > 0 {
                // Whole words only, so no instruction is assembled from another segment's bytes.
                if !vaddr.is_multiple_of(WORD_BYTES)
                    || !ph.p_filesz.is_multiple_of(u64::from(WORD_BYTES))
                {
                    return Err(ElfError::MisalignedText { index, vaddr });
                }
                text_segments.push((vaddr, vaddr + ph.p_filesz as u32));
            }
        }

        let text_start = text_segments
            .iter()
            .map(|s| s.0)
            .min()
            .ok_or(ElfError::EmptyText)?;
        let text_end = text_segments
            .iter()
            .map(|s| s.1)
            .max()
            .ok_or(ElfError::EmptyText)?;
        let words = (text_end - text_start) / WORD_BYTES;
        if words > MAX_TEXT_WORDS {
            return Err(ElfError::TextTooLarge { words });
        }
        // Gaps between executable segments are not code: they fault if executed, and report
        // whatever word the image holds there.
        let word_at = |addr: u32| image.get(&addr).copied().unwrap_or(0);
        let mut instructions: Vec<Instruction> = (0..words)
            .map(|k| Instruction::illegal(word_at(text_start + k * WORD_BYTES)))
            .collect();
        for &(lo, hi) in &text_segments {
            for addr in (lo..hi).step_by(WORD_BYTES as usize) {
                instructions[((addr - text_start) / WORD_BYTES) as usize] = decode(word_at(addr));
            }
        }

        let entry = u32::try_from(header.e_entry).map_err(|_| ElfError::BadEntry(u32::MAX))?;
        let in_code = text_segments
            .iter()
            .any(|&(lo, hi)| entry >= lo && entry < hi);
        if !entry.is_multiple_of(WORD_BYTES) || !in_code {
            return Err(ElfError::BadEntry(entry));
        }
        Ok(Self {
            entry,
            text_start,
            instructions,
            image,
        })
    }

    /// Address of the first instruction to run.
    pub fn entry(&self) -> u32 {
        self.entry
    }

    /// Address of the first decoded instruction.
    pub fn text_start(&self) -> u32 {
        self.text_start
    }

    /// The decoded text, one instruction per word from [`Program::text_start`].
    pub fn instructions(&self) -> &[Instruction] {
        &self.instructions
    }

    /// The initial memory: word address -> word, for every non-zero word of every segment.
    pub fn image(&self) -> &BTreeMap<u32, u32> {
        &self.image
    }

    /// The instruction word at `pc` in the initial image (0 outside it), for messages.
    pub fn word_at(&self, pc: u32) -> u32 {
        self.image.get(&(pc & !3)).copied().unwrap_or(0)
    }

    /// One past the last text address.
    pub fn text_end(&self) -> u32 {
        self.text_start + self.instructions.len() as u32 * WORD_BYTES
    }
}

fn check_header(h: &header::Header) -> Result<(), ElfError> {
    if h.e_ident[header::EI_CLASS] != header::ELFCLASS32 {
        return Err(ElfError::Not32Bit);
    }
    if h.e_ident[header::EI_DATA] != header::ELFDATA2LSB {
        return Err(ElfError::NotLittleEndian);
    }
    if h.e_machine != header::EM_RISCV {
        return Err(ElfError::NotRiscv(h.e_machine));
    }
    if h.e_type != header::ET_EXEC {
        return Err(ElfError::NotExecutable(h.e_type));
    }
    if h.e_flags & (EF_RISCV_RVC | EF_RISCV_FLOAT_ABI | EF_RISCV_RVE) != 0 {
        return Err(ElfError::UnsupportedFlags(h.e_flags));
    }
    Ok(())
}

/// The segment's address range, checked to lie inside the valid memory map.
fn segment_range(index: usize, ph: &ProgramHeader) -> Result<(u64, u64), ElfError> {
    if ph.p_filesz > ph.p_memsz {
        return Err(ElfError::TruncatedSegment {
            index,
            reason: format!(
                "file size {:#x} exceeds memory size {:#x}",
                ph.p_filesz, ph.p_memsz
            ),
        });
    }
    let vaddr = ph.p_vaddr;
    let end = vaddr.saturating_add(ph.p_memsz);
    let fits = end <= u64::from(MEMORY_TOP) && is_valid_range(vaddr as u32, ph.p_memsz as u32);
    if !fits {
        return Err(ElfError::SegmentOutsideMap { index, vaddr, end });
    }
    Ok((vaddr, end))
}

fn file_bytes<'a>(bytes: &'a [u8], index: usize, ph: &ProgramHeader) -> Result<&'a [u8], ElfError> {
    let start = usize::try_from(ph.p_offset).ok();
    let len = usize::try_from(ph.p_filesz).ok();
    start
        .zip(len)
        .and_then(|(start, len)| bytes.get(start..start.checked_add(len)?))
        .ok_or_else(|| ElfError::TruncatedSegment {
            index,
            reason: format!(
                "bytes {:#x}..+{:#x} lie past the end of the {}-byte file",
                ph.p_offset,
                ph.p_filesz,
                bytes.len()
            ),
        })
}
