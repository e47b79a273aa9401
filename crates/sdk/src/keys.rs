//! Proving and verifying keys, derived from a program's ELF alone, and [`ProgramSource`].

use std::borrow::Cow;
use std::fmt;

use geode_executor::{Program, keccak256};
use geode_machine::RiscvMachine;

use crate::error::SdkError;

/// Domain separation for [`VkDigest`], with the version of its byte layout.
const VK_DIGEST_DOMAIN: &[u8] = b"geode-vk-v1";

/// A 32-byte digest that names a verifying key: keccak256 of the program's canonical bytes and
/// the version of the constraint system (see [`VerifyingKey::digest`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VkDigest(pub [u8; 32]);

impl VkDigest {
    /// The digest's bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for VkDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for VkDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VkDigest({self})")
    }
}

/// What a verifier needs to check proofs of one program: the machine built from the ELF (the
/// preprocessed program table, the initial memory image and the chip set) and its digest.
///
/// It depends on the ELF alone, never on an input or a run: anyone holding the ELF derives the
/// same key with [`VerifyingKey::from_elf`] (or [`crate::ProverClient::setup`]).
#[derive(Clone, Debug)]
pub struct VerifyingKey {
    machine: RiscvMachine,
    digest: VkDigest,
}

impl VerifyingKey {
    /// The verifying key of the program in `elf`.
    ///
    /// # Errors
    /// [`SdkError::Elf`] if the ELF does not load.
    pub fn from_elf(elf: &[u8]) -> Result<Self, SdkError> {
        Ok(Self::from_machine(RiscvMachine::new(Program::from_elf(
            elf,
        )?)))
    }

    pub(crate) fn from_machine(machine: RiscvMachine) -> Self {
        let digest = program_digest(machine.program());
        Self { machine, digest }
    }

    /// The digest naming this key: keccak256 over a domain tag, the STARK format and
    /// constraint-system version ([`geode_stark::PROOF_VERSION`]), the entry point, the text
    /// range and every non-zero word of the initial memory image, all as little-endian `u32`s.
    /// That is everything the machine's preprocessed tables are built from, so two programs with
    /// the same digest have the same verifying key.
    ///
    /// Proofs carry the digest of the key they were made with, and [`crate::ProverClient::verify`]
    /// compares it first to name a mismatch clearly; soundness rests on the STARK verification
    /// against this key's machine, not on the digest.
    pub fn digest(&self) -> VkDigest {
        self.digest
    }

    /// The program this key verifies runs of.
    pub fn program(&self) -> &Program {
        self.machine.program()
    }

    pub(crate) fn machine(&self) -> &RiscvMachine {
        &self.machine
    }
}

/// What a prover needs for one program: the same machine as the [`VerifyingKey`], which it
/// carries.
#[derive(Clone, Debug)]
pub struct ProvingKey {
    vk: VerifyingKey,
}

impl ProvingKey {
    pub(crate) fn new(vk: VerifyingKey) -> Self {
        Self { vk }
    }

    /// The matching verifying key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.vk
    }

    /// The program this key proves runs of.
    pub fn program(&self) -> &Program {
        self.vk.program()
    }

    pub(crate) fn machine(&self) -> &RiscvMachine {
        self.vk.machine()
    }
}

/// Something a program can be loaded from: ELF bytes (`[u8]`, `[u8; N]` as `include_elf!`
/// gives, `Vec<u8>`), an already loaded [`Program`], or a [`ProvingKey`].
pub trait ProgramSource {
    /// The program, loaded (from an ELF) or borrowed.
    ///
    /// # Errors
    /// [`SdkError::Elf`] if ELF bytes do not load.
    fn load_program(&self) -> Result<Cow<'_, Program>, SdkError>;
}

impl ProgramSource for [u8] {
    fn load_program(&self) -> Result<Cow<'_, Program>, SdkError> {
        Ok(Cow::Owned(Program::from_elf(self)?))
    }
}

impl<const N: usize> ProgramSource for [u8; N] {
    fn load_program(&self) -> Result<Cow<'_, Program>, SdkError> {
        self.as_slice().load_program()
    }
}

impl ProgramSource for Vec<u8> {
    fn load_program(&self) -> Result<Cow<'_, Program>, SdkError> {
        self.as_slice().load_program()
    }
}

impl ProgramSource for Program {
    fn load_program(&self) -> Result<Cow<'_, Program>, SdkError> {
        Ok(Cow::Borrowed(self))
    }
}

impl ProgramSource for ProvingKey {
    fn load_program(&self) -> Result<Cow<'_, Program>, SdkError> {
        Ok(Cow::Borrowed(self.program()))
    }
}

/// See [`VerifyingKey::digest`].
fn program_digest(program: &Program) -> VkDigest {
    let image = program.image();
    let mut bytes = Vec::with_capacity(VK_DIGEST_DOMAIN.len() + 24 + 8 * image.len());
    bytes.extend_from_slice(VK_DIGEST_DOMAIN);
    let text_words = program.instructions().len() as u32;
    let image_words = image.len() as u32;
    let header = [
        geode_stark::PROOF_VERSION,
        program.entry(),
        program.text_start(),
        text_words,
        image_words,
    ];
    for word in header {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    for (&addr, &word) in image {
        bytes.extend_from_slice(&addr.to_le_bytes());
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    VkDigest(keccak256(&bytes))
}
