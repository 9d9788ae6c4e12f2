//! `static/reply-prose.json` is the reply catalogue's prose as data, for the
//! small embed build (which has none compiled in). It must be what the table
//! says: regenerate it with `UPDATE_PROSE=1 cargo test --test reply_prose`.

use mailsim::smtp::catalogue::{load_prose, prose_json, CATALOGUE};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static/reply-prose.json");

#[test]
fn the_shipped_prose_is_the_catalogues() {
    let want = prose_json();
    if std::env::var_os("UPDATE_PROSE").is_some() {
        std::fs::write(FILE, &want).expect("write static/reply-prose.json");
    }
    let have = std::fs::read_to_string(FILE).expect("static/reply-prose.json exists");
    assert!(have == want, "static/reply-prose.json is stale: run UPDATE_PROSE=1 cargo test --test reply_prose");
    // One row per entry, each with its id and four texts, the Russian ones in Cyrillic.
    let rows: Vec<(String, String, String, String, String)> = serde_json::from_str(&have).expect("JSON");
    assert_eq!(rows.len(), CATALOGUE.len());
    for ((id, meaning, _next, meaning_ru, _), e) in rows.iter().zip(CATALOGUE) {
        assert_eq!(id, &format!("{:?}", e.id));
        assert_eq!(meaning, e.meaning);
        assert!(meaning_ru.chars().any(|c| ('а'..='я').contains(&c.to_ascii_lowercase())), "{id}: {meaning_ru}");
    }
}

#[test]
fn loaded_prose_is_what_entries_without_their_own_would_show() {
    // A native build has the prose compiled in: the entry's own texts win.
    load_prose(vec![["x".into(), "y".into(), "z".into(), "w".into()]]);
    let [meaning, ..] = CATALOGUE[0].prose();
    assert_eq!(meaning, CATALOGUE[0].meaning);
}
