//! Decoding with `rrs-lib`, once, at load time.

use rrs_lib::InstructionProcessor;
use rrs_lib::instruction_formats::{BType, IType, ITypeShamt, JType, RType, SType, UType};
use rrs_lib::instruction_string_outputter::InstructionStringOutputter;

use crate::isa::{Instruction, Opcode};

const ECALL: u32 = 0x0000_0073;
const EBREAK: u32 = 0x0010_0073;
const OPCODE_MASK: u32 = 0x7f;
const OPCODE_OP_IMM: u32 = 0x13;
const OPCODE_JALR: u32 = 0x67;
const FUNCT3_SLLI: u32 = 0b001;

/// Decodes one instruction word. Anything that is not RV32IM (or `fence`/`ecall`) decodes to
/// [`Opcode::Illegal`], which faults only when executed.
pub fn decode(word: u32) -> Instruction {
    if word == ECALL {
        return Instruction {
            opcode: Opcode::Ecall,
            rd: geode_platform::reg::A0 as u8,
            rs1: geode_platform::reg::T0 as u8,
            rs2: geode_platform::reg::A0 as u8,
            imm: 0,
        };
    }
    // rrs-lib accepts two encodings the spec reserves; reject them here.
    let funct3 = (word >> 12) & 0b111;
    let reserved = match word & OPCODE_MASK {
        OPCODE_OP_IMM => funct3 == FUNCT3_SLLI && (word >> 25) != 0,
        OPCODE_JALR => funct3 != 0,
        _ => false,
    };
    if reserved {
        return Instruction::illegal(word);
    }
    rrs_lib::process_instruction(&mut Decoder, word).unwrap_or(Instruction::illegal(word))
}

/// Human-readable disassembly of `word` at `pc`, for errors and `--trace`.
pub fn disassemble(word: u32, pc: u32) -> String {
    match word {
        ECALL => "ecall".to_owned(),
        EBREAK => "ebreak (unsupported)".to_owned(),
        _ if decode(word).opcode == Opcode::Illegal => {
            format!("unsupported instruction {word:#010x}")
        }
        _ => rrs_lib::process_instruction(&mut InstructionStringOutputter { insn_pc: pc }, word)
            .unwrap_or_else(|| format!("{word:#010x}")),
    }
}

struct Decoder;

fn r(opcode: Opcode, d: RType) -> Instruction {
    Instruction {
        opcode,
        rd: d.rd as u8,
        rs1: d.rs1 as u8,
        rs2: d.rs2 as u8,
        imm: 0,
    }
}
fn i(opcode: Opcode, d: IType) -> Instruction {
    Instruction {
        opcode,
        rd: d.rd as u8,
        rs1: d.rs1 as u8,
        rs2: 0,
        imm: d.imm as u32,
    }
}
fn sh(opcode: Opcode, d: ITypeShamt) -> Instruction {
    Instruction {
        opcode,
        rd: d.rd as u8,
        rs1: d.rs1 as u8,
        rs2: 0,
        imm: d.shamt,
    }
}
fn s(opcode: Opcode, d: SType) -> Instruction {
    Instruction {
        opcode,
        rd: 0,
        rs1: d.rs1 as u8,
        rs2: d.rs2 as u8,
        imm: d.imm as u32,
    }
}
fn b(opcode: Opcode, d: BType) -> Instruction {
    Instruction {
        opcode,
        rd: 0,
        rs1: d.rs1 as u8,
        rs2: d.rs2 as u8,
        imm: d.imm as u32,
    }
}
fn u(opcode: Opcode, d: UType) -> Instruction {
    Instruction {
        opcode,
        rd: d.rd as u8,
        rs1: 0,
        rs2: 0,
        imm: d.imm as u32,
    }
}

/// One line per instruction: the rrs-lib callback and the opcode it decodes to.
macro_rules! decode_table {
    ($($method:ident($fmt:ty) => $build:ident($opcode:ident);)*) => {
        impl InstructionProcessor for Decoder {
            type InstructionResult = Instruction;
            $(fn $method(&mut self, d: $fmt) -> Instruction { $build(Opcode::$opcode, d) })*
        }
    };
}

