//! Column structs: one `#[repr(C)]` struct per chip is the single source of truth for the trace
//! width, the column layout and the column names.
//!
//! ```
//! geode_stark::columns! {
//!     /// Columns of a toy chip.
//!     pub struct ToyCols<T> {
//!         pub x: T,
//!         pub limbs: [T; 4],
//!     }
//! }
//! assert_eq!(ToyCols::<u8>::NUM_COLS, 5);
//! assert_eq!(ToyCols::<u8>::names()[2], "limbs[1]");
//! let row = [1u32, 2, 3, 4, 5];
//! assert_eq!(ToyCols::from_slice(&row).limbs[3], 5);
//! assert_eq!(ToyCols::<usize>::col_map().x, 0);
//! ```

/// A value laid out as column cells: a single cell, an array of them, or a nested column struct.
/// Used to name columns; implemented by [`columns!`] for column structs.
pub trait Cells {
    /// Appends `(column index, name)` for every cell, given this value holds column indices.
    fn name_cells(&self, prefix: &str, out: &mut Vec<(usize, String)>);
}

impl Cells for usize {
    fn name_cells(&self, prefix: &str, out: &mut Vec<(usize, String)>) {
        out.push((*self, prefix.to_owned()));
    }
}

impl<C: Cells, const N: usize> Cells for [C; N] {
    fn name_cells(&self, prefix: &str, out: &mut Vec<(usize, String)>) {
        for (k, cell) in self.iter().enumerate() {
            cell.name_cells(&format!("{prefix}[{k}]"), out);
        }
    }
}

/// Declares a `#[repr(C)]` column struct generic over the cell type `T`, with:
/// `NUM_COLS` (its width), `from_slice`/`from_slice_mut` (borrow a row as the struct),
/// `col_map()` (the struct filled with column indices, so tests address cells by name) and
/// `names()` (one name per column, for error messages). Fields are `T`, arrays of `T`, or other
/// column structs declared with this macro.
#[macro_export]
macro_rules! columns {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident<T> {
            $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        $vis struct $name<T> {
            $($(#[$fmeta])* $fvis $field: $ty),*
        }

        impl<T> $name<T> {
            /// Number of columns.
            pub const NUM_COLS: usize = ::core::mem::size_of::<$name<u8>>();

            /// Borrows a row as this struct.
            ///
            /// # Panics
            /// If `row` is not exactly `NUM_COLS` long.
            pub fn from_slice(row: &[T]) -> &Self {
                assert_eq!(row.len(), Self::NUM_COLS, "row width");
                // SAFETY: `Self` is `repr(C)` and made only of `T`s (directly, in arrays or in
                // nested column structs), so it has the size and alignment of `[T; NUM_COLS]`.
                unsafe { &*row.as_ptr().cast::<Self>() }
            }

            /// Borrows a row mutably as this struct.
            ///
            /// # Panics
            /// If `row` is not exactly `NUM_COLS` long.
            pub fn from_slice_mut(row: &mut [T]) -> &mut Self {
                assert_eq!(row.len(), Self::NUM_COLS, "row width");
                // SAFETY: as in `from_slice`.
                unsafe { &mut *row.as_mut_ptr().cast::<Self>() }
            }
        }

        impl $name<usize> {
            /// The struct holding each cell's column index.
            pub fn col_map() -> Self {
                let indices: ::std::vec::Vec<usize> = (0..Self::NUM_COLS).collect();
                *Self::from_slice(&indices)
            }
        }

        impl $name<u8> {
            /// One name per column, in column order.
            pub fn names() -> ::std::vec::Vec<::std::string::String> {
                let mut named = ::std::vec::Vec::new();
                $crate::columns::Cells::name_cells(&$name::<usize>::col_map(), "", &mut named);
                named.sort_by_key(|(index, _)| *index);
                named.into_iter().map(|(_, name)| name).collect()
            }
        }

        impl $crate::columns::Cells for $name<usize> {
            fn name_cells(&self, prefix: &str, out: &mut ::std::vec::Vec<(usize, ::std::string::String)>) {
                let dot = if prefix.is_empty() { "" } else { "." };
                $($crate::columns::Cells::name_cells(&self.$field, &format!("{prefix}{dot}{}", stringify!($field)), out);)*
            }
        }
    };
}
