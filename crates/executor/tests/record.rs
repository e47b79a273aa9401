//! The execution record is consistent: replaying every register and RAM access in timestamp
//! order against a shadow memory reproduces each access's `prev_value` and `prev_ts`, the
//! initial image and the final state. This is exactly what offline memory checking will prove.

use std::collections::HashMap;

use geode_executor::record::{SLOT_MEM, SLOT_RD, SLOT_RS1, SLOT_RS2, timestamp};
use geode_executor::testing::{Asm, enc};
use geode_executor::{
    ExecOptions, ExecutionRecord, Opcode, Program, Stdin, execute, execute_recorded,
    execute_recorded_chunks,
};
use geode_platform::memory::HEAP_END;
use geode_platform::{reg, syscall};

const A0: u32 = reg::A0 as u32;
const A1: u32 = reg::A1 as u32;
const BUF: u32 = HEAP_END - 0x1000;

/// A program touching every kind of access: loads/stores of all widths, hint reads, commits and
/// a keccak permutation.
fn busy_program() -> Asm {
    let mut asm = Asm::new();
    asm.li(A0, BUF).li(A1, 11).syscall(syscall::HINT_READ);
    asm.li(A0, BUF).syscall(syscall::KECCAK_PERMUTE);
    asm.li(1, BUF).li(2, 0xdead_beef);
    for k in 0..8 {
        asm.push([
            enc::store(Opcode::Sb, 2, 1, k),
            enc::load(Opcode::Lh, 3, 1, (k & !1) + 2),
            enc::alu(Opcode::Add, 2, 2, 3),
            enc::store(Opcode::Sw, 2, 1, 4 * k + 8),
        ]);
    }
    asm.li(A0, BUF + 3).li(A1, 13).syscall(syscall::COMMIT);
    asm.halt(0);
    asm
}

fn input() -> Stdin {
    Stdin::from_raw((0..11).collect())
}

struct Shadow {
    value: HashMap<(bool, u32), u32>,
    ts: HashMap<(bool, u32), u32>,
    image: HashMap<u32, u32>,
}

impl Shadow {
    /// Applies one access at `ts` leaving `value`, checking what it claims to have found.
    fn access(&mut self, ram: bool, addr: u32, ts: u32, prev_value: u32, prev_ts: u32, value: u32) {
        let key = (ram, addr);
        let init = if ram {
            self.image.get(&addr).copied().unwrap_or(0)
        } else {
            0
        };
        let found = self.value.get(&key).copied().unwrap_or(init);
        let found_ts = self.ts.get(&key).copied().unwrap_or(0);
        assert_eq!(
            (prev_value, prev_ts),
            (found, found_ts),
            "ram={ram} addr={addr:#x} ts={ts}"
        );
        assert!(ts > prev_ts);
        self.value.insert(key, value);
        self.ts.insert(key, ts);
    }
}

fn replay(program: &Program, record: &ExecutionRecord) {
    let mut shadow = Shadow {
        value: HashMap::new(),
        ts: HashMap::new(),
        image: program.image().iter().map(|(&a, &v)| (a, v)).collect(),
    };
    let mut memory = record.memory.iter().peekable();
    let mut syscalls = record.syscalls.iter().peekable();
    for e in &record.cpu {
        let insn = program.instructions()[((e.pc - program.text_start()) / 4) as usize];
        let op = insn.opcode;
        if op.reads_rs1() {
            shadow.access(
                false,
                insn.rs1.into(),
                timestamp(e.clk, SLOT_RS1),
                e.b,
                e.rs1_prev_ts,
                e.b,
            );
        }
        if op.reads_rs2() {
            shadow.access(
                false,
                insn.rs2.into(),
                timestamp(e.clk, SLOT_RS2),
                e.c,
                e.rs2_prev_ts,
                e.c,
            );
        }
        if let Some(s) = syscalls.next_if(|s| s.clk == e.clk) {
            for (r, read) in [(A1, s.arg1), (reg::A2 as u32, s.arg2)] {
                let ts = timestamp(e.clk, SLOT_MEM);
                shadow.access(false, r, ts, read.value, read.prev_ts, read.value);
            }
        }
        while let Some(m) = memory.next_if(|m| m.clk == e.clk) {
            shadow.access(
                true,
                m.addr,
                timestamp(m.clk, SLOT_MEM),
                m.prev_value,
                m.prev_ts,
                m.value,
            );
        }
        if op.writes_rd() {
            shadow.access(
                false,
                insn.rd.into(),
                timestamp(e.clk, SLOT_RD),
                e.rd_prev_value,
                e.rd_prev_ts,
                e.a,
            );
        }
    }
    assert!(
        memory.next().is_none() && syscalls.next().is_none(),
        "events without a cycle"
    );
    for f in &record.memory_final {
        assert_eq!(
            (f.value, f.ts),
            (shadow.value[&(true, f.addr)], shadow.ts[&(true, f.addr)])
        );
    }
    for i in &record.memory_init {
        assert_eq!(i.value, shadow.image.get(&i.addr).copied().unwrap_or(0));
    }
    assert_eq!(
        record.memory_final.len(),
        shadow.value.keys().filter(|k| k.0).count()
    );
    for f in &record.registers_final {
        let key = (false, f.addr);
        assert_eq!(f.value, shadow.value.get(&key).copied().unwrap_or(0));
        assert_eq!(f.ts, shadow.ts.get(&key).copied().unwrap_or(0));
    }
}

