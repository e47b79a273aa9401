//! The default input of the `ecrecover` guest, used when the host passes none;
//! `tests/tests/secp256k1.rs` checks every vector against k256.

/// One recovery: message hash, signature `r ‖ s` (big-endian), recovery id.
pub(crate) struct Vector {
    pub(crate) prehash: [u8; 32],
    pub(crate) signature: [u8; 64],
    pub(crate) recovery_id: u8,
}

/// Three signatures that recover a key, then one that recovers nothing.
pub(crate) const VECTORS: [Vector; 4] = [
    // EIP-155's example transaction (nonce 9, 20 gwei, 21000 gas, to 0x3535…35, 1 ether, chain
    // id 1), signed with the key 0x4646…46: v = 37, so recovery id 0; the sender is
    // 0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F.
    Vector {
        prehash: hex("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"),
        signature: hex(concat!(
            "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276",
            "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
        )),
        recovery_id: 0,
    },
    // Vector 2 of the ecdsa guest (a fixed key; recovery id 1).
    Vector {
        prehash: hex("2316d160db24c281be63cd0296d3cc124c0208ca8aa265f646d46bcfb161a168"),
        signature: hex(concat!(
            "75d3be9ddc1024129c7ac628a27cbcf926aa91b7c98eca17408f0527fe08f573",
            "7e2989f16dddd1cef422ccabd8e81a3228389b64ce7a5074bcae19099f96e528"
        )),
        recovery_id: 1,
    },
    // Vector 0 of the ecdsa guest (key 1) with s replaced by n − s and the recovery id flipped:
    // a high-s signature, which ecrecover accepts (address 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf).
    Vector {
        prehash: hex("67b905c88a752cfd39930e2b18ed6699c60fe8529edbafb1e66dbe31a49845c6"),
        signature: hex(concat!(
            "752fb87f27c1f902a54e009f79bc4dc784ee8c814b3a80e07f35ee24fe0d7b5c",
            "c219ad4ffd4a0a2eb028e4d4d34337eadb3914b61075495a25df3d0b4c8f46b5"
        )),
        recovery_id: 1,
    },
    // r = 0: nothing to recover.
    Vector {
        prehash: hex("67b905c88a752cfd39930e2b18ed6699c60fe8529edbafb1e66dbe31a49845c6"),
        signature: hex(concat!(
            "0000000000000000000000000000000000000000000000000000000000000000",
            "3de652b002b5f5d14fd71b2b2cbcc813df75c8309ed356e199f3218183a6fa8c"
        )),
        recovery_id: 0,
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
