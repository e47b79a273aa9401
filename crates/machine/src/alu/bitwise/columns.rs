//! Columns of the bitwise chip.

geode_stark::columns! {
    /// One XOR, OR or AND: `a = b op c`, as little-endian bytes.
    pub struct BitwiseCols<T> {
        pub a: [T; 4],
        pub b: [T; 4],
        pub c: [T; 4],
        pub is_xor: T,
        pub is_or: T,
        pub is_and: T,
    }
}
