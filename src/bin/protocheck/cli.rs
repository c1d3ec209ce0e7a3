//! The command line: arguments, subcommands and what they mean together.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use protocheck::rules::Level;

/// Tells you, before you merge, whether a change to your .proto files is safe
/// for the data and clients already in production.
#[derive(Parser, Debug)]
#[command(
    name = "protocheck",
    version,
    disable_version_flag = true,
    about,
    long_about = None,
    override_usage = "protocheck [OPTIONS] <OLD> <NEW>\n       \
                      protocheck [OPTIONS] [NEW] --against <OLD>...\n       \
                      protocheck snapshot [OPTIONS] <INPUT> -o <FILE>\n       \
                      protocheck rules|explain|roundtrip|completions|man ...",
    after_help = EXIT_CODES,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Print the version, the commit it was built from and the protoc in use.
    #[arg(short = 'V', long, action = clap::ArgAction::SetTrue)]
    pub version: bool,
    /// The old schema: a .proto file, a directory of them (import names are relative to it),
    /// a binary descriptor set (protoc -o, buf build -o, protocheck snapshot), or
    /// `git:REF:PATH` to read PATH at a git revision (`git:REF` alone takes NEW's path).
    pub old: Option<PathBuf>,
    /// The new schema: a .proto file, a directory, a descriptor set, or `git:REF:PATH`.
    pub new: Option<PathBuf>,
    /// Checks NEW (default: the current directory) against this old schema instead of OLD:
    /// `git:REF` for the same path at a git revision (branch, tag, commit, HEAD~1, origin/main),
    /// `git:REF:PATH`, or a path. Repeat it to check against several versions; each pair is
    /// reported.
    #[arg(long, value_name = "OLD")]
    pub against: Vec<PathBuf>,
    /// Adds an import root for both sides (repeatable).
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// The protoc that compiles files written with `edition = "…"` (default: $PROTOC,
    /// else protoc on PATH, else the protoc bundled with protocheck).
    #[arg(long, value_name = "PATH")]
    pub protoc: Option<PathBuf>,
    /// Which rule set to apply, strictest first: file (default), package, wire-json, wire; or
    /// csr, buf's CSR category. Overrides `use`/`level` (and `compat`) of the configuration.
    #[arg(long, value_parser = parse_level)]
    pub level: Option<Level>,
    /// The Schema Registry's verdict under this compatibility level instead of buf's rules:
    /// backward, forward, full, backward-transitive, forward-transitive, full-transitive or
    /// none (any case, - or _). Each .proto file is a subject; the transitive levels check
    /// NEW against every --against given.
    #[arg(long, value_name = "MODE", value_parser = parse_compat)]
    pub compat: Option<protocheck::Compat>,
    /// A protocheck.toml or buf.yaml. By default protocheck.toml, else buf.yaml, is looked
    /// for in NEW's directory and its parents.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Count warnings as breaking (exit code 1).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Compile every file, including those identical on both sides (by default they are
    /// only parsed and their names resolved: they cannot change the findings).
    #[arg(long)]
    pub full: bool,
    /// Compare only the input files, not the files they import (buf's flag of the same name).
    /// By default imported files (deps, well-known types) are compared too, as buf does.
    #[arg(long)]
    pub exclude_imports: bool,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When to colour text output (NO_COLOR is honoured under auto).
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    /// Prefix of file links in markdown output (`<URL>/<path>#L<line>`). By default taken from
    /// GitHub Actions or GitLab CI variables; else links are relative paths.
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,
    /// Round-trip sample messages between the versions and show, under each finding, what
    /// old and new readers actually see (text and json formats; the exit code is unchanged).
    #[arg(long)]
    pub roundtrip: bool,
}

