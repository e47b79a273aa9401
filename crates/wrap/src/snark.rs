//! Keys, proofs and verification of the wrap circuit with `halo2_proofs`' inner-product
//! argument over Vesta (whose scalar field is the Pallas base field the circuit lives in).
//!
//! No trusted setup: `Params::new(k)` derives its generators by hashing to the curve, so
//! anyone recomputes them. They are cached on disk by `k` (deriving `2^k` generators takes
//! minutes at the `k` of the RISC-V machine's shapes). Keys are derived from the circuit's
//! structure, deterministically; the verifying key is cached by a digest of what decides the
//! circuit (see [`crate::Wrapper`]), through the vendored `halo2_proofs`' `VerifyingKey::write`
//! and `read`, so a verifier loads it instead of computing one commitment per column.

use std::fs;
use std::io::{BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use halo2_proofs::plonk::{
    Circuit, ProvingKey, SingleVerifier, VerifyingKey, create_proof, keygen_pk, keygen_vk,
    verify_proof,
};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::transcript::{Blake2bRead, Blake2bWrite, Challenge255};
use pasta_curves::group::ff::PrimeField;
use pasta_curves::{Fp, vesta};
use serde::{Deserialize, Serialize};

use crate::WrapError;

/// Format version of [`SnarkProof`].
pub const SNARK_VERSION: u32 = 2;
/// Largest accepted [`SnarkProof`] encoding.
pub const MAX_SNARK_BYTES: usize = 1 << 20;
/// Largest circuit size accepted (`k`), so hostile input cannot ask for huge parameters.
pub const MAX_K: u32 = 26;

/// A SNARK proof with its public inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnarkProof {
    /// [`SNARK_VERSION`] when written.
    pub version: u32,
    /// log2 of the circuit's rows.
    pub k: u32,
    /// The public inputs, each the canonical little-endian encoding of a Pallas element.
    pub public_inputs: Vec<[u8; 32]>,
    /// The halo2 proof.
    pub proof: Vec<u8>,
}

impl SnarkProof {
    /// The proof as bytes.
    ///
    /// # Errors
    /// If serialization fails (it does not).
    pub fn to_bytes(&self) -> Result<Vec<u8>, WrapError> {
        postcard::to_allocvec(self).map_err(|e| WrapError::Malformed(e.to_string()))
    }

    /// Decodes a proof written by [`SnarkProof::to_bytes`], and nothing else: a version other
    /// than [`SNARK_VERSION`], trailing or non-canonical bytes, public inputs that are not
    /// canonical field elements, or a `k` over [`MAX_K`] are errors.
    ///
    /// # Errors
    /// [`WrapError::Malformed`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WrapError> {
        let bad = |m: String| Err(WrapError::Malformed(m));
        if bytes.len() > MAX_SNARK_BYTES {
            return bad(format!("{} bytes is too large", bytes.len()));
        }
        let (proof, rest): (Self, _) =
            postcard::take_from_bytes(bytes).map_err(|e| WrapError::Malformed(e.to_string()))?;
        if !rest.is_empty() {
            return bad(format!("{} trailing bytes", rest.len()));
        }
        if proof.version != SNARK_VERSION {
            return bad(format!(
                "version {} (supported: {SNARK_VERSION})",
                proof.version
            ));
        }
        if proof.k > MAX_K {
            return bad(format!("k = {} exceeds {MAX_K}", proof.k));
        }
        if proof
            .public_inputs
            .iter()
            .any(|b| Option::<Fp>::from(Fp::from_repr(*b)).is_none())
        {
            return bad("a public input is not a canonical field element".into());
        }
        if proof.to_bytes()? != bytes {
            return bad("non-canonical encoding".into());
        }
        Ok(proof)
    }

    /// The public inputs as field elements.
    pub fn inputs(&self) -> Vec<Fp> {
        self.public_inputs
            .iter()
            .filter_map(|b| Option::<Fp>::from(Fp::from_repr(*b)))
            .collect()
    }
}

fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GEODE_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cache").join("geode"))
        .unwrap_or_else(|| std::env::temp_dir().join("geode-cache"))
}

/// The IPA parameters of size `2^k`, from the cache or made (and cached).
pub fn params(k: u32) -> Params<vesta::Affine> {
    let path = cache_dir().join(format!("ipa-vesta-k{k}.raw"));
    if let Ok(file) = fs::File::open(&path)
        && let Ok(p) = Params::<vesta::Affine>::read_uncompressed(&mut BufReader::new(file))
        && p.k() == k
    {
        return p;
    }
    let p = Params::<vesta::Affine>::new(k);
    write_cache(&path, |f| p.write_uncompressed(f));
    p
}

