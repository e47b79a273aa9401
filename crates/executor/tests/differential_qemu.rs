//! Differential execution: random RV32IM programs must leave the same registers and memory, byte
//! for byte, on Geode's executor and on `qemu-riscv32` (Linux user mode).
//!
//! A program is a prologue that loads random, edge-biased values into x1 and x5..x29 and the data
//! buffer's address into x30; a random body; and an epilogue that stores x0..x31 into a dump area
//! just before the buffer and hands out dump and buffer together: COMMIT then HALT on Geode, Linux
//! `write(1, …)` then `exit(0)` under qemu. Both ELFs put the text and the data at the same
//! addresses, so AUIPC, JAL and JALR see the same pcs.
//!
//! The body uses every RV32IM instruction. Its control flow only moves forward (branches, JAL and
//! AUIPC + JALR pairs skip a few instructions), so every program ends; its loads and stores are
//! naturally aligned inside the buffer (Geode faults on a misaligned access, qemu does not). x2..x4
//! start differently on the two machines (qemu sets sp), so the body never reads them and the
//! epilogue zeroes them; x30 and x31 belong to the harness. x0 is a destination like any other and
//! must stay 0.
//!
//! Without `qemu-riscv32` on PATH the test says so and passes. `GEODE_DIFF_SEED=<n>` runs the one
//! program a failure names; `GEODE_DIFF_PROGRAMS=<n>` runs more programs than the default;
//! `GEODE_DIFF_KEEP=1` keeps the qemu ELFs in the temporary directory.
#![cfg(unix)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{ErrorKind, Write as _};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use geode_executor::testing::{Asm, ElfWriter, PF_R, PF_W, PF_X, SplitMix64, enc};
use geode_executor::{
    ExecOptions, Opcode, Program, Stdin, decode, disassemble, execute, execute_recorded,
};
use geode_platform::memory::TEXT_START;
use geode_platform::{reg, syscall};

const QEMU: &str = "qemu-riscv32";
/// Programs in the default run, and body instructions in each: 10^5 together at least.
const PROGRAMS: u64 = 400;
const BODY_WORDS: usize = 500;
const BASE_SEED: u64 = 0x6765_6f64_6500_0000;

/// The data segment, a page above the text: the register dump, then the buffer.
const DUMP: u32 = TEXT_START + 0x1_0000;
const REG_BYTES: u32 = 32 * 4;
const BUF: u32 = DUMP + REG_BYTES;
/// At most 2048, so every offset from x30 fits a 12-bit immediate.
const BUF_BYTES: u32 = 2048;
const DUMP_BYTES: u32 = REG_BYTES + BUF_BYTES;
const PAGE: u32 = 4096;

/// Holds the buffer's address for the whole body.
const BUF_REG: u32 = 30;
/// The epilogue's pointer to the dump area.
const DUMP_REG: u32 = 31;
/// `a7`, the Linux syscall number register.
const A7: u32 = 17;
const LINUX_WRITE: u32 = 64;
const LINUX_EXIT: u32 = 93;
/// `fence iorw, iorw`.
const FENCE: u32 = 0x0ff0_000f;

const R_OPS: [Opcode; 18] = geode_executor::testing::REG_REG_OPS;
const I_OPS: [Opcode; 9] = [
    Opcode::Addi,
    Opcode::Slti,
    Opcode::Sltiu,
    Opcode::Xori,
    Opcode::Ori,
    Opcode::Andi,
    Opcode::Slli,
    Opcode::Srli,
    Opcode::Srai,
];
/// Loads with their widths.
const LOADS: [(Opcode, u32); 5] = [
    (Opcode::Lb, 1),
    (Opcode::Lbu, 1),
    (Opcode::Lh, 2),
    (Opcode::Lhu, 2),
    (Opcode::Lw, 4),
];
const STORES: [(Opcode, u32); 3] = [(Opcode::Sb, 1), (Opcode::Sh, 2), (Opcode::Sw, 4)];
const BRANCHES: [Opcode; 6] = [
    Opcode::Beq,
    Opcode::Bne,
    Opcode::Blt,
    Opcode::Bge,
    Opcode::Bltu,
    Opcode::Bgeu,
];
/// Operands on which multiplication and division have their special cases.
const MULDIV_EDGES: [u32; 6] = [0, 1, 2, u32::MAX, 0x8000_0000, 0x7fff_ffff];
/// Register values the edge cases of the ALU, multiplier and divider turn on.
const EDGES: [u32; 16] = [
    0,
    1,
    2,
    31,
    32,
    0x7ff,
    0x800,
    0xffff,
    0x7fff_ffff,
    0x8000_0000,
    0x8000_0001,
    0xffff_f800,
    0xffff_fffe,
    u32::MAX,
    0xaaaa_aaaa,
    0x5555_5555,
];

