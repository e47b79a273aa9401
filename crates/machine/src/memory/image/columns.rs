//! Columns of the image chip.

use geode_stark::columns;

columns! {
    /// Preprocessed: one non-zero word of the ELF's initial memory.
    pub struct ImagePrepCols<T> {
        /// Word address.
        pub addr: T,
        /// The word, little-endian bytes.
        pub value: [T; 4],
        /// 1 on the image's rows, 0 on padding: the send's multiplicity, fixed by the vk.
        pub is_real: T,
    }
}

columns! {
    /// Main: nothing to witness. Plonky3 commits at least one main column, so this one is
    /// constrained to zero and enters no message.
    pub struct ImageCols<T> {
        /// Always 0.
        pub filler: T,
    }
}
