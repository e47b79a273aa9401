//! The mutations: edits of a serialized proof's bytes, and swaps of two parts of a decoded
//! proof that have the same type (commitments, opened values, FRI openings, proof-of-work
//! witnesses, whole instances).

use geode_executor::testing::SplitMix64;
use geode_stark::StarkProof;

/// An edit of a serialized proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ByteEdit {
    /// XOR one byte at a random position with a random non-zero mask.
    Flip,
    /// Zero a random range of 1 to 64 bytes that holds a non-zero byte.
    Zero,
    /// Cut the proof at a random length.
    Truncate,
    /// Append, or insert at a random position, 1 to 64 random bytes.
    Extend,
    /// Swap two disjoint equal-length ranges (1 to 32 bytes) whose contents differ.
    SwapRanges,
    /// Re-encode one of the leading integers (the version, the chip count, a chip name's
    /// length) as an overlong LEB128 varint: the same value in 2 to 5 bytes.
    Overlong,
}

impl ByteEdit {
    /// `bytes` with this edit applied at random places; always different from `bytes` (which
    /// must hold at least two different bytes).
    pub fn apply(self, bytes: &[u8], rng: &mut SplitMix64) -> Vec<u8> {
        let mut out = bytes.to_vec();
        let len = bytes.len();
        match self {
            ByteEdit::Flip => out[rng.below(len)] ^= 1 + rng.below(255) as u8,
            ByteEdit::Zero => loop {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                if out[start..end].iter().any(|&b| b != 0) {
                    out[start..end].fill(0);
                    break;
                }
            },
            ByteEdit::Truncate => out.truncate(rng.below(len)),
            ByteEdit::Extend => {
                let extra: Vec<u8> = (0..1 + rng.below(64))
                    .map(|_| rng.next_u64() as u8)
                    .collect();
                let at = if rng.below(2) == 0 {
                    len
                } else {
                    rng.below(len)
                };
                out.splice(at..at, extra);
            }
            ByteEdit::Overlong => {
                let positions = header_varints(bytes);
                let at = positions[rng.below(positions.len())];
                let mut long = vec![bytes[at] | 0x80];
                long.extend(std::iter::repeat_n(0x80, rng.below(3)));
                long.push(0);
                out.splice(at..=at, long);
            }
            ByteEdit::SwapRanges => loop {
                let n = 1 + rng.below(32.min(len / 2));
                let a = rng.below(len - 2 * n + 1);
                let b = a + n + rng.below(len - a - 2 * n + 1);
                if out[a..a + n] != out[b..b + n] {
                    for k in 0..n {
                        out.swap(a + k, b + k);
                    }
                    break;
                }
            },
        }
        out
    }
}

/// Positions of the one-byte varints a serialized proof starts with: the version, the chip
/// count, and each chip name's length (postcard writes each name as its length and its bytes).
fn header_varints(bytes: &[u8]) -> Vec<usize> {
    let one_byte = |at: usize| bytes.get(at).copied().filter(|&b| b < 0x80);
    let mut positions = vec![0];
    let (Some(_), Some(count)) = (one_byte(0), one_byte(1)) else {
        return positions;
    };
    positions.push(1);
    let mut at = 2;
    for _ in 0..count {
        let Some(len) = one_byte(at) else { break };
        positions.push(at);
        at += 1 + usize::from(len);
    }
    positions
}

/// A swap of two same-typed parts of a decoded proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Swap {
    /// The main-trace and quotient commitments.
    MainQuotientCommitments,
    /// The main-trace and LogUp (permutation) commitments.
    MainPermutationCommitments,
    /// One instance's trace openings at `zeta` and at `g·zeta`.
    TraceLocalNext,
    /// Two columns of one instance's trace opening at `zeta`.
    TraceColumns,
    /// Two quotient chunks of one instance.
    QuotientChunks,
    /// One instance's LogUp openings at `zeta` and at `g·zeta`.
    PermutationLocalNext,
    /// Two instances' trace heights.
    DegreeBits,
    /// Two instances' LogUp terminals (their claimed bus sums).
    LookupTerminals,
    /// Two instances' opened values.
    InstanceOpenings,
    /// Two whole instances: chip names, heights, openings and terminals (a reordered proof).
    WholeInstances,
    /// Two FRI commit-phase commitments.
    FriCommitments,
    /// Two FRI commit-phase rounds' openings.
    FriRounds,
    /// Two queries' openings of one committed batch.
    FriQueryOpenings,
    /// Two queries' sibling values in one FRI round.
    FriSiblings,
    /// Two proof-of-work witnesses (query and batching, two commit rounds, LogUp and `zeta`).
    PowWitnesses,
}

impl Swap {
    /// Every swap.
    pub const ALL: [Swap; 15] = [
        Swap::MainQuotientCommitments,
        Swap::MainPermutationCommitments,
        Swap::TraceLocalNext,
        Swap::TraceColumns,
        Swap::QuotientChunks,
        Swap::PermutationLocalNext,
        Swap::DegreeBits,
        Swap::LookupTerminals,
        Swap::InstanceOpenings,
        Swap::WholeInstances,
        Swap::FriCommitments,
        Swap::FriRounds,
        Swap::FriQueryOpenings,
        Swap::FriSiblings,
        Swap::PowWitnesses,
    ];