/// Picks instructions and operands from a seeded SplitMix64.
#[derive(Debug)]
struct Rng(SplitMix64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn below(&mut self, n: u32) -> u32 {
        self.0.below(n as usize) as u32
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u32) as usize]
    }

    /// A register value: an edge case half of the time.
    fn value(&mut self) -> u32 {
        if self.below(2) == 0 {
            self.pick(&EDGES)
        } else {
            self.next() as u32
        }
    }

    /// A register the body may write: x0, x1 or x5..x29.
    fn dst(&mut self) -> u32 {
        match self.below(27) {
            r @ 0..2 => r,
            r => r + 3,
        }
    }

    /// A register the body may read: x0, x1 or x5..x30.
    fn src(&mut self) -> u32 {
        match self.below(28) {
            r @ 0..2 => r,
            r => r + 3,
        }
    }

    /// A 12-bit immediate, edge-biased.
    fn imm12(&mut self) -> i32 {
        if self.below(4) == 0 {
            self.pick(&[0, 1, -1, 2047, -2048])
        } else {
            self.below(4096) as i32 - 2048
        }
    }

    /// How many items a forward jump skips.
    fn skip(&mut self) -> usize {
        self.below(5) as usize
    }
}

/// One unit of the body; jumps land only on item boundaries, never inside an item.
#[derive(Debug)]
enum Item {
    Words(Vec<u32>),
    Branch {
        op: Opcode,
        rs1: u32,
        rs2: u32,
        skip: usize,
    },
    Jal {
        rd: u32,
        skip: usize,
    },
    /// `auipc base, 0; jalr rd, offset(base)`, landing `skip` items further; `odd` sets bit 0
    /// of the offset, which JALR must clear.
    Jalr {
        base: u32,
        rd: u32,
        skip: usize,
        odd: bool,
    },
}

impl Item {
    fn len(&self) -> usize {
        match self {
            Item::Words(words) => words.len(),
            Item::Branch { .. } | Item::Jal { .. } => 1,
            Item::Jalr { .. } => 2,
        }
    }

    fn random(rng: &mut Rng) -> Self {
        let roll = rng.below(100);
        let words = match roll {
            0..28 => vec![enc::alu(rng.pick(&R_OPS), rng.dst(), rng.src(), rng.src())],
            28..46 => {
                let op = rng.pick(&I_OPS);
                let imm = match op {
                    Opcode::Slli | Opcode::Srli | Opcode::Srai => rng.below(32) as i32,
                    _ => rng.imm12(),
                };
                vec![enc::alu_imm(op, rng.dst(), rng.src(), imm)]
            }
            46..49 => vec![enc::lui(rng.dst(), rng.value() >> 12)],
            49..52 => vec![enc::auipc(rng.dst(), rng.value() >> 12)],
            52..56 => enc::li(rng.dst(), rng.value()).to_vec(),
            // Two edge values straight into a multiplication or division (i32::MIN / -1, x / 0,
            // …) or another ALU operation.
            56..60 => {
                let (a, b) = (rng.dst(), rng.dst());
                let (op, edges) = if rng.below(4) == 0 {
                    (rng.pick(&R_OPS[..10]), &EDGES[..])
                } else {
                    (rng.pick(&R_OPS[10..]), &MULDIV_EDGES[..])
                };
                let mut words = enc::li(a, rng.pick(edges)).to_vec();
                words.extend(enc::li(b, rng.pick(edges)));
                words.push(enc::alu(op, rng.dst(), a, b));
                words
            }
            60..71 => {
                let (op, width) = rng.pick(&LOADS);
                let offset = rng.below(BUF_BYTES / width) * width;
                vec![enc::load(op, rng.dst(), BUF_REG, offset as i32)]
            }
            71..81 => {
                let (op, width) = rng.pick(&STORES);
                let offset = rng.below(BUF_BYTES / width) * width;
                vec![enc::store(op, rng.src(), BUF_REG, offset as i32)]
            }
            81..89 => {
                let rs1 = rng.src();
                // Equal operands a quarter of the time, so BEQ/BGE/BGEU are taken often too.
                let rs2 = if rng.below(4) == 0 { rs1 } else { rng.src() };
                return Item::Branch {
                    op: rng.pick(&BRANCHES),
                    rs1,
                    rs2,
                    skip: rng.skip(),
                };
            }
            89..93 => {
                return Item::Jal {
                    rd: rng.dst(),
                    skip: rng.skip(),
                };
            }
            93..97 => {
                let base = loop {
                    let r = rng.dst();
                    if r != 0 {
                        break r;
                    }
                };
                return Item::Jalr {
                    base,
                    rd: rng.dst(),
                    skip: rng.skip(),
                    odd: rng.below(2) == 0,
                };
            }
            _ => vec![FENCE],
        };
        Item::Words(words)
    }
}

