//! The `protocheck` command: parses arguments, calls the library, renders,
//! and sets the exit code (0 compatible, 1 breaking, 2 could not check).

mod allocator;
mod cli;
mod output;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use protocheck::roundtrip::{self, render};
use protocheck::{Check, ConfigChoice};

use cli::{Cli, Command, Format, RoundtripFormat};
use output::{emit, finish, print_error, text_width};

fn main() -> ExitCode {
    allocator::tune();
    let cli = Cli::parse();
    let err_color = cli::use_color(cli.color, std::io::stderr().is_terminal());
    if cli.version {
        return emit(&output::long_version(cli.protoc.as_deref()));
    }
    if cli.command.is_none() {
        if let Some(code) = cli::misspelt_subcommand(cli.old.as_deref()) {
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
        Some(Command::Rules { level }) => return output::list_rules(*level),
        Some(Command::Explain { rule }) => return output::explain_rule(rule),
        Some(Command::Snapshot {
            input,
            output,
            include,
        }) => std::panic::catch_unwind(|| snapshot(input, output, include)),
        Some(Command::Roundtrip {
            old,
            new,
            message,
            sample,
            include,
            format,
        }) => std::panic::catch_unwind(|| {
            let options = {
                let mut o = roundtrip::Options::default();
                o.messages = message.clone();
                o.samples = sample.clone();
                o
            };
            run_roundtrip(old, new, include, &options, *format)
        }),
        None => std::panic::catch_unwind(|| check(&cli)),
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
                Some(Command::Snapshot { input, .. }) => (None, Some(input.as_path())),
                _ => (
                    cli.old.as_deref(),
                    cli.new
                        .as_deref()
                        .or(cli.against.first().map(PathBuf::as_path)),
                ),
            };
            eprintln!(
                "internal error: please report, with the inputs \"{}\" and \"{}\"",
                output::shown(old),
                output::shown(new)
            );
            ExitCode::from(2)
        }
    }
}

/// The main job: NEW against every OLD.
fn check(cli: &Cli) -> Result<ExitCode, protocheck::Error> {
    let (old_args, new_arg) = cli::inputs(cli);
    let mut check = if cli.new.is_none() && cli.old.is_none() {
        Check::current_dir()
    } else {
        Check::new(new_arg)
    };
    for old in old_args {
        check = check.against(old);
    }
    for dir in &cli.include {
        check = check.include(dir.clone());
    }
    if let Some(level) = cli.level {
        check = check.level(level);
    }
    if let Some(mode) = cli.compat {
        check = check.compat(mode);
    }
    if let Some(protoc) = &cli.protoc {
        check = check.protoc(protoc.clone());
    }
    let config = match (&cli.config, cli.no_config) {
        (_, true) => ConfigChoice::Ignore,
        (Some(path), false) => ConfigChoice::File(path.clone()),
        (None, false) => ConfigChoice::Discover,
    };
    let check = check
        .config(config)
        .deny_warnings(cli.deny_warnings)
        .full(cli.full)
        .exclude_imports(cli.exclude_imports)
        .roundtrip(cli.roundtrip);
    if cli.roundtrip && !matches!(cli.format, Format::Text | Format::Json) {
        eprintln!(
            "note: --roundtrip evidence is shown in text and json output only; `protocheck roundtrip` prints it on its own"
        );
    }
    // A spinner on stderr if the check takes more than a second, on a
    // terminal, for human output only.
    let progress = output::Progress::start(
        matches!(cli.format, Format::Text) && std::io::stderr().is_terminal(),
        "comparing the schemas",
    );
    let outcome = check.run();
    progress.finish();
    let outcome = outcome?;
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    for rep in &outcome.reports {
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
    let pairs = outcome.pairs();
    let written = output::render_pairs(cli, &pairs, outcome.roundtrip.as_ref(), &mut out)
        .and_then(|()| out.flush());
    if let Err(code) = finish(written) {
        return Ok(code);
    }
    Ok(if outcome.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn snapshot(
    input: &Path,
    output: &Path,
    includes: &[PathBuf],
) -> Result<ExitCode, protocheck::Error> {
    let snap = protocheck::snapshot(input, includes)?;
    for note in &snap.notes {
        eprintln!("note: {note}");
    }
    if output == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return Ok(
            match out.write_all(&snap.bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("cannot write the snapshot: {e}");
                    ExitCode::from(2)
                }
                _ => ExitCode::SUCCESS,
            },
        );
    }
    if let Err(e) = protocheck::input::snapshot::write_file(output, &snap.bytes) {
        eprintln!("cannot write the snapshot \"{}\": {e}", output.display());
        return Ok(ExitCode::from(2));
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    Ok(emit(&format!(
        "wrote {}: {} file{}, {} import{}\n",
        output.display(),
        snap.inputs,
        plural(snap.inputs),
        snap.imports,
        plural(snap.imports),
    )))
}

fn run_roundtrip(
    old: &Path,
    new: &Path,
    includes: &[PathBuf],
    options: &roundtrip::Options,
    format: RoundtripFormat,
) -> Result<ExitCode, protocheck::Error> {
    let (rt, notes) = protocheck::run_roundtrip(old, new, includes, options)?;
    for note in &notes {
        eprintln!("note: {note}");
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
