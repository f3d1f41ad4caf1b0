//! The server's layers as the README draws them: the community's services and storage in a
//! crate with no HTTP in it, and inside each crate modules that depend downward only.
//!
//! A module here is a file or a folder of the crate's `src`, at the first and at the second
//! level (`console`, `console::schedule`). Its dependencies are the `crate::…` paths its code
//! names, outside comments and `#[cfg(test)] mod tests`. A folder's own `mod.rs` may name its
//! children and they may use what it defines (a router mounts its parts; the parts share its
//! helpers); any other circle fails with the modules in it.
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(folder: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A file's module path: `console/schedule/routes.rs` → [console, schedule, routes].
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// The code without comments and without its unit tests.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines().map(|line| line.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// Every path named after `crate::`, braces expanded: `crate::{a, b::c}` → [a], [b, c].
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        paths.extend(expand(rest));
    }
    paths
}

fn expand(text: &str) -> Vec<Vec<String>> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    let mut prefix = Vec::new();
    let mut rest = text;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(at, _)| at);
            let mut items = Vec::new();
            let (mut level, mut start) = (0, 0);
            let inner = &group[..end];
            for (at, c) in inner.char_indices() {
                match c {
                    '{' => level += 1,
                    '}' => level -= 1,
                    ',' if level == 0 => {
                        items.push(&inner[start..at]);
                        start = at + 1;
                    }
                    _ => {}
                }
            }
            items.push(&inner[start..]);
            return items
                .into_iter()
                .flat_map(|item| expand(item.trim()))
                .map(|tail| prefix.iter().cloned().chain(tail).collect())
                .collect();
        }
        let name = ident(rest);
        if name.is_empty() || name == "self" {
            return vec![prefix];
        }
        rest = &rest[name.len()..];
        prefix.push(name);
        match rest.strip_prefix("::") {
            Some(more) => rest = more,
            None => return vec![prefix],
        }
    }
}

/// Module → the modules it depends on, at `depth` levels.
fn graph(src: &Path, depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let units: BTreeSet<String> = files.iter().map(|file| unit(&module_of(src, file), depth)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(src, file);
        if module.is_empty() || module == ["lib"] || module == ["main"] {
            continue;
        }
        let me = unit(&module, depth);
        for path in crate_paths(&code(&std::fs::read_to_string(file).unwrap())) {
            // The longest module the path names (`console::error::ConsoleError` → `console`
            // at the first level, `console::error` at the second).
            let Some(target) =
                (1..=path.len().min(depth)).rev().map(|n| path[..n].join("::")).find(|t| units.contains(t))
            else {
                continue;
            };
            let related =
                target == me || me.starts_with(&format!("{target}::")) || target.starts_with(&format!("{me}::"));
            if !related {
                graph.entry(me.clone()).or_default().insert(target);
            }
        }
    }
    graph
}

fn unit(module: &[String], depth: usize) -> String {
    module[..module.len().min(depth)].join("::")
}

/// The circles in `graph` (strongly connected parts of more than one module).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: Vec<&String> =
        graph.keys().chain(graph.values().flatten()).collect::<BTreeSet<_>>().into_iter().collect();
    let reaches = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(next) = todo.pop() {
            for to in graph.get(&next).into_iter().flatten() {
                if seen.insert(to.clone()) {
                    todo.push(to.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (*n, reaches(n))).collect();
    let mut found = BTreeSet::new();
    for node in &nodes {
        let circle: Vec<String> = nodes
            .iter()
            .filter(|other| reach[*node].contains(**other) && reach[**other].contains(*node))
            .map(|n| (*n).clone())
            .collect();
        if circle.len() > 1 {
            found.insert(circle);
        }
    }
    found.into_iter().collect()
}

fn assert_downward_only(crate_folder: &str) {
    let src = root().join(crate_folder).join("src");
    for depth in [1, 2] {
        let graph = graph(&src, depth);
        assert!(graph.len() > 5, "{crate_folder}: the check found almost no modules; is it reading the right folder?");
        let circles = circles(&graph);
        assert!(circles.is_empty(), "{crate_folder}: modules that import each other in a circle: {circles:?}");
    }
}

#[test]
fn the_community_crate_imports_no_module_in_a_circle() {
    assert_downward_only("crates/community");
}

#[test]
fn the_server_crate_imports_no_module_in_a_circle() {
    assert_downward_only("crates/server");
}

#[test]
fn the_community_crate_knows_nothing_of_http() {
    let manifest = std::fs::read_to_string(root().join("crates/community/Cargo.toml")).unwrap();
    let dependencies = manifest.split("[dependencies]").nth(1).unwrap();
    for http in ["axum", "askama", "tower", "tower-http", "utoipa", "cookie", "rust-i18n"] {
        let named = dependencies.lines().any(|line| line.split(['=', ' ']).next() == Some(http));
        assert!(!named, "crates/community depends on {http}: HTTP and pages belong to crates/server");
    }
}

#[test]
fn the_check_finds_a_circle_when_there_is_one() {
    let mut graph = BTreeMap::new();
    graph.insert("state".to_owned(), BTreeSet::from(["console".to_owned()]));
    graph.insert("console".to_owned(), BTreeSet::from(["state".to_owned(), "error".to_owned()]));
    assert_eq!(circles(&graph), vec![vec!["console".to_owned(), "state".to_owned()]]);
    let paths = crate_paths("use crate::{a, b::{c, d}};\nlet x = crate::e::f(1);");
    assert_eq!(paths, [vec!["a"], vec!["b", "c"], vec!["b", "d"], vec!["e", "f"]]);
}
