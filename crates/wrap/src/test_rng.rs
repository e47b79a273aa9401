//! SplitMix64, the seeded stream of values the unit tests draw from (many values in one
//! circuit, reproducibly).

use ff::PrimeField as _;
use geode_stark::{Challenge, Val};
use p3_field::BasedVectorSpace as _;

use crate::ctx::Fp;

pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A KoalaBear value (reduced mod `p`: a negligible bias).
    pub(crate) fn val(&mut self) -> Val {
        Val::new((self.u64() % u64::from(crate::field::P)) as u32)
    }

    pub(crate) fn ext(&mut self) -> Challenge {
        Challenge::from_basis_coefficients_fn(|_| self.val())
    }

    /// A Pallas element from 256 random bits.
    pub(crate) fn fp(&mut self) -> Fp {
        let lo = u128::from(self.u64()) | u128::from(self.u64()) << 64;
        let hi = u128::from(self.u64()) | u128::from(self.u64()) << 64;
        Fp::from_u128(lo) + Fp::from_u128(hi) * Fp::from_u128(1 << 64).square()
    }
}
