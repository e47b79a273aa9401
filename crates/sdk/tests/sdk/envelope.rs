//! The proof envelope: byte and file round trips, and typed rejections of foreign, old, future,
//! truncated and corrupted proofs.

use geode_sdk::{BackendId, ENVELOPE_VERSION, GeodeProof, PROOF_MAGIC, ProverClient, SdkError};

use crate::fibonacci;

/// Offsets in the envelope header.
const VERSION_AT: usize = 8;
const BACKEND_AT: usize = 12;
const HEADER_BYTES: usize = 13;

fn stark_bytes() -> Vec<u8> {
    fibonacci().2.to_bytes().unwrap()
}

#[test]
fn bytes_round_trip() {
    let (_, vk, proof) = fibonacci();
    let bytes = proof.to_bytes().unwrap();
    assert_eq!(&bytes[..8], PROOF_MAGIC);
    assert_eq!(
        bytes[VERSION_AT..BACKEND_AT],
        ENVELOPE_VERSION.to_le_bytes()
    );
    assert_eq!(bytes[BACKEND_AT], BackendId::Stark.as_u8());
    let decoded = GeodeProof::from_bytes(&bytes).unwrap();
    assert_eq!(&decoded, proof);
    assert_eq!(decoded.to_bytes().unwrap(), bytes);
    ProverClient::new().verify(&decoded, vk).unwrap();
}

#[test]
fn file_round_trip() {
    let (_, vk, proof) = fibonacci();
    let dir = std::env::temp_dir().join(format!("geode-sdk-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("fibonacci.proof");
    proof.save(&path).unwrap();
    let mut loaded = GeodeProof::load(&path).unwrap();
    assert_eq!(&loaded, proof);
    ProverClient::new().verify(&loaded, vk).unwrap();
    assert_eq!(loaded.public_values.read::<u32>().unwrap(), 10);
    assert_eq!(loaded.public_values.read::<u32>().unwrap(), 55);
    std::fs::remove_dir_all(&dir).unwrap();
    let err = GeodeProof::load(&path).unwrap_err();
    assert!(matches!(err, SdkError::Io { .. }), "{err}");
    assert!(err.to_string().contains("fibonacci.proof"), "{err}");
}

#[test]
fn a_wrong_magic_is_not_a_geode_proof() {
    let mut bytes = stark_bytes();
    bytes[0] ^= 0x20;
    assert!(matches!(
        GeodeProof::from_bytes(&bytes),
        Err(SdkError::BadMagic { .. })
    ));
    for other in [&b"{\"proof\": 1}"[..], b"\x7fELF", b"X"] {
        assert!(matches!(
            GeodeProof::from_bytes(other),
            Err(SdkError::BadMagic { .. })
        ));
    }
}

#[test]
fn unknown_versions_are_named() {
    let (_, vk, proof) = fibonacci();
    for version in [0, ENVELOPE_VERSION + 1, u32::MAX] {
        let mut bytes = stark_bytes();
        bytes[VERSION_AT..BACKEND_AT].copy_from_slice(&version.to_le_bytes());
        let err = GeodeProof::from_bytes(&bytes).unwrap_err();
        assert!(
            matches!(err, SdkError::UnsupportedVersion { found, supported }
                if found == version && supported == ENVELOPE_VERSION),
            "{err}"
        );
        // An envelope built in memory with another version is refused by verify too.
        let mut other = proof.clone();
        other.version = version;
        assert!(matches!(
            ProverClient::new().verify(&other, vk),
            Err(SdkError::UnsupportedVersion { .. })
        ));
    }
}

#[test]
fn unknown_backends_are_named() {
    for id in [3, 4, 0x7f, 0xff] {
        let mut bytes = stark_bytes();
        bytes[BACKEND_AT] = id;
        let err = GeodeProof::from_bytes(&bytes).unwrap_err();
        assert!(
            matches!(err, SdkError::UnknownBackend(found) if found == id),
            "{err}"
        );
        assert!(err.to_string().contains(&id.to_string()), "{err}");
    }
}

#[test]
fn truncated_bytes_are_malformed() {
    let bytes = stark_bytes();
    let cuts = [
        0,
        4,
        PROOF_MAGIC.len(),
        BACKEND_AT,
        HEADER_BYTES,
        HEADER_BYTES + 1,
        HEADER_BYTES + 40,
        bytes.len() / 2,
        bytes.len() - 1,
    ];
    for cut in cuts {
        let err = GeodeProof::from_bytes(&bytes[..cut]).unwrap_err();
        assert!(
            matches!(err, SdkError::MalformedProof(_)),
            "cut at {cut}: {err}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        GeodeProof::from_bytes(&longer),
        Err(SdkError::MalformedProof(_))
    ));
}

#[test]
fn a_flipped_payload_byte_is_rejected() {
    let (_, vk, proof) = fibonacci();
    let client = ProverClient::new();
    let bytes = stark_bytes();
    let payload_start = bytes.len() - proof.payload.len();
    let len = proof.payload.len();
    for offset in [0, 1, 5, 100, len / 3, len / 2, len - 100, len - 1] {
        let mut flipped = bytes.clone();
        flipped[payload_start + offset] ^= 0x01;
        // Either the bytes no longer decode or the proof no longer verifies; never a panic,
        // never an accepted proof.
        let outcome = GeodeProof::from_bytes(&flipped).and_then(|p| client.verify(&p, vk));
        match outcome {
            Err(SdkError::MalformedProof(_) | SdkError::InvalidProof(_)) => {}
            other => panic!("payload byte {offset} flipped: {other:?}"),
        }
    }
}

#[test]
fn a_flipped_digest_byte_names_the_mismatch() {
    let (_, vk, proof) = fibonacci();
    let mut bytes = stark_bytes();
    // The body starts with the exit code (one postcard byte for 0), then the 32-byte digest.
    assert_eq!(bytes[HEADER_BYTES], 0);
    bytes[HEADER_BYTES + 1] ^= 0x80;
    let tampered = GeodeProof::from_bytes(&bytes).unwrap();
    assert_ne!(tampered.vk_digest, proof.vk_digest);
    assert!(matches!(
        ProverClient::new().verify(&tampered, vk),
        Err(SdkError::VkMismatch { .. })
    ));
}

#[test]
fn oversized_input_is_refused_before_decoding() {
    let mut bytes = vec![0u8; geode_sdk::MAX_ENVELOPE_BYTES + 1];
    bytes[..8].copy_from_slice(PROOF_MAGIC);
    assert!(matches!(
        GeodeProof::from_bytes(&bytes),
        Err(SdkError::MalformedProof(_))
    ));
}
