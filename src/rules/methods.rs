//! Checks and fixes shared by the RPC rules: streaming, request and response
//! types.

use crate::engine::fix::{self, ProposedEdit, Suggestion, Target};
use crate::engine::{Cx, Part};
use crate::schema::Schema;

/// Which end of a method streams.
#[derive(Clone, Copy)]
pub enum StreamEnd {
    Request,
    Response,
}

/// The check shared by RPC_SAME_CLIENT_STREAMING and
/// RPC_SAME_SERVER_STREAMING: one end of a method changed between a single
/// message and a stream.
pub fn check_streaming(cx: &mut Cx, p: &crate::engine::MethodPair, end: StreamEnd) {
    let (Some(old), Some(new)) = (p.old, p.new) else {
        return;
    };
    let streams = |m: &crate::schema::Method| match end {
        StreamEnd::Request => m.client_streaming,
        StreamEnd::Response => m.server_streaming,
    };
    if streams(old) == streams(new) {
        return;
    }
    let (part, verb, words): (Part, &str, fn(bool) -> &'static str) = match end {
        StreamEnd::Request => (Part::ClientStreaming, "", |s| {
            if s {
                "a request stream"
            } else {
                "a single request"
            }
        }),
        StreamEnd::Response => (Part::ServerStreaming, "returning ", |s| {
            if s {
                "a response stream"
            } else {
                "a single response"
            }
        }),
    };
    let signature = |name: &str, m: &crate::schema::Method| {
        let stream = |s: bool| if s { "stream " } else { "" };
        format!(
            "rpc {name}({}{}) returns ({}{});",
            stream(m.client_streaming),
            m.input_type,
            stream(m.server_streaming),
            m.output_type
        )
    };
    let tail = format!(
        "; to offer the {} variant, add it as a new method, e.g. `{}`",
        if streams(new) { "streaming" } else { "unary" },
        signature(
            &format!(
                "{}{}",
                new.name,
                if streams(new) { "Stream" } else { "Unary" }
            ),
            new
        )
    );
    let fix = streaming_fix(cx, p, &signature(&old.name, old), &tail);
    cx.report(
        p.at(part),
        format!(
            "method \"{}\" of service \"{}\" changed from {verb}{} to {}",
            new.name,
            p.new_service.full_name,
            words(streams(old)),
            words(streams(new))
        ),
    )
    .suggest(fix);
}

/// Puts a method's old streaming back: its declaration, when it is one line
/// with no body, rewritten with the types as the new file writes them and
/// the old `stream` markers; else the words alone.
fn streaming_fix(cx: &Cx, p: &crate::engine::MethodPair, was: &str, tail: &str) -> Suggestion {
    let edit = (|| {
        let (old, new) = (p.old?, p.new?);
        let svc = p.new_service;
        let file = cx.new.files.get(svc.file)?;
        let now = fix::one_line(file, &new.path)?;
        if !now.trim_end().ends_with(';') || now.contains('{') {
            return None;
        }
        let mut input = new.path.clone();
        input.push(2);
        let mut output = new.path.clone();
        output.push(3);
        let (i, o) = (fix::text_of(file, &input)?, fix::text_of(file, &output)?);
        let stream = |s: bool| if s { "stream " } else { "" };
        let back = format!(
            "rpc {}({}{i}) returns ({}{o});",
            new.name,
            stream(old.client_streaming),
            stream(old.server_streaming)
        );
        Some(ProposedEdit::replace(
            Target::new(svc.file, &new.path),
            now,
            back,
        ))
    })();
    match edit {
        Some(e) => Suggestion::new("keep the method's old streaming", vec![e], tail),
        None => Suggestion::new(&format!("keep `{was}` as it was"), Vec::new(), tail),
    }
}

/// How a method in file `file` of `schema` names the message `full`: relative
/// to the package when the type is in it (a service has no nested types, so
/// the package's scope finds it), else fully qualified; `None` when the
/// message does not exist or the file can see it neither in itself nor in
/// a file it imports.
pub fn method_type_name(schema: &Schema, file: usize, full: &str) -> Option<String> {
    let f = schema.files.get(file)?;
    let m = schema.message(full)?;
    if m.is_map_entry {
        return None;
    }
    let home = &schema.files.get(m.file)?.name;
    if m.file != file && !f.imports.iter().any(|i| i == home) {
        return None;
    }
    Some(if f.package.is_empty() {
        full.to_owned()
    } else {
        match full.strip_prefix(&format!("{}.", f.package)) {
            Some(rest) => rest.to_owned(),
            None => format!(".{full}"),
        }
    })
}

/// The fix of a changed request (`field` 2) or response (3) type: put the
/// old type back when that message still exists and the method's file can
/// name it (it is in the file or in a file it imports); else say why there
/// is no edit.
pub fn keep_method_type(cx: &Cx, p: &crate::engine::MethodPair, field: i32) -> Suggestion {
    let (role, verb) = if field == 2 {
        ("request", "takes")
    } else {
        ("response", "returns")
    };
    let (was, now) = match (p.old, p.new) {
        (Some(old), Some(new)) if field == 2 => (old.input_type.as_str(), new.input_type.as_str()),
        (Some(old), Some(new)) => (old.output_type.as_str(), new.output_type.as_str()),
        _ => ("", ""),
    };
    let tail = format!(
        "; evolve it by adding fields, and if \"{now}\" is needed, add a new method that {verb} it"
    );
    match restore_method_type(cx, p, field) {
        Some(edit) => Suggestion::new(
            &format!("keep \"{was}\" as the {role} type"),
            vec![edit],
            &tail,
        ),
        None => Suggestion::new(
            &format!(
                "keep \"{was}\" as the {role} type (no automatic edit: {})",
                match cx.new.message(was) {
                    Some(m) => format!(
                        "\"{}\" does not import \"{}\", which declares it",
                        cx.new.files[p.new_service.file].name, cx.new.files[m.file].name
                    ),
                    None => "it no longer exists in the new schema".to_owned(),
                }
            ),
            Vec::new(),
            &tail,
        ),
    }
}

/// Puts a method's old request (`field` 2) or response (3) type back, when
/// that message still exists and the method's file can name it; else `None`.
fn restore_method_type(cx: &Cx, p: &crate::engine::MethodPair, field: i32) -> Option<ProposedEdit> {
    let (old, new) = (p.old?, p.new?);
    let (was, now) = match field {
        2 => (&old.input_type, &new.input_type),
        _ => (&old.output_type, &new.output_type),
    };
    let svc = p.new_service;
    let file = cx.new.files.get(svc.file)?;
    let name = method_type_name(cx.new, svc.file, was)?;
    let mut path = new.path.clone();
    path.push(field);
    let written = fix::text_of(file, &path)?;
    if written.contains('\n') || now == was {
        return None;
    }
    Some(ProposedEdit::replace(
        Target::new(svc.file, &path),
        written,
        name,
    ))
}
