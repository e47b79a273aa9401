//! The smallest useful guest: prints a greeting and commits one string.
#![no_std]
#![no_main]

geode_guest::entrypoint!(main);

fn main() {
    geode_guest::println!("Hello from Geode!");
    geode_guest::io::commit(&"hello, world");
}
