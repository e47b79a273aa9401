//! Constraints of the program chip.

use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::ProgramChip;
use super::columns::{ProgramCols, ProgramPrepCols};
use crate::bus::GeodeBus;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for ProgramChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let row = ProgramCols::from_slice(main.current_slice());
        let prep = builder.preprocessed().clone();
        let insn = ProgramPrepCols::from_slice(prep.current_slice());
        let multiplicity: AB::Expr = row.multiplicity.into();

        // Padding rows provide nothing, so no message (not even pc = 0's) exists outside the text.
        builder.assert_zero(multiplicity.clone() * (AB::Expr::ONE - insn.is_real.into()));
        let message = insn.message.map(Into::into);
        GeodeBus::Program.provide(builder, message, multiplicity);
    }
}
