//! A systematically generated corpus of hostile ELF files, for the loader's tests and the fuzz
//! seeds: truncations, corrupted identification and header fields, bad program-header tables,
//! and segments that overlap, overflow, leave the memory map or misplace the code.
//!
//! Every [`HostileElf`] says what the loader must do with it: reject it with a typed
//! [`crate::ElfError`], or load it (files that look odd but are well formed, such as a
//! writable and executable segment; text is fixed at load time, so writing over code changes
//! memory, not the instructions that run).

use super::SplitMix64;
use geode_platform::memory::{GUARD_END, MEMORY_TOP, TEXT_START};

use super::{Asm, ElfWriter, PF_R, PF_W, PF_X};
use crate::program::MAX_TEXT_WORDS;

/// What the loader must do with a corpus file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Reject it with an [`crate::ElfError`].
    Reject,
    /// Load it (it is well formed, however odd).
    Load,
}

/// One corpus file.
#[derive(Clone, Debug)]
pub struct HostileElf {
    /// What was done to the file, e.g. `truncate@17` or `phdr1.memsz=0xffffffff`.
    pub label: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// What the loader must do.
    pub expect: Expect,
}

/// Size of the ELF32 header.
pub const EHSIZE: usize = 52;
/// Size of one ELF32 program header.
pub const PHENTSIZE: usize = 32;

/// Offsets of the ELF32 header fields this corpus corrupts.
pub mod off {
    /// `EI_CLASS`.
    pub const CLASS: usize = 4;
    /// `EI_DATA`.
    pub const DATA: usize = 5;
    /// `e_type`.
    pub const TYPE: usize = 16;
    /// `e_machine`.
    pub const MACHINE: usize = 18;
    /// `e_entry`.
    pub const ENTRY: usize = 24;
    /// `e_phoff`.
    pub const PHOFF: usize = 28;
    /// `e_shoff`.
    pub const SHOFF: usize = 32;
    /// `e_flags`.
    pub const FLAGS: usize = 36;
    /// `e_phentsize`.
    pub const PHENTSIZE: usize = 42;
    /// `e_phnum`.
    pub const PHNUM: usize = 44;
    /// `e_shnum`.
    pub const SHNUM: usize = 48;
}

/// Fields of a program header, as offsets within it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ph {
    /// `p_type`.
    Type = 0,
    /// `p_offset`.
    Offset = 4,
    /// `p_vaddr`.
    Vaddr = 8,
    /// `p_filesz`.
    Filesz = 16,
    /// `p_memsz`.
    Memsz = 20,
    /// `p_flags`.
    Flags = 24,
}

/// Writes `value` little-endian at `at` (no-op past the end).
pub fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    if let Some(slot) = bytes.get_mut(at..at + 4) {
        slot.copy_from_slice(&value.to_le_bytes());
    }
}

/// Writes `value` little-endian at `at` (no-op past the end).
pub fn put_u16(bytes: &mut [u8], at: usize, value: u16) {
    if let Some(slot) = bytes.get_mut(at..at + 2) {
        slot.copy_from_slice(&value.to_le_bytes());
    }
}

/// Sets field `field` of program header `index` (the headers start at byte [`EHSIZE`]).
pub fn put_ph(bytes: &mut [u8], index: usize, field: Ph, value: u32) {
    put_u32(bytes, EHSIZE + index * PHENTSIZE + field as usize, value);
}

fn halt_code() -> Vec<u8> {
    let mut asm = Asm::new();
    asm.halt(0);
    asm.code.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// The well-formed file the corpus corrupts: code at [`TEXT_START`], read-only data, and
/// writable data with a zero-filled tail (three program headers).
pub fn base() -> ElfWriter {
    ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, halt_code(), None)
        .segment(TEXT_START + 0x1000, PF_R, b"rodata!\0".to_vec(), None)
        .segment(
            TEXT_START + 0x2000,
            PF_R | PF_W,
            vec![1, 2, 3, 4, 5, 6, 7, 8],
            Some(0x1000),
        )
}

