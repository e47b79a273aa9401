//! Shapes of the 256-bit precompile chips: degree, width, interactions, LogUp columns.

use geode_stark::{Challenge, Val, shape_of};
use p3_lookup::{LogUpGadget, Lookups};

use super::Secp256k1Chip;
use crate::uint256::MulModChip;
use crate::word_io::WordIoChip;

/// (width, interactions, LogUp columns after same-bus packing within degree 3).
macro_rules! shape {
    ($name:expr, $chip:expr) => {{
        let packed =
            Lookups::<Val>::from_air::<Challenge, _>(&$chip).pack_same_bus(&LogUpGadget::new(), 3);
        let shape = shape_of($name, &$chip, 4, &packed);
        assert!(shape.max_constraint_degree <= 3, "{shape:?}");
        (shape.width, shape.num_interactions, shape.num_lookups)
    }};
}

#[test]
fn precompile_chips_have_degree_three_and_these_shapes() {
    let got = [
        shape!("secp256k1_point", Secp256k1Chip),
        shape!("uint256_mulmod", MulModChip),
        shape!("word_io", WordIoChip),
    ];
    // Byte lookups (degree-1 messages and counts) pack in pairs: the widths in docs/chips.md.
    assert_eq!(got, [(793, 453, 227), (310, 142, 72), (25, 9, 5)]);
}
