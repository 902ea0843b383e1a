//! Loading plans of several files: folders, includes, and the diagnostics of includes that leave
//! the plan, form cycles or name missing files.

use oblige_diagnostics::render_human;
use oblige_syntax::{load, load_with, Loaded, MapLoader};
use std::path::{Path, PathBuf};

fn names(loaded: &Loaded) -> Vec<String> {
    loaded
        .units
        .iter()
        .map(|(id, _)| {
            loaded
                .sources
                .get(*id)
                .map(|f| f.name.clone())
                .unwrap_or_default()
        })
        .collect()
}

fn rendered(loaded: &Loaded) -> String {
    loaded
        .diagnostics
        .iter()
        .map(|d| render_human(&loaded.sources, d) + "\n")
        .collect()
}

fn plan(files: &[(&str, &str)]) -> MapLoader {
    files.iter().copied().collect()
}

#[test]
fn a_folder_loads_every_rule_file_once_in_path_order() {
    let loader = plan(&[
        ("plans/x/b.rule", "include \"sub/c.rule\"\nevent b { }"),
        ("plans/x/a.rule", "include \"b.rule\"\nevent a { }"),
        ("plans/x/sub/c.rule", "event c { }"),
        ("plans/x/notes.txt", "not a rule file"),
        ("plans/y/other.rule", "event other { }"),
    ]);
    let loaded = load_with(&loader, Path::new("plans/x"));
    assert_eq!(rendered(&loaded), "");
    assert_eq!(
        names(&loaded),
        ["plans/x/a.rule", "plans/x/b.rule", "plans/x/sub/c.rule"]
    );
}

#[test]
fn a_single_file_loads_its_includes_relative_to_itself() {
    let loader = plan(&[
        ("./p/main.rule", "include \"parts/one.rule\""),
        (
            "p/parts/one.rule",
            "include \"two.rule\"\ninclude \"./../parts/two.rule\"",
        ),
        ("p/parts/two.rule", "event two { }"),
    ]);
    let loaded = load_with(&loader, Path::new("./p/main.rule"));
    assert_eq!(rendered(&loaded), "");
    assert_eq!(
        names(&loaded),
        ["p/main.rule", "p/parts/one.rule", "p/parts/two.rule"]
    );
}

#[test]
fn includes_may_not_leave_the_plan_folder() {
    let loader = plan(&[
        (
            "p/main.rule",
            "include \"../secret.rule\"\ninclude \"/etc/passwd\"\ninclude \"a/../../p2/x.rule\"",
        ),
        ("secret.rule", "event s { }"),
    ]);
    let loaded = load_with(&loader, Path::new("p/main.rule"));
    insta::assert_snapshot!(rendered(&loaded));
    assert_eq!(names(&loaded), ["p/main.rule"]);
}

#[test]
fn include_cycles_and_missing_files_are_reported() {
    let loader = plan(&[
        ("p/a.rule", "include \"b.rule\"\ninclude \"missing.rule\""),
        ("p/b.rule", "// 第二个文件\ninclude “a.rule”"),
        ("p/self.rule", "include \"self.rule\""),
    ]);
    let loaded = load_with(&loader, Path::new("p"));
    insta::assert_snapshot!(rendered(&loaded));
    assert_eq!(names(&loaded), ["p/a.rule", "p/b.rule", "p/self.rule"]);
}

#[test]
fn syntax_errors_of_every_file_are_collected() {
    let loader = plan(&[
        ("p/a.rule", "include \"b.rule\"\nevent a { x text }"),
        ("p/b.rule", "规则甲 ｛｝"),
    ]);
    let loaded = load_with(&loader, Path::new("p/a.rule"));
    insta::assert_snapshot!(rendered(&loaded));
}

#[test]
fn an_unreadable_root_is_a_diagnostic_on_an_empty_entry() {
    let loaded = load(Path::new("does/not/exist.rule"));
    assert!(loaded.units.is_empty());
    insta::assert_snapshot!(rendered(&loaded));
}

#[test]
fn the_file_system_loader_walks_folders() {
    let root: PathBuf =
        std::env::temp_dir().join(format!("oblige-syntax-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("z/deeper")).unwrap();
    std::fs::write(root.join("b.rule"), "include \"z/deeper/c.rule\"").unwrap();
    std::fs::write(root.join("a.rule"), "event a { }").unwrap();
    std::fs::write(root.join("z/deeper/c.rule"), "event c { }").unwrap();
    std::fs::write(root.join("z/readme.md"), "# not a rule").unwrap();
    std::fs::write(root.join("z/bad.rule"), [0xff, 0xfe]).unwrap();
    let loaded = load(&root);
    let shown: Vec<String> = names(&loaded)
        .iter()
        .map(|n| {
            n.strip_prefix(&format!("{}/", root.display()))
                .unwrap_or(n)
                .to_owned()
        })
        .collect();
    assert_eq!(shown, ["a.rule", "b.rule", "z/deeper/c.rule"]);
    assert_eq!(loaded.diagnostics.len(), 1);
    assert_eq!(loaded.diagnostics[0].code.0, "E0020");
    assert!(loaded.diagnostics[0]
        .message
        .ends_with("is not valid UTF-8 text"));
    let _ = std::fs::remove_dir_all(&root);
}
