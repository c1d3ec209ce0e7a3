//! The `protocheck` command: parses arguments, calls the library, renders,
//! and sets the exit code (0 compatible, 1 breaking, 2 could not check).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use miette::{GraphicalReportHandler, GraphicalTheme};
use protocheck::report::markdown::MarkdownOptions;
use protocheck::report::text::{write_text, write_text_with, TextOptions};
use protocheck::report::{self, Pair};
use protocheck::roundtrip::{self, render};
use protocheck::rules::{self, Level};
use protocheck::{Config, Input, Options, Report, Side};

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
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Print the version, the commit it was built from and the protoc in use.
    #[arg(short = 'V', long, action = clap::ArgAction::SetTrue)]
    version: bool,
    /// The old schema: a .proto file, a directory of them (import names are relative to it),
    /// a binary descriptor set (protoc -o, buf build -o, protocheck snapshot), or
    /// `git:REF:PATH` to read PATH at a git revision (`git:REF` alone takes NEW's path).
    old: Option<PathBuf>,
    /// The new schema: a .proto file, a directory, a descriptor set, or `git:REF:PATH`.
    new: Option<PathBuf>,
    /// Checks NEW (default: the current directory) against this old schema instead of OLD:
    /// `git:REF` for the same path at a git revision (branch, tag, commit, HEAD~1, origin/main),
    /// `git:REF:PATH`, or a path. Repeat it to check against several versions; each pair is
    /// reported.
    #[arg(long, value_name = "OLD")]
    against: Vec<PathBuf>,
    /// Adds an import root for both sides (repeatable).
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    include: Vec<PathBuf>,
    /// The protoc that compiles files written with `edition = "…"` (default: $PROTOC,
    /// else protoc on PATH, else the protoc bundled with protocheck).
    #[arg(long, value_name = "PATH")]
    protoc: Option<PathBuf>,
    /// Which rule set to apply, strictest first: file (default), package, wire-json, wire.
    /// Overrides `use`/`level` of the configuration.
    #[arg(long, value_parser = parse_level)]
    level: Option<Level>,
    /// A protocheck.toml or buf.yaml. By default protocheck.toml, else buf.yaml, is looked
    /// for in NEW's directory and its parents.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Count warnings as breaking (exit code 1).
    #[arg(long)]
    deny_warnings: bool,
    /// Compile every file, including those identical on both sides (by default they are
    /// only parsed and their names resolved: they cannot change the findings).
    #[arg(long)]
    full: bool,
    /// Compare only the input files, not the files they import (buf's flag of the same name).
    /// By default imported files (deps, well-known types) are compared too, as buf does.
    #[arg(long)]
    exclude_imports: bool,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// When to colour text output (NO_COLOR is honoured under auto).
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    /// Prefix of file links in markdown output (`<URL>/<path>#L<line>`). By default taken from
    /// GitHub Actions or GitLab CI variables; else links are relative paths.
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,
    /// Round-trip sample messages between the versions and show, under each finding, what
    /// old and new readers actually see (text and json formats; the exit code is unchanged).
    #[arg(long)]
    roundtrip: bool,
}

const EXIT_CODES: &str = "Exit codes:\n  \
    0  no breaking change at the chosen level\n  \
    1  breaking changes found (roundtrip: a value is lost or changed)\n  \
    2  could not check: bad arguments, an unreadable input, a schema that does not compile";