struct Corpus(Vec<HostileElf>);

impl Corpus {
    fn add(&mut self, label: impl Into<String>, bytes: Vec<u8>, expect: Expect) {
        self.0.push(HostileElf {
            label: label.into(),
            bytes,
            expect,
        });
    }

    fn reject(&mut self, label: impl Into<String>, bytes: Vec<u8>) {
        self.add(label, bytes, Expect::Reject);
    }

    /// The base file with `edit` applied to its bytes, to be rejected.
    fn patched(&mut self, label: impl Into<String>, edit: impl FnOnce(&mut Vec<u8>)) {
        let mut bytes = base().build();
        edit(&mut bytes);
        self.reject(label, bytes);
    }

    /// A file built from a modified writer, to be rejected.
    fn written(&mut self, label: impl Into<String>, w: &ElfWriter) {
        self.reject(label, w.build());
    }
}

/// The whole corpus: several hundred files, every one of them generated.
pub fn corpus() -> Vec<HostileElf> {
    let mut c = Corpus(Vec::new());
    truncations(&mut c);
    identification(&mut c);
    header_fields(&mut c);
    program_header_table(&mut c);
    segment_sizes_and_places(&mut c);
    code_and_entry(&mut c);
    foreign_layouts(&mut c);
    junk(&mut c);
    well_formed_oddities(&mut c);
    c.0
}

fn truncations(c: &mut Corpus) {
    let bytes = base().build();
    // Every cut inside the ELF and program headers, then every few bytes of the segment data.
    let headers = EHSIZE + 3 * PHENTSIZE;
    let cuts = (0..headers).chain((headers..bytes.len()).step_by(3));
    for cut in cuts {
        c.reject(format!("truncate@{cut}"), bytes[..cut].to_vec());
    }
}

fn identification(c: &mut Corpus) {
    for at in 0..4 {
        for value in [0u8, 0xff] {
            c.patched(format!("magic[{at}]={value:#x}"), |b| b[at] = value);
        }
    }
    for class in [0u8, 2, 3, 0x7f, 0xff] {
        c.written(format!("class={class}"), &ElfWriter { class, ..base() });
    }
    for data_encoding in [0u8, 2, 3, 0xff] {
        let w = ElfWriter {
            data_encoding,
            ..base()
        };
        c.written(format!("data={data_encoding}"), &w);
    }
}

fn header_fields(c: &mut Corpus) {
    // x86, SPARC, MIPS, PowerPC, ARM, x86-64, AArch64, LoongArch and its neighbours.
    for machine in [
        0u16, 2, 3, 8, 0x14, 0x28, 0x3e, 0xb7, 0xf2, 0xf4, 0x102, 0xffff,
    ] {
        c.written(
            format!("machine={machine:#x}"),
            &ElfWriter { machine, ..base() },
        );
    }
    // None, relocatable, shared object (PIE), core, OS- and processor-specific.
    for elf_type in [0u16, 1, 3, 4, 0xfe00, 0xff00, 0xffff] {
        c.written(
            format!("type={elf_type:#x}"),
            &ElfWriter { elf_type, ..base() },
        );
    }
    // Compressed code, any hardware-float ABI, RVE: every combination of those bits.
    for flags in 1..16u32 {
        let w = ElfWriter { flags, ..base() };
        c.written(format!("flags={flags:#x}"), &w);
    }
}

fn program_header_table(c: &mut Corpus) {
    let len = base().build().len() as u32;
    let phoffs = [
        1,
        EHSIZE as u32 - 1,
        EHSIZE as u32 + 1,
        EHSIZE as u32 + 4,
        len - 40,
        len - 1,
        len,
        len + 1,
        0x7fff_ffff,
        0xffff_ffff,
    ];
    for phoff in phoffs {
        c.patched(format!("phoff={phoff:#x}"), |b| {
            put_u32(b, off::PHOFF, phoff)
        });
    }
    for size in [0u16, 1, 16, 31, 33, 56, 64, 0xffff] {
        c.patched(format!("phentsize={size}"), |b| {
            put_u16(b, off::PHENTSIZE, size);
        });
    }
    // No headers at all, more than the file holds, more than the loader reads, PN_XNUM.
    for phnum in [0u16, 5, 8, 65, 100, 0x7fff, 0xffff] {
        c.patched(format!("phnum={phnum}"), |b| put_u16(b, off::PHNUM, phnum));
    }
    let mut many = base();
    for k in 0..70u32 {
        many = many.segment(
            TEXT_START + 0x10_0000 + k * 0x100,
            PF_R,
            vec![k as u8],
            None,
        );
    }
    c.written("segments=73", &many);
}

