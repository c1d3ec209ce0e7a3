//! Differential test against protoc: generated multi-file schemas (packages
//! sharing suffixes, relative, partly-qualified and absolute type names,
//! nested types, public imports, reserved ranges and names, json_name,
//! options, services, extensions) are compiled by protoc and by protocheck.
//! Both must accept or both reject; when both accept, the descriptors must
//! be the same. An identical old and new tree (where protocheck skips the
//! unchanged files) must be rejected exactly when protoc rejects it.
//!
//! The generator is seeded: `PROTOCHECK_DIFF_CASES` sets how many cases run
//! (a bounded number by default) and `PROTOCHECK_DIFF_SEED` the first seed.
//! Needs protoc (`PROTOC`, else `protoc` on `PATH`).

mod common;

use common::protoc;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use prost::Message as _;
use prost_types::{FileDescriptorProto, FileDescriptorSet};
use protocheck::{Input, Options, Side};

/// xorshift64*: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True `pct` times in a hundred.
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Packages that share components and suffixes, so that partly-qualified
/// names can resolve into the wrong one.
const PACKAGES: [&str; 10] = [
    "", "a", "b", "x.a", "x.b", "a.x", "x.a.b", "y.x.a", "a.b", "x",
];
const TYPE_NAMES: [&str; 4] = ["A", "B", "C", "D"];
const SCALARS: [&str; 5] = ["int32", "string", "bytes", "uint64", "bool"];

#[derive(Clone)]
struct Type {
    /// Full name without a leading dot.
    full: String,
    is_enum: bool,
    file: usize,
}

struct File {
    name: String,
    package: String,
    proto3: bool,
    imports: Vec<(usize, bool)>,
    /// Declares a custom field option `opt<i>` (and imports descriptor.proto).
    custom_option: bool,
}

struct Case {
    files: Vec<(String, String)>,
}

/// A name for `t` as written in a file: absolute, its simple name, or a
/// partly-qualified suffix of its full name.
fn reference(rng: &mut Rng, full: &str) -> String {
    let parts: Vec<&str> = full.split('.').collect();
    match rng.below(10) {
        0..=3 => format!(".{full}"),
        4..=6 => full.to_owned(),
        7 => parts[parts.len() - 1].to_owned(),
        _ => {
            let k = 1 + rng.below(parts.len());
            parts[parts.len() - k..].join(".")
        }
    }
}

