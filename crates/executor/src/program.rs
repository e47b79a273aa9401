//! [`Program`]: an ELF loaded with goblin, validated against the memory map, and pre-decoded.

use std::collections::BTreeMap;

use geode_platform::memory::{MEMORY_TOP, WORD_BYTES, is_valid_range};
use goblin::elf::{Elf, header, program_header};

use crate::decode::decode;
use crate::error::ElfError;
use crate::isa::Instruction;

/// `EF_RISCV_RVC`: the ELF uses compressed instructions.
const EF_RISCV_RVC: u32 = 0x1;
/// `EF_RISCV_FLOAT_ABI` bits: anything but soft-float passes arguments in FP registers.
const EF_RISCV_FLOAT_ABI: u32 = 0x6;
/// `EF_RISCV_RVE`: the embedded 16-register ABI.
const EF_RISCV_RVE: u32 = 0x8;

/// A guest program ready to run: entry point, initial memory image and decoded text.
///
/// The run loop indexes `instructions` by `(pc - text_start) / 4` and never decodes again.
/// Text is fixed at load time: a guest that writes over its own code changes memory, not the
/// instructions that run (as in every zkVM, whose program table is part of the verifying key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// Address of the first instruction to run.
    pub entry: u32,
    /// Address of `instructions[0]`.
    pub text_start: u32,
    /// The decoded executable words, one per 4 bytes from `text_start`.
    pub instructions: Vec<Instruction>,
    /// The initial memory: word address -> word, for every non-zero word of every segment.
    pub image: BTreeMap<u32, u32>,
}

impl Program {
    /// Parses and validates a riscv32im ELF executable.
    ///
    /// # Errors
    /// [`ElfError`] for anything that is not a well-formed 32-bit little-endian RISC-V
    /// executable whose segments fit the memory map without overlapping.
    pub fn from_elf(bytes: &[u8]) -> Result<Self, ElfError> {
        let elf = Elf::parse(bytes).map_err(|e| ElfError::Malformed(e.to_string()))?;
        check_header(&elf)?;

        let mut image = BTreeMap::new();
        let mut loaded: Vec<(usize, u64, u64)> = Vec::new();
        let mut text: Option<(u32, u32)> = None;
        for (index, ph) in elf.program_headers.iter().enumerate() {
            if ph.p_type != program_header::PT_LOAD || ph.p_memsz == 0 {
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
            if ph.is_executable() {
                if !vaddr.is_multiple_of(WORD_BYTES) {
                    return Err(ElfError::MisalignedText { index, vaddr });
                }
                let seg_end = vaddr + ph.p_filesz as u32;
                text = Some(match text {
                    None => (vaddr, seg_end),
                    Some((lo, hi)) => (lo.min(vaddr), hi.max(seg_end)),
                });
            }
        }

        let (text_start, text_end) = text.filter(|(lo, hi)| hi > lo).ok_or(ElfError::EmptyText)?;
        let words = text_end.div_ceil(WORD_BYTES) - text_start / WORD_BYTES;
        let instructions = (0..words)
            .map(|k| {
                let addr = text_start + k * WORD_BYTES;
                let inside_x_segment = elf.program_headers.iter().any(|ph| {
                    ph.p_type == program_header::PT_LOAD
                        && ph.is_executable()
                        && u64::from(addr) >= ph.p_vaddr
                        && u64::from(addr) < ph.p_vaddr + ph.p_filesz
                });
                // Gaps between executable segments are not code.
                if inside_x_segment {
                    decode(image.get(&addr).copied().unwrap_or(0))
                } else {
                    Instruction::illegal(0)
                }
            })
            .collect::<Vec<_>>();

        let entry = u32::try_from(elf.entry).map_err(|_| ElfError::BadEntry(u32::MAX))?;
        let entry_ok = entry.is_multiple_of(WORD_BYTES) && entry >= text_start && entry < text_end;
        if !entry_ok {
            return Err(ElfError::BadEntry(entry));
        }
        Ok(Self {
            entry,
            text_start,
            instructions,
            image,
        })
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

fn check_header(elf: &Elf<'_>) -> Result<(), ElfError> {
    if elf.is_64 {
        return Err(ElfError::Not32Bit);
    }
    if !elf.little_endian {
        return Err(ElfError::NotLittleEndian);
    }
    if elf.header.e_machine != header::EM_RISCV {
        return Err(ElfError::NotRiscv(elf.header.e_machine));
    }
    if elf.header.e_type != header::ET_EXEC {
        return Err(ElfError::NotExecutable(elf.header.e_type));
    }
    let flags = elf.header.e_flags;
    if flags & (EF_RISCV_RVC | EF_RISCV_FLOAT_ABI | EF_RISCV_RVE) != 0 {
        return Err(ElfError::UnsupportedFlags(flags));
    }
    Ok(())
}

/// The segment's address range, checked to lie inside the valid memory map.
fn segment_range(index: usize, ph: &program_header::ProgramHeader) -> Result<(u64, u64), ElfError> {
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
    let fits = end <= u64::from(MEMORY_TOP)
        && is_valid_range(vaddr as u32, ph.p_memsz as u32)
        && vaddr < u64::from(MEMORY_TOP);
    if !fits {
        return Err(ElfError::SegmentOutsideMap { index, vaddr, end });
    }
    Ok((vaddr, end))
}

fn file_bytes<'a>(
    bytes: &'a [u8],
    index: usize,
    ph: &program_header::ProgramHeader,
) -> Result<&'a [u8], ElfError> {
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