fn segment_sizes_and_places(c: &mut Corpus) {
    for index in 0..3 {
        for memsz in [
            0xffff_ffffu32,
            0x8000_0000,
            MEMORY_TOP,
            MEMORY_TOP - TEXT_START,
        ] {
            c.patched(format!("phdr{index}.memsz={memsz:#x}"), |b| {
                put_ph(b, index, Ph::Memsz, memsz);
            });
        }
        for filesz in [0xffff_ffffu32, 0x8000_0000, 0x1_0000, 0x10_0000] {
            c.patched(format!("phdr{index}.filesz={filesz:#x}"), |b| {
                put_ph(b, index, Ph::Filesz, filesz);
                put_ph(b, index, Ph::Memsz, filesz);
            });
        }
        c.patched(format!("phdr{index}.filesz>memsz"), |b| {
            put_ph(b, index, Ph::Memsz, 4);
            put_ph(b, index, Ph::Filesz, 8);
        });
        for offset in [0xffff_fff0u32, 0x8000_0000, 0x1_0000] {
            c.patched(format!("phdr{index}.offset={offset:#x}"), |b| {
                put_ph(b, index, Ph::Offset, offset);
            });
        }
        let outside = [
            0,
            4,
            GUARD_END - 4,
            GUARD_END - 0x1000,
            MEMORY_TOP - 4,
            MEMORY_TOP,
            0x8000_0000,
            0xffff_fff8,
        ];
        for vaddr in outside {
            c.patched(format!("phdr{index}.vaddr={vaddr:#x}"), |b| {
                put_ph(b, index, Ph::Vaddr, vaddr);
            });
        }
    }
    // Overlaps: the same place twice, a shifted copy, a segment inside another, a zero-fill
    // tail running into the next segment, and a writable+executable copy over the code.
    let overlaps = [
        ("same-place", TEXT_START + 0x2000, 8, None, PF_R | PF_W),
        ("shifted", TEXT_START + 0x2004, 8, None, PF_R | PF_W),
        ("inside", TEXT_START + 0x2400, 4, None, PF_R),
        (
            "bss-tail",
            TEXT_START + 0x1800,
            8,
            Some(0x1000),
            PF_R | PF_W,
        ),
        ("wx-over-code", TEXT_START, 8, None, PF_R | PF_W | PF_X),
        ("last-byte", TEXT_START + 0x2fff, 1, None, PF_R),
    ];
    for (name, vaddr, len, memsz, flags) in overlaps {
        let w = base().segment(vaddr, flags, vec![0x13; len], memsz);
        c.written(format!("overlap-{name}"), &w);
    }
    // Zero-filled memory up to and past the top of the map.
    for memsz in [MEMORY_TOP - TEXT_START - 0x2fff, u32::MAX - 0x3000] {
        let w = base().segment(TEXT_START + 0x3000, PF_R | PF_W, vec![], Some(memsz));
        c.written(format!("bss-memsz={memsz:#x}"), &w);
    }
}

