//! Interior mutability for the runtime's globals.

use core::cell::UnsafeCell;

/// A global that the runtime mutates. Not a lock: a Geode guest has a single hart, no threads and
/// no interrupts, so nothing can observe a `GuestCell` mid-update; the only hazard is reentrancy,
/// which [`GuestCell::with`] rules out by contract.
pub(crate) struct GuestCell<T>(UnsafeCell<T>);

// SAFETY: the guest runs on one hart without threads or interrupts, so no two accesses to a
// `GuestCell` can ever happen concurrently.
unsafe impl<T> Sync for GuestCell<T> {}

impl<T> GuestCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(UnsafeCell::new(value))
    }

    /// Runs `f` on the value. `f` must not reach this same cell again (directly or through a
    /// panic whose handler touches it); every use in this crate is a short non-reentrant update.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: single-threaded (see the `Sync` impl), and no caller reenters this cell while
        // `f` runs, so this is the only reference to the value.
        f(unsafe { &mut *self.0.get() })
    }
}
