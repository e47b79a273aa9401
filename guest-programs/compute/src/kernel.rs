//! The compute kernel shared by the `compute` guest and the host's native reference in
//! `cargo xtask bench executor`: plain `core` Rust, so both sides run the very same source.
//!
//! A mix of what real guests do: ALU work (xorshift, rotates), multiplies, occasional
//! divisions, data-dependent branches, and word and byte loads and stores over a 16 KiB table.

/// Words in the working table.
pub(crate) const WORDS: usize = 4096;

/// Runs `iterations` rounds over `table` and returns a checksum.
pub(crate) fn run(iterations: u32, table: &mut [u32; WORDS]) -> u32 {
    let mut x: u32 = 0x9e37_79b9;
    let mut acc: u32 = 0;
    for i in 0..iterations {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let idx = x as usize & (WORDS - 1);
        let v = table[idx].wrapping_mul(0x0100_0193) ^ x;
        table[idx] = v;
        acc = acc.wrapping_add(v.rotate_left(i & 31));
        if v & 7 == 0 {
            acc ^= v / (i | 1);
        }
        let neighbour = (idx + 1) & (WORDS - 1);
        let byte = (table[neighbour] >> ((i & 3) * 8)) as u8;
        table[neighbour] ^= u32::from(byte.wrapping_add(1));
    }
    acc
}