/// A random body of at least [`BODY_WORDS`] instructions, its jumps resolved.
fn body(rng: &mut Rng) -> Vec<u32> {
    let mut items = Vec::new();
    let mut len = 0;
    while len < BODY_WORDS {
        let item = Item::random(rng);
        len += item.len();
        items.push(item);
    }
    // starts[i]: the word index of item i; starts[items.len()] is the end of the body.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(items.iter().scan(0, |at, item| {
            *at += item.len();
            Some(*at)
        }))
        .collect();
    let mut words = Vec::with_capacity(len);
    for (i, item) in items.iter().enumerate() {
        let bytes_to = |skip: usize| {
            let target = (i + 1 + skip).min(items.len());
            4 * (starts[target] - starts[i]) as i32
        };
        match *item {
            Item::Words(ref w) => words.extend(w),
            Item::Branch { op, rs1, rs2, skip } => {
                words.push(enc::branch(op, rs1, rs2, bytes_to(skip)));
            }
            Item::Jal { rd, skip } => words.push(enc::jal(rd, bytes_to(skip))),
            Item::Jalr {
                base,
                rd,
                skip,
                odd,
            } => words.extend([
                enc::auipc(base, 0),
                enc::jalr(rd, base, bytes_to(skip) + i32::from(odd)),
            ]),
        }
    }
    words
}

/// Loads every register the body reads.
fn prologue(rng: &mut Rng) -> Vec<u32> {
    let mut asm = Asm::new();
    for r in std::iter::once(1).chain(5..30) {
        asm.li(r, rng.value());
    }
    asm.li(BUF_REG, BUF);
    asm.code
}

/// Stores x0..x31 at [`DUMP`], with x2..x4 zeroed first.
fn dump_registers() -> Vec<u32> {
    let mut words = enc::li(DUMP_REG, DUMP).to_vec();
    words.extend((2..5).map(|r| enc::alu_imm(Opcode::Addi, r, 0, 0)));
    words.extend((0..32).map(|r| enc::store(Opcode::Sw, r, DUMP_REG, 4 * r as i32)));
    words
}

/// COMMIT the dump area, then HALT with exit code 0.
fn geode_epilogue() -> Vec<u32> {
    let mut asm = Asm::new();
    asm.push(dump_registers())
        .li(reg::A0 as u32, DUMP)
        .li(reg::A1 as u32, DUMP_BYTES)
        .syscall(syscall::COMMIT)
        .halt(0);
    asm.code
}