decode_table! {
    process_add(RType) => r(Add);
    process_sub(RType) => r(Sub);
    process_sll(RType) => r(Sll);
    process_slt(RType) => r(Slt);
    process_sltu(RType) => r(Sltu);
    process_xor(RType) => r(Xor);
    process_srl(RType) => r(Srl);
    process_sra(RType) => r(Sra);
    process_or(RType) => r(Or);
    process_and(RType) => r(And);
    process_addi(IType) => i(Addi);
    process_slli(ITypeShamt) => sh(Slli);
    process_slti(IType) => i(Slti);
    process_sltui(IType) => i(Sltiu);
    process_xori(IType) => i(Xori);
    process_srli(ITypeShamt) => sh(Srli);
    process_srai(ITypeShamt) => sh(Srai);
    process_ori(IType) => i(Ori);
    process_andi(IType) => i(Andi);
    process_lui(UType) => u(Lui);
    process_auipc(UType) => u(Auipc);
    process_beq(BType) => b(Beq);
    process_bne(BType) => b(Bne);
    process_blt(BType) => b(Blt);
    process_bltu(BType) => b(Bltu);
    process_bge(BType) => b(Bge);
    process_bgeu(BType) => b(Bgeu);
    process_lb(IType) => i(Lb);
    process_lbu(IType) => i(Lbu);
    process_lh(IType) => i(Lh);
    process_lhu(IType) => i(Lhu);
    process_lw(IType) => i(Lw);
    process_sb(SType) => s(Sb);
    process_sh(SType) => s(Sh);
    process_sw(SType) => s(Sw);
    process_jal(JType) => u_j(Jal);
    process_jalr(IType) => i(Jalr);
    process_mul(RType) => r(Mul);
    process_mulh(RType) => r(Mulh);
    process_mulhu(RType) => r(Mulhu);
    process_mulhsu(RType) => r(Mulhsu);
    process_div(RType) => r(Div);
    process_divu(RType) => r(Divu);
    process_rem(RType) => r(Rem);
    process_remu(RType) => r(Remu);
    process_fence(IType) => fence(Fence);
}

fn u_j(opcode: Opcode, d: JType) -> Instruction {
    Instruction {
        opcode,
        rd: d.rd as u8,
        rs1: 0,
        rs2: 0,
        imm: d.imm as u32,
    }
}
fn fence(opcode: Opcode, _: IType) -> Instruction {
    Instruction {
        opcode,
        rd: 0,
        rs1: 0,
        rs2: 0,
        imm: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_representative_words() {
        // addi x17, x12, 123
        assert_eq!(
            decode(0x07b6_0893),
            Instruction {
                opcode: Opcode::Addi,
                rd: 17,
                rs1: 12,
                rs2: 0,
                imm: 123
            }
        );
        // lui x5, 0xfffff
        assert_eq!(decode(0xffff_f2b7).imm, 0xffff_f000);
        // srai x1, x2, 31
        let srai = decode(0x41f1_5093);
        assert_eq!((srai.opcode, srai.imm), (Opcode::Srai, 31));
        assert_eq!(decode(ECALL).opcode, Opcode::Ecall);
    }

    #[test]
    fn rejects_what_rv32im_lacks() {
        for word in [
            EBREAK,
            0x3400_2573, // csrr a0, mscratch
            0x0000_100f, // fence.i
            0x0000_0000, // all zeros (defined illegal)
            0xffff_ffff,
            0x0200_1093, // slli with shamt[5] set (RV64 only)
            0x0000_1067, // jalr with funct3 = 1
            0x0000_4501, // compressed c.li
            0x0005_2007, // flw
        ] {
            assert_eq!(decode(word).opcode, Opcode::Illegal, "{word:#010x}");
        }
    }

    #[test]
    fn disassembles() {
        assert_eq!(disassemble(0x07b6_0893, 0), "addi x17, x12, 123");
        assert_eq!(disassemble(ECALL, 0), "ecall");
        assert!(disassemble(0xffff_ffff, 0).contains("unsupported"));
    }
}
