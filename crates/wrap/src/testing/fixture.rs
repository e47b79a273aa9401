//! A two-chip machine with everything a Geode proof can hold: a preprocessed column, chips of
//! two heights, a lookup bus, public values, and transition constraints that open only some
//! columns at the next row.
//!
//! - `squares` (16 rows): a fixed column `x = 0..16`; main columns `x_squared` and `mult`;
//!   proves `x_squared = x²` and provides `(x, x²)` on the bus `squares` `mult` times.
//! - `walker` (64 rows): columns `i`, `x`, `y`; public value `start`; proves `i` counts from 0,
//!   `x = start` on the first row, and looks `(x, y)` up in the table on every row, so every
//!   `x` is below 16 and `y = x²`.

use geode_stark::{Bus, Chip, Val, columns};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

/// Rows of the `squares` table.
pub const TABLE_ROWS: usize = 16;
/// Rows of the `walker` chip.
pub const WALKER_ROWS: usize = 64;

#[derive(Clone, Copy, Debug)]
enum FixtureBus {
    Squares,
}

impl Bus for FixtureBus {
    fn name(self) -> &'static str {
        "squares"
    }
}

columns! {
    /// The table's main columns.
    pub struct SquareCols<T> {
        pub x_squared: T,
        pub mult: T,
    }
}

columns! {
    /// The walker's columns.
    pub struct WalkerCols<T> {
        pub i: T,
        pub x: T,
        pub y: T,
    }
}

/// The fixture's chips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixtureChip {
    /// The squares table.
    Squares,
    /// The walker.
    Walker,
}

/// Both chips, in proof order.
pub const CHIPS: [FixtureChip; 2] = [FixtureChip::Squares, FixtureChip::Walker];

impl BaseAir<Val> for FixtureChip {
    fn width(&self) -> usize {
        match self {
            Self::Squares => SquareCols::<u8>::NUM_COLS,
            Self::Walker => WalkerCols::<u8>::NUM_COLS,
        }
    }

    fn num_public_values(&self) -> usize {
        match self {
            Self::Squares => 0,
            Self::Walker => 1,
        }
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        match self {
            Self::Squares => Some(RowMajorMatrix::new(
                (0..TABLE_ROWS as u32).map(Val::from_u32).collect(),
                1,
            )),
            Self::Walker => None,
        }
    }

    fn preprocessed_width(&self) -> usize {
        match self {
            Self::Squares => 1,
            Self::Walker => 0,
        }
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        match self {
            Self::Squares => Vec::new(),
            Self::Walker => vec![0],
        }
    }

    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl Chip<Val> for FixtureChip {
    fn name(&self) -> &'static str {
        match self {
            Self::Squares => "squares",
            Self::Walker => "walker",
        }
    }

    fn column_names(&self) -> Vec<String> {
        match self {
            Self::Squares => SquareCols::<u8>::names(),
            Self::Walker => WalkerCols::<u8>::names(),
        }
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for FixtureChip {
    fn eval(&self, builder: &mut AB) {
        match self {
            Self::Squares => {
                let prep = builder.preprocessed().clone();
                let x: AB::Expr = prep.current_slice()[0].into();
                let main = builder.main();
                let row = SquareCols::from_slice(main.current_slice());
                let (x2, mult): (AB::Expr, AB::Expr) = (row.x_squared.into(), row.mult.into());
                builder.assert_eq(x2.clone(), x.clone() * x.clone());
                FixtureBus::Squares.provide(builder, [x, x2], mult);
            }
            Self::Walker => {
                let main = builder.main();
                let row = WalkerCols::from_slice(main.current_slice());
                let next_i: AB::Expr = main.next_slice()[0].into();
                let (i, x, y): (AB::Expr, AB::Expr, AB::Expr) =
                    (row.i.into(), row.x.into(), row.y.into());
                let start: AB::Expr = builder.public_values()[0].into();
                builder.when_first_row().assert_zero(i.clone());
                builder.when_first_row().assert_eq(x.clone(), start);
                builder
                    .when_transition()
                    .assert_eq(next_i, i + AB::Expr::ONE);
                FixtureBus::Squares.send(builder, [x, y], AB::Expr::ONE, 1);
            }
        }
    }
}

/// The walker's `x` on row `r` for public value `start` (below 16).
fn walk(start: u32, r: u32) -> u32 {
    (start + 7 * r) % TABLE_ROWS as u32
}

/// The traces for public value `start` (below 16), in [`CHIPS`] order.
pub fn traces(start: u32) -> Vec<RowMajorMatrix<Val>> {
    let mut mult = [0u32; TABLE_ROWS];
    let mut walker = Vec::with_capacity(WALKER_ROWS * WalkerCols::<u8>::NUM_COLS);
    for r in 0..WALKER_ROWS as u32 {
        let x = walk(start, r);
        mult[x as usize] += 1;
        walker.extend([r, x, x * x].map(Val::from_u32));
    }
    let squares = (0..TABLE_ROWS as u32)
        .flat_map(|x| [x * x, mult[x as usize]].map(Val::from_u32))
        .collect();
    vec![
        RowMajorMatrix::new(squares, SquareCols::<u8>::NUM_COLS),
        RowMajorMatrix::new(walker, WalkerCols::<u8>::NUM_COLS),
    ]
}

/// The public values for `start`, in [`CHIPS`] order.
pub fn public_values(start: u32) -> Vec<Vec<Val>> {
    vec![vec![], vec![Val::from_u32(start)]]
}
