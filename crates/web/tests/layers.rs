//! Pages and API are two doors over the same use cases: no module under `src/api` reaches into
//! `src/html`, and none under `src/html` into `src/api`. What both need lives below both.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line without its `//` comment (doc comments may name the other door).
fn code(line: &str) -> &str {
    line.find("//").map_or(line, |at| &line[..at])
}

/// Every line under `dir` whose code reaches the module `other` of the crate: a path
/// `crate::other`, `super::other` from the door's `mod.rs`, `super::super::other` from a module
/// inside the door, or `other` inside a `use crate::{…}` group.
fn crossings(dir: &str, other: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no Rust files under {}", root.display());
    let direct = [format!("crate::{other}"), format!("super::super::{other}")];
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        let in_mod_rs = file.file_name().is_some_and(|n| n == "mod.rs");
        let mut in_group = false;
        for (n, line) in text.lines().enumerate() {
            let code = code(line);
            let compact = code.split_whitespace().collect::<Vec<_>>().join(" ").replace(" ::", "::").replace(":: ", "::").replace("{ ", "{");
            let names_other = |s: &str| s.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|word| word == other);
            let mut hit = direct.iter().any(|p| ends_at_word(&compact, p));
            if in_mod_rs && ends_at_word(&compact, &format!("super::{other}")) {
                hit = true;
            }
            if compact.contains("use crate::{") {
                in_group = true;
            }
            if in_group {
                let group = compact.split_once("use crate::{").map_or(compact.as_str(), |(_, g)| g);
                let top_level: String = top_level_of_group(group);
                if names_other(&top_level) {
                    hit = true;
                }
                if compact.contains(';') {
                    in_group = false;
                }
            }
            if hit {
                found.push(format!("{}:{}: {}", file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&file).display(), n + 1, line.trim()));
            }
        }
    }
    found
}

/// Whether `path` occurs in `code` and ends at a word boundary (`crate::html` but not
/// `crate::htmlish`).
fn ends_at_word(code: &str, path: &str) -> bool {
    code.match_indices(path).any(|(at, _)| {
        let before_ok = at == 0 || !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let after_ok = !code[at + path.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
        before_ok && after_ok
    })
}

/// The names of a `use crate::{…}` group at its first level (`a::b` gives `a`), so that a
/// nested `x::{html}` of another module does not count.
fn top_level_of_group(group: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    let mut skip_path = false;
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                skip_path = false;
                out.push(' ');
            }
            ':' if depth == 0 => skip_path = true,
            _ if depth == 0 && !skip_path => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_api_does_not_import_from_the_pages() {
    let found = crossings("api", "html");
    assert!(found.is_empty(), "API modules that import page code (move what both need below both doors):\n{}", found.join("\n"));
}

#[test]
fn the_pages_do_not_import_from_the_api() {
    let found = crossings("html", "api");
    assert!(found.is_empty(), "page modules that import API code (move what both need below both doors):\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_every_form_of_crossing() {
    assert!(ends_at_word("use crate::html::scan::take_answer;", "crate::html"));
    assert!(ends_at_word("let x = crate::html::scan::round_filter(&r);", "crate::html"));
    assert!(!ends_at_word("use crate::htmlish::x;", "crate::html"));
    assert!(!ends_at_word("use store::crate_html::x;", "crate::html"));
    assert_eq!(top_level_of_group("html::scan,error::AppError};").split_whitespace().collect::<Vec<_>>(), ["html", "error"]);
    assert!(!top_level_of_group("store::{html},error};").split_whitespace().any(|w| w == "html"));
}
