//! `cargo xtask new`: a scaffolded guest builds, runs with typed input and proves as it is.

use geode_executor::{PublicValuesReader, Stdin};
use geode_machine::RiscvMachine;

#[test]
fn a_scaffolded_guest_builds_and_proves() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("scaffold-{}", std::process::id()))
        .join("squares");
    let crate_dir = geode_build::new_guest("squares", Some(&dir)).expect("scaffolds");
    let elf = geode_build::build_guest_crate(&crate_dir).expect("builds");
    let bytes = std::fs::read(&elf.path).unwrap();
    let machine = RiscvMachine::new(geode_executor::Program::from_elf(&bytes).unwrap());
    let mut stdin = Stdin::new();
    stdin.write(&20u32).unwrap();
    let (out, proof) = machine.prove(&stdin).expect("proves");
    machine
        .verify(&proof, out.exit_code, &out.public_output)
        .expect("verifies");
    let mut values = PublicValuesReader::new(&out.public_output);
    assert_eq!(values.read::<u32>().unwrap(), 20);
    assert_eq!(
        values.read::<u64>().unwrap(),
        (1..=20u64).map(|k| k * k).sum()
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "sum of the first 20 squares = 2870\n"
    );
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}
