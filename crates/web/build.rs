//! Embeds the NL Design System component CSS (installed from npm, pinned in
//! package-lock.json) into the binary. When the packages are not installed yet, `npm ci`
//! installs them first, so `cargo build` alone is enough on a machine with Node.js.

use std::path::Path;
use std::process::Command;

const CSS: &str = "node_modules/@utrecht/component-library-css/dist/index.css";

fn main() {
    // Read at run time, not baked in, so a build directory moved to another checkout still
    // looks in its own tree.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("../..");
    println!("cargo::rerun-if-changed={}", root.join("package-lock.json").display());
    println!("cargo::rerun-if-changed={}", root.join(CSS).display());
    let css = root.join(CSS);
    if !css.exists() {
        let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&root).status();
        match status {
            Ok(s) if s.success() => {}
            _ => panic!("The NL Design System CSS is missing and `npm ci` failed; install Node.js and npm, then run `npm ci` in {}", root.display()),
        }
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("utrecht.css");
    std::fs::copy(&css, out).expect("copy the NL Design System CSS");
}
