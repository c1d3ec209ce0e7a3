//! GitHub Actions workflow commands: one `::error` (or `::warning`,
//! `::notice` for infos) per finding, which GitHub shows as an annotation on
//! the line of the pull request's diff.

use std::io::{self, Write};

use super::Pair;
use crate::engine::finding::Severity;

/// Escapes a command's message (`%`, CR, LF), as the runner decodes it.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, which also ends at `,` and `:`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes one workflow command per finding, e.g.
/// `::error file=a.proto,line=8,col=3,endLine=8,endColumn=8,title=FIELD_SAME_TYPE::…`.
pub fn write(pairs: &[Pair], out: &mut dyn Write) -> io::Result<()> {
    for pair in pairs {
        for f in &pair.report.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning if pair.report.deny_warnings => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut props = vec![format!("file={}", escape_property(&f.location.path))];
            if let Some(s) = f.location.span {
                props.push(format!("line={}", s.line));
                props.push(format!("col={}", s.column));
                props.push(format!("endLine={}", s.end_line));
                props.push(format!("endColumn={}", s.end_column));
            }
            let title = match pair.against {
                Some(a) => format!("{} (against {a})", f.rule),
                None => f.rule.to_owned(),
            };
            props.push(format!("title={}", escape_property(&title)));
            let mut message = f.message.clone();
            if let Some(r) = &f.location.revision {
                message.push_str(&format!(" (in {} at git revision {r})", f.location.path));
            }
            if let Some(h) = &f.help {
                message.push_str("\nfix: ");
                message.push_str(h);
            }
            if let (Some(o), Some(t)) = (&f.old_location, &f.old_text) {
                let at = match o.span {
                    Some(s) => format!("{}:{}:{}{}", o.path, s.line, s.column, o.at_revision()),
                    None => format!("{}{}", o.path, o.at_revision()),
                };
                message.push_str(&format!("\nwas: `{t}` at {at}"));
            }
            writeln!(
                out,
                "::{command} {}::{}",
                props.join(","),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50%\na"), "50%25%0Aa");
        assert_eq!(escape_property("git:main,x"), "git%3Amain%2Cx");
    }
}
