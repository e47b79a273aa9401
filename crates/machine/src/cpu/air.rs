//! The CPU's constraints.

use geode_stark::{Bus, Val};
use p3_air::{Air, AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::CpuChip;
use super::columns::{CpuCols, pack_flags};
use crate::alu::eval_add_by_halves;
use crate::bus::{ByteOp, ExecRequest, GeodeBus, byte_lookup, check_top_byte_below_32, send_exec};
use crate::memory::access::{eval_access, eval_access_leaving_hi};

use crate::memory::word_of_bytes as word;

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for CpuChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = CpuCols::from_slice(main.current_slice());
        let next = CpuCols::from_slice(main.next_slice());
        let i = &local.insn;
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        let one = AB::Expr::ONE;
        // A real row runs an instruction: exactly one class flag is set (the flags are
        // boolean, and each set one forces the sum to 1), else none (padding). Real rows come
        // first; the program table's flags are trusted only on real rows.
        let real: AB::Expr = i.classes().map(e).into_iter().sum();
        let next_real: AB::Expr = next.insn.classes().map(e).into_iter().sum();
        builder
            .when_transition()
            .assert_zero(next_real.clone() * (one.clone() - real.clone()));
        for flag in i.flags() {
            builder.assert_bool(flag);
            builder.assert_zero(e(flag) * (one.clone() - real.clone()));
        }
        builder.assert_bool(local.is_halt);
        // The scratch cells mean what the row's class says (the classes are exclusive).
        let (jalr, branch) = (local.jalr(), local.branch());
        for (class, flag) in [
            (i.is_branch, local.a[0]),
            (i.is_branch, branch.taken),
            (i.branch_eq, branch.eq_lo),
            (i.branch_eq, branch.eq_hi),
            (i.is_jalr, jalr.bit0),
        ] {
            builder.when(e(class)).assert_bool(flag);
        }

        // The run starts at the entry point at cycle 1 and steps one cycle per row.
        builder.when_first_row().assert_one(real.clone());
        builder.when_first_row().assert_one(local.clk);
        builder
            .when_first_row()
            .assert_eq(local.pc, AB::Expr::from_u32(self.entry));
        builder
            .when_transition()
            .assert_zero(next_real.clone() * (e(next.clk) - e(local.clk) - one.clone()));

        // The instruction at pc is the ELF's.
        let mut message = vec![e(local.pc), e(i.opcode), e(i.rd), e(i.rs1), e(i.rs2)];
        message.extend(i.imm.map(e));
        message.extend([e(i.imm_field), e(i.exec_op), pack_flags(i.flags().map(e))]);
        GeodeBus::Program.send(builder, message, real.clone(), 1);

        // Registers: rs1 at slot 0, rs2 at slot 1, rd at slot 3.
        let ts = e(local.clk) * AB::Expr::from_u8(4);
        // Reads: each leaves the value it found.
        for (port, reg, slot, reads) in [
            (&local.rs1_access, i.rs1, ts.clone(), i.reads_rs1),
            (
                &local.rs2_access,
                i.rs2,
                ts.clone() + one.clone(),
                i.reads_rs2,
            ),
        ] {
            let found = port.prev_value.map(e);
            eval_access_leaving_hi(builder, port, e(reg), found, slot, e(reads));
        }
        // Both reads' gap high bytes in one lookup, on every real row (an unused port's is 0).
        byte_lookup(
            builder,
            ByteOp::Pair,
            e(local.rs1_access.diff_hi),
            e(local.rs2_access.diff_hi),
            AB::Expr::ZERO,
            real.clone(),
        );
        let a = local.a.map(e);
        eval_access(
            builder,
            &local.rd_access,
            e(i.rd),
            a.clone(),
            ts + AB::Expr::from_u8(3),
            e(i.writes_rd),
        );
        for byte in &a {
            builder.assert_zero(e(i.rd_is_x0) * byte.clone());
        }
        let b = local.rs1_access.prev_value.map(e);
        let c = local.rs2_access.prev_value.map(e);
        let imm = i.imm.map(e);
        let pc = e(local.pc);
        // The next row's pc (every class but HALT has a next real row, and padding rows have
        // no class, so these hold on the last row too, wrapping to the first).
        let next_pc = e(next.pc);
        let four = AB::Expr::from_u8(4);
        let writes = one.clone() - e(i.rd_is_x0);

        // The ALU's second operand: the immediate or rs2.
        let is_imm = e(i.is_imm);
        let c_op: [AB::Expr; 4] = std::array::from_fn(|k| {
            c[k].clone() + is_imm.clone() * (imm[k].clone() - c[k].clone())
        });
        // ADD/ADDI to a register: a = b + c_op. Every cell is a byte: a is looked up below,
        // b is a register, c_op an immediate byte or a register.
        eval_add_by_halves(builder, e(i.is_add), [&b, &c_op, &a], local.add().carry);

        // Every class but LUI and JAL makes one request on the exec bus, in its common layout
        // (`ExecRequest`), so one message serves them all: `exec_op` (from the program table)
        // is the ALU op or the load-store or syscall tag, and the operands are the row's own
        // cells, which each class fills to suit. AUIPC's b is the pc (it reads no rs1), JALR's
        // result is rs1 + imm in c (it reads no rs2), a branch's is its comparison in a.
        let ls = e(i.is_load_store);
        let is_jalr = e(i.is_jalr);
        let request = ExecRequest {
            op: e(i.exec_op),
            a: std::array::from_fn(|k| {
                a[k].clone() + is_jalr.clone() * (c[k].clone() - a[k].clone())
            }),
            b: b.clone(),
            c: c_op,
            d: c.clone().map(|x| ls.clone() * x),
            clk: (ls.clone() + e(i.is_ecall)) * e(local.clk),
            opcode: ls.clone() * e(i.opcode),
            rd_is_x0: ls.clone() * e(i.rd_is_x0),
        };
        // An ALU instruction whose result is discarded asks nothing, nor does an ADD the CPU
        // does itself or a BEQ/BNE.
        let count = e(i.is_alu) * (writes.clone() - e(i.is_add))
            + e(i.is_auipc) * writes.clone()
            + e(i.is_branch) * (one.clone() - e(i.branch_eq))
            + is_jalr.clone()
            + ls
            + e(i.is_ecall);
        send_exec(builder, request, count);

        // LUI writes the immediate; AUIPC adds it to the pc (below 2^29: b's bytes are bytes,
        // checked by the add-sub chip, and the top one is below 32).
        for k in 0..4 {
            // Skipped for `lui x0, …`, whose result is discarded (a = 0).
            builder.assert_zero(e(i.is_lui) * writes.clone() * (a[k].clone() - imm[k].clone()));
        }
        builder.assert_zero(e(i.is_auipc) * (word(&b) - pc.clone()));

        // JAL/JALR link pc + 4 (below 2^29, so the bytes cannot alias it modulo p).
        let jump = e(i.is_jal) + is_jalr.clone();
        builder.assert_zero(jump.clone() * writes * (word(&a) - pc.clone() - four.clone()));
        // The bytes of a jump's link and of an in-CPU sum. The classes are exclusive, so the
        // low pair shares a column with AUIPC's top-byte check.
        let checks_a = jump.clone() + e(i.is_add);
        let pair = AB::Expr::from_u8(ByteOp::Pair as u8);
        GeodeBus::Byte.send_exclusive(
            builder,
            [
                (
                    checks_a.clone(),
                    vec![pair.clone(), a[0].clone(), a[1].clone(), AB::Expr::ZERO],
                    one.clone(),
                ),
                (
                    e(i.is_auipc),
                    vec![
                        pair,
                        b[3].clone(),
                        b[3].clone() * AB::Expr::from_u8(8),
                        AB::Expr::ZERO,
                    ],
                    one.clone(),
                ),
            ],
            1,
        );
        byte_lookup(
            builder,
            ByteOp::Pair,
            a[2].clone(),
            a[3].clone(),
            AB::Expr::ZERO,
            checks_a,
        );
        check_top_byte_below_32(builder, a[3].clone(), jump);

        // Branches: BEQ/BNE compare b and c by halves here; the others ask the ALU (above),
        // whose result (cmp, 0, 0, 0) is a.
        let branch_eq = e(i.branch_eq);
        let half =
            |w: &[AB::Expr; 4], k: usize| w[k].clone() + w[k + 1].clone() * AB::Expr::from_u16(256);
        for (diff, inv, eq) in [
            (half(&b, 0) - half(&c, 0), branch.diff_lo_inv, branch.eq_lo),
            (half(&b, 2) - half(&c, 2), branch.diff_hi_inv, branch.eq_hi),
        ] {
            builder.assert_zero(branch_eq.clone() * (e(eq) - one.clone() + diff.clone() * e(inv)));
            builder.assert_zero(branch_eq.clone() * diff * e(eq));
        }
        // BEQ/BNE: equal when both halves are (and a's other bytes 0, as the ALU's would be).
        let cmp = a[0].clone();
        builder.assert_zero(branch_eq.clone() * (cmp.clone() - e(branch.eq_lo) * e(branch.eq_hi)));
        for byte in &a[1..] {
            builder.assert_zero(branch_eq.clone() * byte.clone());
        }
        let negate = e(i.branch_negate);
        let taken = cmp.clone() + negate * (one.clone() - cmp * AB::Expr::TWO);
        builder.assert_zero(e(i.is_branch) * (e(branch.taken) - taken));

        // Next pc by class.
        let sequential =
            e(i.is_alu) + e(i.is_load_store) + e(i.is_lui) + e(i.is_auipc) + e(i.is_ecall)
                - e(local.is_halt);
        builder.assert_zero(sequential * (next_pc.clone() - pc.clone() - four.clone()));
        let branch_target = pc.clone() + four.clone() + e(branch.taken) * (e(i.imm_field) - four);
        builder.assert_zero(e(i.is_branch) * (next_pc.clone() - branch_target));
        builder.assert_zero(e(i.is_jal) * (next_pc.clone() - pc - e(i.imm_field)));
        // JALR: (rs1 + imm) & !1, below 2^29. The sum's bytes are bytes (the add-sub chip checks
        // them), so one lookup shows `half` a byte (then `2·half + bit0 = sum[0]` holds over
        // the integers) and `8·sum[3]` a byte (the top byte is below 32).
        let sum = &c;
        let low = e(jalr.half) * AB::Expr::TWO;
        builder.assert_zero(is_jalr.clone() * (sum[0].clone() - low.clone() - e(jalr.bit0)));
        byte_lookup(
            builder,
            ByteOp::Pair,
            e(jalr.half),
            sum[3].clone() * AB::Expr::from_u8(8),
            AB::Expr::ZERO,
            is_jalr.clone(),
        );
        let target = word(&[low, sum[1].clone(), sum[2].clone(), sum[3].clone()]);
        builder.assert_zero(is_jalr * (next_pc - target));

        // The run ends with HALT (t0 = 0), and nothing runs after it.
        builder.assert_zero(e(local.is_halt) * (one.clone() - e(i.is_ecall)));
        for byte in &b {
            builder.assert_zero(e(local.is_halt) * byte.clone());
        }
        builder
            .when_transition()
            .assert_zero(e(local.is_halt) * next_real.clone());
        // Real rows come first, so `real - next_real` is 1 exactly on the last real row.
        let ends_here = real.clone() - next_real;
        builder
            .when_transition()
            .assert_zero(ends_here * (one.clone() - e(local.is_halt)));
        builder
            .when_last_row()
            .assert_zero(real * (one - e(local.is_halt)));
    }
}