pub const EXIT_CODES: &str = "Exit codes:\n  \
    0  no breaking change at the chosen level\n  \
    1  breaking changes found (roundtrip: a value is lost or changed)\n  \
    2  could not check: bad arguments, an unreadable input, a schema that does not compile";

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lists every rule with its levels and what it checks.
    Rules {
        /// Only the rules of this level.
        #[arg(long, value_parser = parse_level)]
        level: Option<Level>,
    },
    /// Explains a rule: what it checks, who breaks, an example and the fix.
    Explain {
        /// A rule ID, e.g. FIELD_SAME_TYPE.
        rule: String,
    },
    /// Saves a compiled schema (a binary FileDescriptorSet with source info and imports) to use
    /// later as OLD.
    Snapshot {
        /// A .proto file, a directory, or git:REF:PATH.
        input: PathBuf,
        /// Where to write it (`-` for stdout).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Adds an import root (repeatable).
        #[arg(short = 'I', long = "include", value_name = "DIR")]
        include: Vec<PathBuf>,
    },
    /// Round-trips sample messages between the versions and shows what each reader sees.
    ///
    /// Old writer → new reader and back, new writer → old reader and back, field by field:
    /// same, absent, unknown-preserved, converted, dropped, wire-type-mismatch, decode-error.
    /// Exit code 1 when a value is lost or changed, 2 when the round trip cannot run.
    Roundtrip {
        /// The old schema: a .proto file, a directory, a descriptor set, or `git:REF:PATH`.
        old: PathBuf,
        /// The new schema: a .proto file, a directory, a descriptor set, or `git:REF:PATH`.
        new: PathBuf,
        /// A message type to round-trip, by full name (repeatable); default: every message
        /// type defined in both versions.
        #[arg(long = "message", value_name = "FULL.NAME")]
        message: Vec<String>,
        /// A sample of the writer's message instead of synthesized ones: .json (proto3 JSON),
        /// .txtpb (text format) or .binpb (binary). Repeatable.
        #[arg(long = "sample", value_name = "FILE")]
        sample: Vec<PathBuf>,
        /// Adds an import root for both sides (repeatable).
        #[arg(short = 'I', long = "include", value_name = "DIR")]
        include: Vec<PathBuf>,
        /// How to print the round trip.
        #[arg(long, value_enum, default_value_t = RoundtripFormat::Text)]
        format: RoundtripFormat,
    },
    /// Prints a shell completion script: `protocheck completions bash > …` (see the README
    /// for where each shell looks).
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Prints the manual page (roff): `protocheck man > protocheck.1`.
    Man,
}

/// The subcommands' names, for "did you mean".
const SUBCOMMANDS: &[&str] = &[
    "rules",
    "explain",
    "snapshot",
    "roundtrip",
    "completions",
    "man",
    "help",
];

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoundtripFormat {
    /// Per message and direction, each field's outcome with the bytes.
    Text,
    /// One JSON document (schema in the README).
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, old and new.
    Text,
    /// One line per finding: path:line:col: RULE_ID message.
    Short,
    /// One JSON document (schema in the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML, shown as failed tests by GitLab and Jenkins.
    Junit,
    /// GitLab code quality JSON.
    Gitlab,
    /// Markdown for a pull-request comment: a summary and a table of findings.
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

pub fn parse_level(s: &str) -> Result<Level, String> {
    s.parse()
}

fn parse_compat(s: &str) -> Result<protocheck::Compat, String> {
    s.parse()
}

pub fn use_color(choice: Color, terminal: bool) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// OLD inputs and NEW from the positionals and `--against`.
pub fn inputs(cli: &Cli) -> (Vec<PathBuf>, PathBuf) {
    let usage = |msg: &str| -> ! {
        Cli::command()
            .error(clap::error::ErrorKind::MissingRequiredArgument, msg)
            .exit()
    };
    if cli.against.is_empty() {
        match (&cli.old, &cli.new) {
            (Some(old), Some(new)) => (vec![old.clone()], new.clone()),
            _ => usage("the following required arguments were not provided:\n  <OLD> <NEW>\n\n(or NEW with --against OLD)"),
        }
    } else {
        match (&cli.old, &cli.new) {
            (_, Some(_)) => usage("with --against, give only NEW (the old side is --against's)"),
            (new, None) => (
                cli.against.clone(),
                new.clone().unwrap_or_else(|| PathBuf::from(".")),
            ),
        }
    }
}

/// `protocheck explian X`: a first argument that is no file but looks like a
/// subcommand is reported before it is tried as a path (exit code 2).
pub fn misspelt_subcommand(first: Option<&std::path::Path>) -> Option<ExitCode> {
    let arg = first?.to_str()?;
    if arg.starts_with("git:")
        || arg.contains(['/', '\\', '.'])
        || std::fs::symlink_metadata(arg).is_ok()
    {
        return None;
    }
    let lower = arg.to_lowercase();
    let (best, score) = SUBCOMMANDS
        .iter()
        .map(|c| (*c, strsim::jaro_winkler(&lower, c)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if score < 0.8 && strsim::damerau_levenshtein(&lower, best) > 2 {
        return None;
    }
    eprintln!(
        "error: \"{arg}\" is neither a subcommand nor a file or directory; did you mean `protocheck {best}`?\n\nSee `protocheck --help`."
    );
    Some(ExitCode::from(2))
}
