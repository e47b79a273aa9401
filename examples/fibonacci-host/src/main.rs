//! Proves fib(n) with the fibonacci guest, verifies the proof and reads the typed result.
//! `cargo run --release -p fibonacci-host [n]`

use geode_sdk::{GeodeProof, ProverClient, SdkError, Stdin, include_elf};

/// The guest, built by build.rs: reads `n: u32`, commits `n` and fib(n) mod 2^32.
const FIBONACCI_ELF: &[u8] = include_elf!("fibonacci");

fn main() -> Result<(), SdkError> {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(20);
    let client = ProverClient::builder().max_cycles(1 << 20).build();
    let mut stdin = Stdin::new();
    stdin.write(&n)?;

    let (_, report) = client.execute(FIBONACCI_ELF, &stdin)?;
    println!("executed fib({n}) in {} cycles", report.cycles);

    let (pk, vk) = client.setup(FIBONACCI_ELF)?;
    let proof = client.prove(&pk, &stdin).run()?;
    let path = std::env::temp_dir().join("fibonacci.proof");
    proof.save(&path)?;
    println!("proved; proof written to {}", path.display());

    let mut proof = GeodeProof::load(&path)?;
    client.verify(&proof, &vk)?;
    let (n, fib): (u32, u32) = (proof.public_values.read()?, proof.public_values.read()?);
    println!("verified: fib({n}) = {fib} (program {})", vk.digest());
    Ok(())
}
