//! `cargo xtask bench wrap`: how the wrap circuit grows with the STARK's shape. For each
//! program: its chips and heights (from the traces, without proving), the circuit's size by
//! stage and its `k`. `cargo xtask prove <program> --wrap --json` times the whole pipeline
//! (STARK under the wrap configuration, keys, SNARK, verification) for one program.

use std::process::ExitCode;
use std::time::Instant;

use geode_machine::RiscvMachine;
use geode_stark::config::wrap;
use geode_wrap::Wrapper;
use p3_matrix::Matrix;
use serde::Serialize;

use crate::run::load_program;

#[derive(Serialize)]
struct StageRow {
    stage: &'static str,
    gate_rows: usize,
    lookup_cells: usize,
    poseidon_perms: usize,
}

#[derive(Serialize)]
struct ShapeReport {
    program: String,
    cycles: u64,
    chips: usize,
    tallest_log_height: usize,
    total_main_width: usize,
    k: u32,
    /// Gate lanes of the circuit (7, or 9 where 7 would need a larger `k`).
    lanes: usize,
    rows: usize,
    gate_rows: usize,
    lookup_cells: usize,
    poseidon_perms: usize,
    build_s: f64,
    stages: Vec<StageRow>,
}

/// The circuit of each program's shape.
pub(crate) fn wrap_shapes(programs: &[String], json: bool) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    for name in programs {
        let (_, program) = load_program(name)?;
        let machine = RiscvMachine::new(program);
        let (out, record) = machine.execute(&geode_sdk::Stdin::new())?;
        let traces = machine.generate_traces(&out, &record)?;
        let heights: Vec<usize> = traces
            .traces
            .iter()
            .map(|t| t.height().ilog2() as usize)
            .collect();
        let start = Instant::now();
        let wrapper = Wrapper::new(&wrap::PARAMS, &traces.chips, &heights)?;
        let (stats, stages) = wrapper.stats();
        let build_s = start.elapsed().as_secs_f64();
        let report = ShapeReport {
            program: name.clone(),
            cycles: out.cycles,
            chips: traces.chips.len(),
            tallest_log_height: heights.iter().copied().max().unwrap_or(0),
            total_main_width: traces.traces.iter().map(|t| t.width()).sum(),
            k: stats.min_k,
            lanes: stats.lanes,
            rows: stats.rows,
            gate_rows: stats.gate_rows,
            lookup_cells: stats.lookup_cells,
            poseidon_perms: stats.poseidon_perms,
            build_s,
            stages: stages
                .into_iter()
                .map(|(stage, c)| StageRow {
                    stage,
                    gate_rows: c.gate_rows,
                    lookup_cells: c.lookup_cells,
                    poseidon_perms: c.poseidon_perms,
                })
                .collect(),
        };
        if !json {
            println!(
                "{:<14} {:>9} cycles  {:>2} chips  tallest 2^{:<2}  width {:>5}  ->  k = {:>2}  ({} lanes, {} rows; {} gate rows, {} lookup cells, {} permutations; built in {:.1} s)",
                report.program,
                report.cycles,
                report.chips,
                report.tallest_log_height,
                report.total_main_width,
                report.k,
                report.lanes,
                report.rows,
                report.gate_rows,
                report.lookup_cells,
                report.poseidon_perms,
                report.build_s
            );
            for s in &report.stages {
                println!(
                    "    {:<22} {:>10} gate rows {:>10} lookup cells {:>7} permutations",
                    s.stage, s.gate_rows, s.lookup_cells, s.poseidon_perms
                );
            }
        }
        reports.push(report);
    }
    if json {
        println!("{}", serde_json::to_string(&reports)?);
    }
    Ok(ExitCode::SUCCESS)
}
