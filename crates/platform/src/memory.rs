//! The guest memory map.
//!
//! ```text
//! 0x0000_0000 ..GUARD_END        null guard: every access faults
//! GUARD_END   ..                 program image (where the ELF's segments put it; the linker
//!                                script shipped with geode-guest starts text at TEXT_START)
//! _end        ..HEAP_END         heap, growing up (bump allocator in geode-guest)
//! HEAP_END    ..STACK_TOP        stack, growing down from STACK_TOP
//! MEMORY_TOP                     first invalid address: every valid address is < 2^29
//! ```
//!
//! Keeping every address below 2^29 leaves addresses (and timestamps) far below the 31-bit
//! KoalaBear modulus, so the prover can range-check and compare them as field elements.

/// First address past the null guard; every access below it faults.
pub const GUARD_END: u32 = 0x0001_0000;
/// Where the linker script shipped with geode-guest places `.text`.
pub const TEXT_START: u32 = GUARD_END;
/// One past the highest valid address (2^29).
pub const MEMORY_TOP: u32 = 1 << 29;
/// Initial stack pointer; the stack grows down from here.
pub const STACK_TOP: u32 = MEMORY_TOP;
/// Bytes reserved for the stack below `STACK_TOP`.
pub const STACK_SIZE: u32 = 8 << 20;
/// One past the highest address the heap allocator hands out.
pub const HEAP_END: u32 = STACK_TOP - STACK_SIZE;
/// Word size in bytes.
pub const WORD_BYTES: u32 = 4;

// The map is ordered and below 2^29; checked when this crate compiles, for guest and host alike.
const _: () = {
    assert!(GUARD_END <= TEXT_START);
    assert!(TEXT_START < HEAP_END);
    assert!(HEAP_END < STACK_TOP);
    assert!(STACK_TOP <= MEMORY_TOP);
    assert!(MEMORY_TOP == 1 << 29);
    assert!(GUARD_END.is_multiple_of(WORD_BYTES) && STACK_TOP.is_multiple_of(16));
};

/// Whether `addr` lies in the valid part of the map (outside the guard, below the top).
pub const fn is_valid_addr(addr: u32) -> bool {
    addr >= GUARD_END && addr < MEMORY_TOP
}

/// Whether the `len`-byte range starting at `addr` lies wholly in the valid part of the map.
/// An empty range is valid anywhere.
pub const fn is_valid_range(addr: u32, len: u32) -> bool {
    if len == 0 {
        return true;
    }
    match addr.checked_add(len - 1) {
        Some(last) => is_valid_addr(addr) && last < MEMORY_TOP,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(!is_valid_addr(0));
        assert!(!is_valid_addr(GUARD_END - 1));
        assert!(is_valid_addr(GUARD_END));
        assert!(!is_valid_addr(MEMORY_TOP));
        assert!(is_valid_range(MEMORY_TOP - 4, 4));
        assert!(!is_valid_range(MEMORY_TOP - 4, 5));
        assert!(!is_valid_range(u32::MAX, 2));
        assert!(is_valid_range(0, 0));
    }
}
