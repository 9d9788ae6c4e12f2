//! Compiles the lesson files in (lessons/<language code>/*.md: en, ru; sorted
//! by name) so the app needs no network and a new lesson needs no code change.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    println!("cargo:rerun-if-changed=lessons");
    let mut code = String::from(
        "/// Every lesson file, by language code (en, ru), each in course order.\npub fn all() -> Vec<Source> {\n    vec![\n",
    );
    // One folder per language, named by its code (`en`, `ru`): a new
    // language's lessons need no change here.
    let mut langs: Vec<String> = std::fs::read_dir(&root)
        .map(|d| {
            d.flatten().filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    langs.sort();
    for lang in &langs {
        let dir = root.join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".md"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        for f in files {
            let path = dir.join(&f);
            let _ = writeln!(
                code,
                "        Source {{ lang: {lang:?}, file: {f:?}, text: include_str!({:?}) }},",
                path.display().to_string()
            );
        }
    }
    code.push_str("    ]\n}\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo")).join("lessons.rs");
    std::fs::write(out, code).expect("write the lesson list");
}
