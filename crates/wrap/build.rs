//! `GEODE_WRAP_SOURCE_DIGEST`: a digest of the sources that decide the wrap circuit (this crate's
//! and the vendored `halo2_proofs`'), part of the key under which verifying keys are cached, so
//! a changed circuit never meets a stale key.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dirs = [
        manifest.join("src"),
        manifest.join("../../vendor/halo2_proofs/src"),
    ];
    let mut files = Vec::new();
    for dir in &dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
        rust_files(dir, &mut files);
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in &files {
        let relative = file.strip_prefix(&manifest).unwrap_or(file);
        hasher.write(relative.to_string_lossy().as_bytes());
        hasher.write(&fs::read(file).unwrap_or_default());
    }
    println!(
        "cargo:rustc-env=GEODE_WRAP_SOURCE_DIGEST={:016x}",
        hasher.finish()
    );
}
