//! The default input of the `ecdsa` and `ecdsa-sw` guests, used when the host passes none.
//!
//! Signed with k256 0.13 (RFC 6979 nonces) over keccak256 of `"geode ecdsa vector {i}"`, with
//! the secret keys 1, 2 and keccak256(`"geode ecdsa test key"`); `tests/tests/secp256k1.rs`
//! checks every vector against k256.

/// One verification: SEC1 public key, 32-byte prehash, signature `r ‖ s` (big-endian).
pub(crate) struct Vector {
    pub(crate) pubkey: &'static [u8],
    pub(crate) prehash: [u8; 32],
    pub(crate) signature: [u8; 64],
}

/// The vectors: three valid signatures, then two that k256's `verify_prehash` rejects.
pub(crate) const VECTORS: [Vector; 5] = [
    // Key 1 (the generator), compressed.
    Vector {
        pubkey: &hex::<33>("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
        prehash: hex("67b905c88a752cfd39930e2b18ed6699c60fe8529edbafb1e66dbe31a49845c6"),
        signature: hex(concat!(
            "752fb87f27c1f902a54e009f79bc4dc784ee8c814b3a80e07f35ee24fe0d7b5c",
            "3de652b002b5f5d14fd71b2b2cbcc813df75c8309ed356e199f3218183a6fa8c"
        )),
    },
    // Key 2, uncompressed.
    Vector {
        pubkey: &hex::<65>(concat!(
            "04c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
            "1ae168fea63dc339a3c58419466ceaeef7f632653266d0e1236431a950cfe52a"
        )),
        prehash: hex("981288b5e4370092a1ad030cac5626a4130de357a647b4e731be15080e5a9de9"),
        signature: hex(concat!(
            "28bb392896e6340cb1875f3e948baef80306647cce336b80983556c87e994d77",
            "5405bb4c50050ac2f9301227832b78d65e42d76653cda51b1882b563cc255ff4"
        )),
    },
    // A fixed 32-byte key, compressed with odd y.
    Vector {
        pubkey: &hex::<33>("03d3634fe020c2d5c2c6dcff3f8e1dfed13f00da783ddb58c5964091fd27693b57"),
        prehash: hex("2316d160db24c281be63cd0296d3cc124c0208ca8aa265f646d46bcfb161a168"),
        signature: hex(concat!(
            "75d3be9ddc1024129c7ac628a27cbcf926aa91b7c98eca17408f0527fe08f573",
            "7e2989f16dddd1cef422ccabd8e81a3228389b64ce7a5074bcae19099f96e528"
        )),
    },
    // Invalid: key 1's signature of vector 0, checked against the prehash of vector 2.
    Vector {
        pubkey: &hex::<33>("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
        prehash: hex("2316d160db24c281be63cd0296d3cc124c0208ca8aa265f646d46bcfb161a168"),
        signature: hex(concat!(
            "752fb87f27c1f902a54e009f79bc4dc784ee8c814b3a80e07f35ee24fe0d7b5c",
            "3de652b002b5f5d14fd71b2b2cbcc813df75c8309ed356e199f3218183a6fa8c"
        )),
    },
    // Invalid for k256: vector 0 with s replaced by n − s (high s), which k256 rejects.
    Vector {
        pubkey: &hex::<33>("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
        prehash: hex("67b905c88a752cfd39930e2b18ed6699c60fe8529edbafb1e66dbe31a49845c6"),
        signature: hex(concat!(
            "752fb87f27c1f902a54e009f79bc4dc784ee8c814b3a80e07f35ee24fe0d7b5c",
            "c219ad4ffd4a0a2eb028e4d4d34337eadb3914b61075495a25df3d0b4c8f46b5"
        )),
    },
];

/// `N` bytes from `2N` hex digits, at compile time.
const fn hex<const N: usize>(digits: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not a lowercase hex digit"),
        }
    }
    let digits = digits.as_bytes();
    assert!(digits.len() == 2 * N, "wrong number of hex digits");
    let mut bytes = [0; N];
    let mut i = 0;
    while i < N {
        bytes[i] = nibble(digits[2 * i]) << 4 | nibble(digits[2 * i + 1]);
        i += 1;
    }
    bytes
}
