//! The `isa-check` guest runs every RV32IM instruction on edge-case operands inside the VM; its
//! committed results must equal the RISC-V spec computed with host arithmetic.

#[path = "../../guest-programs/isa-check/src/cases.rs"]
mod cases;
#[path = "../../guest-programs/isa-check/src/expected.rs"]
mod expected;

use geode_executor::{ExecOptions, Stdin, execute, execute_recorded};
use geode_tests::program;

#[test]
fn every_instruction_matches_the_spec() {
    let program = program("isa-check");
    let out = execute(&program, &Stdin::new(), &ExecOptions::default()).unwrap();
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.digest_matches());
    let got: Vec<u32> = out.public_values().read().unwrap();
    let want = expected::expected_cases();
    assert_eq!(got.len(), want.len());
    assert_eq!(want.len(), cases::RESULT_COUNT);
    let mismatches: Vec<String> = want
        .iter()
        .zip(&got)
        .filter(|((_, w), g)| w != *g)
        .map(|((case, w), g)| format!("{case}: got {g:#010x}, want {w:#010x}"))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );

    let (recorded, _) = execute_recorded(&program, &Stdin::new(), &ExecOptions::default()).unwrap();
    assert_eq!(recorded, out);
}
