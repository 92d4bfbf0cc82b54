//! The product's texts are written by us: no run of eight or more words in the content, the
//! translations or the templates may appear verbatim in the source documents. The documents
//! live beside the project (`../shared/seeds`); in CI they must be there.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

const RUN: usize = 8;

fn words(text: &str) -> Vec<String> {
    text.to_lowercase().split(|c: char| !(c.is_ascii_alphanumeric() || ('à'..='ÿ').contains(&c))).filter(|w| !w.is_empty()).map(String::from).collect()
}

fn runs(text: &str) -> HashSet<String> {
    words(text).windows(RUN).map(|w| w.join(" ")).collect()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if ["json", "txt", "html", "rs"].iter().any(|ext| path.extension().is_some_and(|e| e == *ext)) {
            out.push(path);
        }
    }
}

#[test]
fn no_product_text_repeats_eight_words_of_the_source_documents() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let seeds = root.join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&seeds) else {
        assert!(std::env::var("CI").is_err(), "the source documents are missing at {}", seeds.display());
        eprintln!("source documents not found at {}; nothing to compare with", seeds.display());
        return;
    };
    let mut seed_runs = HashSet::new();
    for entry in entries.flatten() {
        seed_runs.extend(runs(&String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read seed"))));
    }
    assert!(seed_runs.len() > 10_000, "the source documents were read");
    let mut product = Vec::new();
    for dir in ["crates/domain/content", "crates/web/locales", "crates/web/templates", "crates/app/src"] {
        files(&root.join(dir), &mut product);
    }
    assert!(product.len() > 10);
    let mut shared = Vec::new();
    for file in product {
        let text = std::fs::read_to_string(&file).expect("read");
        for run in runs(&text).intersection(&seed_runs) {
            shared.push(format!("{}: {run}", file.display()));
        }
    }
    assert!(shared.is_empty(), "texts that repeat the source documents:\n{}", shared.join("\n"));
}
