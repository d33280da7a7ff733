//! The stepped threads' machine code as a student reads it: the bytes read from the child's
//! memory, decoded by a disassembler, each instruction named by what it does to `count += 1`
//! (load, add, store) and tied to the line of source it stands for.

use iced_x86::{
    Decoder, DecoderOptions, FlowControl, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind,
    Register,
};
use serde::Serialize;

/// What one instruction of the stepped loop does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Before the loop: waiting for the parent to open the gate.
    Gate,
    /// Reads the shared counter into the thread's register.
    Load,
    /// Adds one in the register; memory is untouched.
    Add,
    /// Writes the register back to the shared counter.
    Store,
    /// Counts the thread's own finished increments in a register nobody else sees.
    Tally,
    /// Jumps back to the load.
    Back,
    /// Anything else (the loop has none; kept so that an unexpected build says so).
    Other,
}

impl Role {
    /// The line of the loop's source this instruction stands for.
    pub fn source(self) -> &'static str {
        match self {
            Role::Gate => "wait until the parent opens the gate",
            Role::Load => "let mut r = count;",
            Role::Add => "r += 1;",
            Role::Store => "count = r;",
            Role::Tally => "mine += 1;",
            Role::Back => "loop { ... }",
            Role::Other => "",
        }
    }

    /// True for the three steps of `count += 1`, the ones the simulation has too.
    pub fn is_increment_part(self) -> bool {
        matches!(self, Role::Load | Role::Add | Role::Store)
    }
}

/// One decoded instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Its address in the child.
    pub address: u64,
    /// How many bytes it takes.
    pub len: u64,
    /// As Intel syntax writes it.
    pub text: String,
    pub role: Role,
    /// Where it sends the thread next: the following instruction, or a jump's target.
    pub next: u64,
}

/// The whole stepped function, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub lines: Vec<Line>,
    /// The first instruction of the loop: where every thread is stopped to begin with.
    pub loop_start: u64,
    /// The register a load fills: the thread's private copy of the counter.
    pub value_register: String,
    /// The register the thread counts its own increments in.
    pub tally_register: String,
}

/// Why machine code did not decode as the stepped loop.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListingError {
    #[error("the code has no jump back to the start of a loop")]
    NoLoop,
    #[error("the loop has no {0:?} instruction")]
    Missing(Role),
}

impl Listing {
    /// Decodes `code`, which sits at `address` in the child, up to and including the jump
    /// back that closes the loop.
    pub fn decode(code: &[u8], address: u64) -> Result<Self, ListingError> {
        let instructions = decode_loop(code, address)?;
        let back = instructions.last().ok_or(ListingError::NoLoop)?;
        let loop_start = back.near_branch_target();
        let load = instructions
            .iter()
            .find(|i| i.ip() >= loop_start && is_load(i))
            .ok_or(ListingError::Missing(Role::Load))?;
        let value = load.op0_register();
        let lines: Vec<Line> = instructions
            .iter()
            .map(|i| line_of(i, role_of(i, loop_start, value)))
            .collect();
        let tally = instructions
            .iter()
            .zip(&lines)
            .find(|(_, l)| l.role == Role::Tally)
            .map(|(i, _)| i.op0_register())
            .ok_or(ListingError::Missing(Role::Tally))?;
        for role in [Role::Add, Role::Store] {
            if !lines.iter().any(|l| l.role == role) {
                return Err(ListingError::Missing(role));
            }
        }
        Ok(Self {
            lines,
            loop_start,
            value_register: register_name(value),
            tally_register: register_name(tally),
        })
    }

    /// The line at `address`, if the listing has one there.
    pub fn line_at(&self, address: u64) -> Option<usize> {
        self.lines.iter().position(|l| l.address == address)
    }

    /// The address of the first instruction with this role.
    pub fn address_of(&self, role: Role) -> Option<u64> {
        self.lines
            .iter()
            .find(|l| l.role == role)
            .map(|l| l.address)
    }

    /// The lines of the loop itself, without the gate before it.
    pub fn loop_lines(&self) -> impl Iterator<Item = (usize, &Line)> {
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.role != Role::Gate)
    }
}

