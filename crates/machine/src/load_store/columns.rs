//! Columns of the load-store chip.

use geode_stark::columns;

use crate::memory::access::MemoryAccessCols;

columns! {
    /// One load or store: the LoadStore message, the address, the word access and the bytes that
    /// move between the word and the register.
    pub struct LoadStoreCols<T> {
        /// The cycle (the access is at timestamp `4·clk + 2`).
        pub clk: T,
        /// One flag per opcode; their sum is `is_real`.
        pub is_lb: T,
        pub is_lh: T,
        pub is_lw: T,
        pub is_lbu: T,
        pub is_lhu: T,
        pub is_sb: T,
        pub is_sh: T,
        pub is_sw: T,
        /// A load into `x0`: its value is discarded (the CPU sends `a = 0`) and not compared.
        pub rd_is_x0: T,
        /// `rs1`, the immediate, `rs2` (store data) and `rd` (load result), as on the bus.
        pub b: [T; 4],
        pub imm: [T; 4],
        pub c: [T; 4],
        pub a: [T; 4],
        /// Bytes 1, 2, 3 of the address `b + imm`; byte 0 is `4·quarter + offset`.
        pub addr_hi: [T; 3],
        /// The carries out of the low and high halves of `b + imm`.
        pub carry: [T; 2],
        /// The word's index within its 256-byte block: `addr[0] >> 2`.
        pub quarter: T,
        /// One-hot `addr mod 4`: `offset_is[k] = 1` iff the access starts at byte `k` of the word.
        pub offset_is: [T; 4],
        /// The word's byte at the offset: the loaded value's byte 0.
        pub byte_lo: T,
        /// The loaded value's byte 1 (the word's byte above an even offset) or, for LB, its only
        /// byte: for LB and LH, the byte whose top bit is the sign.
        pub byte_hi: T,
        /// The sign bit of LB and LH: `byte_hi >> 7`.
        pub sign: T,
        /// The word after the access (stores: the merged word; loads: the word found).
        pub value: [T; 4],
        /// The access to the word at `addr − offset`.
        pub access: MemoryAccessCols<T>,
    }
}

impl<T: Copy> LoadStoreCols<T> {
    /// The opcode flags in [`LoadStoreChip::OPCODES`](super::LoadStoreChip::OPCODES) order.
    pub fn flags(&self) -> [T; 8] {
        [
            self.is_lb,
            self.is_lh,
            self.is_lw,
            self.is_lbu,
            self.is_lhu,
            self.is_sb,
            self.is_sh,
            self.is_sw,
        ]
    }
}
