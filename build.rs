//! Compiles the lesson files in (lessons/<language code>/*.md: en, ru; sorted
//! by name) and the scenarios (scenarios/*.txt), so the app needs no network
//! and a new lesson or scenario needs no code change.

use std::fmt::Write;
use std::path::Path;

/// The names of the entries of `dir` that `keep` accepts, sorted.
fn names(dir: &Path, keep: impl Fn(&std::fs::DirEntry) -> bool) -> Vec<String> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.flatten().filter(|e| keep(e)).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("lessons");
    let mut code = String::from(
        "/// Every lesson file, by language code (en, ru), each in course order.\npub fn all() -> Vec<Source> {\n    vec![\n",
    );
    // One folder per language, named by its code (`en`, `ru`): a new
    // language's lessons need no change here.
    for lang in names(&root, |e| e.path().is_dir()) {
        let dir = root.join(&lang);
        for f in names(&dir, |e| e.file_name().to_string_lossy().ends_with(".md")) {
            let path = dir.join(&f);
            let _ = writeln!(
                code,
                "        Source {{ lang: {lang:?}, file: {f:?}, text: include_str!({:?}) }},",
                path.display().to_string()
            );
        }
    }
    code.push_str("    ]\n}\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo")).to_path_buf();
    std::fs::write(out.join("lessons.rs"), code).expect("write the lesson list");

    let dir = manifest.join("scenarios");
    let mut code = String::from("&[\n");
    for f in names(&dir, |e| e.file_name().to_string_lossy().ends_with(".txt")) {
        let name = f.trim_end_matches(".txt");
        let _ = writeln!(code, "    ({name:?}, include_str!({:?})),", dir.join(&f).display().to_string());
    }
    code.push_str("]\n");
    std::fs::write(out.join("scenarios.rs"), code).expect("write the scenario list");
}
