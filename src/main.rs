//! The `protocheck` command: parses arguments, calls the library, renders,
//! and sets the exit code (0 compatible, 1 breaking, 2 could not check).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use miette::{GraphicalReportHandler, GraphicalTheme};
use protocheck::report::text::{write_text, write_text_with, TextOptions};
use protocheck::roundtrip::{self, render};
use protocheck::rules::{self, Level};
use protocheck::{report, Config, Options, Side};

/// Tells you, before you merge, whether a change to your .proto files is safe
/// for the data and clients already in production.
#[derive(Parser, Debug)]
#[command(
    name = "protocheck",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The old schema: a .proto file, or a directory of them (import names are relative to it).
    #[arg(required = true)]
    old: Option<PathBuf>,
    /// The new schema: a .proto file or a directory.
    #[arg(required = true)]
    new: Option<PathBuf>,
    /// Adds an import root for both sides (repeatable).
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    include: Vec<PathBuf>,
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
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// When to colour text output (NO_COLOR is honoured under auto).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Round-trip sample messages between the versions and show, under each finding, what
    /// old and new readers actually see (text and json formats; the exit code is unchanged).
    #[arg(long)]
    roundtrip: bool,
}

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
    /// Round-trips sample messages between the versions and shows what each reader sees.
    ///
    /// Old writer → new reader and back, new writer → old reader and back, field by field:
    /// same, absent, unknown-preserved, converted, dropped, wire-type-mismatch, decode-error.
    /// Exit code 1 when a value is lost or changed, 2 when the round trip cannot run.
    Roundtrip {
        /// The old schema: a .proto file or a directory.
        old: PathBuf,
        /// The new schema: a .proto file or a directory.
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
}

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
    let result = match &cli.command {
        Some(Command::Rules { level }) => return list_rules(*level),
        Some(Command::Explain { rule }) => return explain(rule),
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
                _ => (cli.old.as_deref(), cli.new.as_deref()),
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

fn run(cli: &Cli) -> Result<ExitCode, protocheck::Error> {
    let (Some(old_path), Some(new_path)) = (&cli.old, &cli.new) else {
        unreachable!("clap requires OLD and NEW without a subcommand");
    };
    let config = match (&cli.config, cli.no_config) {
        (_, true) => None,
        (Some(path), _) => Some(Config::load(path)?),
        (None, false) => Config::discover(new_path)?,
    };
    let options = Options {
        level: cli.level,
        config,
        includes: cli.include.clone(),
        deny_warnings: cli.deny_warnings,
    };
    let old = protocheck::Input::from_path(Side::Old, old_path)?;
    let new = protocheck::Input::from_path(Side::New, new_path)?;
    let (rep, evidence) = if cli.roundtrip {
        options.selection()?;
        let (o, n) = protocheck::compile_pair(&old, &new, &options.includes)?;
        let rep = protocheck::check_schemas(&o, &n, &options)?;
        // Without descriptors (a schema from a source that has none) the
        // check still runs, without the evidence.
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
        (rep, rt)
    } else {
        (protocheck::check(&old, &new, &options)?, None)
    };
    for note in &rep.notes {
        eprintln!("note: {note}");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let text_options = TextOptions {
        color: use_color(cli.color, std::io::stdout().is_terminal()),
        width: 100,
    };
    let written = match (cli.format, &evidence) {
        (Format::Text, None) => write_text(&rep, &mut out, text_options),
        (Format::Text, Some(rt)) => write_text_with(&rep, &mut out, text_options, &|group| {
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
            render::evidence_text(&results, text_options.width)
        }),
        (Format::Short, _) => report::write_short(&rep, &mut out),
        (Format::Json, None) => report::write_json(&rep, &mut out),
        (Format::Json, Some(rt)) => render::write_check_json(&rep, rt, &mut out),
    }
    .and_then(|()| out.flush());
    if let Err(code) = finish(written) {
        return Ok(code);
    }
    Ok(if rep.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
    let old = protocheck::Input::from_path(Side::Old, old)?;
    let new = protocheck::Input::from_path(Side::New, new)?;
    let options = roundtrip::Options {
        messages: message.to_vec(),
        samples: sample.to_vec(),
        ..roundtrip::Options::default()
    };
    let rt = roundtrip::run_inputs(&old, &new, include, &options)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        RoundtripFormat::Text => render::write_text(&rt, &mut out, 100),
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
