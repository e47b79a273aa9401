//! The generated hostile-ELF corpus (`geode_executor::testing::hostile`): every malformed file
//! is rejected with a typed `ElfError` and no panic, every odd but well-formed one loads and
//! runs to a result or a typed fault, and no load allocates more than its file justifies.
//!
//! Allocation is measured by a counting allocator: the peak bytes live on the loading thread
//! while `Program::from_elf` runs. The budget is a small constant plus a multiple of the file
//! size, plus the program table (8 bytes per text word, at most `MAX_TEXT_WORDS`) for files that
//! load: nothing in a header may make the loader reserve memory the file does not contain.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use geode_executor::testing::hostile::{Expect, HostileElf, corpus};
use geode_executor::{ElfError, ExecOptions, Instruction, Program, Stdin, execute};

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    // `try_with`: the allocator also runs while thread-locals are being torn down.
    let _ = LIVE.try_with(|live| {
        let now = live.get().saturating_add_signed(delta);
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded to `System` with the caller's arguments; the counters are
// thread-local cells that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size() as isize);
        // SAFETY: the caller upholds `alloc`'s contract, which `System` shares.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize));
        // SAFETY: `ptr` came from `System` with this layout (every allocation goes through it).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        track(new_size as isize - layout.size() as isize);
        // SAFETY: as for `dealloc`, and the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Loads `bytes`, returning the result and the peak bytes allocated on this thread meanwhile.
fn load_measured(bytes: &[u8]) -> (std::thread::Result<Result<Program, ElfError>>, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let outcome = catch_unwind(AssertUnwindSafe(|| Program::from_elf(bytes)));
    (outcome, PEAK.with(Cell::get) - base)
}

/// Bytes a load may allocate: a constant, plus room for the image map (one entry per non-zero
/// word) and messages, plus the program table if the file loads.
fn budget(file_len: usize, text_words: usize) -> usize {
    (64 << 10) + 64 * file_len + text_words * size_of::<Instruction>()
}

/// The variant name of an error, for the distribution.
fn kind(e: &ElfError) -> String {
    let debug = format!("{e:?}");
    let end = debug.find([' ', '(', '{']).unwrap_or(debug.len());
    debug[..end].to_owned()
}

#[test]
fn every_hostile_elf_gets_a_typed_error_without_panic_or_allocation_blowup() {
    let corpus = corpus();
    let rejects = corpus.iter().filter(|c| c.expect == Expect::Reject).count();
    assert!(rejects >= 200, "only {rejects} malformed files generated");

    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut max_peak = (0, String::new());
    for HostileElf {
        label,
        bytes,
        expect,
    } in &corpus
    {
        let (outcome, peak) = load_measured(bytes);
        let Ok(result) = outcome else {
            failures.push(format!("{label}: the loader panicked"));
            continue;
        };
        let words = result.as_ref().map_or(0, |p| p.instructions().len());
        if peak > budget(bytes.len(), words) {
            failures.push(format!(
                "{label}: {peak} bytes allocated for a {}-byte file",
                bytes.len()
            ));
        }
        if words == 0 && peak > max_peak.0 {
            max_peak = (peak, label.clone());
        }
        match (result, expect) {
            (Err(e), Expect::Reject) => *kinds.entry(kind(&e)).or_default() += 1,
            (Ok(program), Expect::Load) => {
                let run = catch_unwind(|| {
                    execute(&program, &Stdin::new(), &ExecOptions::with_max_cycles(1000))
                });
                if run.is_err() {
                    failures.push(format!("{label}: loaded, then the executor panicked"));
                }
                *kinds.entry("(loaded)".into()).or_default() += 1;
            }
            (Ok(_), Expect::Reject) => failures.push(format!("{label}: loaded")),
            (Err(e), Expect::Load) => failures.push(format!("{label}: rejected: {e}")),
        }
    }
    println!(
        "{} files ({rejects} malformed); outcomes: {kinds:?}",
        corpus.len()
    );
    println!(
        "largest allocation by a rejected file: {} bytes ({})",
        max_peak.0, max_peak.1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The corpus reaches every rejection the loader has.
    let all = [
        "Malformed",
        "Not32Bit",
        "NotLittleEndian",
        "NotRiscv",
        "NotExecutable",
        "UnsupportedFlags",
        "TruncatedSegment",
        "SegmentOutsideMap",
        "OverlappingSegments",
        "MisalignedText",
        "TextTooLarge",
        "EmptyText",
        "BadEntry",
    ];
    for variant in all {
        assert!(
            kinds.contains_key(variant),
            "no file is rejected as {variant}"
        );
    }
}

#[test]
fn labels_are_unique() {
    let corpus = corpus();
    let mut labels: Vec<_> = corpus.iter().map(|c| c.label.as_str()).collect();
    labels.sort_unstable();
    let before = labels.len();
    labels.dedup();
    assert_eq!(before, labels.len(), "duplicate corpus labels");
}
