//! Constraints of the image chip.

use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::ImageChip;
use super::columns::{ImageCols, ImagePrepCols};
use crate::bus::GeodeBus;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for ImageChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let row = ImageCols::from_slice(main.current_slice());
        builder.assert_zero(row.filler);

        let prep = builder.preprocessed().clone();
        let word = ImagePrepCols::from_slice(prep.current_slice());
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let mut message = vec![e(word.addr)];
        message.extend(word.value.map(e));
        message.push(AB::Expr::ZERO);
        // The multiplicity is preprocessed: each image word is sent exactly once, whatever the
        // prover wants (see the chip's Soundness section).
        GeodeBus::Memory.send(builder, message, e(word.is_real), 1);
    }
}
