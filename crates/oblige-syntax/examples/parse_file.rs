//! Parses the `.rule` files given on the command line and prints their diagnostics and AST.

use oblige_syntax::{parse, SourceMap};

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut sources = SourceMap::new();
        let id = sources.add(path.as_str(), text.as_str());
        let parsed = parse(id, &text);
        for d in &parsed.diagnostics {
            print!("{}", oblige_diagnostics::render_human(&sources, d));
        }
        if std::env::var_os("AST").is_some() {
            println!("{:#?}", parsed.unit);
        } else {
            println!(
                "{} items, lang {:?}, {} comments",
                parsed.unit.items.len(),
                parsed.unit.lang,
                parsed.unit.comments.len()
            );
        }
    }
}