    /// Applies the swap at randomly chosen places. Returns `false` if the proof has nothing of
    /// the kind to swap there (the caller tries again); the swap may still leave the proof
    /// unchanged if the two parts are equal, which the caller checks on the bytes.
    pub fn apply(self, proof: &mut StarkProof, rng: &mut SplitMix64) -> bool {
        let inner = &mut proof.inner;
        let n = inner.opened_values.instances.len();
        let i = rng.below(n.max(1));
        let pair = pick_pair(rng, n);
        let one = inner.opened_values.instances.get_mut(i);
        let fri = &mut inner.opening_proof;
        match self {
            Swap::MainQuotientCommitments => {
                let c = &mut inner.commitments;
                std::mem::swap(&mut c.main, &mut c.quotient_chunks);
            }
            Swap::MainPermutationCommitments => {
                let c = &mut inner.commitments;
                let Some(perm) = c.permutation.as_mut() else {
                    return false;
                };
                std::mem::swap(&mut c.main, perm);
            }
            Swap::TraceLocalNext => {
                let Some(v) = one else { return false };
                let base = &mut v.base_opened_values;
                let Some(next) = base.trace_next.as_mut() else {
                    return false;
                };
                std::mem::swap(&mut base.trace_local, next);
            }
            Swap::TraceColumns => {
                let Some(v) = one else { return false };
                let local = &mut v.base_opened_values.trace_local;
                let Some((a, b)) = pick_pair(rng, local.len()) else {
                    return false;
                };
                local.swap(a, b);
            }
            Swap::QuotientChunks => {
                let Some(v) = one else { return false };
                let chunks = &mut v.base_opened_values.quotient_chunks;
                let Some((a, b)) = pick_pair(rng, chunks.len()) else {
                    return false;
                };
                chunks.swap(a, b);
            }
            Swap::PermutationLocalNext => {
                let Some(v) = one else { return false };
                std::mem::swap(&mut v.permutation_local, &mut v.permutation_next);
            }
            Swap::DegreeBits | Swap::LookupTerminals | Swap::InstanceOpenings => {
                let Some((a, b)) = pair else { return false };
                match self {
                    Swap::DegreeBits => inner.degree_bits.swap(a, b),
                    Swap::LookupTerminals => inner.lookup_terminals.swap(a, b),
                    _ => inner.opened_values.instances.swap(a, b),
                }
            }
            Swap::WholeInstances => {
                let Some((a, b)) = pair else { return false };
                proof.chips.swap(a, b);
                inner.degree_bits.swap(a, b);
                inner.lookup_terminals.swap(a, b);
                inner.opened_values.instances.swap(a, b);
            }
            Swap::FriCommitments => {
                let Some((a, b)) = pick_pair(rng, fri.commit_phase_commits.len()) else {
                    return false;
                };
                fri.commit_phase_commits.swap(a, b);
            }
            Swap::FriRounds => {
                let Some((a, b)) = pick_pair(rng, fri.commit_phase_openings.len()) else {
                    return false;
                };
                fri.commit_phase_openings.swap(a, b);
            }
            Swap::FriQueryOpenings => {
                let batches = fri.input_openings.len();
                let Some(batch) = fri.input_openings.get_mut(rng.below(batches.max(1))) else {
                    return false;
                };
                let Some((a, b)) = pick_pair(rng, batch.opened_values.len()) else {
                    return false;
                };
                batch.opened_values.swap(a, b);
            }
            Swap::FriSiblings => {
                let rounds = fri.commit_phase_openings.len();
                let Some(round) = fri.commit_phase_openings.get_mut(rng.below(rounds.max(1)))
                else {
                    return false;
                };
                let Some((a, b)) = pick_pair(rng, round.sibling_values.len()) else {
                    return false;
                };
                round.sibling_values.swap(a, b);
            }
            Swap::PowWitnesses => match rng.below(3) {
                0 => std::mem::swap(&mut fri.batch_pow_witness, &mut fri.query_pow_witness),
                1 => {
                    let Some((a, b)) = pick_pair(rng, fri.commit_pow_witnesses.len()) else {
                        return false;
                    };
                    fri.commit_pow_witnesses.swap(a, b);
                }
                _ => {
                    let Some(lookup) = inner.lookup_pow_witness.as_mut() else {
                        return false;
                    };
                    std::mem::swap(lookup, &mut inner.ood_pow_witness);
                }
            },
        }
        true
    }
}

/// Two different indices below `n`, if there are two.
fn pick_pair(rng: &mut SplitMix64, n: usize) -> Option<(usize, usize)> {
    if n < 2 {
        return None;
    }
    let a = rng.below(n);
    let b = (a + 1 + rng.below(n - 1)) % n;
    Some((a, b))
}
