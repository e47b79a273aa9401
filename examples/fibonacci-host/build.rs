//! Builds the fibonacci guest for riscv32im; `include_elf!("fibonacci")` embeds its ELF.

fn main() {
    geode_build::build_program("../../guest-programs/fibonacci").unwrap_or_else(|e| panic!("{e}"));
}
