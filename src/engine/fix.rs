//! Machine-applicable fixes. A rule proposes edits anchored to elements of
//! the new schema; the help text is rendered from the same edits (so the
//! words and the edit cannot disagree), and the edits are resolved to spans
//! of the new files when the finding is kept.

use crate::engine::finding::{Edit, Fix};
use crate::schema::{Field, File, Schema, Syntax};

/// Where an edit goes in the new schema: an element (by its
/// `SourceCodeInfo` path) of a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Target {
    file: usize,
    path: Vec<i32>,
}

impl Target {
    pub fn new(file: usize, path: &[i32]) -> Self {
        Target {
            file,
            path: path.to_vec(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum How {
    /// Replace the element's text.
    Replace,
    /// Add a line after the element's declaration, at its indentation.
    InsertAfter,
    /// Add a line as the last statement inside the element's braces.
    Append,
}

/// One proposed edit, before it is resolved to a span.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ProposedEdit {
    target: Target,
    how: How,
    /// The new text (one statement, or one line).
    text: String,
    /// The place in words: the replaced text, or the element added to.
    place: String,
}

impl ProposedEdit {
    /// Replaces the text of `target` (exactly its span) with `text`; `was` is
    /// the text it replaces, for the words.
    pub fn replace(target: Target, was: impl Into<String>, text: impl Into<String>) -> Self {
        ProposedEdit {
            target,
            how: How::Replace,
            text: text.into(),
            place: was.into(),
        }
    }

    /// Adds `text` on a line of its own after the declaration `target`
    /// (written `was`).
    pub fn insert_after(target: Target, was: impl Into<String>, text: impl Into<String>) -> Self {
        ProposedEdit {
            target,
            how: How::InsertAfter,
            text: text.into(),
            place: was.into(),
        }
    }

    /// Adds `text` as the last statement of the message, enum or service
    /// `target`, named `what` in words (`message "Order"`).
    pub fn append(target: Target, what: impl Into<String>, text: impl Into<String>) -> Self {
        ProposedEdit {
            target,
            how: How::Append,
            text: text.into(),
            place: what.into(),
        }
    }

    /// The edit in words.
    fn words(&self) -> String {
        match self.how {
            How::Replace if self.text.is_empty() => format!("delete `{}`", self.place),
            How::Replace => format!("replace `{}` with `{}`", self.place, self.text),
            How::InsertAfter if self.place.is_empty() => format!("add `{}` after it", self.text),
            How::InsertAfter => format!("add `{}` after `{}`", self.text, self.place),
            How::Append => format!("add `{}` to {}", self.text, self.place),
        }
    }
}

/// A fix: the help text and the edits it was rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suggestion {
    pub help: String,
    pub edits: Vec<ProposedEdit>,
}

impl Suggestion {
    /// `{lead}: {edit}, then {edit}{tail}`; `tail` starts with its own
    /// punctuation (`; …`, `: …`) or is empty.
    pub fn new(lead: &str, edits: Vec<ProposedEdit>, tail: &str) -> Self {
        let words: Vec<String> = edits.iter().map(ProposedEdit::words).collect();
        let help = if words.is_empty() {
            format!("{lead}{tail}")
        } else {
            format!("{lead}: {}{tail}", words.join(", then "))
        };
        Suggestion { help, edits }
    }
}

/// The text of an element of a file as written, when there is source.
pub(crate) fn text_of(file: &File, path: &[i32]) -> Option<String> {
    let span = file.span(path)?;
    let text = file.source()?.text();
    text.get(span.offset..span.offset + span.len)
        .map(str::to_owned)
}

/// The declaration of a field as written, when it is on one line.
pub(crate) fn one_line(file: &File, path: &[i32]) -> Option<String> {
    text_of(file, path).filter(|t| !t.contains('\n'))
}

/// `reserved 3;`.
pub(crate) fn reserve_number(n: impl std::fmt::Display) -> String {
    format!("reserved {n};")
}

/// `reserved "total";`, or `reserved total;` in a file written with editions
/// (editions spell reserved names as identifiers).
pub(crate) fn reserve_name(file: &File, name: &str) -> String {
    if matches!(file.syntax, Syntax::Editions(_)) {
        format!("reserved {name};")
    } else {
        format!("reserved \"{name}\";")
    }
}

/// The first field number above every number the message has used on either
/// side (fields, reservations, extension ranges), skipping the range the
/// implementation reserves; `None` past the largest valid number.
pub(crate) fn free_number(
    old: &crate::schema::Message,
    new: &crate::schema::Message,
) -> Option<u32> {
    let mut next = new.next_free_number();
    for f in &old.fields {
        next = next.max(f.number + 1);
    }
    for r in old.reserved_ranges.iter().chain(&old.extension_ranges) {
        if r.end <= 19000 || r.start > 19999 {
            next = next.max(r.end);
        }
    }
    if (19000..20000).contains(&next) {
        next = 20000;
    }
    (next <= 536_870_911).then_some(next)
}

/// A field name for a new field beside `name`: `name_v2` (or `_v3`, …), one
/// that no field of either side has, that is not reserved, and whose JSON
/// name is free.
pub(crate) fn fresh_name(
    old: &crate::schema::Message,
    new: &crate::schema::Message,
    name: &str,
) -> String {
    let taken = |n: &str| {
        let json = crate::schema::default_json_name(n);
        old.fields
            .iter()
            .chain(&new.fields)
            .any(|f| f.name == n || f.json_name == json)
            || new.is_reserved_name(n)
            || old.is_reserved_name(n)
    };
    (2..)
        .map(|i| format!("{name}_v{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| format!("{name}_new"))
}

/// protoc's default JSON name: lowerCamelCase of the field name.
/// Whether every type `f` refers to exists in `schema` with the same kind, so
/// its old declaration can be written back.
pub(crate) fn types_exist(old: &Schema, new: &Schema, f: &Field) -> bool {
    use crate::schema::Kind;
    let Some(t) = &f.type_name else {
        return true;
    };
    match f.kind {
        Kind::Enum => new.enum_(t).is_some(),
        Kind::Message | Kind::Group => match (old.message(t), new.message(t)) {
            (Some(om), Some(nm)) if om.is_map_entry => {
                nm.is_map_entry && om.fields.iter().all(|x| types_exist(old, new, x))
            }
            // A map's entry cannot be named by a field.
            (_, Some(nm)) => !nm.is_map_entry,
            _ => false,
        },
        _ => true,
    }
}

/// `text` with the byte ranges `cuts` (relative to it) replaced.
pub(crate) fn splice(text: &str, mut cuts: Vec<(usize, usize, String)>) -> Option<String> {
    cuts.sort_by_key(|c| std::cmp::Reverse(c.0));
    let mut out = text.to_owned();
    for (start, end, with) in cuts {
        if start > end
            || end > out.len()
            || !out.is_char_boundary(start)
            || !out.is_char_boundary(end)
        {
            return None;
        }
        out.replace_range(start..end, &with);
    }
    Some(out)
}

/// The leading whitespace of the line holding byte `offset`.
fn indent_at(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

/// Resolves the edits against the new schema; `None` when any of them has no
/// place (no source text or source info), so a fix is all or nothing.
pub(crate) fn resolve(new: &Schema, edits: &[ProposedEdit]) -> Option<Fix> {
    if edits.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for e in edits {
        let file = new.files.get(e.target.file)?;
        let src = file.source()?;
        let text = src.text();
        let span = file.span(&e.target.path)?;
        let (start, end) = (span.offset, span.offset + span.len);
        if end > text.len() || start == end {
            return None;
        }
        let (at, to, replacement) = match e.how {
            How::Replace => (start, end, e.text.clone()),
            How::InsertAfter => (end, end, format!("\n{}{}", indent_at(text, start), e.text)),
            How::Append => {
                if !text[..end].ends_with('}') {
                    return None;
                }
                let brace = end - 1;
                let before = &text[..brace];
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let outer = indent_at(text, start);
                // Inside: the indentation of the element's first line, plus
                // two spaces.
                let inner = format!("{outer}  ");
                if before[line_start..].trim().is_empty() && line_start > start {
                    (line_start, line_start, format!("{inner}{}\n", e.text))
                } else {
                    (brace, brace, format!(" {} ", e.text))
                }
            }
        };
        out.push(Edit {
            path: file.display_path.clone(),
            file: file.name.clone(),
            span: src.span_of(at, to),
            replacement,
        });
    }
    // Edits never overlap: two at one place would be ambiguous.
    let mut sorted: Vec<&Edit> = out.iter().collect();
    sorted.sort_by_key(|e| (e.path.clone(), e.span.offset));
    for w in sorted.windows(2) {
        if w[0].path == w[1].path && w[0].span.offset + w[0].span.len > w[1].span.offset {
            return None;
        }
        if w[0].path == w[1].path && w[0].span.offset == w[1].span.offset {
            return None;
        }
    }
    Some(Fix { edits: out })
}

/// The new declaration with another number and, optionally, another name.
pub(crate) fn redeclare(
    schema: &Schema,
    new: &Field,
    number: u32,
    name: Option<&str>,
) -> Option<String> {
    let file = schema.files.get(new.file)?;
    let decl = file.span(&new.path)?;
    let text = one_line(file, &new.path)?;
    let rel = |sub: i32| -> Option<(usize, usize)> {
        let mut path = new.path.clone();
        path.push(sub);
        let s = file.span(&path)?;
        let start = s.offset.checked_sub(decl.offset)?;
        (start + s.len <= text.len()).then_some((start, start + s.len))
    };
    let mut cuts = vec![{
        let (a, b) = rel(3)?;
        (a, b, number.to_string())
    }];
    if let Some(name) = name {
        let (a, b) = rel(1)?;
        cuts.push((a, b, name.to_owned()));
    }
    splice(&text, cuts)
}
