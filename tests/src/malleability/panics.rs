//! Panics on campaign worker threads are counted (and their message kept) instead of printed:
//! Plonky3's verifier asserts on some malformed proofs, geode-stark turns those panics into
//! errors, and thousands of them would bury the report. Other threads' panics print as usual.

use std::cell::{Cell, RefCell};
use std::panic;
use std::sync::Arc;

thread_local! {
    static WORKER: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
    static LAST: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Marks the current thread as a campaign worker while alive.
pub(super) struct Worker;

impl Worker {
    pub(super) fn enter() -> Self {
        WORKER.set(true);
        Worker
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        WORKER.set(false);
    }
}

/// Panics on this thread so far.
pub(super) fn count() -> usize {
    COUNT.get()
}

/// The message of this thread's last panic.
pub(super) fn last_message() -> String {
    LAST.with_borrow(Clone::clone)
}

/// Runs `f` with a panic hook that counts worker threads' panics and forwards the others to
/// the hook it replaces, which it then restores.
pub(super) fn quiet_on_workers<R>(f: impl FnOnce() -> R) -> R {
    let previous = Arc::new(panic::take_hook());
    let forward = Arc::clone(&previous);
    panic::set_hook(Box::new(move |info| {
        if WORKER.get() {
            COUNT.set(COUNT.get() + 1);
            LAST.set(info.to_string());
        } else {
            forward(info);
        }
    }));
    let result = f();
    drop(panic::take_hook());
    if let Ok(previous) = Arc::try_unwrap(previous) {
        panic::set_hook(previous);
    }
    result
}