fn generate(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let n = 2 + rng.below(4);
    let mut files: Vec<File> = Vec::new();
    for i in 0..n {
        let mut imports = Vec::new();
        for j in 0..i {
            if rng.chance(55) {
                imports.push((j, rng.chance(25)));
            }
        }
        files.push(File {
            name: format!("f{i}.proto"),
            package: rng.pick(&PACKAGES).to_string(),
            proto3: rng.chance(65),
            imports,
            custom_option: rng.chance(25),
        });
    }
    // Occasionally an import that makes a cycle, or one of nothing.
    if rng.chance(4) && n > 1 {
        files[0].imports.push((n - 1, false));
    }
    let missing_import = rng.chance(3);

    // First the types of every file (so that references can point anywhere,
    // visible or not), then the text.
    let mut types: Vec<Type> = Vec::new();
    // Per file: (message, nested messages, nested enums).
    type Plan = Vec<(String, Vec<String>, Vec<String>)>;
    let mut plans: Vec<Plan> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let prefix = if f.package.is_empty() {
            String::new()
        } else {
            format!("{}.", f.package)
        };
        let mut messages = Vec::new();
        let count = 1 + rng.below(3);
        let mut used = Vec::new();
        for _ in 0..count {
            let name = if rng.chance(80) {
                format!("{}{i}", rng.pick(&TYPE_NAMES))
            } else {
                rng.pick(&TYPE_NAMES).to_string()
            };
            if used.contains(&name) && !rng.chance(3) {
                continue;
            }
            used.push(name.clone());
            let full = format!("{prefix}{name}");
            types.push(Type {
                full: full.clone(),
                is_enum: false,
                file: i,
            });
            let mut nested = Vec::new();
            if rng.chance(40) {
                let nn = rng.pick(&TYPE_NAMES).to_string();
                types.push(Type {
                    full: format!("{full}.{nn}"),
                    is_enum: false,
                    file: i,
                });
                nested.push(nn);
            }
            let mut enums = Vec::new();
            if rng.chance(30) {
                let en = format!("E{}", rng.pick(&TYPE_NAMES));
                types.push(Type {
                    full: format!("{full}.{en}"),
                    is_enum: true,
                    file: i,
                });
                enums.push(en);
            }
            messages.push((name, nested, enums));
        }
        if rng.chance(40) {
            types.push(Type {
                full: format!("{prefix}Top{i}"),
                is_enum: true,
                file: i,
            });
        }
        plans.push(messages);
    }

    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let mut s = String::new();
        let syntax = if f.proto3 { "proto3" } else { "proto2" };
        let _ = writeln!(s, "syntax = \"{syntax}\";");
        if !f.package.is_empty() {
            let _ = writeln!(s, "package {};", f.package);
        }
        for &(j, public) in &f.imports {
            let p = if public { "public " } else { "" };
            let _ = writeln!(s, "import {p}\"{}\";", files[j].name);
        }
        if missing_import && i == n - 1 {
            let _ = writeln!(s, "import \"nowhere.proto\";");
        }
        if f.custom_option {
            let _ = writeln!(s, "import \"google/protobuf/descriptor.proto\";");
            let label = if f.proto3 { "" } else { "optional " };
            let _ = writeln!(
                s,
                "extend google.protobuf.FieldOptions {{ {label}int32 opt{i} = {}; }}",
                50000 + i
            );
        }
        if rng.chance(30) {
            let _ = writeln!(s, "option java_package = \"com.example.f{i}\";");
        }
        // Custom options this file could name (declared here or elsewhere).
        let options: Vec<(String, bool)> = files
            .iter()
            .enumerate()
            .filter(|(_, g)| g.custom_option)
            .map(|(j, g)| {
                let name = if g.package.is_empty() {
                    format!("opt{j}")
                } else {
                    format!("{}.opt{j}", g.package)
                };
                (name, j == i || f.imports.iter().any(|(k, _)| *k == j))
            })
            .collect();
        let label = |rng: &mut Rng| -> &'static str {
            if f.proto3 {
                if rng.chance(15) {
                    "optional "
                } else {
                    ""
                }
            } else if rng.chance(10) {
                "repeated "
            } else {
                "optional "
            }
        };
        for (name, nested, enums) in &plans[i] {
            let _ = writeln!(s, "message {name} {{");
            let mut reserved_numbers = Vec::new();
            let mut reserved_names = Vec::new();
            if rng.chance(25) {
                let _ = writeln!(s, "  reserved 20 to 22, 30;");
                reserved_numbers.extend([20, 21, 22, 30]);
            }
            if rng.chance(12) {
                let _ = writeln!(s, "  reserved \"foo_bar\", \"x\";");
                reserved_names.extend(["foo_bar", "x"]);
            }
            for nn in nested {
                let _ = writeln!(s, "  message {nn} {{ {}int32 v = 1; }}", label(&mut rng));
            }
            for en in enums {
                let _ = writeln!(s, "  enum {en} {{");
                let _ = writeln!(s, "    {en}_ZERO = 0;");
                if rng.chance(20) {
                    let _ = writeln!(s, "    reserved 5, 7 to 9;");
                    let _ = writeln!(s, "    reserved \"{en}_OLD\";");
                    let v = if rng.chance(15) { 8 } else { 2 };
                    let vn = if rng.chance(15) { "OLD" } else { "ONE" };
                    let _ = writeln!(s, "    {en}_{vn} = {v};");
                }
                let _ = writeln!(s, "  }}");
            }
            if !f.proto3 && rng.chance(30) {
                let _ = writeln!(s, "  extensions 100 to 199;");
            }
            let nfields = rng.below(5);
            let mut oneof_open = false;
            for k in 0..nfields {
                let number = k + 1;
                if f.proto3 && !oneof_open && rng.chance(10) {
                    let _ = writeln!(s, "  oneof choice{k} {{");
                    oneof_open = true;
                }
                let fname = match rng.below(30) {
                    0 => "foo_bar".to_owned(),
                    1 => "fooBar".to_owned(),
                    2 => "x".to_owned(),
                    3 => "foobar".to_owned(),
                    _ => format!("f{k}"),
                };
                let num = if rng.chance(2) && !reserved_numbers.is_empty() {
                    21
                } else if rng.chance(2) {
                    1
                } else {
                    number
                };
                let ty = if types.is_empty() || rng.chance(30) {
                    rng.pick(&SCALARS).to_string()
                } else if rng.chance(2) {
                    "Nope".to_owned()
                } else {
                    let t = rng.pick(&types).clone();
                    // Mostly names the file can see.
                    let visible = t.file == i || f.imports.iter().any(|(j, _)| *j == t.file);
                    if !visible && rng.chance(97) {
                        rng.pick(&SCALARS).to_string()
                    } else {
                        reference(&mut rng, &t.full)
                    }
                };
                let mut opts = Vec::new();
                if rng.chance(12) {
                    opts.push(format!(
                        "json_name = \"{}\"",
                        rng.pick(&["j", "fooBar", "x", "f1"])
                    ));
                }
                if rng.chance(10) {
                    opts.push("deprecated = true".to_owned());
                }
                if !options.is_empty() && rng.chance(30) {
                    let (o, visible) = rng.pick(&options).clone();
                    if visible || rng.chance(10) {
                        opts.push(format!("({}) = 7", reference(&mut rng, &o)));
                    }
                }
                let opts = if opts.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", opts.join(", "))
                };
                let lab = if oneof_open { "" } else { label(&mut rng) };
                if !oneof_open && rng.chance(8) {
                    let _ = writeln!(s, "  map<string, {ty}> {fname} = {num}{opts};");
                } else {
                    let _ = writeln!(s, "  {lab}{ty} {fname} = {num}{opts};");
                }
                if oneof_open && rng.chance(50) {
                    let _ = writeln!(s, "  }}");
                    oneof_open = false;
                }
            }
            if oneof_open {
                let _ = writeln!(s, "  }}");
            }
            let _ = writeln!(s, "}}");
        }
        for t in types
            .iter()
            .filter(|t| t.file == i && t.full.ends_with(&format!("Top{i}")))
        {
            let name = t.full.rsplit('.').next().unwrap();
            let _ = writeln!(s, "enum {name} {{ {name}_ZERO = 0; {name}_ONE = 1; }}");
        }
        let messages: Vec<&Type> = types
            .iter()
            .filter(|t| {
                !t.is_enum
                    && (t.file == i || f.imports.iter().any(|(j, _)| *j == t.file) || rng.chance(3))
            })
            .collect();
        if !messages.is_empty() && rng.chance(25) {
            let a = rng.pick(&messages).full.clone();
            let a = reference(&mut rng, &a);
            let b = rng.pick(&messages).full.clone();
            let b = reference(&mut rng, &b);
            let _ = writeln!(s, "service S{i} {{ rpc Call({a}) returns ({b}); }}");
        }
        if !f.proto3 && !messages.is_empty() && rng.chance(15) {
            let t = rng.pick(&messages).full.clone();
            let t = reference(&mut rng, &t);
            let _ = writeln!(s, "extend {t} {{ optional int32 ext{i} = {}; }}", 100 + i);
        }
        out.push((f.name.clone(), s));
    }
    Case { files: out }
}