#[derive(Subcommand, Debug)]
enum Command {
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
enum RoundtripFormat {
    /// Per message and direction, each field's outcome with the bytes.
    Text,
    /// One JSON document (schema in the README).
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
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
enum Color {
    Auto,
    Always,
    Never,
}

fn parse_level(s: &str) -> Result<Level, String> {
    s.parse()
}

fn use_color(choice: Color, terminal: bool) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let err_color = use_color(cli.color, std::io::stderr().is_terminal());
    if cli.version {
        return emit(&long_version(cli.protoc.as_deref()));
    }
    if cli.command.is_none() {
        if let Some(code) = misspelt_subcommand(cli.old.as_deref()) {
            return code;
        }
    }
    let result = match &cli.command {
        Some(Command::Completions { shell }) => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "protocheck", &mut buf);
            return emit(&String::from_utf8_lossy(&buf));
        }
        Some(Command::Man) => {
            let mut buf = Vec::new();
            if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut buf) {
                eprintln!("cannot render the manual page: {e}");
                return ExitCode::from(2);
            }
            return emit(&String::from_utf8_lossy(&buf));
        }
        Some(Command::Rules { level }) => return list_rules(*level),
        Some(Command::Explain { rule }) => return explain(rule),
        Some(Command::Snapshot {
            input,
            output,
            include,
        }) => {
            return match snapshot(input, output, include) {
                Ok(code) => code,
                Err(e) => {
                    print_error(&e, err_color);
                    ExitCode::from(2)
                }
            }
        }
        Some(Command::Roundtrip {
            old,
            new,
            message,
            sample,
            include,
            format,
        }) => std::panic::catch_unwind(|| roundtrip(old, new, message, sample, include, *format)),
        None => std::panic::catch_unwind(|| run(&cli)),
    };
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            print_error(&e, err_color);
            ExitCode::from(2)
        }
        Err(_) => {
            let (old, new) = match &cli.command {
                Some(Command::Roundtrip { old, new, .. }) => {
                    (Some(old.as_path()), Some(new.as_path()))
                }
                _ => (
                    cli.old.as_deref(),
                    cli.new
                        .as_deref()
                        .or(cli.against.first().map(PathBuf::as_path)),
                ),
            };
            eprintln!(
                "internal error: please report, with the inputs \"{}\" and \"{}\"",
                shown(old),
                shown(new)
            );
            ExitCode::from(2)
        }
    }
}

/// `protocheck --version`: the version, the commit, and the protoc that
/// editions files would be compiled with.
fn long_version(explicit: Option<&std::path::Path>) -> String {
    let commit = env!("PROTOCHECK_COMMIT");
    let mut s = format!("protocheck {}", env!("CARGO_PKG_VERSION"));
    if !commit.is_empty() {
        s.push_str(&format!(" (commit {commit})"));
    }
    s.push('\n');
    match protocheck::input::protoc::locate(explicit) {
        Some((path, origin)) => {
            let version = std::process::Command::new(&path)
                .arg("--version")
                .output()
                .map_err(|e| e.to_string())
                .and_then(|o| {
                    if o.status.success() {
                        Ok(String::from_utf8_lossy(&o.stdout).trim().to_owned())
                    } else {
                        Err(format!("`--version` exited with {}", o.status))
                    }
                });
            match version {
                Ok(v) if origin == "bundled" => {
                    s.push_str(&format!("protoc: {v}, bundled ({})\n", path.display()));
                }
                Ok(v) => s.push_str(&format!(
                    "protoc: {v}, from {origin} ({})\n",
                    path.display()
                )),
                Err(e) => s.push_str(&format!(
                    "protoc: \"{}\" (from {origin}) does not run: {e}\n",
                    path.display()
                )),
            }
        }
        None => s.push_str(
            "protoc: none found (editions files need one: --protoc, PROTOC or protoc on PATH)\n",
        ),
    }
    s
}

/// `protocheck explian X`: a first argument that is no file but looks like a
/// subcommand is reported before it is tried as a path.
fn misspelt_subcommand(first: Option<&std::path::Path>) -> Option<ExitCode> {
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

/// The width of text output: `COLUMNS`, else the terminal's, else 100.
fn text_width() -> usize {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return n;
    }
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
        .unwrap_or(100)
}

fn shown(p: Option<&std::path::Path>) -> String {
    p.map(|p| p.display().to_string()).unwrap_or_default()
}

fn print_error(e: &protocheck::Error, color: bool) {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut s = String::new();
    // Wide enough that `path:line:col` is never wrapped.
    let handler = GraphicalReportHandler::new_themed(theme).with_width(1000);
    if handler.render_report(&mut s, e).is_err() {
        s = e.to_string();
    }
    eprintln!("{s}");
}

