//! The panic handler: report on stderr, then halt with `PANIC_EXIT_CODE`.

use core::fmt::Write;
use core::panic::PanicInfo;

use geode_platform::{PANIC_EXIT_CODE, fd};

use crate::cell::GuestCell;
use crate::io::FdWriter;

/// Set on the first panic, so that a panic while reporting one (a `Display` impl that panics)
/// halts at once instead of recursing.
static PANICKING: GuestCell<bool> = GuestCell::new(false);

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    if PANICKING.with(|panicking| core::mem::replace(panicking, true)) {
        crate::exit(PANIC_EXIT_CODE);
    }
    // Formats on the stack: the panic may be about an exhausted heap.
    let mut stderr = FdWriter::new(fd::STDERR);
    // Best effort: the exit code already says that the guest panicked.
    let _ = match info.location() {
        Some(location) => writeln!(stderr, "panicked at {location}: {}", info.message()),
        None => writeln!(stderr, "panicked: {}", info.message()),
    };
    stderr.flush();
    // The output committed before the panic stays bound to the run through the digest.
    crate::exit(PANIC_EXIT_CODE)
}
