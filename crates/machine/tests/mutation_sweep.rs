//! The mutation sweep: for every chip of a run that uses them all, thousands of random
//! single-cell changes to the honest traces, each of which must be rejected by a constraint or
//! a bus. The [`MutationOracle`] decides each change exactly (it is checked against the full
//! debug checker on a sample). A survivor is a missing constraint, unless it is one of the
//! don't-care cells documented in `docs/chips.md` and listed in [`dont_care`].

mod common;

use common::{honest_traces, instances};
use geode_executor::testing::SplitMix64;
use geode_stark::debug::{DebugInstance, MutationOracle, check};
use geode_stark::{Chip, Val};
use p3_field::{PrimeCharacteristicRing, PrimeField32};

/// Mutations per chip.
const PER_CHIP: usize = 10_000;

/// A changed value for a cell holding `old`: small and large, near and far.
fn mutate(rng: &mut SplitMix64, old: Val) -> Val {
    let changed = match rng.below(6) {
        0 => old + Val::ONE,
        1 => old - Val::ONE,
        2 => Val::from_u32(rng.below(256) as u32),
        3 => Val::from_u32(old.as_canonical_u32() ^ (1 << rng.below(31))),
        4 => Val::from_u32(rng.below(Val::ORDER_U32 as usize) as u32),
        _ => old + Val::from_u32(1 << 16),
    };
    if changed == old {
        old + Val::TWO
    } else {
        changed
    }
}

/// The columns whose sum is 1 on a chip's real rows and 0 on its padding rows.
fn selectors(chip: &str) -> &'static [&'static str] {
    match chip {
        "add_sub" => &["is_add", "is_sub"],
        "bitwise" => &["is_xor", "is_or", "is_and"],
        "lt" => &["is_slt", "is_sltu"],
        "shift" => &["is_sll", "is_srl", "is_sra"],
        "mul" => &["is_mul", "is_mulh", "is_mulhsu", "is_mulhu"],
        "divrem" => &["is_div", "is_divu", "is_rem", "is_remu"],
        "load_store" => &[
            "is_lb", "is_lh", "is_lw", "is_lbu", "is_lhu", "is_sb", "is_sh", "is_sw",
        ],
        "syscall_misc" => &["is_write", "is_commit", "is_hint_len"],
        "cpu" => &[
            "insn.is_alu",
            "insn.is_load_store",
            "insn.is_branch",
            "insn.is_jal",
            "insn.is_jalr",
            "insn.is_lui",
            "insn.is_auipc",
            "insn.is_ecall",
        ],
        "memory_init" | "memory_final" | "halt" | "hint_read" | "keccak_control"
        | "uint256_mulmod" | "word_io" => &["is_real"],
        "secp256k1_point" => &["is_add", "is_double"],
        _ => &[],
    }
}

/// A cell whose value nothing reads on its row, so any value leaves the same run proven; each
/// rule is argued in `docs/chips.md` ("Don't-care cells"). `row` is the row index and `cell`
/// reads the honest row's cells by name.
fn dont_care(chip: &str, column: &str, row: usize, cell: &dyn Fn(&str) -> u32) -> bool {
    let selectors = selectors(chip);
    // A padding row: every constraint is gated by the selectors and every bus count carries
    // them, so its other cells are free (the selectors themselves are not).
    if !selectors.is_empty()
        && !selectors.contains(&column)
        && selectors.iter().all(|s| cell(s) == 0)
    {
        return true;
    }
    let group = column.split(['.', '[']).next().unwrap_or(column);
    match (chip, group) {
        // Unused register ports, and the result of an instruction that writes no register.
        // Unused register ports (except the value cells AUIPC and JALR use), and the result of
        // an instruction that writes no register (except a branch's comparison).
        ("cpu", "rs1_access") => {
            cell("insn.reads_rs1") == 0
                && !(cell("insn.is_auipc") == 1 && column.contains("prev_value"))
        }
        ("cpu", "rs2_access") => {
            cell("insn.reads_rs2") == 0
                && !(cell("insn.is_jalr") == 1 && column.contains("prev_value"))
        }
        ("cpu", "rd_access") => cell("insn.writes_rd") == 0,
        ("cpu", "a") => cell("insn.writes_rd") == 0 && cell("insn.is_branch") == 0,
        // The class-specific cells: ADD/ADDI and JALR use two, the branches all five, except
        // that an ordered branch has no halves to compare.
        ("cpu", "scratch") => {
            let k: usize = column["scratch[".len()..column.len() - 1].parse().unwrap();
            if cell("insn.is_add") == 1 || cell("insn.is_jalr") == 1 {
                k >= 2
            } else if cell("insn.branch_eq") == 1 {
                // An inverse witness matters only where it proves a difference nonzero.
                let half = |name: &str, k: usize| {
                    cell(&format!("{name}_access.prev_value[{k}]"))
                        + 256 * cell(&format!("{name}_access.prev_value[{}]", k + 1))
                };
                k < 2 && half("rs1", 2 * k) == half("rs2", 2 * k)
            } else if cell("insn.is_branch") == 1 {
                k < 4
            } else {
                true
            }
        }
        // The byte table provides MSB entries only on its y = 0 rows.
        ("byte", "msb") => row >> 8 != 0,
        // The syscall's entry (registers, destination checks) is read on a read's first row.
        ("hint_read" | "keccak_control", "a0" | "a0_quarter" | "a1_access" | "a2_access") => {
            cell("is_first") == 0
        }
        // A doubling has no second pointer.
        ("secp256k1_point", "entry") if column == "entry.a1_quarter" => cell("is_add") == 0,
        // The gap to the next address exists only when there is a next address.
        ("memory_final", "gap_lo" | "gap_hi") => cell("has_next") == 0,
        // Dividing by zero: the quotient's integer form is multiplied by c = 0.
        ("divrem", "q_hi") => cell("c_is_zero") == 1,
        // Only LB and LH have a sign.
        ("load_store", "sign") => cell("is_lb") + cell("is_lh") == 0,
        _ => false,
    }
}

