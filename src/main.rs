//! The `protocheck` command: parses arguments, calls the library, renders,
//! and sets the exit code (0 compatible, 1 breaking, 2 could not check).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use miette::{GraphicalReportHandler, GraphicalTheme};
use protocheck::report::text::{write_text, TextOptions};
use protocheck::{report, Level, Options, Side};

/// Tells you, before you merge, whether a change to your .proto files is safe
/// for the data and clients already in production.
#[derive(Parser, Debug)]
#[command(name = "protocheck", version, about, long_about = None)]
struct Cli {
    /// The old schema: a .proto file, or a directory of them (import names are relative to it).
    old: PathBuf,
    /// The new schema: a .proto file or a directory.
    new: PathBuf,
    /// Adds an import root for both sides (repeatable).
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    include: Vec<PathBuf>,
    /// Which rule set to apply, strictest first: file, package, wire-json, wire.
    #[arg(long, default_value = "file", value_parser = parse_level)]
    level: Level,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// When to colour text output (NO_COLOR is honoured under auto).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
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
    let result = std::panic::catch_unwind(|| run(&cli));
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            print_error(&e, err_color);
            ExitCode::from(2)
        }
        Err(_) => {
            eprintln!(
                "internal error: please report, with the inputs \"{}\" and \"{}\"",
                cli.old.display(),
                cli.new.display()
            );
            ExitCode::from(2)
        }
    }
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

fn run(cli: &Cli) -> Result<ExitCode, protocheck::Error> {
    let options = Options {
        level: cli.level,
        includes: cli.include.clone(),
    };
    let old = protocheck::Input::from_path(Side::Old, &cli.old)?;
    let new = protocheck::Input::from_path(Side::New, &cli.new)?;
    let rep = protocheck::check(&old, &new, &options)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match cli.format {
        Format::Text => write_text(
            &rep,
            &mut out,
            TextOptions {
                color: use_color(cli.color, std::io::stdout().is_terminal()),
                width: 100,
            },
        ),
        Format::Short => report::write_short(&rep, &mut out),
        Format::Json => report::write_json(&rep, &mut out),
    }
    .and_then(|()| out.flush());
    match written {
        // A closed pipe (`protocheck … | head`) ends quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("cannot write the report: {e}");
            return Ok(ExitCode::from(2));
        }
        Ok(()) => {}
    }
    Ok(if rep.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