/// Linux `write(1, DUMP, DUMP_BYTES)`, then `exit(0)`.
fn qemu_epilogue() -> Vec<u32> {
    let mut asm = Asm::new();
    asm.push(dump_registers())
        .li(reg::A0 as u32, 1)
        .li(reg::A1 as u32, DUMP)
        .li(reg::A2 as u32, DUMP_BYTES)
        .li(A7, LINUX_WRITE)
        .push([enc::ECALL])
        .li(reg::A0 as u32, 0)
        .li(A7, LINUX_EXIT)
        .push([enc::ECALL]);
    asm.code
}

/// Text at [`TEXT_START`] and the data segment at [`DUMP`], page-aligned in the file so that
/// qemu can map it; Geode loads the same file layout.
fn elf(code: &[u32], data: &[u8]) -> Vec<u8> {
    let text: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    assert!(
        TEXT_START as usize + text.len() <= DUMP as usize,
        "text runs into the data"
    );
    ElfWriter::new(TEXT_START)
        .page_aligned(PAGE)
        .segment(TEXT_START, PF_R | PF_X, text, None)
        .segment(DUMP, PF_R | PF_W, data.to_vec(), None)
        .build()
}

/// One random program, as the two machines run it.
#[derive(Debug)]
struct Case {
    seed: u64,
    prologue: Vec<u32>,
    body: Vec<u32>,
    data: Vec<u8>,
}

/// What the bodies executed on Geode, counted from its record.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    /// Body instructions executed (the rest are skipped by forward jumps).
    executed: u64,
    /// DIV, DIVU, REM, REMU by zero.
    div_by_zero: u64,
    /// DIV and REM of `i32::MIN` by -1.
    div_overflow: u64,
    /// Branches taken and not taken.
    taken: u64,
    not_taken: u64,
}

impl Stats {
    fn add(&mut self, other: Stats) {
        self.executed += other.executed;
        self.div_by_zero += other.div_by_zero;
        self.div_overflow += other.div_overflow;
        self.taken += other.taken;
        self.not_taken += other.not_taken;
    }
}

/// What a run of one case found.
#[derive(Debug)]
struct Outcome {
    stats: Stats,
    /// A description of the divergence, if any.
    divergence: Option<String>,
}

impl Case {
    fn new(seed: u64) -> Self {
        let mut rng = Rng(SplitMix64(seed));
        let prologue = prologue(&mut rng);
        let body = body(&mut rng);
        let mut data = vec![0u8; DUMP_BYTES as usize];
        for byte in &mut data[REG_BYTES as usize..] {
            *byte = rng.next() as u8;
        }
        Self {
            seed,
            prologue,
            body,
            data,
        }
    }

    fn code(&self, epilogue: Vec<u32>) -> Vec<u32> {
        [self.prologue.clone(), self.body.clone(), epilogue].concat()
    }

    /// The dump Geode commits (the same in its fast and recording modes), and what the body
    /// executed.
    fn run_geode(&self) -> Result<(Vec<u8>, Stats), String> {
        let elf = elf(&self.code(geode_epilogue()), &self.data);
        let program = Program::from_elf(&elf).map_err(|e| format!("Geode rejects the ELF: {e}"))?;
        let out = execute(&program, &Stdin::new(), &ExecOptions::default())
            .map_err(|e| format!("Geode faults: {e}"))?;
        let (recorded, record) = execute_recorded(&program, &Stdin::new(), &ExecOptions::default())
            .map_err(|e| format!("Geode faults when recording: {e}"))?;
        if recorded != out {
            return Err("Geode's fast and recording modes disagree".to_owned());
        }
        if out.exit_code != 0 {
            return Err(format!("Geode exits with {}", out.exit_code));
        }
        let body_start = TEXT_START + 4 * self.prologue.len() as u32;
        let mut stats = Stats::default();
        for event in &record.cpu {
            let Some(&word) = (event.pc.wrapping_sub(body_start) / 4)
                .try_into()
                .ok()
                .and_then(|i: usize| self.body.get(i))
            else {
                continue;
            };
            stats.executed += 1;
            match decode(word).opcode {
                Opcode::Div | Opcode::Divu | Opcode::Rem | Opcode::Remu if event.c == 0 => {
                    stats.div_by_zero += 1;
                }
                Opcode::Div | Opcode::Rem if event.b == 0x8000_0000 && event.c == u32::MAX => {
                    stats.div_overflow += 1;
                }
                op if BRANCHES.contains(&op) => {
                    if event.next_pc == event.pc + 4 {
                        stats.not_taken += 1;
                    } else {
                        stats.taken += 1;
                    }
                }
                _ => {}
            }
        }
        Ok((out.public_output, stats))
    }

