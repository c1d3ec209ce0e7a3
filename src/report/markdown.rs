//! Markdown for a pull-request or merge-request comment: a summary line and a
//! table of findings, each linking to its line.

use std::io::{self, Write};

use super::{summary_line, Pair};
use crate::engine::finding::{Finding, Severity};

/// How to link to files.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct MarkdownOptions {
    /// Prefix of file links, e.g. `https://github.com/o/r/blob/<sha>`; links
    /// are `<base>/<path>#L<line>`. Without it, links are relative paths.
    pub link_base: Option<String>,
}

/// Escapes text for a table cell: Markdown and HTML specials outside code
/// spans, and `|` everywhere (GitHub splits cells on it even in code).
pub fn escape_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '\\' | '*' | '_' | '[' | ']' | '~' | '#' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    if in_code {
        // An unbalanced backtick would swallow the rest of the row.
        out.push('`');
    }
    out
}

fn link_target(options: &MarkdownOptions, path: &str, line: Option<usize>) -> String {
    let path = path.trim_start_matches("./");
    let encoded = super::sarif::path_uri(path);
    let mut target = match &options.link_base {
        Some(base) => format!("{}/{}", base.trim_end_matches('/'), encoded),
        None => encoded,
    };
    if let Some(l) = line {
        target.push_str(&format!("#L{l}"));
    }
    target
}

fn row(options: &MarkdownOptions, deny_warnings: bool, f: &Finding) -> String {
    let mark = match f.severity {
        Severity::Error => "❌ error",
        Severity::Warning if deny_warnings => "❌ warning",
        Severity::Warning => "⚠️ warning",
        Severity::Info => "ℹ️ info",
    };
    let line = f.location.span.map(|s| s.line);
    let text = match f.location.span {
        Some(s) => format!("{}:{}", f.location.path, s.line),
        None => format!("{}{}", f.location.path, f.location.at_revision()),
    };
    let place = format!(
        "[{}]({})",
        escape_cell(&text),
        link_target(options, &f.location.path, line)
    );
    let mut change = escape_cell(&f.message);
    if let Some(h) = &f.help {
        change.push_str("<br>**fix:** ");
        change.push_str(&escape_cell(h));
    }
    if let (Some(o), Some(t)) = (&f.old_location, &f.old_text) {
        let at = match o.span {
            Some(s) => format!("{}:{}{}", o.path, s.line, o.at_revision()),
            None => format!("{}{}", o.path, o.at_revision()),
        };
        change.push_str(&format!(
            "<br>**was:** `{}` in {}",
            t.replace('`', "'").replace('|', "\\|"),
            escape_cell(&at)
        ));
    }
    format!("| {mark} | `{}` | {place} | {change} |\n", f.rule)
}

fn table(options: &MarkdownOptions, pair: &Pair) -> String {
    if pair.report.findings.is_empty() {
        return String::new();
    }
    let mut s = String::from("| | rule | where | change |\n|---|---|---|---|\n");
    for f in &pair.report.findings {
        s.push_str(&row(options, pair.report.deny_warnings, f));
    }
    s
}

fn icon(pair: &Pair) -> &'static str {
    if pair.report.is_breaking() {
        "❌"
    } else if pair.report.warnings() > 0 {
        "⚠️"
    } else {
        "✅"
    }
}

/// Writes the comment: a heading with the verdict (✅, ⚠️ or ❌) and the
/// summary line, then a table of the findings (rule, a link to the line,
/// the change); with several comparisons, a section per comparison.
///
/// ```
/// use protocheck::report::{markdown, Pair};
/// use protocheck::{Check};
///
/// let r = Check::new("fixtures/order/new_reuse").against("fixtures/order/old").run()?.reports.remove(0);
/// let mut out = Vec::new();
/// markdown::write(&[Pair::single(&r)], &mut out, &markdown::MarkdownOptions::default())?;
/// let comment = String::from_utf8(out)?;
/// assert!(comment.starts_with("### ❌ protocheck: "));
/// assert!(comment.contains("`FIELD_SAME_TYPE`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write(pairs: &[Pair], out: &mut dyn Write, options: &MarkdownOptions) -> io::Result<()> {
    let mut s = String::new();
    match pairs {
        [] => {}
        [pair] => {
            s.push_str(&format!(
                "### {} protocheck: {}\n\n",
                icon(pair),
                escape_cell(&summary_line(pair.report))
            ));
            let t = table(options, pair);
            if !t.is_empty() {
                s.push_str(&t);
                s.push('\n');
            }
        }
        pairs => {
            let breaking = pairs.iter().filter(|p| p.report.is_breaking()).count();
            let head = if breaking == 0 {
                format!("no breaking changes against {} versions", pairs.len())
            } else {
                format!(
                    "breaking changes against {breaking} of {} versions",
                    pairs.len()
                )
            };
            let overall = if breaking > 0 { "❌" } else { "✅" };
            s.push_str(&format!("### {overall} protocheck: {head}\n\n"));
            for pair in pairs {
                s.push_str(&format!(
                    "#### {} against {}: {}\n\n",
                    icon(pair),
                    escape_cell(pair.against.unwrap_or("?")),
                    escape_cell(&summary_line(pair.report))
                ));
                let t = table(options, pair);
                if !t.is_empty() {
                    s.push_str(&t);
                    s.push('\n');
                }
            }
        }
    }
    out.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_outside_code_only() {
        assert_eq!(
            escape_cell("map<string, Foo> `a|b<c>` x_y"),
            "map&lt;string, Foo&gt; `a\\|b<c>` x\\_y"
        );
        assert_eq!(escape_cell("two\nlines"), "two<br>lines");
        assert_eq!(escape_cell("open `code"), "open `code`");
    }
}