#[test]
fn record_replays_consistently() {
    let program = Program::from_elf(&busy_program().elf()).unwrap();
    let (out, record) = execute_recorded(&program, &input(), &ExecOptions::default()).unwrap();
    assert_eq!(record.cpu.len() as u64, out.cycles);
    assert_eq!(record.keccak.len(), 1);
    assert_eq!(record.syscalls.len(), 4);
    // 3 hint words + 50 keccak words + 24 loads/stores + 8 digest words (COMMIT reads are
    // not recorded: the digest binds the output).
    assert_eq!(record.memory.len(), 3 + 50 + 24 + 8);
    replay(&program, &record);
}

#[test]
fn keccak_event_matches_tiny_keccak() {
    let program = Program::from_elf(&busy_program().elf()).unwrap();
    let (_, record) = execute_recorded(&program, &input(), &ExecOptions::default()).unwrap();
    let k = record.keccak[0];
    let mut state = k.input;
    keccakf(&mut state);
    assert_eq!(state, k.output);
    // The input holds the 11 hinted bytes 0..11 in the first lanes.
    assert_eq!(k.input[0], u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]));
    assert_eq!(k.input[1], u64::from_le_bytes([8, 9, 10, 0, 0, 0, 0, 0]));
}

fn keccakf(state: &mut [u64; 25]) {
    // Reference keccak-f[1600] written from the spec, independent of the executor's tiny-keccak (round constants and rotation offsets).
    const RC: [u64; 24] = [
        0x0000000000000001,
        0x0000000000008082,
        0x800000000000808a,
        0x8000000080008000,
        0x000000000000808b,
        0x0000000080000001,
        0x8000000080008081,
        0x8000000000008009,
        0x000000000000008a,
        0x0000000000000088,
        0x0000000080008009,
        0x000000008000000a,
        0x000000008000808b,
        0x800000000000008b,
        0x8000000000008089,
        0x8000000000008003,
        0x8000000000008002,
        0x8000000000000080,
        0x000000000000800a,
        0x800000008000000a,
        0x8000000080008081,
        0x8000000000008080,
        0x0000000080000001,
        0x8000000080008008,
    ];
    const ROT: [u32; 25] = [
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56,
        14,
    ];
    for rc in RC {
        let c: [u64; 5] = std::array::from_fn(|x| (0..5).fold(0, |acc, y| acc ^ state[x + 5 * y]));
        for x in 0..5 {
            let d = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
            for y in 0..5 {
                state[x + 5 * y] ^= d;
            }
        }
        let mut b = [0u64; 25];
        for x in 0..5 {
            for y in 0..5 {
                b[y + 5 * ((2 * x + 3 * y) % 5)] = state[x + 5 * y].rotate_left(ROT[x + 5 * y]);
            }
        }
        for x in 0..5 {
            for y in 0..5 {
                state[x + 5 * y] =
                    b[x + 5 * y] ^ (!b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
            }
        }
        state[0] ^= rc;
    }
}

#[test]
fn chunked_recording_equals_one_record() {
    let program = Program::from_elf(&busy_program().elf()).unwrap();
    let opts = ExecOptions::default();
    let (out, whole) = execute_recorded(&program, &input(), &opts).unwrap();
    for chunk in [1, 7, 64] {
        let mut chunks = Vec::new();
        let out2 = execute_recorded_chunks(&program, &input(), &opts, chunk, |c| {
            chunks.push(std::mem::take(c))
        })
        .unwrap();
        assert_eq!(out, out2);
        assert!(chunks.len() as u64 >= out.cycles / chunk as u64);
        let mut joined = ExecutionRecord::default();
        for c in chunks {
            joined.append(c);
        }
        assert_eq!(joined, whole, "chunk size {chunk}");
    }
    assert_eq!(out, execute(&program, &input(), &opts).unwrap());
}

#[test]
fn tampered_record_fails_replay() {
    // The replay above is a real check: corrupting any one access makes it fail.
    let program = Program::from_elf(&busy_program().elf()).unwrap();
    let (_, record) = execute_recorded(&program, &input(), &ExecOptions::default()).unwrap();
    let mut bad = record.clone();
    bad.memory[5].prev_value ^= 1;
    assert!(std::panic::catch_unwind(|| replay(&program, &bad)).is_err());
    let mut bad = record.clone();
    bad.cpu[3].rs1_prev_ts += 1;
    assert!(std::panic::catch_unwind(|| replay(&program, &bad)).is_err());
    let mut bad = record;
    bad.memory_final[0].value ^= 1;
    assert!(std::panic::catch_unwind(|| replay(&program, &bad)).is_err());
}