/// Decodes instructions until an unconditional jump backwards: the end of the loop.
fn decode_loop(code: &[u8], address: u64) -> Result<Vec<Instruction>, ListingError> {
    let mut decoder = Decoder::with_ip(64, code, address, DecoderOptions::NONE);
    let mut instructions = Vec::new();
    while decoder.can_decode() {
        let instruction = decoder.decode();
        if instruction.is_invalid() {
            break;
        }
        let closes_loop = instruction.flow_control() == FlowControl::UnconditionalBranch
            && instruction.near_branch_target() <= instruction.ip();
        instructions.push(instruction);
        if closes_loop {
            return Ok(instructions);
        }
    }
    Err(ListingError::NoLoop)
}

fn is_load(i: &Instruction) -> bool {
    i.mnemonic() == Mnemonic::Mov
        && i.op0_kind() == OpKind::Register
        && i.op1_kind() == OpKind::Memory
}

fn role_of(i: &Instruction, loop_start: u64, value: Register) -> Role {
    if i.ip() < loop_start {
        return Role::Gate;
    }
    let writes_memory = i.op0_kind() == OpKind::Memory;
    match i.mnemonic() {
        Mnemonic::Mov if is_load(i) => Role::Load,
        Mnemonic::Mov if writes_memory && i.op1_register() == value => Role::Store,
        Mnemonic::Add if i.op0_register() == value => Role::Add,
        Mnemonic::Add if i.op0_kind() == OpKind::Register => Role::Tally,
        _ if i.flow_control() == FlowControl::UnconditionalBranch => Role::Back,
        _ => Role::Other,
    }
}

fn line_of(i: &Instruction, role: Role) -> Line {
    let mut formatter = IntelFormatter::new();
    let options = formatter.options_mut();
    options.set_space_after_operand_separator(true);
    options.set_show_branch_size(false);
    options.set_hex_prefix("0x");
    options.set_hex_suffix("");
    options.set_uppercase_hex(false);
    options.set_branch_leading_zeros(false);
    let mut text = String::new();
    formatter.format(i, &mut text);
    let next = match i.flow_control() {
        FlowControl::UnconditionalBranch => i.near_branch_target(),
        _ => i.next_ip(),
    };
    Line {
        address: i.ip(),
        len: i.len() as u64,
        text,
        role,
        next,
    }
}

fn register_name(register: Register) -> String {
    format!("{register:?}").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loop's bytes as an assembler writes them: gate, then load, add, store, tally, jump.
    const LOOP: [u8; 33] = [
        0xf0, 0x48, 0x83, 0x46, 0x08, 0x01, // lock add qword ptr [rsi+8], 1
        0xf3, 0x90, // pause
        0x48, 0x83, 0x3e, 0x00, // cmp qword ptr [rsi], 0
        0x74, 0xf8, // je pause
        0x31, 0xd2, // xor edx, edx
        0x48, 0x8b, 0x07, // mov rax, [rdi]
        0x48, 0x83, 0xc0, 0x01, // add rax, 1
        0x48, 0x89, 0x07, // mov [rdi], rax
        0x48, 0x83, 0xc2, 0x01, // add rdx, 1
        0xeb, 0xf0, // jmp load
        0xcc,
    ];

    #[test]
    fn the_loop_decodes_into_load_add_store_with_their_registers() {
        let listing = Listing::decode(&LOOP, 0x1000).unwrap();
        let roles: Vec<Role> = listing.lines.iter().map(|l| l.role).collect();
        use Role::*;
        assert_eq!(
            roles,
            [Gate, Gate, Gate, Gate, Gate, Load, Add, Store, Tally, Back]
        );
        assert_eq!(listing.loop_start, 0x1010);
        assert_eq!(listing.value_register, "rax");
        assert_eq!(listing.tally_register, "rdx");
        assert_eq!(listing.lines[5].text, "mov rax, [rdi]");
        assert_eq!(
            listing.lines[9].next, 0x1010,
            "the jump goes back to the load"
        );
        assert_eq!(listing.lines[5].next, 0x1013);
    }

    #[test]
    fn code_without_a_loop_is_refused() {
        assert_eq!(
            Listing::decode(&LOOP[..20], 0x1000),
            Err(ListingError::NoLoop)
        );
    }
}