/// Writes a cache file atomically (a temporary file, then a rename). The cache is an
/// optimization: failing to write it is not an error.
fn write_cache(path: &Path, write: impl FnOnce(&mut BufWriter<fs::File>) -> std::io::Result<()>) {
    if fs::create_dir_all(cache_dir()).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if let Ok(f) = fs::File::create(&tmp) {
        let mut f = BufWriter::new(f);
        if write(&mut f).is_ok() && f.flush().is_ok() {
            let _ = fs::rename(&tmp, path);
            return;
        }
    }
    let _ = fs::remove_file(&tmp);
}

fn vk_path(name: &str) -> PathBuf {
    cache_dir().join(format!("wrap-vk-{name}.bin"))
}

/// The verifying key cached under `name` by [`cache_verifying_key`], and its `k`, if it reads
/// back as a key of circuit `C`.
pub fn cached_verifying_key<C: Circuit<Fp>>(
    name: &str,
) -> Option<(u32, VerifyingKey<vesta::Affine>)> {
    let bytes = fs::read(vk_path(name)).ok()?;
    let k = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
    let mut reader = &bytes[..];
    let vk = VerifyingKey::read::<C, _>(&mut reader).ok()?;
    reader.is_empty().then_some((k, vk))
}

/// Caches `vk` under `name` (a digest of everything that decides the circuit).
pub fn cache_verifying_key(name: &str, vk: &VerifyingKey<vesta::Affine>) {
    write_cache(&vk_path(name), |f| vk.write(f));
}

/// The verifying key of `circuit` (whose witness values are ignored).
///
/// # Errors
/// If the circuit does not fit `params`.
pub fn verifying_key<C: Circuit<Fp>>(
    params: &Params<vesta::Affine>,
    circuit: &C,
) -> Result<VerifyingKey<vesta::Affine>, WrapError> {
    keygen_vk(params, circuit).map_err(|e| WrapError::Halo2(format!("keygen: {e:?}")))
}

/// The proving key of `circuit`.
///
/// # Errors
/// If the circuit does not fit `params`.
pub fn proving_key<C: Circuit<Fp>>(
    params: &Params<vesta::Affine>,
    vk: VerifyingKey<vesta::Affine>,
    circuit: &C,
) -> Result<ProvingKey<vesta::Affine>, WrapError> {
    keygen_pk(params, vk, circuit).map_err(|e| WrapError::Halo2(format!("keygen: {e:?}")))
}

/// A proof that `circuit` is satisfied with public inputs `inputs`.
///
/// # Errors
/// If it is not, or halo2 fails.
pub fn prove<C: Circuit<Fp>>(
    params: &Params<vesta::Affine>,
    pk: &ProvingKey<vesta::Affine>,
    circuit: C,
    inputs: &[Fp],
) -> Result<SnarkProof, WrapError> {
    let mut transcript = Blake2bWrite::<_, vesta::Affine, Challenge255<_>>::init(vec![]);
    create_proof(
        params,
        pk,
        &[circuit],
        &[&[inputs]],
        rand::rng(),
        &mut transcript,
    )
    .map_err(|e| WrapError::Halo2(format!("prove: {e:?}")))?;
    Ok(SnarkProof {
        version: SNARK_VERSION,
        k: params.k(),
        public_inputs: inputs.iter().map(|x| x.to_repr()).collect(),
        proof: transcript.finalize(),
    })
}

/// Verifies `proof` against `vk` and the expected public inputs `inputs`.
///
/// # Errors
/// [`WrapError::SnarkRejected`] if the proof is not valid for those inputs.
pub fn verify(
    params: &Params<vesta::Affine>,
    vk: &VerifyingKey<vesta::Affine>,
    proof: &SnarkProof,
    inputs: &[Fp],
) -> Result<(), WrapError> {
    if proof.inputs() != inputs {
        return Err(WrapError::SnarkRejected(
            "its public inputs are not the claimed statement's".into(),
        ));
    }
    if proof.k != params.k() {
        return Err(WrapError::SnarkRejected(format!(
            "k = {}, expected {}",
            proof.k,
            params.k()
        )));
    }
    let mut transcript = Blake2bRead::<_, vesta::Affine, Challenge255<_>>::init(&proof.proof[..]);
    let strategy = SingleVerifier::new(params);
    verify_proof(params, vk, strategy, &[&[inputs]], &mut transcript)
        .map_err(|e| WrapError::SnarkRejected(format!("halo2: {e:?}")))
}