fn code_and_entry(c: &mut Corpus) {
    let code = halt_code();
    for shift in 1..4u32 {
        let start = TEXT_START + shift;
        let w = ElfWriter::new(start).segment(start, PF_R | PF_X, code.clone(), None);
        c.written(format!("text-vaddr+{shift}"), &w);
        let mut ragged = code.clone();
        ragged.extend(std::iter::repeat_n(0x13, shift as usize));
        let w = ElfWriter::new(TEXT_START).segment(TEXT_START, PF_R | PF_X, ragged, Some(0x100));
        c.written(format!("text-filesz%4={shift}"), &w);
    }
    let text_end = TEXT_START + code.len() as u32;
    let entries = [
        0,
        4,
        GUARD_END - 4,
        TEXT_START + 1,
        TEXT_START + 2,
        TEXT_START + 3,
        text_end,
        text_end + 4,
        TEXT_START + 0x1000,
        TEXT_START + 0x2000,
        TEXT_START + 0x2800,
        MEMORY_TOP - 4,
        MEMORY_TOP,
        0x8000_0000,
        0xffff_fffc,
    ];
    for entry in entries {
        c.written(format!("entry={entry:#x}"), &ElfWriter { entry, ..base() });
    }
    // Entry in the gap between two code segments.
    let w = base().segment(TEXT_START + 0x4000, PF_R | PF_X, code.clone(), None);
    c.written(
        "entry-in-code-gap",
        &ElfWriter {
            entry: TEXT_START + 0x3000,
            ..w
        },
    );
    // No code: no executable flag anywhere, code that is all zero-fill, code segments of the
    // wrong type, no loadable segments.
    let data_only = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R, code.clone(), None)
        .segment(TEXT_START + 0x1000, PF_R | PF_W, vec![1; 8], None);
    c.written("no-exec-flag", &data_only);
    let bss_code = ElfWriter::new(TEXT_START).segment(TEXT_START, PF_R | PF_X, vec![], Some(64));
    c.written("code-all-zero-fill", &bss_code);
    for p_type in [0u32, 2, 3, 4, 6, 7, 0x6474_e551, 0x7000_0003] {
        c.patched(format!("code-type={p_type:#x}"), |b| {
            put_ph(b, 0, Ph::Type, p_type);
        });
    }
    c.patched("code-flags=0", |b| put_ph(b, 0, Ph::Flags, 0));
    c.patched("code-memsz=0", |b| {
        put_ph(b, 0, Ph::Filesz, 0);
        put_ph(b, 0, Ph::Memsz, 0);
    });
    // Code spread so wide that the program table would exceed MAX_TEXT_WORDS.
    for gap in [MAX_TEXT_WORDS * 4, MAX_TEXT_WORDS * 4 + 0x1000, 0x1000_0000] {
        let w = ElfWriter::new(TEXT_START)
            .segment(TEXT_START, PF_R | PF_X, code.clone(), None)
            .segment(TEXT_START + gap, PF_R | PF_X, vec![0x13, 0, 0, 0], None);
        c.written(format!("text-span={gap:#x}"), &w);
    }
}

/// Headers of other layouts: a real 64-bit RISC-V header and a real big-endian one.
fn foreign_layouts(c: &mut Corpus) {
    let mut elf64 = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    elf64.resize(16, 0);
    elf64.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    elf64.extend_from_slice(&0xf3u16.to_le_bytes());
    elf64.extend_from_slice(&1u32.to_le_bytes());
    elf64.extend_from_slice(&u64::from(TEXT_START).to_le_bytes());
    elf64.extend_from_slice(&64u64.to_le_bytes()); // e_phoff
    elf64.extend_from_slice(&0u64.to_le_bytes());
    elf64.extend_from_slice(&0u32.to_le_bytes());
    for half in [64u16, 56, 1, 64, 0, 0] {
        elf64.extend_from_slice(&half.to_le_bytes());
    }
    let code = halt_code();
    for word in [1u32, 5] {
        elf64.extend_from_slice(&word.to_le_bytes()); // p_type, p_flags
    }
    let fields = [
        120,
        TEXT_START,
        TEXT_START,
        code.len() as u32,
        code.len() as u32,
        4,
    ];
    for field in fields {
        elf64.extend_from_slice(&u64::from(field).to_le_bytes());
    }
    elf64.extend_from_slice(&code);
    c.reject("elf64-riscv", elf64.clone());
    c.reject("elf64-riscv-header-only", elf64[..64].to_vec());

    // Big-endian: every multi-byte field of the base file swapped.
    let mut be = base().build();
    be[off::DATA] = 2;
    for at in [off::TYPE, off::MACHINE, 40, off::PHENTSIZE, off::PHNUM, 46] {
        be[at..at + 2].reverse();
    }
    for at in [20, off::ENTRY, off::PHOFF, off::SHOFF, off::FLAGS] {
        be[at..at + 4].reverse();
    }
    for index in 0..3 {
        for field in 0..8 {
            let at = EHSIZE + index * PHENTSIZE + field * 4;
            be[at..at + 4].reverse();
        }
    }
    c.reject("big-endian", be);
}