/// Descriptors as compared: by file, without source info. The well-known
/// types are left out: protoc and protox carry their own copies of them
/// (descriptor.proto differs between releases), and neither is under test.
/// Custom option values are not compared: decoding into prost-types keeps
/// only the options' known fields, on both sides alike.
fn normalize(files: Vec<FileDescriptorProto>) -> Vec<FileDescriptorProto> {
    let mut files: Vec<FileDescriptorProto> = files
        .into_iter()
        .filter(|f| !f.name().starts_with("google/protobuf/"))
        .map(|mut f| {
            f.source_code_info = None;
            f
        })
        .collect();
    files.sort_by(|a, b| a.name().cmp(b.name()));
    files
}

enum Verdict {
    Accept(Vec<FileDescriptorProto>),
    Reject(String),
}

fn run_protoc(protoc: &Path, dir: &Path, names: &[String]) -> Verdict {
    let out = dir.join("set.binpb");
    let result = Command::new(protoc)
        .arg("-I")
        .arg(dir)
        .arg("--include_imports")
        .arg("-o")
        .arg(&out)
        .args(names.iter().map(|n| dir.join(n)))
        .output()
        .expect("protoc runs");
    if !result.status.success() {
        return Verdict::Reject(String::from_utf8_lossy(&result.stderr).into_owned());
    }
    let bytes = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    Verdict::Accept(normalize(
        FileDescriptorSet::decode(bytes.as_slice()).unwrap().file,
    ))
}

fn run_protocheck(dir: &Path) -> Verdict {
    match protocheck::input::compile_descriptors(Side::New, &Input::Dir(dir.to_owned()), &[]) {
        Ok(c) => Verdict::Accept(normalize(c.files)),
        Err(e) => Verdict::Reject(e.to_string()),
    }
}

