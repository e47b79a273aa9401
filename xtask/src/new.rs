//! `cargo xtask new <name>`: a guest program that builds and proves as it is.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Args, Debug)]
pub(crate) struct NewArgs {
    /// The guest's name (lowercase letters, digits, '-' and '_').
    name: String,
    /// Create it as a project of its own in this directory instead of in guest-programs/.
    #[arg(long, value_name = "DIR")]
    path: Option<PathBuf>,
}

pub(crate) fn new(args: &NewArgs) -> anyhow::Result<ExitCode> {
    let dir = geode_build::new_guest(&args.name, args.path.as_deref())?;
    let program = if args.path.is_some() {
        dir.display().to_string()
    } else {
        args.name.clone()
    };
    println!("created guest `{}` in {}", args.name, dir.display());
    println!("edit {}/src/main.rs, then:", dir.display());
    println!("  cargo xtask run {program} --input-u32 20");
    println!("  cargo xtask prove {program} --input-u32 20");
    Ok(ExitCode::SUCCESS)
}