#[test]
fn every_single_cell_mutation_is_rejected() {
    let (_machine, traces) = honest_traces();
    let insts = instances(&traces);
    check(&insts).expect("the honest traces pass");
    let oracle = MutationOracle::new(&insts);
    let mut rng = SplitMix64(0x6765_6f64_655f_7377);
    let mut survivors = Vec::new();
    let mut dont_cares = 0;
    for (i, (chip, trace)) in traces.chips.iter().zip(&traces.traces).enumerate() {
        let names = Chip::<Val>::column_names(chip);
        let (width, height) = (trace.width, trace.values.len() / trace.width);
        let (mut tested, mut attempts) = (0, 0);
        while tested < PER_CHIP {
            attempts += 1;
            assert!(
                attempts < 50 * PER_CHIP,
                "{}: too few constrained cells",
                chip.name()
            );
            let (row, col) = (rng.below(height), rng.below(width));
            let cells = &trace.values[row * width..(row + 1) * width];
            let by_name = |n: &str| {
                let k = names
                    .iter()
                    .position(|m| m == n)
                    .unwrap_or_else(|| panic!("no column {n}"));
                cells[k].as_canonical_u32()
            };
            if dont_care(chip.name(), &names[col], row, &by_name) {
                dont_cares += 1;
                continue;
            }
            tested += 1;
            let old = cells[col];
            let value = mutate(&mut rng, old);
            if !oracle.rejects(i, row, col, value) {
                survivors.push(format!(
                    "{} row {row} {} = {old} -> {value}",
                    chip.name(),
                    names[col],
                ));
            }
        }
    }
    eprintln!(
        "{} chips x {PER_CHIP} mutations of constrained cells: {} survive ({dont_cares} \
         don't-care cells skipped)",
        traces.chips.len(),
        survivors.len()
    );
    assert!(
        survivors.is_empty(),
        "{} mutations survive:\n{}",
        survivors.len(),
        survivors.join("\n")
    );
}

#[test]
fn the_run_uses_every_chip() {
    let (_machine, traces) = honest_traces();
    let names: Vec<_> = traces.chips.iter().map(|c| c.name()).collect();
    for chip in [
        "program",
        "cpu",
        "add_sub",
        "bitwise",
        "lt",
        "shift",
        "mul",
        "divrem",
        "load_store",
        "memory_init",
        "image",
        "memory_final",
        "halt",
        "syscall_misc",
        "hint_read",
        "keccak_control",
        "keccak_permute",
        "byte",
    ] {
        assert!(names.contains(&chip), "{chip} missing from {names:?}");
    }
}

#[test]
fn the_oracle_agrees_with_the_full_checker() {
    let (_machine, traces) = honest_traces();
    let insts = instances(&traces);
    let oracle = MutationOracle::new(&insts);
    let mut rng = SplitMix64(7);
    for _ in 0..24 {
        let i = rng.below(traces.chips.len());
        let trace = &traces.traces[i];
        let (width, height) = (trace.width, trace.values.len() / trace.width);
        let (row, col) = (rng.below(height.min(64)), rng.below(width));
        let value = mutate(&mut rng, trace.values[row * width + col]);
        let mut mutated = traces.traces.clone();
        mutated[i].values[row * width + col] = value;
        let full: Vec<_> = traces
            .chips
            .iter()
            .zip(&mutated)
            .zip(&traces.public_values)
            .map(|((air, trace), public_values)| DebugInstance {
                air,
                trace,
                public_values,
            })
            .collect();
        assert_eq!(
            oracle.rejects(i, row, col, value),
            check(&full).is_err(),
            "{} row {row} column {col}",
            traces.chips[i].name()
        );
    }
}

#[test]
fn every_column_of_every_chip_is_read() {
    // Every column appears in a constraint or a bus message of its chip: none is free for the
    // prover on every row (the don't-care cells above are free only on some rows).
    let (_machine, traces) = honest_traces();
    for chip in &traces.chips {
        let unread = geode_stark::debug::unread_columns(chip);
        let names = Chip::<Val>::column_names(chip);
        let unread: Vec<_> = unread.iter().map(|&c| names[c].clone()).collect();
        assert!(
            unread.is_empty(),
            "{}: nothing reads {unread:?}",
            chip.name()
        );
    }
}
