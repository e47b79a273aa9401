//! Columns of the register-only syscalls.

use geode_stark::columns;

use crate::memory::access::MemoryAccessCols;

columns! {
    /// One WRITE, COMMIT or HINT_LEN.
    pub struct MiscSyscallCols<T> {
        pub clk: T,
        pub is_write: T,
        pub is_commit: T,
        pub is_hint_len: T,
        /// `a0` on entry.
        pub a0: [T; 4],
        /// `a0` after (HINT_LEN's advice; `a0` otherwise).
        pub result: [T; 4],
        pub a1_access: MemoryAccessCols<T>,
        pub a2_access: MemoryAccessCols<T>,
    }
}