/// Writes to stdout; a closed pipe ends quietly.
fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("cannot write the output: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn list_rules(level: Option<Level>) -> ExitCode {
    let mut s =
        String::from("RULE                                            FILE PKG  W+J  WIRE  WHAT\n");
    for r in rules::ALL {
        let m = r.meta();
        if level.is_some_and(|l| !m.in_level(l)) {
            continue;
        }
        let mark = |l: Level| if m.in_level(l) { "✓" } else { "·" };
        let warn = if m.severity == protocheck::Severity::Warning {
            " (warning)"
        } else {
            ""
        };
        s.push_str(&format!(
            "{:<47} {:<4} {:<4} {:<4} {:<5} {}{warn}\n",
            m.id,
            mark(Level::File),
            mark(Level::Package),
            mark(Level::WireJson),
            mark(Level::Wire),
            m.summary
        ));
    }
    emit(&s)
}

fn explain(id: &str) -> ExitCode {
    let Some(rule) = rules::by_id(&id.to_uppercase()) else {
        if let Some((old, new)) = protocheck::config::DEPRECATED
            .iter()
            .find(|(d, _)| d.eq_ignore_ascii_case(id))
        {
            eprintln!(
                "{old} is a deprecated buf rule that checks nothing; {}",
                if new.is_empty() {
                    "it has no replacement".to_owned()
                } else {
                    format!("use {}", new.join(", "))
                }
            );
            return ExitCode::from(2);
        }
        let best = rules::ALL
            .iter()
            .map(|r| r.meta().id)
            .max_by(|a, b| {
                strsim::jaro_winkler(&id.to_uppercase(), a)
                    .total_cmp(&strsim::jaro_winkler(&id.to_uppercase(), b))
            })
            .unwrap_or_default();
        eprintln!(
            "unknown rule \"{id}\"; did you mean \"{best}\"? `protocheck rules` lists them all"
        );
        return ExitCode::from(2);
    };
    let m = rule.meta();
    let levels: Vec<&str> = m.levels.iter().map(|l| l.name()).collect();
    let affects: Vec<&str> = m.affects.iter().map(|a| a.describe()).collect();
    let mut s = format!(
        "{}{}\n\n{}\n\nlevels: {}\nbreaks: {}\n\n",
        m.id,
        if m.severity == protocheck::Severity::Warning {
            " (warning)"
        } else {
            ""
        },
        m.summary,
        levels.join(", "),
        affects.join(", ")
    );
    for line in m.doc.lines() {
        s.push_str(line.strip_prefix(' ').unwrap_or(line));
        s.push('\n');
    }
    emit(&s)
}

/// A spinner that shows itself only once a run has taken a second.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn start(enabled: bool, message: &'static str) -> Progress {
        if !enabled {
            return Progress(None);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message);
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(1));
            if !shown.is_finished() {
                shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown.enable_steady_tick(std::time::Duration::from_millis(120));
            }
        });
        Progress(Some(bar))
    }

    fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

