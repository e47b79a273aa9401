//! The dependency rules of the design, checked over `cargo metadata`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use cargo_metadata::{Metadata, MetadataCommand, PackageId};

fn metadata(manifest: &Path) -> Metadata {
    MetadataCommand::new()
        .manifest_path(manifest)
        .exec()
        .expect("cargo metadata")
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
}

/// Names of every package `name` depends on, transitively, normal dependencies only.
fn transitive_deps(meta: &Metadata, name: &str) -> BTreeSet<String> {
    let resolve = meta.resolve.as_ref().expect("resolved graph");
    let nodes: HashMap<&PackageId, _> = resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let names: HashMap<&PackageId, &str> = meta
        .packages
        .iter()
        .map(|p| (&p.id, p.name.as_str()))
        .collect();
    let root = meta
        .packages
        .iter()
        .find(|p| p.name.as_str() == name)
        .expect("package");
    let mut seen = BTreeSet::new();
    let mut stack = vec![&root.id];
    while let Some(id) = stack.pop() {
        for dep in &nodes[id].deps {
            let normal = dep
                .dep_kinds
                .iter()
                .any(|k| k.kind == cargo_metadata::DependencyKind::Normal);
            if normal && seen.insert(names[&dep.pkg].to_owned()) {
                stack.push(&dep.pkg);
            }
        }
    }
    seen
}

fn is_proof_stack(name: &str) -> bool {
    name.starts_with("p3-")
        || name.starts_with("halo2")
        || matches!(name, "ff" | "group" | "pasta_curves")
}

#[test]
fn executor_never_sees_the_proof_stack() {
    let meta = metadata(&repo().join("Cargo.toml"));
    let deps = transitive_deps(&meta, "geode-executor");
    assert!(
        deps.contains("goblin") && deps.contains("rrs-lib"),
        "graph looks wrong: {deps:?}"
    );
    let bad: Vec<_> = deps.iter().filter(|d| is_proof_stack(d)).collect();
    assert!(bad.is_empty(), "geode-executor depends on {bad:?}");
}

#[test]
fn platform_has_no_dependencies() {
    let meta = metadata(&repo().join("Cargo.toml"));
    assert_eq!(transitive_deps(&meta, "geode-platform"), BTreeSet::new());
}

#[test]
fn nothing_depends_on_xtask() {
    let meta = metadata(&repo().join("Cargo.toml"));
    for p in &meta.packages {
        assert!(
            p.dependencies.iter().all(|d| d.name != "xtask"),
            "{} depends on xtask",
            p.name
        );
    }
}

#[test]
fn guest_runtime_depends_only_on_platform_and_no_std_crates() {
    let meta = metadata(&repo().join("guest-programs/Cargo.toml"));
    let guest = meta
        .packages
        .iter()
        .find(|p| p.name.as_str() == "geode-guest")
        .expect("geode-guest");
    let direct: BTreeSet<_> = guest.dependencies.iter().map(|d| d.name.as_str()).collect();
    let allowed = BTreeSet::from(["geode-platform", "postcard", "serde", "tiny-keccak"]);
    assert!(
        direct.is_subset(&allowed),
        "geode-guest depends on {direct:?}; allowed: {allowed:?}"
    );
    for d in &guest.dependencies {
        let std_feature =
            d.features.iter().any(|f| f == "std") || (d.uses_default_features && d.name == "serde");
        assert!(!std_feature, "geode-guest pulls {} with std", d.name);
    }
    let deps = transitive_deps(&meta, "geode-guest");
    assert!(!deps.iter().any(|d| is_proof_stack(d)), "{deps:?}");
}

#[test]
fn stark_knows_nothing_about_risc_v() {
    let meta = metadata(&repo().join("Cargo.toml"));
    let deps = transitive_deps(&meta, "geode-stark");
    assert!(
        deps.iter().any(|d| d.starts_with("p3-")),
        "graph looks wrong: {deps:?}"
    );
    for forbidden in ["geode-executor", "geode-platform", "geode-machine"] {
        assert!(
            !deps.contains(forbidden),
            "geode-stark depends on {forbidden}"
        );
    }
}

#[test]
fn only_the_machine_meets_events_and_airs() {
    let meta = metadata(&repo().join("Cargo.toml"));
    for p in meta.workspace_packages() {
        let direct: BTreeSet<_> = p
            .dependencies
            .iter()
            .filter(|d| d.kind == cargo_metadata::DependencyKind::Normal)
            .map(|d| d.name.as_str())
            .collect();
        let meets = direct.contains("geode-executor") && direct.contains("geode-stark");
        // The SDK, the CLI and the integration tests drive the machine (loading programs,
        // reading proofs); none builds an AIR.
        let allowed = matches!(
            p.name.as_str(),
            "geode-machine" | "geode-sdk" | "xtask" | "geode-tests"
        );
        assert!(
            !meets || allowed,
            "{} depends on both the executor and geode-stark",
            p.name
        );
    }
}

#[test]
fn the_sdk_sits_on_top_of_the_stack() {
    let meta = metadata(&repo().join("Cargo.toml"));
    let deps = transitive_deps(&meta, "geode-sdk");
    for expected in [
        "geode-executor",
        "geode-stark",
        "geode-machine",
        "geode-wrap",
    ] {
        assert!(deps.contains(expected), "geode-sdk does not use {expected}");
    }
    for lower in [
        "geode-platform",
        "geode-executor",
        "geode-stark",
        "geode-machine",
        "geode-wrap",
        "geode-build",
    ] {
        assert!(
            !transitive_deps(&meta, lower).contains("geode-sdk"),
            "{lower} depends on geode-sdk"
        );
    }
}

#[test]
fn the_wrapper_knows_only_the_stark_layer() {
    let meta = metadata(&repo().join("Cargo.toml"));
    let deps = transitive_deps(&meta, "geode-wrap");
    assert!(deps.contains("geode-stark"), "{deps:?}");
    for forbidden in [
        "geode-executor",
        "geode-platform",
        "geode-machine",
        "geode-sdk",
    ] {
        assert!(
            !deps.contains(forbidden),
            "geode-wrap depends on {forbidden}"
        );
    }
}
