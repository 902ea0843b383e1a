//! Loads a plan (a `.rule` file or a folder) and prints its files and diagnostics.

use oblige_diagnostics::render_human;
use std::path::Path;

fn main() {
    for root in std::env::args().skip(1) {
        let loaded = oblige_syntax::load(Path::new(&root));
        for (id, unit) in &loaded.units {
            let name = loaded.sources.get(*id).map_or("?", |f| f.name.as_str());
            println!("{name}: {} items ({:?})", unit.items.len(), unit.lang);
        }
        for d in &loaded.diagnostics {
            print!("{}", render_human(&loaded.sources, d));
        }
    }
}
