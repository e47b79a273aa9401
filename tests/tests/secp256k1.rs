//! The guests' secp256k1 against k256 as the oracle: `ecdsa` (on the precompiles) and `ecdsa-sw`
//! (k256 compiled into the guest) verify exactly what k256's `verify_prehash` verifies, and
//! `ecrecover` recovers what Ethereum's precompile recovers.

use geode_executor::{ExecOptions, ExecutionOutput, Stdin, execute, execute_recorded, keccak256};
use geode_tests::program;
use k256::ecdsa::signature::hazmat::PrehashVerifier;
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};
use k256::elliptic_curve::PrimeField;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{AffinePoint, ProjectivePoint, Scalar};

#[path = "../../guest-programs/ecdsa/src/vectors.rs"]
mod ecdsa_vectors;
#[path = "../../guest-programs/ecrecover/src/vectors.rs"]
mod ecrecover_vectors;

/// One verification, as the ecdsa guests read it: (SEC1 public key, prehash, r, s).
type VerifyCase = (Vec<u8>, [u8; 32], [u8; 32], [u8; 32]);
/// One recovery, as the ecrecover guest reads it: (message hash, r, s, recovery id).
type RecoverCase = ([u8; 32], [u8; 32], [u8; 32], u8);

/// The group order n, big-endian.
const N: [u8; 32] = bytes32("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
/// The field modulus p, big-endian.
const P: [u8; 32] = bytes32("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");

/// Runs `name` (fast mode) on `input`; it must halt with 0 and a true digest.
fn run(name: &str, input: &Stdin) -> ExecutionOutput {
    let out = execute(&program(name), input, &ExecOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        out.exit_code,
        0,
        "{name} stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.digest_matches(), "{name}: digest");
    out
}

/// The guest's verdicts on `cases`, and the cycles it took.
fn verify_guest(name: &str, cases: &[VerifyCase]) -> (Vec<bool>, u64) {
    let mut input = Stdin::new();
    input.write(cases).unwrap();
    let out = run(name, &input);
    let mut values = out.public_values();
    let verdicts: Vec<bool> = values.read().unwrap();
    assert!(values.remaining().is_empty());
    (verdicts, out.cycles)
}

/// The ecrecover guest's addresses for `cases`, and the cycles it took.
fn recover_guest(cases: &[RecoverCase]) -> (Vec<Option<[u8; 20]>>, u64) {
    let mut input = Stdin::new();
    input.write(cases).unwrap();
    let out = run("ecrecover", &input);
    let mut values = out.public_values();
    let addresses: Vec<Option<[u8; 20]>> = values.read().unwrap();
    assert!(values.remaining().is_empty());
    (addresses, out.cycles)
}

/// k256's verdict: `VerifyingKey::from_sec1_bytes`, `Signature::from_scalars`,
/// `verify_prehash`, any failure being `false`.
fn k256_verify((pubkey, prehash, r, s): &VerifyCase) -> bool {
    let Ok(key) = VerifyingKey::from_sec1_bytes(pubkey) else {
        return false;
    };
    let Ok(signature) = Signature::from_scalars(*r, *s) else {
        return false;
    };
    key.verify_prehash(prehash, &signature).is_ok()
}

/// Ethereum's `ecrecover`, by k256: recovery ids 0 and 1 only, r and s in [1, n − 1], high s
/// accepted. k256 recovers only low-s signatures, so a high-s one is recovered as (r, n − s)
/// with the other recovery id, which is the same key.
fn k256_ecrecover((prehash, r, s, recovery_id): &RecoverCase) -> Option<[u8; 20]> {
    if *recovery_id > 1 {
        return None;
    }
    let signature = Signature::from_scalars(*r, *s).ok()?;
    let (signature, recovery_id) = match signature.normalize_s() {
        Some(low) => (low, recovery_id ^ 1),
        None => (signature, *recovery_id),
    };
    let recovery_id = RecoveryId::from_byte(recovery_id)?;
    let key = VerifyingKey::recover_from_prehash(prehash, &signature, recovery_id).ok()?;
    Some(address(&key))
}

/// The Ethereum address of `key`.
fn address(key: &VerifyingKey) -> [u8; 20] {
    let point = key.to_encoded_point(false);
    keccak256(&point.as_bytes()[1..])[12..].try_into().unwrap()
}

/// A deterministic stream of 32-byte values: keccak256 of a label and a counter.
fn random(label: &str, i: usize) -> [u8; 32] {
    keccak256(format!("{label} {i}").as_bytes())
}

/// `N` bytes from `2N` hex digits.
const fn bytes32(digits: &str) -> [u8; 32] {
    let digits = digits.as_bytes();
    let mut bytes = [0; 32];
    let mut i = 0;
    while i < 32 {
        let hi = (digits[2 * i] as char).to_digit(16).unwrap() as u8;
        let lo = (digits[2 * i + 1] as char).to_digit(16).unwrap() as u8;
        bytes[i] = hi << 4 | lo;
        i += 1;
    }
    bytes
}

/// `a + b` as 256-bit big-endian integers (wrapping).
fn add_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut sum = [0; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let digit = u16::from(a[i]) + u16::from(b[i]) + carry;
        sum[i] = digit as u8;
        carry = digit >> 8;
    }
    sum
}

/// The 32-byte big-endian integer `v`.
fn small(v: u64) -> [u8; 32] {
    let mut bytes = [0; 32];
    bytes[24..].copy_from_slice(&v.to_be_bytes());
    bytes
}

/// The scalar with big-endian bytes `bytes` (below n).
fn scalar(bytes: &[u8; 32]) -> Scalar {
    Option::from(Scalar::from_repr((*bytes).into())).expect("below n")
}

/// A signing key from a nonzero scalar.
fn signing_key(secret: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(secret.into()).expect("a valid secret key")
}

/// `(r, s)` of a signature.
fn split(signature: &Signature) -> ([u8; 32], [u8; 32]) {
    let bytes = signature.to_bytes();
    (
        bytes[..32].try_into().unwrap(),
        bytes[32..].try_into().unwrap(),
    )
}

/// The smallest x ≥ `from` that is, or (`on_curve` false) is not, the x of a curve point.
fn find_x(from: u64, on_curve: bool) -> (u64, Option<AffinePoint>) {
    (from..)
        .map(|x| {
            let mut compressed = vec![0x02];
            compressed.extend_from_slice(&small(x));
            let point = VerifyingKey::from_sec1_bytes(&compressed)
                .ok()
                .map(|key| *key.as_affine());
            (x, point)
        })
        .find(|(_, point)| point.is_some() == on_curve)
        .unwrap()
}

/// Signatures by random keys and the special keys 1, 2, n − 1 (Q = −G, so G + Q is the
/// identity) and n − 2, each verified as given, under the other key encoding, as high s, and
/// against another message.
fn signature_cases() -> Vec<VerifyCase> {
    let n_minus = |k: u64| (-Scalar::from(k)).to_bytes().into();
    let mut secrets: Vec<[u8; 32]> = vec![small(1), small(2), n_minus(1), n_minus(2)];
    secrets.extend((0..20).map(|i| random("secret", i)));
    let mut cases = Vec::new();
    for (i, secret) in secrets.iter().enumerate() {
        let key = signing_key(secret);
        // Every fourth prehash is above n, so that its reduction mod n matters.
        let prehash = if i % 4 == 3 {
            let mut high = random("message", i);
            high[..16].fill(0xFF);
            high
        } else {
            random("message", i)
        };
        let (signature, _) = key.sign_prehash_recoverable(&prehash).unwrap();
        let (r, s) = split(&signature);
        let compressed = i % 2 == 0;
        let pubkey = key.verifying_key().to_encoded_point(compressed);
        let other_encoding = key.verifying_key().to_encoded_point(!compressed);
        let high_s: [u8; 32] = (-scalar(&s)).to_bytes().into();
        cases.push((pubkey.as_bytes().to_vec(), prehash, r, s));
        cases.push((other_encoding.as_bytes().to_vec(), prehash, r, s));
        cases.push((pubkey.as_bytes().to_vec(), prehash, r, high_s));
        cases.push((pubkey.as_bytes().to_vec(), random("other", i), r, s));
    }
    cases
}

/// A valid signature with its key broken or replaced in every way SEC1 parsing can fail, r
/// and s out of range, and a key and prehash for which u1·G + u2·Q is the identity.
fn edge_cases() -> Vec<VerifyCase> {
    let key = signing_key(&random("edge secret", 0));
    let prehash = random("edge message", 0);
    let (signature, _) = key.sign_prehash_recoverable(&prehash).unwrap();
    let (r, s) = split(&signature);
    let uncompressed = key
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    let compressed = key
        .verifying_key()
        .to_encoded_point(true)
        .as_bytes()
        .to_vec();
    let with = |pubkey: Vec<u8>| (pubkey, prehash, r, s);
    let with_rs = |r: [u8; 32], s: [u8; 32]| (compressed.clone(), prehash, r, s);

    let mut cases = vec![with(uncompressed.clone()), with(compressed.clone())];
    // The compact form `05 ‖ x` (the point with even y), which k256 accepts.
    let mut compact = compressed.clone();
    compact[0] = 0x05;
    cases.push(with(compact));
    // The other y.
    let mut other_y = compressed.clone();
    other_y[0] ^= 1;
    cases.push(with(other_y));
    // Off the curve: y + 1.
    let mut off_curve = uncompressed.clone();
    off_curve[64] = off_curve[64].wrapping_add(1);
    cases.push(with(off_curve));
    // Hybrid tags, the identity, bad tags and lengths.
    for tag in [0x00, 0x01, 0x06, 0x07, 0x08] {
        let mut bad = uncompressed.clone();
        bad[0] = tag;
        cases.push(with(bad));
        let mut bad = compressed.clone();
        bad[0] = tag;
        cases.push(with(bad));
    }
    cases.push(with(vec![0x00]));
    cases.push(with(vec![]));
    cases.push(with(uncompressed[..64].to_vec()));
    cases.push(with(compressed[1..].to_vec()));
    cases.push(with([compressed.as_slice(), &[0]].concat()));
    // An x with no point, compressed and (with any y) uncompressed.
    let (no_point, _) = find_x(1, false);
    cases.push(with([&[0x02][..], &small(no_point)].concat()));
    cases.push(with([&[0x04][..], &small(no_point), &small(1)].concat()));
    // Coordinates ≥ p that are on the curve mod p: the same point with x + p.
    let (x, point) = find_x(1, true);
    let point = point.unwrap().to_encoded_point(false);
    let y: [u8; 32] = (*point.y().unwrap()).into();
    let x_plus_p = add_be(&small(x), &P);
    cases.push(with([&[0x04][..], &x_plus_p, &y].concat()));
    cases.push(with([&[0x02 | (y[31] & 1)][..], &x_plus_p].concat()));
    cases.push(with([&[0x04][..], &small(x), &y].concat()));
    cases.push(with([&[0x04][..], &P, &y].concat()));
    // r and s out of range.
    let n_plus_1 = add_be(&N, &small(1));
    for bad in [[0; 32], N, n_plus_1, [0xFF; 32]] {
        cases.push(with_rs(bad, s));
        cases.push(with_rs(r, bad));
    }
    cases.push(with_rs(s, r));
    // s = ⌊n/2⌋ (the largest low s) and ⌊n/2⌋ + 1 (the smallest high s), with some r.
    let half = (-Scalar::ONE * Scalar::from(2u64).invert().unwrap()).to_bytes();
    cases.push(with_rs(r, half.into()));
    cases.push(with_rs(r, add_be(&half.into(), &small(1))));
    // R = u1·G + u2·Q is the identity: z = −r·d, so u1 + u2·d = (z + r·d)/s = 0.
    let d = scalar(&random("edge secret", 0));
    let z: [u8; 32] = (-(scalar(&r) * d)).to_bytes().into();
    cases.push((compressed.clone(), z, r, s));
    cases
}

#[test]
fn ecdsa_matches_k256() {
    let cases: Vec<VerifyCase> = signature_cases().into_iter().chain(edge_cases()).collect();
    let expected: Vec<bool> = cases.iter().map(k256_verify).collect();
    // The cases cover both answers, and high s is rejected.
    assert!(expected.iter().any(|&ok| ok) && expected.iter().any(|&ok| !ok));
    let (verdicts, _) = verify_guest("ecdsa", &cases);
    for (i, (case, (got, want))) in cases.iter().zip(verdicts.iter().zip(&expected)).enumerate() {
        assert_eq!(got, want, "case {i}: {case:02x?}");
    }
    assert_eq!(verdicts.len(), expected.len());
}

#[test]
fn ecdsa_and_ecdsa_sw_agree() {
    // Fewer cases: the software guest takes millions of cycles per signature.
    let cases: Vec<VerifyCase> = signature_cases().into_iter().take(12).collect();
    let expected: Vec<bool> = cases.iter().map(k256_verify).collect();
    assert_eq!(verify_guest("ecdsa", &cases).0, expected);
    assert_eq!(verify_guest("ecdsa-sw", &cases).0, expected);
}

#[test]
fn default_vectors_are_what_k256_says() {
    let cases: Vec<VerifyCase> = ecdsa_vectors::VECTORS
        .iter()
        .map(|v| {
            let (r, s) = v.signature.split_at(32);
            (
                v.pubkey.to_vec(),
                v.prehash,
                r.try_into().unwrap(),
                s.try_into().unwrap(),
            )
        })
        .collect();
    let expected: Vec<bool> = cases.iter().map(k256_verify).collect();
    assert_eq!(expected, [true, true, true, false, false]);
    for guest in ["ecdsa", "ecdsa-sw"] {
        let out = run(guest, &Stdin::new());
        assert_eq!(out.public_values().read::<Vec<bool>>().unwrap(), expected);
    }
    // Recording mode agrees with fast mode on the precompile guests.
    for guest in ["ecdsa", "ecrecover"] {
        let program = program(guest);
        let fast = execute(&program, &Stdin::new(), &ExecOptions::default()).unwrap();
        let (recorded, _) = execute_recorded(&program, &Stdin::new(), &ExecOptions::default())
            .unwrap_or_else(|e| panic!("{guest}: {e}"));
        assert_eq!(fast, recorded, "{guest}");
    }

    let cases: Vec<RecoverCase> = ecrecover_vectors::VECTORS
        .iter()
        .map(|v| {
            let (r, s) = v.signature.split_at(32);
            (
                v.prehash,
                r.try_into().unwrap(),
                s.try_into().unwrap(),
                v.recovery_id,
            )
        })
        .collect();
    let expected: Vec<Option<[u8; 20]>> = cases.iter().map(k256_ecrecover).collect();
    assert_eq!(expected[0], Some(eip155_sender()));
    assert!(expected[..3].iter().all(Option::is_some) && expected[3].is_none());
    let out = run("ecrecover", &Stdin::new());
    let got: Vec<Option<[u8; 20]>> = out.public_values().read().unwrap();
    assert_eq!(got, expected);
}

/// 0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F, the sender of EIP-155's example.
fn eip155_sender() -> [u8; 20] {
    bytes32("0000000000000000000000009d8a62f656a8d1615c1294fd71e9cfb3e4855a4f")[12..]
        .try_into()
        .unwrap()
}

#[test]
fn ecrecover_recovers_the_eip155_example_sender() {
    // EIP-155's example: nonce 9, gas price 20 gwei, gas 21000, to 0x3535…35, 1 ether, no data,
    // chain id 1; the signing data is rlp([nonce, gasprice, gas, to, value, data, 1, 0, 0]).
    let signing_data = [
        &[
            0xec, 0x09, 0x85, 0x04, 0xa8, 0x17, 0xc8, 0x00, 0x82, 0x52, 0x08, 0x94,
        ][..],
        &[0x35; 20],
        &[
            0x88, 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0x00, 0x00, 0x80, 0x01, 0x80, 0x80,
        ],
    ]
    .concat();
    let hash = keccak256(&signing_data);
    assert_eq!(
        hash,
        bytes32("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
    );
    // The key 0x4646…46 signs it (RFC 6979) with the r and s the EIP gives, and v = 37 =
    // 35 + 2·1 + 0: recovery id 0.
    let key = signing_key(&[0x46; 32]);
    let (signature, recovery_id) = key.sign_prehash_recoverable(&hash).unwrap();
    let (r, s) = split(&signature);
    // 18515461264373351373200002665853028612451056578545711640558177340181847433846 and
    // 46948507304638947509940763649030358759909902576025900602547168820602576006531.
    assert_eq!(
        r,
        bytes32("28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276")
    );
    assert_eq!(
        s,
        bytes32("67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83")
    );
    assert_eq!(recovery_id.to_byte(), 0);
    assert_eq!(address(key.verifying_key()), eip155_sender());

    let (addresses, _) = recover_guest(&[(hash, r, s, 0), (hash, r, s, 1)]);
    assert_eq!(addresses[0], Some(eip155_sender()));
    assert_ne!(addresses[1], Some(eip155_sender()));
    assert_eq!(addresses[1], k256_ecrecover(&(hash, r, s, 1)));
}

#[test]
fn ecrecover_matches_ethereum_semantics() {
    let mut cases: Vec<RecoverCase> = Vec::new();
    for i in 0..16 {
        let key = signing_key(&random("recover secret", i));
        let prehash = random("recover message", i);
        let (signature, recovery_id) = key.sign_prehash_recoverable(&prehash).unwrap();
        let (r, s) = split(&signature);
        let id = recovery_id.to_byte();
        let high_s: [u8; 32] = (-scalar(&s)).to_bytes().into();
        cases.push((prehash, r, s, id));
        // High s with the other recovery id: the same key (Ethereum's precompile accepts it).
        cases.push((prehash, r, high_s, id ^ 1));
        // The wrong recovery id: another key.
        cases.push((prehash, r, s, id ^ 1));
        // Another message: another key.
        cases.push((random("other", i), r, s, id));
    }
    let (prehash, r, s, id) = cases[0];
    let n_plus_1 = add_be(&N, &small(1));
    for bad in [[0; 32], N, n_plus_1, [0xFF; 32]] {
        cases.push((prehash, bad, s, id));
        cases.push((prehash, r, bad, id));
    }
    for bad_id in [2, 3, 27, 28, 255] {
        cases.push((prehash, r, s, bad_id));
    }
    // r is not the x of any point.
    let (no_point, _) = find_x(1, false);
    cases.push((prehash, small(no_point), s, 0));
    // The recovered key would be the identity: with R = k·G, z = s·k makes s·R − z·G = 0.
    let k = scalar(&random("nonce", 0));
    let big_r = (ProjectivePoint::GENERATOR * k)
        .to_affine()
        .to_encoded_point(false);
    let r_of_k: [u8; 32] = (*big_r.x().unwrap()).into();
    let parity = big_r.y().unwrap()[31] & 1;
    let z: [u8; 32] = (scalar(&s) * k).to_bytes().into();
    cases.push((z, r_of_k, s, parity));

    let expected: Vec<Option<[u8; 20]>> = cases.iter().map(k256_ecrecover).collect();
    assert_eq!(expected[0], Some(address(&recover_key(&cases[0]))));
    assert_eq!(expected[0], expected[1], "high s recovers the same key");
    assert!(expected.last().unwrap().is_none());
    let (addresses, _) = recover_guest(&cases);
    for (i, (case, (got, want))) in cases
        .iter()
        .zip(addresses.iter().zip(&expected))
        .enumerate()
    {
        assert_eq!(got, want, "case {i}: {case:02x?}");
    }
    assert_eq!(addresses.len(), expected.len());
}

/// The key of a low-s case, by k256 directly.
fn recover_key((prehash, r, s, id): &RecoverCase) -> VerifyingKey {
    let signature = Signature::from_scalars(*r, *s).unwrap();
    VerifyingKey::recover_from_prehash(prehash, &signature, RecoveryId::from_byte(*id).unwrap())
        .unwrap()
}

#[test]
fn precompiles_save_at_least_20x_cycles_per_verification() {
    // Valid signatures only (every step runs); cycles per verification by the difference
    // between runs with `count` signatures and with none.
    let count = 4;
    let cases: Vec<VerifyCase> = signature_cases()
        .into_iter()
        .step_by(4)
        .skip(4)
        .take(count)
        .collect();
    assert!(cases.iter().all(k256_verify));
    let per_verification = |guest: &str| {
        let (verdicts, cycles) = verify_guest(guest, &cases);
        assert!(verdicts.iter().all(|&ok| ok), "{guest}");
        let (_, baseline) = verify_guest(guest, &[]);
        (cycles - baseline) / count as u64
    };
    let precompile = per_verification("ecdsa");
    let software = per_verification("ecdsa-sw");
    let recover_cases: Vec<RecoverCase> = cases
        .iter()
        .map(|(_, prehash, r, s)| (*prehash, *r, *s, 0))
        .collect();
    let (_, recover_cycles) = recover_guest(&recover_cases);
    let (_, recover_baseline) = recover_guest(&[]);
    let recover = (recover_cycles - recover_baseline) / count as u64;
    println!(
        "cycles per verification: {precompile} with the precompiles, {software} in software \
         (k256), {:.0}x; per ecrecover + address: {recover}",
        software as f64 / precompile as f64
    );
    assert!(
        software >= 20 * precompile,
        "{software} vs {precompile} cycles"
    );
}
