# Thin wrappers; the README's two commands are the source of truth.
.PHONY: setup run test bench lint fmt

setup:
	rustup toolchain list | grep -q '^1.95.0' || rustup toolchain install 1.95.0 --profile minimal --component rustfmt,clippy
	rustup target list --installed --toolchain 1.95.0 | grep -qx riscv32im-unknown-none-elf || rustup target add riscv32im-unknown-none-elf --toolchain 1.95.0

run: setup
	cargo xtask run fibonacci

test: setup
	cargo test --workspace

bench:
	cargo xtask bench executor

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd guest-programs && cargo fmt --all -- --check && cargo clippy --release -- -D warnings

fmt:
	cargo fmt --all
	cd guest-programs && cargo fmt --all