/// OLD inputs and NEW from the positionals and `--against`.
fn inputs(cli: &Cli) -> (Vec<PathBuf>, PathBuf) {
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

/// A path from the command line, or `git:…` read from the repository.
fn input(
    side: Side,
    arg: &std::path::Path,
    new: Option<&std::path::Path>,
) -> Result<Input, protocheck::Error> {
    match arg.to_str() {
        Some(s) if s.starts_with("git:") => Input::from_arg(side, s, new),
        _ => Input::from_path(side, arg),
    }
}

/// The markdown link prefix: `--link-base`, else the CI's blob URL.
fn link_base(cli: &Cli) -> Option<String> {
    if cli.link_base.is_some() {
        return cli.link_base.clone();
    }
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if let (Some(server), Some(repo), Some(sha)) = (
        var("GITHUB_SERVER_URL"),
        var("GITHUB_REPOSITORY"),
        var("GITHUB_SHA"),
    ) {
        return Some(format!("{server}/{repo}/blob/{sha}"));
    }
    if let (Some(project), Some(sha)) = (var("CI_PROJECT_URL"), var("CI_COMMIT_SHA")) {
        return Some(format!("{project}/-/blob/{sha}"));
    }
    None
}

fn run(cli: &Cli) -> Result<ExitCode, protocheck::Error> {
    let (old_args, new_arg) = inputs(cli);
    // A buf workspace: NEW is a directory holding a buf.yaml or
    // buf.work.yaml, or no NEW was given and the current directory is in one.
    let is_git = new_arg.to_str().is_some_and(|s| s.starts_with("git:"));
    let workspace_file = if is_git {
        None
    } else if cli.new.is_none() && cli.old.is_none() {
        protocheck::config::workspace::find_upwards(&new_arg)
    } else if new_arg.is_dir() {
        protocheck::config::workspace::file_in(&new_arg)
    } else {
        None
    };
    let workspace = match &workspace_file {
        Some(f) => Some(std::sync::Arc::new(
            protocheck::config::workspace::Workspace::load(f, &cli.include)?,
        )),
        None => None,
    };
    let new = match &workspace {
        Some(ws) => Input::Workspace(ws.clone()),
        None => input(Side::New, &new_arg, None)?,
    };
    // Where NEW is in the working tree: configuration is looked for from
    // there, and `git:REF` alone takes this path.
    let new_path = match &new {
        Input::Git(g) => g.repo.join(&g.path),
        Input::Workspace(ws) => ws.root.clone(),
        _ => new_arg.clone(),
    };
    let config = match (&cli.config, cli.no_config) {
        (_, true) if workspace.is_some() => Some(Config::default()),
        (_, true) => None,
        (Some(path), _) => Some(Config::load(path)?),
        // Each module of a workspace has its own configuration, unless a
        // protocheck.toml applies (it takes precedence over buf.yaml).
        (None, false) if workspace.is_some() => {
            Config::discover(&new_path)?.filter(|c| !c.is_yaml())
        }
        (None, false) => Config::discover(&new_path)?,
    };
    // The files of deps found in buf's cache are import roots of both sides.
    let mut includes = cli.include.clone();
    if let Some(ws) = &workspace {
        includes.extend(ws.dep_roots.iter().cloned());
    }
    let options = Options {
        level: cli.level,
        config,
        includes,
        deny_warnings: cli.deny_warnings,
        full: cli.full,
        protoc: cli.protoc.clone(),
        exclude_imports: cli.exclude_imports,
        workspace: workspace.clone(),
    };
    // `git:REF` where there is nothing old yet (no commit, or NEW's path
    // not at REF) is an empty old schema: `None` here.
    let olds = old_args
        .iter()
        .map(|a| {
            let old = match input(Side::Old, a, Some(&new_path)) {
                Ok(i) => i,
                Err(e) => match nothing_old(a, &e) {
                    Some(note) => {
                        eprintln!("note: {note}");
                        return Ok(None);
                    }
                    None => return Err(e),
                },
            };
            match &workspace {
                Some(ws) => {
                    protocheck::config::workspace::old_side(old, ws, &cli.include).map(Some)
                }
                None => Ok(Some(old)),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    // A spinner on stderr if the check takes more than a second, on a
    // terminal, for human output only.
    let progress = Progress::start(
        matches!(cli.format, Format::Text) && std::io::stderr().is_terminal(),
        "comparing the schemas",
    );
    // --roundtrip: compile both sides whole and add the evidence (one
    // comparison only).
    if cli.roundtrip && olds.len() > 1 {
        eprintln!(
            "note: --roundtrip shows evidence for one comparison; ignored with several --against"
        );
    }
    if cli.roundtrip && !matches!(cli.format, Format::Text | Format::Json) {
        eprintln!(
            "note: --roundtrip evidence is shown in text and json output only; `protocheck roundtrip` prints it on its own"
        );
    }
    // The old sides that are workspaces of their own.
    let olds_ws: Vec<std::sync::Arc<protocheck::config::workspace::Workspace>> = olds
        .iter()
        .filter_map(|o| match o {
            Some(Input::Workspace(w)) if Some(w) != workspace.as_ref() => Some(w.clone()),
            _ => None,
        })
        .collect();
    let checked = if olds.iter().any(Option::is_none) {
        if cli.roundtrip {
            eprintln!("note: no round trip: there is no old schema");
        }
        check_some_empty(&olds, &new, &options).map(|r| (r, None))
    } else {
        let olds: Vec<Input> = olds.into_iter().flatten().collect();
        if cli.roundtrip && olds.len() == 1 {
            check_with_roundtrip(&olds[0], &new, &options).map(|(r, rt)| (vec![r], rt))
        } else if olds.len() == 1 {
            protocheck::check(&olds[0], &new, &options).map(|r| (vec![r], None))
        } else {
            protocheck::check_each(&olds, &new, &options).map(|r| (r, None))
        }
    };
    progress.finish();
    // Deps neither cached nor given: an error only if an import did not resolve.
    let (reports, evidence) =
        checked.map_err(|e| explain_deps(e, workspace.as_deref(), &olds_ws))?;
    for ws in workspace.iter().chain(&olds_ws) {
        for note in ws.unneeded_deps() {
            eprintln!("note: {note}");
        }
    }
    let labels: Vec<String> = old_args.iter().map(|a| a.display().to_string()).collect();
    let several = reports.len() > 1;
    let pairs: Vec<Pair> = reports
        .iter()
        .zip(&labels)
        .map(|(report, label)| Pair {
            against: several.then_some(label.as_str()),
            report,
        })
        .collect();
    for rep in &reports {
        for note in &rep.notes {
            eprintln!("note: {note}");
        }
        for warning in &rep.warnings {
            eprintln!("warning: {warning}");
        }
    }
    // Buffered: stdout is line-buffered, and a report of many findings
    // written a line at a time spends most of its time in write calls.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = render_pairs(cli, &pairs, evidence.as_ref(), &mut out).and_then(|()| out.flush());
    match written {
        // A closed pipe (`protocheck … | head`) ends quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("cannot write the report: {e}");
            return Ok(ExitCode::from(2));
        }
        Ok(()) => {}
    }
    Ok(if reports.iter().any(Report::is_breaking) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn render_pairs(
    cli: &Cli,
    pairs: &[Pair],
    evidence: Option<&roundtrip::RoundTrip>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let several = pairs.len() > 1;
    match cli.format {
        Format::Text => {
            let options = TextOptions {
                color: use_color(cli.color, std::io::stdout().is_terminal()),
                width: text_width(),
            };
            for pair in pairs {
                if let Some(a) = pair.against {
                    writeln!(out, "== against {a}\n")?;
                }
                match evidence {
                    Some(rt) => write_text_with(pair.report, out, options, &|group| {
                        let mut results = Vec::new();
                        for f in group {
                            for r in render::evidence_for(rt, f) {
                                if !results
                                    .iter()
                                    .any(|x: &&roundtrip::FieldResult| std::ptr::eq(*x, r))
                                {
                                    results.push(r);
                                }
                            }
                        }
                        render::evidence_text(&results, options.width)
                    })?,
                    None => write_text(pair.report, out, options)?,
                }
                if several {
                    writeln!(out)?;
                }
            }
            if several {
                let breaking = pairs.iter().filter(|p| p.report.is_breaking()).count();
                writeln!(
                    out,
                    "breaking changes against {breaking} of {} versions",
                    pairs.len()
                )?;
            }
            Ok(())
        }
        Format::Short if several => {
            for pair in pairs {
                let mut buf = Vec::new();
                report::write_short(pair.report, &mut buf)?;
                for line in String::from_utf8_lossy(&buf).lines() {
                    writeln!(out, "{line} (against {})", pair.against.unwrap_or("?"))?;
                }
            }
            Ok(())
        }
        Format::Short => report::write_short(pairs[0].report, out),
        Format::Json if several => report::write_json_pairs(pairs, out),
        Format::Json => match evidence {
            Some(rt) => render::write_check_json(pairs[0].report, rt, out),
            None => report::write_json(pairs[0].report, out),
        },
        Format::Sarif => report::sarif::write(pairs, out),
        Format::Github => report::github::write(pairs, out),
        Format::Junit => report::junit::write(pairs, out),
        Format::Gitlab => report::gitlab::write(pairs, out),
        Format::Markdown => report::markdown::write(
            pairs,
            out,
            &MarkdownOptions {
                link_base: link_base(cli),
            },
        ),
    }
}

/// An error of a check, explained by the deps of the workspaces involved
/// that are neither in buf's cache nor given with `-I`.
fn explain_deps(
    e: protocheck::Error,
    new: Option<&protocheck::config::workspace::Workspace>,
    olds: &[std::sync::Arc<protocheck::config::workspace::Workspace>],
) -> protocheck::Error {
    let e = match new {
        Some(ws) => ws.explain(e),
        None => e,
    };
    olds.iter().fold(e, |e, ws| ws.explain(e))
}

/// A directory holding a buf.yaml or buf.work.yaml, read as the check reads
/// it (module roots, import paths, deps from buf's cache); `None` for any
/// other input.
fn workspace_at(
    arg: &std::path::Path,
    includes: &[PathBuf],
) -> Result<Option<std::sync::Arc<protocheck::config::workspace::Workspace>>, protocheck::Error> {
    if arg.to_str().is_some_and(|s| s.starts_with("git:")) || !arg.is_dir() {
        return Ok(None);
    }
    match protocheck::config::workspace::file_in(arg) {
        Some(f) => Ok(Some(std::sync::Arc::new(
            protocheck::config::workspace::Workspace::load(&f, includes)?,
        ))),
        None => Ok(None),
    }
}

/// The includes of a command on `workspaces`: `-I` and their deps' roots.
fn with_dep_roots(
    includes: &[PathBuf],
    workspaces: &[&std::sync::Arc<protocheck::config::workspace::Workspace>],
) -> Vec<PathBuf> {
    let mut all = includes.to_vec();
    for ws in workspaces {
        for d in &ws.dep_roots {
            if !all.contains(d) {
                all.push(d.clone());
            }
        }
    }
    all
}

fn snapshot(
    input_arg: &std::path::Path,
    output: &std::path::Path,
    includes: &[PathBuf],
) -> Result<ExitCode, protocheck::Error> {
    // A buf workspace is read as the check reads it.
    let ws = workspace_at(input_arg, includes)?;
    let (inp, includes) = match &ws {
        Some(ws) => (
            Input::Workspace(ws.clone()),
            with_dep_roots(includes, &[ws]),
        ),
        None => (input(Side::New, input_arg, None)?, includes.to_vec()),
    };
    let (bytes, inputs, imports) = protocheck::input::snapshot::from_input(&inp, &includes, None)
        .map_err(|e| explain_deps(e, ws.as_deref(), &[]))?;
    if let Some(ws) = &ws {
        for note in ws.unneeded_deps() {
            eprintln!("note: {note}");
        }
    }
    if output == std::path::Path::new("-") {
        let mut out = std::io::stdout().lock();
        return Ok(match out.write_all(&bytes).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                eprintln!("cannot write the snapshot: {e}");
                ExitCode::from(2)
            }
            _ => ExitCode::SUCCESS,
        });
    }
    if let Err(e) = protocheck::input::snapshot::write_file(output, &bytes) {
        eprintln!("cannot write the snapshot \"{}\": {e}", output.display());
        return Ok(ExitCode::from(2));
    }
    Ok(emit(&format!(
        "wrote {}: {inputs} file{}, {imports} import{}\n",
        output.display(),
        if inputs == 1 { "" } else { "s" },
        if imports == 1 { "" } else { "s" },
    )))
}

/// Why `git:REF` (NEW's path at REF) has nothing old, when that is so: the
/// repository has no commits yet, or the path did not exist at REF. The
/// check then runs against an empty old schema. `git:REF:PATH`, which names
/// its path, keeps its error.
fn nothing_old(arg: &std::path::Path, e: &protocheck::Error) -> Option<String> {
    use protocheck::input::git::GitError;
    let spec = arg.to_str()?;
    if spec.strip_prefix("git:")?.contains(':') {
        return None;
    }
    let protocheck::Error::Git(g) = e else {
        return None;
    };
    match &**g {
        GitError::UnknownRevision { rev, .. } if rev == "HEAD" => Some(format!(
            "\"{spec}\": the repository has no commits yet, so nothing old can break: checked against an empty old schema"
        )),
        GitError::NoSuchPath { rev, path, .. } => Some(format!(
            "\"{spec}\": \"{path}\" does not exist at git revision \"{rev}\", so nothing old can break: checked against an empty old schema"
        )),
        _ => None,
    }
}

/// The check when some OLD is empty (`None`): NEW against each.
fn check_some_empty(
    olds: &[Option<Input>],
    new: &Input,
    options: &Options,
) -> Result<Vec<protocheck::Report>, protocheck::Error> {
    options.selection()?;
    let new_schema = protocheck::input::compile_with(
        Side::New,
        new,
        &options.includes,
        options.protoc.as_deref(),
    )?;
    let empty = protocheck::Schema::empty(Side::Old);
    olds.iter()
        .map(|old| match old {
            Some(old) => protocheck::check(old, new, options),
            None => protocheck::check_schemas(&empty, &new_schema, options),
        })
        .collect()
}

/// The check with round-trip evidence: both sides compiled whole.
fn check_with_roundtrip(
    old: &Input,
    new: &Input,
    options: &Options,
) -> Result<(protocheck::Report, Option<roundtrip::RoundTrip>), protocheck::Error> {
    options.selection()?;
    let (mut o, mut n) = protocheck::compile_pair(old, new, &options.includes)?;
    if !options.exclude_imports {
        o.promote_imports();
        n.promote_imports();
    }
    let rep = protocheck::check_schemas(&o, &n, options)?;
    // Without descriptors (a schema from a source that has none) the check
    // still runs, without the evidence.
    let rt = match roundtrip::run(&o, &n, &roundtrip::Options::default()) {
        Ok(rt) => Some(rt),
        Err(protocheck::Error::RoundTrip(e))
            if matches!(*e, roundtrip::RoundTripError::NoDescriptors { .. }) =>
        {
            eprintln!("note: no round trip: {e}");
            None
        }
        Err(e) => return Err(e),
    };
    Ok((rep, rt))
}

/// Turns a write failure into exit code 2; a closed pipe is not one.
fn finish(written: std::io::Result<()>) -> Result<(), ExitCode> {
    match written {
        // A closed pipe (`protocheck … | head`) ends quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprintln!("cannot write the report: {e}");
            Err(ExitCode::from(2))
        }
        Ok(()) => Ok(()),
    }
}

fn roundtrip(
    old: &std::path::Path,
    new: &std::path::Path,
    message: &[String],
    sample: &[PathBuf],
    include: &[PathBuf],
    format: RoundtripFormat,
) -> Result<ExitCode, protocheck::Error> {
    // A buf workspace is read as the check reads it: NEW's modules, and
    // the old side with its own buf.yaml or else with NEW's modules.
    let ws = workspace_at(new, include)?;
    let old = input(Side::Old, old, Some(new))?;
    let (old, new) = match &ws {
        Some(ws) => (
            protocheck::config::workspace::old_side(old, ws, include)?,
            Input::Workspace(ws.clone()),
        ),
        None => (old, input(Side::New, new, None)?),
    };
    let old_ws = match &old {
        Input::Workspace(w) if Some(w) != ws.as_ref() => Some(w.clone()),
        _ => None,
    };
    let workspaces: Vec<_> = ws.iter().chain(&old_ws).collect();
    let includes = with_dep_roots(include, &workspaces);
    let options = roundtrip::Options {
        messages: message.to_vec(),
        samples: sample.to_vec(),
        ..roundtrip::Options::default()
    };
    let rt = roundtrip::run_inputs(&old, &new, &includes, &options)
        .map_err(|e| explain_deps(e, ws.as_deref(), old_ws.as_slice()))?;
    for w in &workspaces {
        for note in w.unneeded_deps() {
            eprintln!("note: {note}");
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        RoundtripFormat::Text => render::write_text(&rt, &mut out, text_width()),
        RoundtripFormat::Json => render::write_json(&rt, &mut out),
    }
    .and_then(|()| out.flush());
    if let Err(code) = finish(written) {
        return Ok(code);
    }
    Ok(if rt.has_loss() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
