//! Machine edits of the new files that make the registry accept a change:
//! keep the old field and declare the new one under a new number, put a
//! deleted field or message back, keep the package, make a new field
//! `optional`. Where no edit is safe (the declaration spans several lines,
//! a name is taken, the change is in another file), there is none and the
//! help says what to do in words.

use super::diff::{DiffType, Difference, Target};
use super::place;
use crate::engine::finding::{Edit, Fix};
use crate::schema::span::Span;
use crate::schema::Schema;

/// The edits for one difference, or `None`.
/// `transitive`: the old version is one of several, maybe not the latest;
/// the old field may have been deleted since, so the new field moves to a
/// free number (and its old number is reserved) instead of the old field
/// coming back.
pub fn fix(
    d: &Difference,
    old: (&Schema, Option<Target>),
    new: (&Schema, Option<Target>, Target),
    transitive: bool,
) -> Option<Fix> {
    if d.nested {
        return None;
    }
    let (os, ot) = old;
    let (ns, nt, nctx) = new;
    let edits = match (d.kind, ot, nt) {
        (
            DiffType::FieldKindChanged
            | DiffType::FieldScalarKindChanged
            | DiffType::FieldNamedTypeChanged
            | DiffType::FieldNumericLabelChanged,
            Some(Target::Field(om, _)),
            Some(Target::Field(nm, nf)),
        ) if transitive => move_and_reserve(os, om, ns, (nm, nf))?,
        (
            DiffType::FieldKindChanged
            | DiffType::FieldScalarKindChanged
            | DiffType::FieldNamedTypeChanged
            | DiffType::FieldNumericLabelChanged,
            Some(Target::Field(om, of)),
            Some(Target::Field(nm, nf)),
        ) => keep_and_add(os, (om, of), ns, (nm, nf))?,
        (DiffType::PackageChanged, Some(Target::File(of)), Some(Target::File(nf))) => {
            let (_, span) = source(ns, nf, &[2])?;
            vec![edit(
                ns,
                nf,
                span,
                format!("package {};", os.files[of].package),
            )]
        }
        // A required field that is new: optional instead.
        (
            DiffType::RequiredFieldAdded | DiffType::RequiredFieldRemoved,
            None,
            Some(Target::Field(nm, nf)),
        ) => {
            let (file, path) = place(ns, Target::Field(nm, nf));
            let (text, span) = source(ns, file, &path)?;
            let decl = text.get(span.offset..span.offset + span.len)?;
            let rest = decl.strip_prefix("required")?;
            vec![edit(ns, file, span, format!("optional{rest}"))]
        }
        // A field that is gone: back where it was.
        (
            DiffType::RequiredFieldAdded
            | DiffType::RequiredFieldRemoved
            | DiffType::OneofFieldRemoved,
            Some(Target::Field(om, of)),
            None,
        ) => restore_field(os, (om, of), ns, nctx)?,
        (DiffType::MessageRemoved, Some(Target::Message(om)), None) => {
            restore_message(os, om, ns, nctx)?
        }
        _ => return None,
    };
    Some(Fix { edits })
}

/// The text of file `file` and the span of the element at `path`.
fn source<'s>(s: &'s Schema, file: usize, path: &[i32]) -> Option<(&'s str, Span)> {
    let f = &s.files[file];
    let text: &str = f.source()?.text();
    let span = f.span(path)?;
    text.get(span.offset..span.offset + span.len)?;
    Some((text, span))
}

/// A declaration's text when it is one line.
fn one_line(s: &Schema, t: Target) -> Option<String> {
    let (file, path) = place(s, t);
    let (text, span) = source(s, file, &path)?;
    (span.line == span.end_line).then(|| text[span.offset..span.offset + span.len].to_owned())
}

fn edit(s: &Schema, file: usize, span: Span, replacement: String) -> Edit {
    let f = &s.files[file];
    let path = match &f.revision {
        Some(rev) => f
            .display_path
            .strip_prefix(&format!("{rev}:"))
            .unwrap_or(&f.display_path)
            .to_owned(),
        None => f.display_path.clone(),
    };
    Edit {
        path,
        file: f.name.clone(),
        span,
        replacement,
    }
}

/// An empty span at byte `offset` of `text`.
fn at(text: &str, offset: usize) -> Span {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Span {
        line,
        column,
        end_line: line,
        end_column: column,
        offset,
        len: 0,
    }
}

