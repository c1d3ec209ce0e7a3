//! What the command prints: reports in every format, errors, the rule list,
//! the version, and a spinner for long runs.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use miette::{GraphicalReportHandler, GraphicalTheme};
use protocheck::report::markdown::MarkdownOptions;
use protocheck::report::text::{write_text, write_text_with, TextOptions};
use protocheck::report::{self, Pair};
use protocheck::roundtrip::{self, render};
use protocheck::rules::{self, Level};

use crate::cli::{use_color, Cli, Format};

/// `--version`: the version, the commit it was built from, and the protoc in use.
pub fn long_version(explicit: Option<&std::path::Path>) -> String {
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

/// The width of text output: `COLUMNS`, else the terminal's, else 100.
pub fn text_width() -> usize {
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

/// A path for a message, or nothing.
pub fn shown(p: Option<&std::path::Path>) -> String {
    p.map(|p| p.display().to_string()).unwrap_or_default()
}

/// An error as a miette diagnostic on stderr.
pub fn print_error(e: &protocheck::Error, color: bool) {
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
pub fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("cannot write the output: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// `protocheck rules`: every rule with its levels.
pub fn list_rules(level: Option<Level>) -> ExitCode {
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

/// `protocheck explain RULE`: the rule's documentation.
pub fn explain_rule(id: &str) -> ExitCode {
    if let Some(text) = protocheck::registry::explain(id) {
        return emit(&text);
    }
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
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    pub fn start(enabled: bool, message: &'static str) -> Progress {
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

    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

/// The markdown link prefix: `--link-base`, else the CI's blob URL.
pub fn link_base(cli: &Cli) -> Option<String> {
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

/// The reports in the chosen format, with the round trip's evidence under
/// each finding in text and JSON.
pub fn render_pairs(
    cli: &Cli,
    pairs: &[Pair],
    evidence: Option<&roundtrip::RoundTrip>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let several = pairs.len() > 1;
    match cli.format {
        Format::Text => {
            let options = {
                let mut o = TextOptions::default();
                o.color = use_color(cli.color, std::io::stdout().is_terminal());
                o.width = text_width();
                o
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
        Format::Markdown => report::markdown::write(pairs, out, &{
            let mut o = MarkdownOptions::default();
            o.link_base = link_base(cli);
            o
        }),
    }
}

/// Turns a write failure into exit code 2; a closed pipe is not one.
pub fn finish(written: std::io::Result<()>) -> Result<(), ExitCode> {
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
