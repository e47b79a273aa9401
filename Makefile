# Thin wrappers; the README's two commands are the source of truth.
FUZZ_TARGETS := elf_loader executor proof_decode_verify
# Seconds per fuzz target; FUZZ_FLAGS go to `cargo fuzz run` (e.g. `-s none` for no sanitizer).
FUZZ_SECONDS ?= 300
FUZZ_FLAGS ?=
.PHONY: setup run test bench lint fmt fuzz fuzz-seeds $(addprefix fuzz-,$(FUZZ_TARGETS))

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

# Fuzzing (cargo-fuzz on nightly: `cargo install cargo-fuzz`); seeds come from `cargo xtask`.
fuzz-seeds:
	cargo xtask fuzz-seeds

$(addprefix fuzz/corpus/,$(FUZZ_TARGETS)):
	cargo xtask fuzz-seeds

$(addprefix fuzz-,$(FUZZ_TARGETS)): fuzz-%: fuzz/corpus/%
	cd fuzz && cargo +nightly fuzz run $(FUZZ_FLAGS) $* -- -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1

fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))