/// The whitespace that starts the line holding `offset`.
fn indent_at(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Replaces the new declaration by the old one and declares the new one
/// under a free number (and, if the old name stays, a new name).
fn keep_and_add(
    os: &Schema,
    (om, of): (usize, usize),
    ns: &Schema,
    (nm, nf): (usize, usize),
) -> Option<Vec<Edit>> {
    let old_decl = one_line(os, Target::Field(om, of))?;
    let (file, path) = place(ns, Target::Field(nm, nf));
    let (text, span) = source(ns, file, &path)?;
    if span.line != span.end_line {
        return None;
    }
    let new_decl = &text[span.offset..span.offset + span.len];
    // Same declaration: the type's body changed in its own file; nothing to
    // edit here.
    if new_decl == old_decl {
        return None;
    }
    let (old_field, new_field) = (&os.messages[om].fields[of], &ns.messages[nm].fields[nf]);
    let message = &ns.messages[nm];
    let number = os.messages[om]
        .next_free_number()
        .max(message.next_free_number());
    let mut decl = renumber(new_decl, new_field.number, number)?;
    if new_field.name == old_field.name {
        let mut name = format!("{}_v2", new_field.name);
        while message.fields.iter().any(|f| f.name == name) {
            name.push('_');
        }
        decl = rename(&decl, &new_field.name, &name)?;
    }
    if message
        .fields
        .iter()
        .any(|f| f.name == old_field.name && f.number != new_field.number)
    {
        return None;
    }
    let indent = indent_at(text, span.offset);
    Some(vec![edit(
        ns,
        file,
        span,
        format!("{old_decl}\n{indent}{decl}"),
    )])
}

/// The new field under a number never used, and its old number reserved.
fn move_and_reserve(
    os: &Schema,
    om: usize,
    ns: &Schema,
    (nm, nf): (usize, usize),
) -> Option<Vec<Edit>> {
    let (file, path) = place(ns, Target::Field(nm, nf));
    let (text, span) = source(ns, file, &path)?;
    if span.line != span.end_line {
        return None;
    }
    let message = &ns.messages[nm];
    let field = &message.fields[nf];
    let number = os.messages[om]
        .next_free_number()
        .max(message.next_free_number());
    let decl = renumber(
        &text[span.offset..span.offset + span.len],
        field.number,
        number,
    )?;
    let reserve = insert_before_close(
        ns,
        message.file,
        &message.path,
        &format!("reserved {};", field.number),
    )?;
    Some(vec![edit(ns, file, span, decl), reserve])
}

/// `… = 3 …` with another number.
fn renumber(decl: &str, from: u32, to: u32) -> Option<String> {
    let needle = from.to_string();
    let eq = decl.find('=')?;
    let after = &decl[eq + 1..];
    let start = eq + 1 + after.find(|c: char| !c.is_whitespace())?;
    let digits = decl[start..].strip_prefix(needle.as_str())?;
    if digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}{to}{}", &decl[..start], digits))
}

/// The field name (the word before ` =`) replaced.
fn rename(decl: &str, from: &str, to: &str) -> Option<String> {
    let eq = decl.find('=')?;
    let head = decl[..eq].trim_end();
    let name_start = head.strip_suffix(from).map(str::len)?;
    if !head[..name_start].ends_with(char::is_whitespace) {
        return None;
    }
    Some(format!(
        "{}{to}{}",
        &head[..name_start],
        &decl[head.len()..]
    ))
}

/// Inserts `decl` on its own line before the closing brace of the element at
/// `path` of file `file`.
fn insert_before_close(ns: &Schema, file: usize, path: &[i32], decl: &str) -> Option<Edit> {
    let (text, span) = source(ns, file, path)?;
    let end = span.offset + span.len;
    let close = text[..end].rfind('}')?;
    let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
    let indent = indent_at(text, close);
    if text[line_start..close].trim().is_empty() {
        Some(edit(
            ns,
            file,
            at(text, line_start),
            format!("{indent}  {decl}\n"),
        ))
    } else {
        Some(edit(ns, file, at(text, close), format!(" {decl} ")))
    }
}

/// A deleted field, back in its message (in its oneof if that is still
/// there), unless its name is taken.
fn restore_field(
    os: &Schema,
    (om, of): (usize, usize),
    ns: &Schema,
    nctx: Target,
) -> Option<Vec<Edit>> {
    let Target::Message(nm) = nctx else {
        return None;
    };
    let old_field = &os.messages[om].fields[of];
    let message = &ns.messages[nm];
    if message.fields.iter().any(|f| f.name == old_field.name) {
        return None;
    }
    let decl = one_line(os, Target::Field(om, of))?;
    let oneof = old_field
        .oneof
        .map(|i| &os.messages[om].oneofs[i].name)
        .and_then(|x| message.oneofs.iter().position(|y| &y.name == x));
    let path = match oneof {
        Some(i) => message.oneofs[i].path.clone(),
        None => message.path.clone(),
    };
    Some(vec![insert_before_close(ns, message.file, &path, &decl)?])
}

/// A deleted message, back in the new file (at its end, or in its parent),
/// unless the new schema has a type of that name somewhere else.
fn restore_message(os: &Schema, om: usize, ns: &Schema, nctx: Target) -> Option<Vec<Edit>> {
    let m = &os.messages[om];
    if ns.message(&m.full_name).is_some() || ns.enum_(&m.full_name).is_some() {
        return None;
    }
    let (text, span) = source(os, m.file, &m.path)?;
    let body = &text[span.offset..span.offset + span.len];
    match nctx {
        Target::File(nf) => {
            let ntext: &str = ns.files[nf].source()?.text();
            let sep = if ntext.ends_with('\n') { "\n" } else { "\n\n" };
            Some(vec![edit(
                ns,
                nf,
                at(ntext, ntext.len()),
                format!("{sep}{body}\n"),
            )])
        }
        Target::Message(nm) => {
            let parent = &ns.messages[nm];
            // Only a one-line message keeps its indentation when nested.
            (span.line == span.end_line)
                .then(|| insert_before_close(ns, parent.file, &parent.path, body))
                .flatten()
                .map(|e| vec![e])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumbers_and_renames_declarations() {
        assert_eq!(
            renumber("string c = 2;", 2, 5).as_deref(),
            Some("string c = 5;")
        );
        assert_eq!(
            renumber("int32 x=12 [json_name = \"y\"];", 12, 13).as_deref(),
            Some("int32 x=13 [json_name = \"y\"];")
        );
        assert_eq!(renumber("int32 x = 12;", 1, 3), None);
        assert_eq!(
            rename("repeated int32 level = 1;", "level", "level_v2").as_deref(),
            Some("repeated int32 level_v2 = 1;")
        );
        assert_eq!(rename("int32 xlevel = 1;", "level", "l"), None);
    }
}
