//! Load-store tests: every opcode at every offset against the executor's semantics, the buses
//! each row leaves open, a proof, named-cell tampering, forged events that only one check
//! stops, and pairing a real run's CPU and memory events.

use std::collections::BTreeMap;

use geode_executor::record::{SLOT_MEM, timestamp};
use geode_executor::testing::{Asm, enc};
use geode_executor::{ExecOptions, Opcode, Program, Stdin, execute_recorded};
use geode_platform::memory::{GUARD_END, MEMORY_TOP};
use geode_platform::{reg, syscall};
use geode_stark::debug::DebugFailure;
use geode_stark::{Challenge, Val, shape_of};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{LogUpGadget, Lookups};

use super::testing::{Batch, is_table_entry, load, signed, store};
use super::{LoadStoreChip, LoadStoreCols, LoadStoreEvent, events_from_record};
use crate::byte_counter::ByteCounter;

fn cols() -> LoadStoreCols<usize> {
    LoadStoreCols::<usize>::col_map()
}

const LOADS: [Opcode; 5] = [Opcode::Lb, Opcode::Lh, Opcode::Lw, Opcode::Lbu, Opcode::Lhu];
const STORES: [Opcode; 3] = [Opcode::Sb, Opcode::Sh, Opcode::Sw];

/// Words whose bytes sit on both sides of every sign boundary, at every position.
const WORDS: [u32; 7] = [
    0,
    u32::MAX,
    0x8080_8080,
    0x7f7f_7f7f,
    0x80ff_7f00,
    0x007f_ff80,
    0x0123_4567,
];

/// Store data: only the low byte or half of the first two is written by SB/SH.
const DATA: [u32; 3] = [0xa5c3_5a3c, 0xffff_ff80, 0x0000_007f];

/// Word addresses at the ends of RAM and in the middle.
const WORD_ADDRS: [u32; 3] = [GUARD_END, MEMORY_TOP - 4, 0x0012_3458];

/// Every way `b + imm = addr` is formed in the tests: plain, negative immediate, wrapping.
fn operands(addr: u32, k: usize) -> [u32; 2] {
    match k % 3 {
        0 => [addr, 0],
        1 => [addr.wrapping_add(0x800), (-0x800i32) as u32],
        _ => [0xffff_fff0, addr.wrapping_add(0x10)],
    }
}

/// Offsets `op` may use.
fn offsets(op: Opcode) -> Vec<u32> {
    match op {
        Opcode::Lw | Opcode::Sw => vec![0],
        Opcode::Lh | Opcode::Lhu | Opcode::Sh => vec![0, 2],
        _ => vec![0, 1, 2, 3],
    }
}

/// Every opcode at every offset it may use, over every word of [`WORDS`] (loads into a
/// register and into `x0`; stores of every [`DATA`]), at the addresses of [`WORD_ADDRS`].
fn all_events() -> Vec<LoadStoreEvent> {
    let mut events = Vec::new();
    let mut next = |build: &dyn Fn(u32, [u32; 2], u32) -> LoadStoreEvent, addr: u32| {
        let clk = events.len() as u32 + 1;
        let k = events.len();
        // The word was last touched at the start, or in the previous cycle's rd slot.
        let prev_ts = if k % 2 == 0 { 0 } else { timestamp(clk - 1, 3) };
        events.push(build(clk, operands(addr, k), prev_ts));
    };
    for (w, &word) in WORDS.iter().enumerate() {
        let base = WORD_ADDRS[w % WORD_ADDRS.len()];
        for op in LOADS {
            for offset in offsets(op) {
                for rd_is_x0 in [false, true] {
                    if rd_is_x0 && offset != 0 {
                        continue;
                    }
                    next(
                        &|clk, ops, ts| load(op, clk, ops, word, ts, rd_is_x0),
                        base + offset,
                    );
                }
            }
        }
        for op in STORES {
            for offset in offsets(op) {
                for data in DATA {
                    next(
                        &|clk, ops, ts| store(op, clk, ops, word, ts, data),
                        base + offset,
                    );
                }
            }
        }
    }
    events
}

