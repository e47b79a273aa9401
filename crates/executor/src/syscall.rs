//! Syscalls, dispatched on the id in `t0` (see `geode_platform::syscall`).

use geode_platform::memory::{WORD_BYTES, is_valid_range};
use geode_platform::syscall::{self as id, KECCAK_STATE_BYTES};
use geode_platform::{DIGEST_BYTES, fd, reg};

use crate::error::ExecError;
use crate::machine::Machine;
use crate::record::{KeccakEvent, RegisterRead, SLOT_MEM, SyscallEvent};
use crate::tracer::Tracer;

mod precompile;

impl<T: Tracer> Machine<'_, T> {
    /// Runs the syscall `id` with `a0 = arg0`; returns the new value of `a0`.
    #[inline(never)]
    pub(crate) fn ecall(&mut self, pc: u32, syscall: u32, arg0: u32) -> Result<u32, ExecError> {
        let Some(name) = id::name(syscall) else {
            let insn = self.program.word_at(pc);
            return Err(ExecError::UnknownSyscall {
                pc,
                insn,
                id: syscall,
            });
        };
        let arg1 = self.read_arg(reg::A1);
        let arg2 = self.read_arg(reg::A2);
        let memory_start = self.tracer.memory_len();
        let bad = |reason: String| ExecError::BadSyscall {
            pc,
            insn: self.program.word_at(pc),
            name,
            reason,
        };
        let result = match syscall {
            id::HALT => {
                let words = self
                    .read_words(arg1.value, DIGEST_BYTES as u32)
                    .map_err(bad)?;
                let mut digest = [0u8; DIGEST_BYTES];
                for (chunk, word) in digest.chunks_exact_mut(4).zip(words) {
                    chunk.copy_from_slice(&word.to_le_bytes());
                }
                self.exit = Some((arg0, digest));
                arg0
            }
            id::WRITE => {
                if arg0 != fd::STDOUT && arg0 != fd::STDERR {
                    return Err(bad(format!("file descriptor {arg0} is not 1 or 2")));
                }
                self.charge_output(pc, arg2.value)?;
                let bytes = self.peek_bytes(arg1.value, arg2.value).map_err(bad)?;
                let sink = if arg0 == fd::STDOUT {
                    &mut self.stdout
                } else {
                    &mut self.stderr
                };
                sink.extend_from_slice(&bytes);
                arg0
            }
            id::HINT_LEN => self.input.len() as u32,
            id::HINT_READ => {
                let (ptr, len) = (arg0, arg1.value);
                if len as usize > self.input.len() {
                    let left = self.input.len();
                    return Err(bad(format!(
                        "asked for {len} bytes, {left} left in the input"
                    )));
                }
                let (bytes, rest) = self.input.split_at(len as usize);
                self.input = rest;
                self.write_bytes(ptr, bytes).map_err(bad)?;
                arg0
            }
            id::COMMIT => {
                // Not recorded as memory accesses: the output is bound to the proof by the
                // digest HALT reads, which the verifier checks against these bytes.
                self.charge_output(pc, arg1.value)?;
                let bytes = self.peek_bytes(arg0, arg1.value).map_err(bad)?;
                self.public_output.extend_from_slice(&bytes);
                arg0
            }
            id::KECCAK_PERMUTE => {
                let words = self.peek_words(arg0, KECCAK_STATE_BYTES).map_err(bad)?;
                let input: [u64; 25] = std::array::from_fn(|i| {
                    u64::from(words[2 * i]) | (u64::from(words[2 * i + 1]) << 32)
                });
                let mut output = input;
                tiny_keccak::keccakf(&mut output);
                let words: [u32; 50] =
                    std::array::from_fn(|k| (output[k / 2] >> (32 * (k % 2))) as u32);
                self.write_words(arg0, &words);
                if T::RECORDING {
                    self.tracer.keccak(KeccakEvent {
                        clk: self.clk,
                        ptr: arg0,
                        input,
                        output,
                    });
                }
                arg0
            }
            id::SECP256K1_ADD => {
                self.secp256k1_add(arg0, arg1.value).map_err(bad)?;
                arg0
            }
            id::SECP256K1_DOUBLE => {
                self.secp256k1_double(arg0).map_err(bad)?;
                arg0
            }
            id::UINT256_MULMOD => {
                self.uint256_mulmod(arg0, arg1.value).map_err(bad)?;
                arg0
            }
            _ => unreachable!("id::name knows exactly the ids matched above"),
        };
        if T::RECORDING {
            let memory_end = self.tracer.memory_len();
            let event = SyscallEvent {
                clk: self.clk,
                id: syscall,
                arg0,
                arg1,
                arg2,
                memory_start,
                memory_end,
            };
            self.tracer.syscall(event);
        }
        Ok(result)
    }

    fn read_arg(&mut self, r: usize) -> RegisterRead {
        let prev_ts = if T::RECORDING {
            self.touch_reg(r as u8, SLOT_MEM)
        } else {
            0
        };
        RegisterRead {
            value: self.regs[r],
            prev_ts,
        }
    }

    fn check_range(ptr: u32, len: u32) -> Result<(), String> {
        if is_valid_range(ptr, len) {
            Ok(())
        } else {
            Err(format!(
                "buffer {ptr:#010x}..+{len:#x} is outside the memory map"
            ))
        }
    }

    fn check_aligned(ptr: u32) -> Result<(), String> {
        if ptr.is_multiple_of(WORD_BYTES) {
            Ok(())
        } else {
            Err(format!("pointer {ptr:#010x} is not word aligned"))
        }
    }

    /// Reads `len` (a multiple of 4) bytes of words at word-aligned `ptr`, recording each access.
    fn read_words(&mut self, ptr: u32, len: u32) -> Result<Vec<u32>, String> {
        let words = self.peek_words(ptr, len)?;
        self.record_reads(ptr, len);
        Ok(words)
    }

    /// Reads words without recording them.
    fn peek_words(&self, ptr: u32, len: u32) -> Result<Vec<u32>, String> {
        Self::check_aligned(ptr)?;
        Self::check_range(ptr, len)?;
        let first = (ptr / WORD_BYTES) as usize;
        Ok(self.mem[first..first + (len / WORD_BYTES) as usize].to_vec())
    }

    /// Records a read of each of the `len / 4` words at (already checked) `ptr`, in order.
    fn record_reads(&mut self, ptr: u32, len: u32) {
        if T::RECORDING {
            let first = (ptr / WORD_BYTES) as usize;
            for index in first..first + (len / WORD_BYTES) as usize {
                self.record_access(index, self.mem[index]);
            }
        }
    }

    /// Overwrites the words at (already checked) `ptr` with `words`: one read-modify-write per
    /// word, in address order.
    fn write_words(&mut self, ptr: u32, words: &[u32]) {
        let first = (ptr / WORD_BYTES) as usize;
        for (k, &word) in words.iter().enumerate() {
            let index = first + k;
            let prev = std::mem::replace(&mut self.mem[index], word);
            if T::RECORDING {
                self.record_access(index, prev);
            }
        }
    }

    /// Reads bytes without recording: for output that changes no state.
    fn peek_bytes(&self, ptr: u32, len: u32) -> Result<Vec<u8>, String> {
        Self::check_range(ptr, len)?;
        if len == 0 {
            return Ok(Vec::new());
        }
        let (first, last) = (
            (ptr / WORD_BYTES) as usize,
            ((ptr + len - 1) / WORD_BYTES) as usize,
        );
        let skip = (ptr % WORD_BYTES) as usize;
        let bytes = self.mem[first..=last].iter().flat_map(|w| w.to_le_bytes());
        Ok(bytes.skip(skip).take(len as usize).collect())
    }

    /// Counts `len` more output bytes against the run's output limit.
    fn charge_output(&mut self, pc: u32, len: u32) -> Result<(), ExecError> {
        self.output_bytes = self.output_bytes.saturating_add(len as usize);
        if self.output_bytes > self.max_output_bytes {
            let insn = self.program.word_at(pc);
            return Err(ExecError::OutputLimit {
                pc,
                insn,
                limit: self.max_output_bytes,
            });
        }
        Ok(())
    }

    /// Writes `bytes` at word-aligned `ptr`; a partial last word keeps its other bytes.
    fn write_bytes(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), String> {
        Self::check_aligned(ptr)?;
        Self::check_range(ptr, bytes.len() as u32)?;
        let first = (ptr / WORD_BYTES) as usize;
        for (k, chunk) in bytes.chunks(4).enumerate() {
            let index = first + k;
            let prev = self.mem[index];
            let mut le = prev.to_le_bytes();
            le[..chunk.len()].copy_from_slice(chunk);
            self.mem[index] = u32::from_le_bytes(le);
            if T::RECORDING {
                self.record_access(index, prev);
            }
        }
        Ok(())
    }
}