fn junk(c: &mut Corpus) {
    let mut rng = SplitMix64(0x6e0d_e1f0);
    for len in [0usize, 1, 4, 16, 51, 52, 53, 84, 4096] {
        c.reject(format!("zeros[{len}]"), vec![0; len]);
        c.reject(format!("ones[{len}]"), vec![0xff; len]);
    }
    // Random bytes behind a valid identification and machine, so the parser goes deep.
    for k in 0..40 {
        let len = 52 + rng.below(300);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        bytes[..7].copy_from_slice(&[0x7f, b'E', b'L', b'F', 1, 1, 1]);
        put_u16(&mut bytes, off::TYPE, 2);
        put_u16(&mut bytes, off::MACHINE, 0xf3);
        put_u32(&mut bytes, off::FLAGS, 0);
        put_u16(&mut bytes, off::PHENTSIZE, 32);
        put_u16(&mut bytes, off::PHNUM, 1 + rng.below(4) as u16);
        put_u32(&mut bytes, off::PHOFF, 52);
        c.reject(format!("random-headers#{k}"), bytes);
    }
}

/// Files that look hostile but are well formed; the loader must accept them.
fn well_formed_oddities(c: &mut Corpus) {
    let code = halt_code();
    let wx = ElfWriter::new(TEXT_START).segment(TEXT_START, PF_R | PF_W | PF_X, code.clone(), None);
    c.add("writable-executable", wx.build(), Expect::Load);
    let mut b = base().build();
    put_u32(&mut b, off::SHOFF, 0xffff_fff0);
    put_u16(&mut b, off::SHNUM, 0xffff);
    c.add("garbage-section-table", b, Expect::Load);
    let mut b = base().build();
    put_ph(&mut b, 1, Ph::Type, 4); // PT_NOTE: ignored, whatever its fields say
    put_ph(&mut b, 1, Ph::Vaddr, 0);
    put_ph(&mut b, 1, Ph::Memsz, 0xffff_ffff);
    put_ph(&mut b, 1, Ph::Offset, 0xffff_ffff);
    c.add("note-with-garbage", b, Expect::Load);
    let mut b = base().build();
    put_ph(&mut b, 1, Ph::Filesz, 0);
    put_ph(&mut b, 1, Ph::Memsz, 0);
    put_ph(&mut b, 1, Ph::Vaddr, 0xffff_fff0);
    c.add("empty-load-anywhere", b, Expect::Load);
    let last = TEXT_START + code.len() as u32 - 4;
    c.add(
        "entry-at-last-word",
        ElfWriter {
            entry: last,
            ..base()
        }
        .build(),
        Expect::Load,
    );
    let adjacent = base().segment(TEXT_START + 0x3000, PF_R, vec![9; 4], None);
    c.add("adjacent-segments", adjacent.build(), Expect::Load);
    let top = base().segment(MEMORY_TOP - 8, PF_R | PF_W, vec![7; 8], None);
    c.add("data-at-top-of-map", top.build(), Expect::Load);
    // The widest code span allowed: a 4 MiB-word program table from an 8-word file.
    let wide = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code.clone(), None)
        .segment(
            TEXT_START + (MAX_TEXT_WORDS - 1) * 4,
            PF_R | PF_X,
            vec![0x13, 0, 0, 0],
            None,
        );
    c.add("widest-text", wide.build(), Expect::Load);
}