#[test]
fn every_opcode_at_every_offset_balances_every_bus() {
    let events = all_events();
    assert!(events.len() > 200);
    // The reference semantics hit both sign extensions and both store merges.
    assert!(
        events
            .iter()
            .any(|e| e.opcode == Opcode::Lb && e.a == 0xffff_ff80)
    );
    assert!(
        events
            .iter()
            .any(|e| e.opcode == Opcode::Lh && e.a == 0xffff_ff80)
    );
    assert!(
        events
            .iter()
            .any(|e| e.opcode == Opcode::Lhu && e.a == 0xff80)
    );
    assert!(
        events
            .iter()
            .any(|e| e.opcode == Opcode::Sh && e.memory.value == 0xff80_4567)
    );
    Batch::new(&events).check().unwrap();
}

#[test]
fn without_drivers_only_the_cpu_messages_and_the_accesses_are_left() {
    // One of each opcode (loads at their highest offset), and an LB into x0.
    let base = 0x0002_0000;
    let word = 0x80ff_7f01;
    let mut events: Vec<_> = LOADS
        .iter()
        .enumerate()
        .map(|(k, &op)| {
            let offset = *offsets(op).last().unwrap();
            load(op, k as u32 + 1, operands(base + offset, k), word, 0, false)
        })
        .collect();
    for (k, &op) in STORES.iter().enumerate() {
        let clk = events.len() as u32 + 1;
        events.push(store(
            op,
            clk,
            operands(base + 4 * k as u32, k),
            word,
            1,
            DATA[0],
        ));
    }
    events.push(load(Opcode::Lb, 9, [base, 3], word, 2, true));

    let mut expected: BTreeMap<_, i64> = BTreeMap::new();
    for e in &events {
        let mut message = vec![e.clk, e.opcode as u32, u32::from(e.rd_is_x0)];
        for w in [e.b, e.imm, e.c, e.a] {
            message.extend(w.to_le_bytes().map(u32::from));
        }
        let message = crate::bus::GeodeBus::LoadStore.frame_values(message);
        *expected.entry(("exec", message)).or_default() -= 1;
        let memory = |value: u32, ts: u32| {
            let mut m = vec![e.memory.addr];
            m.extend(value.to_le_bytes().map(u32::from));
            m.push(ts);
            m
        };
        *expected
            .entry(("memory", memory(e.memory.prev_value, e.memory.prev_ts)))
            .or_default() -= 1;
        *expected
            .entry(("memory", memory(e.memory.value, timestamp(e.clk, SLOT_MEM))))
            .or_default() += 1;
    }
    let failures = Batch::new(&events).check_without_drivers().unwrap_err();
    assert!(failures.len() < 64, "the report may be truncated");
    let seen: BTreeMap<_, _> = failures
        .iter()
        .map(|f| match f {
            DebugFailure::Bus {
                bus, message, net, ..
            } => ((bus.as_str(), message.clone()), signed(*net)),
            other => panic!("unexpected failure: {other}"),
        })
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn no_events_gives_a_valid_padding_trace() {
    let batch = Batch::new(&[]);
    assert_eq!(batch.trace.values.len(), 2 * LoadStoreCols::<u8>::NUM_COLS);
    batch.check().unwrap();
}

#[test]
fn proves_and_verifies() {
    // Every opcode, with both sign extensions, a load into x0 and a wrapping address.
    let base = 0x0003_0000;
    let events = vec![
        store(Opcode::Sw, 1, [base, 0], 0, 0, 0x80ff_7f01),
        load(
            Opcode::Lb,
            2,
            [base + 8, (-5i32) as u32],
            0x80ff_7f01,
            6,
            false,
        ),
        load(Opcode::Lh, 3, operands(base + 2, 2), 0x80ff_7f01, 10, false),
        load(Opcode::Lw, 4, [base, 0], 0x80ff_7f01, 14, false),
        load(Opcode::Lbu, 5, [base, 2], 0x80ff_7f01, 18, false),
        load(Opcode::Lhu, 6, [base, 2], 0x80ff_7f01, 22, true),
        store(Opcode::Sb, 7, [base, 1], 0x80ff_7f01, 26, 0x55),
        store(Opcode::Sh, 8, [base, 2], 0x80ff_5501, 30, 0x1234),
    ];
    Batch::new(&events).prove_and_verify();
}

#[test]
fn constraints_have_degree_at_most_three_and_linear_messages() {
    let lookups = Lookups::<Val>::from_air::<Challenge, _>(&LoadStoreChip);
    let shape = shape_of("load_store", &LoadStoreChip, 4, &lookups);
    assert!(shape.max_constraint_degree <= 3, "{shape:?}");
    assert_eq!(shape.width, LoadStoreCols::<u8>::NUM_COLS);
    assert_eq!(shape.num_interactions, 10, "{shape:?}");
    // Degree-1 messages and counts let same-bus interactions pack in pairs within degree 3:
    // LoadStore, Memory ×2, Byte ×7 in 1 + 1 + 4 auxiliary columns.
    let packed = Lookups::<Val>::from_air::<Challenge, _>(&LoadStoreChip)
        .pack_same_bus(&LogUpGadget::new(), 3);
    let packed_shape = shape_of("load_store", &LoadStoreChip, 4, &packed);
    assert!(packed_shape.max_constraint_degree <= 3, "{packed_shape:?}");
    assert_eq!(packed_shape.num_lookups, 6, "{packed_shape:?}");
}

/// Row 0: LB at offset 3 of 0x80ff_7f01 (-128); row 1: LHU at offset 2; row 2: SB of 0x3c at
/// offset 1; row 3: SW; row 4: LW into x0.
fn sample() -> Batch {
    let base = 0x0002_0000;
    let word = 0x80ff_7f01;
    let events = [
        load(Opcode::Lb, 1, [base, 3], word, 0, false),
        load(Opcode::Lhu, 2, [base, 2], word, 6, false),
        store(Opcode::Sb, 3, [base, 1], word, 10, DATA[0]),
        store(Opcode::Sw, 4, [base + 4, 0], word, 0, DATA[0]),
        load(Opcode::Lw, 5, [base + 4, 0], DATA[0], 18, true),
    ];
    let batch = Batch::new(&events);
    batch.check().unwrap();
    batch
}

fn set(batch: &mut Batch, row: usize, col: usize, value: u32) {
    let width = batch.trace.width;
    batch.trace.values[row * width + col] = Val::from_u32(value);
}

fn tampered(row: usize, col: usize, value: u32) -> Vec<DebugFailure> {
    let mut batch = sample();
    set(&mut batch, row, col, value);
    batch.check().unwrap_err()
}

fn constraint_fails(failures: &[DebugFailure], row: usize) -> bool {
    failures.iter().any(
        |f| matches!(f, DebugFailure::Constraint { chip, row: r, .. } if chip == "load_store" && *r == row),
    )
}

fn bus_fails(failures: &[DebugFailure], bus: &str) -> bool {
    failures
        .iter()
        .any(|f| matches!(f, DebugFailure::Bus { bus: b, .. } if b == bus))
}

/// Whether a byte lookup of `message` is unbalanced and not a table entry (no byte table can
/// provide it).
fn impossible_lookup(failures: &[DebugFailure], message: &[u32]) -> bool {
    failures.iter().any(
        |f| matches!(f, DebugFailure::Bus { bus, message: m, .. } if bus == "byte" && m == message && !is_table_entry(m)),
    )
}

#[test]
fn tampered_loaded_value_fails() {
    // Row 0: a[0] = 0x80 (valid) -> 0x81; a[3] = 0xff (the sign fill) -> 0.
    for (k, value) in [(0, 0x81), (3, 0)] {
        let failures = tampered(0, cols().a[k], value);
        assert!(constraint_fails(&failures, 0), "{failures:?}");
        assert!(bus_fails(&failures, "exec"), "{failures:?}");
    }
    // Row 1 (LHU of 0x80ff): a[2] = 0 -> 0xff.
    let failures = tampered(1, cols().a[2], 0xff);
    assert!(constraint_fails(&failures, 1), "{failures:?}");
}

#[test]
fn tampered_sign_fails_the_msb_lookup() {
    // Row 0: sign = 1 (valid, 0x80 is negative) -> 0, a zero-extension.
    let mut batch = sample();
    set(&mut batch, 0, cols().sign, 0);
    for k in 1..4 {
        set(&mut batch, 0, cols().a[k], 0);
    }
    let failures = batch.check().unwrap_err();
    assert!(
        impossible_lookup(&failures, &[6, 0x80, 0, 0]),
        "{failures:?}"
    );
    assert!(bus_fails(&failures, "exec"), "{failures:?}");
}

#[test]
fn a_false_load_has_no_witness() {
    // LB of 0x80 claiming 0x80 (zero-extended), LH of 0x7fff claiming 0xffff_7fff and LBU of
    // 0x80 claiming 0xffff_ff80: no sign and sign byte satisfy both the Msb lookup and the
    // extension.
    let base = 0x0002_0000;
    for (op, word, claim) in [
        (Opcode::Lb, 0x0000_0080u32, 0x80u32),
        (Opcode::Lh, 0x0000_7fff, 0xffff_7fff),
        (Opcode::Lbu, 0x0000_0080, 0xffff_ff80),
    ] {
        let mut event = load(op, 1, [base, 0], word, 0, false);
        event.a = claim;
        // The cells the prover picks beyond the linear ones: the sign and the sign byte.
        let mut batch = Batch::forged(&[event]);
        for sign in [0, 1] {
            for byte_hi in 0..256 {
                set(&mut batch, 0, cols().sign, sign);
                set(&mut batch, 0, cols().byte_hi, byte_hi);
                assert!(batch.completable().is_err(), "{op:?} {sign} {byte_hi}");
            }
        }
    }
}

#[test]
fn tampered_address_sum_fails() {
    // A carry out of nowhere, a carry that is not a bit, and an address byte moved by one.
    for (col, value) in [
        (cols().carry[0], 1),
        (cols().carry[1], 2),
        (cols().addr_hi[0], 1),
    ] {
        let failures = tampered(3, col, value);
        assert!(constraint_fails(&failures, 3), "{failures:?}");
    }
    // A negative offset wraps past 2^32 (0x2_0010 − 8): both carries are set, and dropping
    // either breaks its half's sum.
    let event = load(Opcode::Lw, 1, [0x0002_0010, (-8i32) as u32], 0, 0, false);
    let batch = Batch::new(&[event]);
    batch.check().unwrap();
    let width = batch.trace.width;
    for col in cols().carry {
        assert_eq!(batch.trace.values[col], Val::ONE);
        let mut tampered = Batch::new(&[event]);
        tampered.trace.values[col] = Val::ZERO;
        let failures = tampered.check().unwrap_err();
        assert!(constraint_fails(&failures, 0), "{failures:?}");
    }
    assert_eq!(width, LoadStoreCols::<u8>::NUM_COLS);
}

#[test]
fn tampered_offset_flags_fail() {
    // Row 0 (LB at offset 3): offset_is[3] = 1 -> 0 and offset_is[2] = 0 -> 1, reading byte 2.
    let mut batch = sample();
    set(&mut batch, 0, cols().offset_is[3], 0);
    set(&mut batch, 0, cols().offset_is[2], 1);
    let failures = batch.check().unwrap_err();
    assert!(constraint_fails(&failures, 0), "{failures:?}");
    assert!(bus_fails(&failures, "byte"), "{failures:?}");
    // Two offsets at once, and none.
    let failures = tampered(1, cols().offset_is[0], 1);
    assert!(constraint_fails(&failures, 1), "{failures:?}");
    let failures = tampered(1, cols().offset_is[2], 0);
    assert!(constraint_fails(&failures, 1), "{failures:?}");
    // The quarter off by 64: byte 0 of the address is no longer a byte (the sum differs).
    let failures = tampered(2, cols().quarter, 64);
    assert!(constraint_fails(&failures, 2), "{failures:?}");
    assert!(bus_fails(&failures, "byte"), "{failures:?}");
}

#[test]
fn tampered_opcode_flags_fail() {
    // Row 0: LB claimed as LBU (is_lb 1 -> 0, is_lbu 0 -> 1).
    let mut batch = sample();
    set(&mut batch, 0, cols().is_lb, 0);
    set(&mut batch, 0, cols().is_lbu, 1);
    let failures = batch.check().unwrap_err();
    assert!(bus_fails(&failures, "exec"), "{failures:?}");
    // Two opcodes at once.
    let failures = tampered(3, cols().is_lw, 1);
    assert!(constraint_fails(&failures, 3), "{failures:?}");
    // rd_is_x0 set on a load whose value the CPU writes.
    let failures = tampered(1, cols().rd_is_x0, 1);
    assert!(bus_fails(&failures, "exec"), "{failures:?}");
}

#[test]
fn tampered_store_merge_fails() {
    // Row 2 (SB of 0x3c at offset 1 of 0x80ff_7f01): value[1] = 0x3c -> 0x7f (the old byte),
    // value[0] = 0x01 -> 0x3c (the byte at the wrong offset).
    for (k, value) in [(1, 0x7f), (0, 0x3c)] {
        let failures = tampered(2, cols().value[k], value);
        assert!(constraint_fails(&failures, 2), "{failures:?}");
        assert!(bus_fails(&failures, "memory"), "{failures:?}");
    }
    // Row 4 (a load): the word left changed.
    let failures = tampered(4, cols().value[3], 0);
    assert!(constraint_fails(&failures, 4), "{failures:?}");
}

/// The only failures of `batch` (judged with any byte table) are constraint failures of row 0.
fn only_constraints_fail(batch: &Batch) -> bool {
    batch
        .completable()
        .unwrap_err()
        .iter()
        .all(|f| matches!(f, DebugFailure::Constraint { chip, row: 0, .. } if chip == "load_store"))
}

#[test]
fn misaligned_accesses_are_caught_only_by_the_alignment_check() {
    // LW at offset 1, LH at offset 3, LHU at offset 1, SW at offset 2, SH at offset 1: their
    // natural witnesses satisfy everything but alignment (the loaded value is what the other
    // constraints imply).
    let base = 0x0002_0000;
    let word = 0x8899_aabb;
    for (op, offset, a) in [
        (Opcode::Lw, 1, 0x8899_00aa),
        (Opcode::Lh, 3, 0x88),
        (Opcode::Lhu, 1, 0xaa),
    ] {
        let mut event = load(op, 1, [base, offset], word, 0, false);
        event.a = a;
        let batch = Batch::forged(&[event]);
        assert!(only_constraints_fail(&batch), "{op:?} at {offset}");
    }
    for (op, offset) in [(Opcode::Sw, 2), (Opcode::Sh, 1)] {
        // The word the merge constraints imply: SW writes c[k] at byte k whatever the offset;
        // an odd SH writes nothing.
        let mut event = store(op, 1, [base, offset], word, 0, 0x1234_5678);
        event.memory.value = if op == Opcode::Sw { 0x1234_5678 } else { word };
        let batch = Batch::forged(&[event]);
        assert!(only_constraints_fail(&batch), "{op:?} at {offset}");
    }
}

#[test]
fn a_register_address_is_caught_by_the_ram_range_check() {
    // LW from address 4 (register x1 lives there): the access itself balances against the
    // register's state, so only the lookup U16(hi − 1) = U16(p − 1) stops it.
    let minus_one = <Val as p3_field::PrimeField32>::ORDER_U32 - 1;
    for [b, imm] in [
        [0, 4],
        [4, 0],
        [GUARD_END, (-(GUARD_END as i32) + 4) as u32],
    ] {
        let event = load(Opcode::Lw, 1, [b, imm], 0x1234, 2, false);
        assert_eq!(event.memory.addr, 4);
        let failures = Batch::forged(&[event]).completable().unwrap_err();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(
            impossible_lookup(&failures, &[5, minus_one, 0, 0]),
            "{failures:?}"
        );
    }
    // A store to the last word of the guard, and a load from 2^29 (addr[3] = 32).
    let event = store(Opcode::Sb, 1, [GUARD_END - 1, 0], 0, 0, 7);
    let failures = Batch::forged(&[event]).completable().unwrap_err();
    assert!(
        impossible_lookup(&failures, &[5, minus_one, 0, 0]),
        "{failures:?}"
    );
    let event = load(Opcode::Lbu, 1, [MEMORY_TOP, 0], 0, 0, false);
    let failures = Batch::forged(&[event]).completable().unwrap_err();
    assert!(
        impossible_lookup(&failures, &[0, 0, 256, 0]),
        "{failures:?}"
    );
}

#[test]
fn a_false_store_merge_has_no_witness() {
    // SB that writes all of c (as SW would): only the merge constraints fail.
    let event = store(Opcode::Sb, 1, [0x0002_0000, 0], 0x1111_1111, 0, 0xaabb_ccdd);
    let mut forged = event;
    forged.memory.value = 0xaabb_ccdd;
    assert!(only_constraints_fail(&Batch::forged(&[forged])));
}

#[test]
fn false_values_are_written_as_claimed_and_rejected() {
    let base = 0x0002_0000;
    let mut wrong_value = load(Opcode::Lb, 1, [base, 0], 0x80, 0, false);
    wrong_value.a = 0x80;
    let mut wrong_merge = store(Opcode::Sh, 1, [base, 0], 0, 0, 0x1234_5678);
    wrong_merge.memory.value = 0x1234_5678;
    for event in [wrong_value, wrong_merge] {
        assert!(Batch::new(&[event]).check().is_err(), "{event:?}");
    }
}

#[test]
fn trace_generation_rejects_events_without_a_row_shape() {
    let base = 0x0002_0000;
    let mut wrong_word = load(Opcode::Lw, 1, [base, 0], 0, 0, false);
    wrong_word.memory.addr = base + 4;
    let mut not_load_store = load(Opcode::Lw, 1, [base, 0], 0, 0, false);
    not_load_store.opcode = Opcode::Add;
    for (event, why) in [
        (load(Opcode::Lw, 1, [base, 2], 0, 0, false), "misaligned"),
        (load(Opcode::Lhu, 1, [base, 1], 0, 0, false), "misaligned"),
        (load(Opcode::Lw, 1, [4, 0], 0, 0, false), "outside RAM"),
        (
            store(Opcode::Sw, 1, [MEMORY_TOP, 0], 0, 0, 0),
            "outside RAM",
        ),
        (wrong_word, "not at the word"),
        (not_load_store, "does not prove Add"),
    ] {
        let result = std::panic::catch_unwind(|| {
            LoadStoreChip.generate_trace(&[event], &ByteCounter::new())
        });
        let message = *result.unwrap_err().downcast::<String>().unwrap();
        assert!(message.contains(why), "{message}");
    }
}

/// A program with every load and store, loads into x0, negative immediates, and a COMMIT
/// between them whose memory reads come in the same record.
fn program() -> Program {
    // Away from t0, a0 and a1, which COMMIT and HALT use.
    let (base, t) = (20u32, 21u32);
    let mut asm = Asm::new();
    asm.li(base, 0x0002_0000).li(t, 0x80ff_7f01);
    asm.push([
        enc::store(Opcode::Sw, t, base, 0),
        enc::store(Opcode::Sb, t, base, 5),
        enc::store(Opcode::Sh, t, base, 10),
        enc::load(Opcode::Lb, 22, base, 3),
        enc::load(Opcode::Lbu, 23, base, 3),
        enc::load(Opcode::Lh, 24, base, 2),
        enc::load(Opcode::Lhu, 25, base, 2),
        enc::load(Opcode::Lw, 26, base, 0),
        enc::load(Opcode::Lb, 0, base, 1),
        enc::load(Opcode::Lw, 27, base, 8),
    ]);
    asm.commit_reg(26, 0x0002_0100);
    asm.li(29, 0x0002_0010);
    asm.push([
        enc::load(Opcode::Lb, 28, base, 5),
        enc::load(Opcode::Lw, 30, 29, -16),
    ]);
    asm.li(reg::A0 as u32, 0).li(reg::A1 as u32, 0x0002_0000);
    asm.syscall(syscall::HALT);
    Program::from_elf(&asm.elf()).expect("program loads")
}

#[test]
fn events_from_a_run_pair_each_load_and_store_with_its_access() {
    let program = program();
    let (_, record) =
        execute_recorded(&program, &Stdin::new(), &ExecOptions::default()).expect("runs");
    let events = events_from_record(&program, &record).expect("the record has a row shape");
    let ops: Vec<_> = events.iter().map(|e| e.opcode).collect();
    let (lb, lbu, lh, lhu, lw) = (Opcode::Lb, Opcode::Lbu, Opcode::Lh, Opcode::Lhu, Opcode::Lw);
    let (sb, sh, sw) = (Opcode::Sb, Opcode::Sh, Opcode::Sw);
    assert_eq!(ops, [sw, sb, sh, lb, lbu, lh, lhu, lw, lb, lw, sw, lb, lw]);
    // The COMMIT's and HALT's reads are not load-store accesses.
    assert!(record.memory.len() > events.len());
    let results: Vec<_> = events
        .iter()
        .filter(|e| e.opcode.is_load())
        .map(|e| e.a)
        .collect();
    assert_eq!(
        results,
        [
            0xffff_ff80,
            0x80,
            0xffff_80ff,
            0x80ff,
            0x80ff_7f01,
            0,
            0x7f01_0000,
            1,
            0x80ff_7f01
        ]
    );
    assert!(events[8].rd_is_x0);
    assert_eq!(events[12].memory.addr, 0x0002_0000);
    // Every event is valid (generate_trace checks it) and the batch balances.
    Batch::new(&events).check().unwrap();
}
