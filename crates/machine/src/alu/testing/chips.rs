//! Test-only chips: one enum of every chip a test batch may hold (the prover and the debug
//! checker take a single chip type), and driver chips that stand in for the CPU (sending ALU
//! messages) and for byte-table users (sending lookups).

use geode_stark::{Bus, Chip, Val, columns};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

use crate::alu::add_sub::AddSubChip;
use crate::alu::bitwise::BitwiseChip;
use crate::alu::divrem::DivRemChip;
use crate::alu::lt::LtChip;
use crate::alu::mul::MulChip;
use crate::alu::shift::ShiftChip;
use crate::alu::{AluEvent, alu_op_id, word_vals};
use crate::bus::{ByteOp, GeodeBus};
use crate::byte::ByteChip;
use crate::byte_counter::ByteCounter;

columns! {
    /// A test-only CPU stand-in: sends `(op, a, b, c)` on the ALU bus.
    pub struct AluDriverCols<T> {
        pub op: T,
        pub a: [T; 4],
        pub b: [T; 4],
        pub c: [T; 4],
        pub is_real: T,
    }
}

columns! {
    /// A test-only byte-table user: looks up `(op, x, y, z)`.
    pub struct ByteDriverCols<T> {
        pub op: T,
        pub x: T,
        pub y: T,
        pub z: T,
        pub is_real: T,
    }
}

/// Every chip a test may put in one batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TestChip {
    Byte,
    AddSub,
    Bitwise,
    Lt,
    Shift,
    Mul,
    DivRem,
    AluDriver,
    ByteDriver,
}

impl BaseAir<Val> for TestChip {
    fn width(&self) -> usize {
        match self {
            TestChip::Byte => BaseAir::<Val>::width(&ByteChip),
            TestChip::AddSub => BaseAir::<Val>::width(&AddSubChip),
            TestChip::Bitwise => BaseAir::<Val>::width(&BitwiseChip),
            TestChip::Lt => BaseAir::<Val>::width(&LtChip),
            TestChip::Shift => BaseAir::<Val>::width(&ShiftChip),
            TestChip::Mul => BaseAir::<Val>::width(&MulChip),
            TestChip::DivRem => BaseAir::<Val>::width(&DivRemChip),
            TestChip::AluDriver => AluDriverCols::<u8>::NUM_COLS,
            TestChip::ByteDriver => ByteDriverCols::<u8>::NUM_COLS,
        }
    }
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        match self {
            TestChip::Byte => ByteChip.preprocessed_trace(),
            _ => None,
        }
    }
    fn preprocessed_width(&self) -> usize {
        match self {
            TestChip::Byte => BaseAir::<Val>::preprocessed_width(&ByteChip),
            _ => 0,
        }
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for TestChip {
    fn eval(&self, builder: &mut AB) {
        match self {
            TestChip::Byte => ByteChip.eval(builder),
            TestChip::AddSub => AddSubChip.eval(builder),
            TestChip::Bitwise => BitwiseChip.eval(builder),
            TestChip::Lt => LtChip.eval(builder),
            TestChip::Shift => ShiftChip.eval(builder),
            TestChip::Mul => MulChip.eval(builder),
            TestChip::DivRem => DivRemChip.eval(builder),
            TestChip::AluDriver => {
                let main = builder.main();
                let row = AluDriverCols::from_slice(main.current_slice());
                builder.assert_bool(row.is_real);
                let message = [row.op].into_iter().chain(row.a).chain(row.b).chain(row.c);
                GeodeBus::Alu.send(builder, message.map(Into::into), row.is_real.into(), 1);
            }
            TestChip::ByteDriver => {
                let main = builder.main();
                let row = ByteDriverCols::from_slice(main.current_slice());
                builder.assert_bool(row.is_real);
                let entry = [row.op, row.x, row.y, row.z].map(Into::into);
                GeodeBus::Byte.send(builder, entry, row.is_real.into(), 1);
            }
        }
    }
}

impl Chip<Val> for TestChip {
    fn name(&self) -> &'static str {
        match self {
            TestChip::Byte => ByteChip.name(),
            TestChip::AddSub => AddSubChip.name(),
            TestChip::Bitwise => BitwiseChip.name(),
            TestChip::Lt => LtChip.name(),
            TestChip::Shift => ShiftChip.name(),
            TestChip::Mul => MulChip.name(),
            TestChip::DivRem => DivRemChip.name(),
            TestChip::AluDriver => "alu_driver",
            TestChip::ByteDriver => "byte_driver",
        }
    }
    fn column_names(&self) -> Vec<String> {
        match self {
            TestChip::Byte => ByteChip.column_names(),
            TestChip::AddSub => AddSubChip.column_names(),
            TestChip::Bitwise => BitwiseChip.column_names(),
            TestChip::Lt => LtChip.column_names(),
            TestChip::Shift => ShiftChip.column_names(),
            TestChip::Mul => MulChip.column_names(),
            TestChip::DivRem => DivRemChip.column_names(),
            TestChip::AluDriver => AluDriverCols::<u8>::names(),
            TestChip::ByteDriver => ByteDriverCols::<u8>::names(),
        }
    }
}

impl TestChip {
    /// The ALU chip's trace for `events`, counting its lookups in `counter`.
    pub(crate) fn alu_trace(
        self,
        events: &[AluEvent],
        counter: &ByteCounter,
    ) -> RowMajorMatrix<Val> {
        match self {
            TestChip::AddSub => AddSubChip.generate_trace(events, counter),
            TestChip::Bitwise => BitwiseChip.generate_trace(events, counter),
            TestChip::Lt => LtChip.generate_trace(events, counter),
            TestChip::Shift => ShiftChip.generate_trace(events, counter),
            TestChip::Mul => MulChip.generate_trace(events, counter),
            TestChip::DivRem => DivRemChip.generate_trace(events, counter),
            _ => panic!("{self:?} is not an ALU chip"),
        }
    }
}

/// The test driver's trace sending every event's ALU message.
pub(crate) fn alu_driver_trace(events: &[AluEvent]) -> RowMajorMatrix<Val> {
    let width = AluDriverCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(events.len().next_power_of_two().max(2) * width);
    for (row, e) in values.chunks_mut(width).zip(events) {
        let cols = AluDriverCols::from_slice_mut(row);
        cols.op = Val::from_u8(alu_op_id(e.op));
        (cols.a, cols.b, cols.c) = (word_vals(e.a), word_vals(e.b), word_vals(e.c));
        cols.is_real = Val::ONE;
    }
    RowMajorMatrix::new(values, width)
}

/// The test driver's trace looking up each `(op, x, y, z)` once.
pub(crate) fn byte_driver_trace(lookups: &[(ByteOp, [u32; 3])]) -> RowMajorMatrix<Val> {
    let width = ByteDriverCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(lookups.len().next_power_of_two().max(2) * width);
    for (row, (op, [x, y, z])) in values.chunks_mut(width).zip(lookups) {
        let f = Val::from_u32;
        row.copy_from_slice(&[f(*op as u32), f(*x), f(*y), f(*z), Val::ONE]);
    }
    RowMajorMatrix::new(values, width)
}