    /// The dump qemu writes to stdout.
    fn run_qemu(&self, dir: &Path) -> Result<Vec<u8>, String> {
        let path = dir.join(format!("{:016x}.elf", self.seed));
        // qemu refuses to run a file without execute permission.
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o755)
            .open(&path)
            .and_then(|mut file| file.write_all(&elf(&self.code(qemu_epilogue()), &self.data)))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let out = Command::new(QEMU)
            .arg(&path)
            .output()
            .map_err(|e| format!("cannot run {QEMU}: {e}"));
        if !keep_files() {
            // Best effort: the directory is removed at the end too.
            let _ = std::fs::remove_file(&path);
        }
        let out = out?;
        if !out.status.success() {
            return Err(format!(
                "qemu exits with {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(out.stdout)
    }

    fn run(&self, dir: &Path) -> Outcome {
        let (geode, stats) = match self.run_geode() {
            Ok(ok) => ok,
            Err(e) => {
                return Outcome {
                    stats: Stats::default(),
                    divergence: Some(self.report(&e)),
                };
            }
        };
        let divergence = match self.run_qemu(dir) {
            Err(e) => Some(self.report(&e)),
            Ok(qemu) if qemu != geode => Some(self.report(&diff(&geode, &qemu))),
            Ok(_) => None,
        };
        Outcome { stats, divergence }
    }

    /// The seed, what differs, and the body's disassembly.
    fn report(&self, what: &str) -> String {
        let mut out = format!(
            "seed {seed} (rerun alone with GEODE_DIFF_SEED={seed}):\n{what}\nbody:\n",
            seed = self.seed
        );
        let body_start = TEXT_START + 4 * self.prologue.len() as u32;
        for (i, &word) in self.body.iter().enumerate() {
            let pc = body_start + 4 * i as u32;
            let _ = writeln!(out, "  {pc:#010x}: {word:08x}  {}", disassemble(word, pc));
        }
        out
    }
}

/// The registers and buffer words that differ between two dumps.
fn diff(geode: &[u8], qemu: &[u8]) -> String {
    let mut out = String::new();
    if geode.len() != qemu.len() {
        let _ = writeln!(
            out,
            "dump lengths differ: Geode {} bytes, qemu {} bytes",
            geode.len(),
            qemu.len()
        );
    }
    let words = |bytes: &[u8]| -> Vec<u32> {
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    let (g, q) = (words(geode), words(qemu));
    for (i, (g, q)) in g.iter().zip(&q).enumerate().filter(|(_, (g, q))| g != q) {
        let at = 4 * i as u32;
        let name = if at < REG_BYTES {
            format!("x{}", i)
        } else {
            format!("buffer[{:#06x}]", at - REG_BYTES)
        };
        let _ = writeln!(out, "  {name}: Geode {g:#010x}, qemu {q:#010x}");
    }
    out
}

fn qemu_available() -> bool {
    match Command::new(QEMU).arg("--version").output() {
        Ok(out) => out.status.success(),
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => {
            eprintln!("{QEMU} --version fails: {e}");
            false
        }
    }
}

fn keep_files() -> bool {
    std::env::var_os("GEODE_DIFF_KEEP").is_some()
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|e| panic!("{name}={value}: {e}")))
}

/// The seeds to run: the one `GEODE_DIFF_SEED` names, or `GEODE_DIFF_PROGRAMS` (default
/// [`PROGRAMS`]) consecutive ones.
fn seeds() -> Vec<u64> {
    match env_u64("GEODE_DIFF_SEED") {
        Some(seed) => vec![seed],
        None => {
            let programs = env_u64("GEODE_DIFF_PROGRAMS").unwrap_or(PROGRAMS);
            (0..programs).map(|i| BASE_SEED + i).collect()
        }
    }
}

/// The ELFs both machines load keep each segment's file offset congruent to its address modulo
/// the page, as qemu's loader (which maps the file) requires, and Geode loads them.
#[test]
fn page_aligned_elf_suits_both_loaders() {
    let case = Case::new(BASE_SEED);
    let elf = elf(&case.code(geode_epilogue()), &case.data);
    let word = |at: usize| u32::from_le_bytes([elf[at], elf[at + 1], elf[at + 2], elf[at + 3]]);
    let (phoff, phnum) = (word(28) as usize, usize::from(elf[44]));
    assert_eq!(phnum, 2);
    for header in (0..phnum).map(|i| phoff + 32 * i) {
        let (offset, vaddr, filesz, align) = (
            word(header + 4),
            word(header + 8),
            word(header + 16),
            word(header + 28),
        );
        assert_eq!((align, offset % PAGE), (PAGE, vaddr % PAGE));
        assert!(offset as usize + filesz as usize <= elf.len());
    }
    Program::from_elf(&elf).expect("Geode loads a page-aligned ELF");
}

/// Without qemu this still checks the generator: every program halts on Geode without a fault,
/// x0 stays 0 and x30 still points at the buffer.
#[test]
fn random_programs_run_on_geode() {
    for seed in seeds() {
        let case = Case::new(seed);
        let (dump, _) = case
            .run_geode()
            .unwrap_or_else(|e| panic!("{}", case.report(&e)));
        assert_eq!(dump.len(), DUMP_BYTES as usize);
        let reg = |r: usize| {
            u32::from_le_bytes([
                dump[4 * r],
                dump[4 * r + 1],
                dump[4 * r + 2],
                dump[4 * r + 3],
            ])
        };
        assert_eq!((reg(0), reg(BUF_REG as usize)), (0, BUF), "seed {seed}");
    }
}

#[test]
fn geode_matches_qemu_on_random_programs() {
    if !qemu_available() {
        eprintln!("skipping: {QEMU} not installed; apt-get install qemu-user");
        return;
    }
    let seeds = seeds();
    let dir = std::env::temp_dir().join(format!("geode-differential-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");

    let start = Instant::now();
    let mut words = 0;
    let mut stats = Stats::default();
    let mut seen = BTreeSet::new();
    let mut divergences = Vec::new();
    for &seed in &seeds {
        let case = Case::new(seed);
        words += case.body.len();
        seen.extend(case.body.iter().map(|&w| decode(w).opcode));
        let outcome = case.run(&dir);
        stats.add(outcome.stats);
        divergences.extend(outcome.divergence);
    }
    if keep_files() {
        eprintln!("the qemu ELFs are in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!(
        "differential vs {QEMU}: {} programs, {words} random body instructions ({} executed: \
         {} divisions by zero, {} i32::MIN / -1, {} branches taken, {} not taken), \
         {} divergences, {:.1} s",
        seeds.len(),
        stats.executed,
        stats.div_by_zero,
        stats.div_overflow,
        stats.taken,
        stats.not_taken,
        divergences.len(),
        start.elapsed().as_secs_f64()
    );

    for report in divergences.iter().take(3) {
        eprintln!("{report}");
    }
    assert!(
        divergences.is_empty(),
        "{} of {} programs diverge (the first 3 are printed above)",
        divergences.len(),
        seeds.len()
    );
    if seeds.len() > 1 {
        assert!(words >= 100_000, "only {words} random instructions");
        assert!(
            stats.div_by_zero > 0
                && stats.div_overflow > 0
                && stats.taken > 0
                && stats.not_taken > 0,
            "an edge case never ran: {stats:?}"
        );
        let missing: Vec<Opcode> = R_OPS
            .iter()
            .chain(&I_OPS)
            .copied()
            .chain(LOADS.map(|(op, _)| op))
            .chain(STORES.map(|(op, _)| op))
            .chain(BRANCHES)
            .chain([
                Opcode::Jal,
                Opcode::Jalr,
                Opcode::Lui,
                Opcode::Auipc,
                Opcode::Fence,
            ])
            .filter(|op| !seen.contains(op))
            .collect();
        assert!(missing.is_empty(), "never generated: {missing:?}");
    }
}