fn show(case: &Case) -> String {
    case.files
        .iter()
        .map(|(n, t)| format!("--- {n}\n{t}"))
        .collect()
}

/// Schemas protoc accepts and prost-reflect (which builds protocheck's
/// descriptors) rejects, with no way around it short of replacing it; the
/// README lists them. prost-reflect still applies the JSON name rule of
/// protoc before 3.x.y to proto3 (two field names equal once lower-cased
/// without underscores, `foo_bar` and `foobar`, conflict), and rejects two
/// equal default JSON names in proto2, where protoc only warns.
const KNOWN: [&str; 2] = ["camel-case name of field", "a field with JSON name"];

enum Outcome {
    Accepted,
    Rejected,
    /// protoc accepts, protocheck rejects, for a reason in [`KNOWN`].
    Known,
}

/// Runs one case; `Err` describes a disagreement.
fn one(protoc: &Path, seed: u64) -> Result<Outcome, String> {
    let case = generate(seed);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    for (name, text) in &case.files {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }
    let names: Vec<String> = case.files.iter().map(|(n, _)| n.clone()).collect();
    let theirs = run_protoc(protoc, &dir, &names);
    let ours = run_protocheck(&dir);
    let accepted = match (&theirs, &ours) {
        (Verdict::Accept(a), Verdict::Accept(b)) => {
            for (x, y) in a.iter().zip(b) {
                if x != y {
                    return Err(format!(
                        "seed {seed}: descriptors differ for {}\nprotoc:     {x:?}\nprotocheck: {y:?}\n{}",
                        x.name(),
                        show(&case)
                    ));
                }
            }
            if a.len() != b.len() {
                return Err(format!("seed {seed}: different files\n{}", show(&case)));
            }
            true
        }
        (Verdict::Reject(e), Verdict::Reject(_)) => {
            if std::env::var_os("PROTOCHECK_DIFF_VERBOSE").is_some() {
                eprintln!(
                    "seed {seed}: rejected: {}",
                    e.lines().next().unwrap_or_default()
                );
            }
            false
        }
        (Verdict::Accept(_), Verdict::Reject(e)) if KNOWN.iter().any(|k| e.contains(k)) => {
            return Ok(Outcome::Known);
        }
        (Verdict::Accept(_), Verdict::Reject(e)) => {
            return Err(format!(
                "seed {seed}: protoc accepts, protocheck rejects: {e}\n{}",
                show(&case)
            ))
        }
        (Verdict::Reject(e), Verdict::Accept(_)) => {
            return Err(format!(
                "seed {seed}: protoc rejects, protocheck accepts: {e}\n{}",
                show(&case)
            ))
        }
    };
    // The same tree on both sides: every file is unchanged and skipped, yet
    // the verdict must be protoc's.
    let same = protocheck::check(
        &Input::Dir(dir.clone()),
        &Input::Dir(dir.clone()),
        &Options::default(),
    );
    match (accepted, same) {
        (true, Err(e)) => Err(format!(
            "seed {seed}: protoc accepts, the tree against itself fails: {e}\n{}",
            show(&case)
        )),
        (false, Ok(_)) => Err(format!(
            "seed {seed}: protoc rejects, the tree against itself passes\n{}",
            show(&case)
        )),
        (true, Ok(_)) => Ok(Outcome::Accepted),
        (false, Err(_)) => Ok(Outcome::Rejected),
    }
}

#[test]
fn protocheck_compiles_what_protoc_compiles() {
    let protoc = protoc();
    let cases: u64 = std::env::var("PROTOCHECK_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let first: u64 = std::env::var("PROTOCHECK_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let mut failures = Vec::new();
    let (mut accepted, mut rejected, mut known) = (0, 0, 0);
    for seed in first..first + cases {
        match one(&protoc, seed) {
            Ok(Outcome::Accepted) => accepted += 1,
            Ok(Outcome::Rejected) => rejected += 1,
            Ok(Outcome::Known) => known += 1,
            Err(e) => failures.push(e),
        }
    }
    eprintln!(
        "{cases} cases: {accepted} accepted by both, {rejected} rejected by both, \
         {known} known differences, {} disagreements",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    if cases < 50 {
        return;
    }
    // Both verdicts must occur, or the corpus tests little.
    assert!(
        accepted > cases as usize / 10,
        "too few accepted cases: {accepted}"
    );
    assert!(
        accepted < cases as usize * 9 / 10,
        "too few rejected cases: {accepted} of {cases} accepted"
    );
}
