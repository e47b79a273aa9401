//! Geode patch: writing a [`VerifyingKey`] and reading it back, so a verifier need not run
//! `keygen_vk` (its commitments cost one multi-scalar multiplication of `2^k` points per fixed
//! and permutation column).
//!
//! The encoding: `k` (u32 LE); the fixed commitments, the permutation commitments and the
//! selector assignments, each as a count (u32 LE) then the items (compressed points; `2^k`
//! bits packed little-endian per selector). Reading rebuilds the constraint system from the
//! circuit's `configure` and the selector assignments exactly as `keygen_vk` does, and rejects
//! any count that does not match it, so a key read back is the key that was written.

use std::io;

use group::ff::FromUniformBytes;

use super::{permutation, Circuit, ConstraintSystem, VerifyingKey};
use crate::arithmetic::CurveAffine;
use crate::helpers::CurveRead;
use crate::poly::EvaluationDomain;

/// The largest `k` a key may declare (the scalar field's two-adicity bounds it well below).
const MAX_K: u32 = 30;

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

fn read_u32<R: io::Read>(reader: &mut R) -> io::Result<u32> {
    let mut bytes = [0u8; 4];
    reader.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn write_points<C: CurveAffine, W: io::Write>(writer: &mut W, points: &[C]) -> io::Result<()> {
    writer.write_all(&(points.len() as u32).to_le_bytes())?;
    for p in points {
        writer.write_all(p.to_bytes().as_ref())?;
    }
    Ok(())
}

fn read_points<C: CurveAffine, R: io::Read>(
    reader: &mut R,
    expected: usize,
    what: &str,
) -> io::Result<Vec<C>> {
    if read_u32(reader)? as usize != expected {
        return Err(invalid(what));
    }
    (0..expected).map(|_| C::read(reader)).collect()
}

impl<C: CurveAffine> VerifyingKey<C>
where
    C::Scalar: FromUniformBytes<64>,
{
    /// Writes the key (see the module documentation for the encoding).
    pub fn write<W: io::Write>(&self, writer: &mut W) -> io::Result<()> {
        writer.write_all(&self.domain.k().to_le_bytes())?;
        write_points(writer, &self.fixed_commitments)?;
        write_points(writer, self.permutation.commitments())?;
        writer.write_all(&(self.selectors.len() as u32).to_le_bytes())?;
        for selector in &self.selectors {
            let mut packed = vec![0u8; selector.len().div_ceil(8)];
            for (i, _) in selector.iter().enumerate().filter(|(_, &on)| on) {
                packed[i / 8] |= 1 << (i % 8);
            }
            writer.write_all(&packed)?;
        }
        Ok(())
    }

    /// Reads a key written by [`Self::write`] for `ConcreteCircuit`.
    ///
    /// # Errors
    /// An `InvalidData` error if the bytes are not a key of this circuit's constraint system
    /// (a count, a point or a padding bit is wrong); an I/O error if they end early.
    pub fn read<ConcreteCircuit: Circuit<C::Scalar>, R: io::Read>(
        reader: &mut R,
    ) -> io::Result<Self> {
        let k = read_u32(reader)?;
        if k > MAX_K {
            return Err(invalid("k out of range"));
        }
        let n = 1usize << k;
        let mut cs = ConstraintSystem::default();
        let _config = ConcreteCircuit::configure(&mut cs);
        if n < cs.minimum_rows() {
            return Err(invalid("k too small for the circuit"));
        }
        // As `create_domain` does: the degree before selector compression.
        let domain = EvaluationDomain::new(cs.degree() as u32, k);
        let num_selectors = cs.num_selectors;
        let mut selectors = Vec::with_capacity(num_selectors);
        // The fixed columns' count is known only after compression: checked below.
        let fixed_count = read_u32(reader)? as usize;
        if fixed_count > 1 << 16 {
            return Err(invalid("too many fixed commitments"));
        }
        let fixed: Vec<C> = (0..fixed_count)
            .map(|_| C::read(reader))
            .collect::<io::Result<_>>()?;
        let permutation_commitments: Vec<C> =
            read_points(reader, cs.permutation.get_columns().len(), "permutation count")?;
        if read_u32(reader)? as usize != num_selectors {
            return Err(invalid("selector count"));
        }
        for _ in 0..num_selectors {
            let mut packed = vec![0u8; n.div_ceil(8)];
            reader.read_exact(&mut packed)?;
            if n % 8 != 0 && packed[n / 8] >> (n % 8) != 0 {
                return Err(invalid("selector padding"));
            }
            selectors.push((0..n).map(|i| packed[i / 8] >> (i % 8) & 1 == 1).collect());
        }
        let (cs, _) = cs.compress_selectors(selectors.clone());
        if fixed.len() != cs.num_fixed_columns {
            return Err(invalid("fixed count"));
        }
        Ok(Self::from_parts(
            domain,
            fixed,
            permutation::VerifyingKey::from_commitments(permutation_commitments),
            cs,
            selectors,
        ))
    }
}
