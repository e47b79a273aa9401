//! The inputs of the fuzz targets in `fuzz/`, shared with `cargo xtask fuzz-seeds`, which writes
//! their seed corpora from real programs.

use geode_platform::memory::{GUARD_END, MEMORY_TOP, TEXT_START, is_valid_addr};
use geode_platform::{reg, syscall};

use super::{Asm, ElfWriter, PF_R, PF_W, PF_X};

/// Cycle limit of the executor target's runs.
pub const FUZZ_MAX_CYCLES: u64 = 1 << 16;

/// The executor target's input: code at [`TEXT_START`] (also the entry), one data segment, and
/// the input stream.
///
/// Encoded as `code_words: u16 | data_vaddr: u32 | data_len: u16 | code | data | stdin`
/// (little-endian); [`FuzzProgram::decode`] takes any bytes, cutting lengths to what is there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FuzzProgram {
    /// Instruction words.
    pub code: Vec<u32>,
    /// Where the data segment goes (moved into the memory map if outside it).
    pub data_vaddr: u32,
    /// The data segment (none if empty).
    pub data: Vec<u8>,
    /// The raw input stream.
    pub stdin: Vec<u8>,
}

impl FuzzProgram {
    /// At most this many code words are taken.
    pub const MAX_CODE_WORDS: usize = 1 << 14;

    /// Reads a program from any bytes.
    pub fn decode(bytes: &[u8]) -> Self {
        let mut rest = bytes;
        let mut take = |n: usize| {
            let (head, tail) = rest.split_at(n.min(rest.len()));
            rest = tail;
            head
        };
        let mut le = |n: usize| {
            take(n)
                .iter()
                .rev()
                .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
        };
        let words = (le(2) as usize).min(Self::MAX_CODE_WORDS);
        let raw_vaddr = le(4);
        let data_len = le(2) as usize;
        let code = take(4 * words)
            .chunks(4)
            .map(|w| {
                w.iter()
                    .rev()
                    .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
            })
            .collect();
        let data = take(data_len).to_vec();
        let stdin = take(usize::MAX).to_vec();
        let data_vaddr = if is_valid_addr(raw_vaddr) {
            raw_vaddr
        } else {
            GUARD_END + raw_vaddr % (MEMORY_TOP - GUARD_END)
        };
        Self {
            code,
            data_vaddr,
            data,
            stdin,
        }
    }

    /// The bytes [`FuzzProgram::decode`] reads back as this program (for lengths that fit).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(self.code.len() as u16).to_le_bytes());
        out.extend_from_slice(&self.data_vaddr.to_le_bytes());
        out.extend_from_slice(&(self.data.len() as u16).to_le_bytes());
        out.extend(self.code.iter().flat_map(|w| w.to_le_bytes()));
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.stdin);
        out
    }

    /// The program as an ELF: code read-execute, data read-write.
    pub fn elf(&self) -> Vec<u8> {
        let code = self.code.iter().flat_map(|w| w.to_le_bytes()).collect();
        let mut w = ElfWriter::new(TEXT_START).segment(TEXT_START, PF_R | PF_X, code, None);
        if !self.data.is_empty() {
            w = w.segment(self.data_vaddr, PF_R | PF_W, self.data.clone(), None);
        }
        w.build()
    }
}

/// Where [`proof_target_elf`] keeps keccak256 of the empty output.
const DIGEST_AT: u32 = TEXT_START + 0x1000;

/// The program the proof target verifies against: HALT with exit code 0 and the digest of an
/// empty output, so its honest proof verifies with exit code 0 and no public output.
pub fn proof_target_elf() -> Vec<u8> {
    let mut asm = Asm::new();
    asm.li(reg::A0 as u32, 0)
        .li(reg::A1 as u32, DIGEST_AT)
        .syscall(syscall::HALT);
    let code = asm.code.iter().flat_map(|w| w.to_le_bytes()).collect();
    ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code, None)
        .segment(DIGEST_AT, PF_R, crate::keccak256(b"").to_vec(), None)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_round_trip_and_any_bytes_decode() {
        let p = FuzzProgram {
            code: vec![0x13, 0x73],
            data_vaddr: TEXT_START + 0x8000,
            data: vec![1, 2, 3],
            stdin: vec![9; 5],
        };
        assert_eq!(FuzzProgram::decode(&p.encode()), p);
        for len in 0..p.encode().len() {
            let _ = FuzzProgram::decode(&p.encode()[..len]);
        }
        assert!(crate::Program::from_elf(&p.elf()).is_ok());
        assert!(crate::Program::from_elf(&proof_target_elf()).is_ok());
    }
}
