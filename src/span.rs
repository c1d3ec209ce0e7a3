//! Source positions: turning `SourceCodeInfo` spans (0-based, byte columns) into
//! 1-based line and *character* columns plus byte offsets for snippets.

use std::collections::HashMap;
use std::sync::Arc;

use prost_types::SourceCodeInfo;
use serde::Serialize;

/// A region of a source file. Lines and columns are 1-based; columns count
/// characters (not bytes); the end column is exclusive. `offset`/`len` are
/// byte positions in the file text, for snippet rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub len: usize,
}

impl Span {
    /// Line 1, column 1, empty.
    pub fn start() -> Span {
        Span {
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            offset: 0,
            len: 0,
        }
    }
}

/// The text of one source file with a table of line starts.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: Arc<str>,
    line_starts: Arc<[usize]>,
    /// Columns of `SourceCodeInfo` spans count bytes with tabs expanded to
    /// the next multiple of 8, as protoc (and buf) record them; protox
    /// counts plain bytes.
    tab_columns: bool,
}

impl SourceText {
    /// Text whose `SourceCodeInfo` columns are byte offsets (protox).
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceText {
            text,
            line_starts: starts.into(),
            tab_columns: false,
        }
    }

    /// Text whose `SourceCodeInfo` columns expand tabs to multiples of 8
    /// (protoc, buf).
    pub fn with_tab_columns(text: impl Into<Arc<str>>) -> Self {
        SourceText {
            tab_columns: true,
            ..SourceText::new(text)
        }
    }

    /// The byte column of a recorded column on a 0-based line.
    fn byte_col(&self, line: usize, col: usize) -> usize {
        if !self.tab_columns {
            return col;
        }
        let Some(&start) = self.line_starts.get(line) else {
            return col;
        };
        let mut expanded = 0;
        for (i, b) in self.text.as_bytes()[start..].iter().enumerate() {
            if expanded >= col || *b == b'\n' {
                return i;
            }
            expanded = if *b == b'\t' {
                expanded + 8 - expanded % 8
            } else {
                expanded + 1
            };
        }
        self.text.len() - start
    }

    /// The byte offset of a 1-based line and column as protoc prints them in
    /// its messages (tabs expanded when the text uses protoc's columns).
    pub fn offset_of_line_col(&self, line: usize, col: usize) -> usize {
        let (line, col) = (line.saturating_sub(1), col.saturating_sub(1));
        let byte_col = self.byte_col(line, col);
        self.offset(line, byte_col)
    }

    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// Byte offset of a 0-based (line, byte column), clamped to the text.
    fn offset(&self, line: usize, byte_col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let end = self
            .line_starts
            .get(line + 1)
            .map(|&s| s.saturating_sub(1))
            .unwrap_or(self.text.len());
        let mut off = (start + byte_col).min(end.max(start));
        while off > 0 && !self.text.is_char_boundary(off) {
            off -= 1;
        }
        off
    }

    /// 1-based (line, character column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let mut cut = offset;
        while cut > start && !self.text.is_char_boundary(cut) {
            cut -= 1;
        }
        let col = self.text[start..cut].chars().count();
        (line + 1, col + 1)
    }

    /// A span from byte offsets.
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.line_col(start);
        let (end_line, end_column) = self.line_col(end.max(start));
        Span {
            line,
            column,
            end_line,
            end_column,
            offset: start,
            len: end.max(start) - start,
        }
    }

    /// Converts a `SourceCodeInfo` span (`[line, col, end_col]` or
    /// `[line, col, end_line, end_col]`, 0-based, byte columns).
    pub fn span_from_proto(&self, raw: &[i32]) -> Option<Span> {
        let get = |i: usize| raw.get(i).and_then(|&v| usize::try_from(v).ok());
        let (line, col, end_line, end_col) = match raw.len() {
            3 => (get(0)?, get(1)?, get(0)?, get(2)?),
            4 => (get(0)?, get(1)?, get(2)?, get(3)?),
            _ => return None,
        };
        let start = self.offset(line, self.byte_col(line, col));
        let end = self.offset(end_line, self.byte_col(end_line, end_col));
        Some(self.span_of(start, end))
    }
}

/// `SourceCodeInfo` indexed by element path.
#[derive(Debug, Default)]
pub struct LocationIndex {
    spans: HashMap<Vec<i32>, Vec<i32>>,
}

impl LocationIndex {
    pub fn new(info: Option<&SourceCodeInfo>) -> Self {
        let mut spans = HashMap::new();
        if let Some(info) = info {
            for loc in &info.location {
                // The first location for a path is the whole element; keep it.
                spans
                    .entry(loc.path.clone())
                    .or_insert_with(|| loc.span.clone());
            }
        }
        LocationIndex { spans }
    }

    pub fn get(&self, path: &[i32]) -> Option<&[i32]> {
        self.spans.get(path).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = SourceText::new("message M {\n  /* café */ string a = 1;\n}\n");
        // "string" starts at byte 14 of line 1 (é is two bytes) but char 13.
        let span = src.span_from_proto(&[1, 14, 27]).unwrap();
        assert_eq!(
            &src.text()[span.offset..span.offset + span.len],
            "string a = 1;"
        );
        assert_eq!((span.line, span.column), (2, 14));
        assert_eq!((span.end_line, span.end_column), (2, 27));
    }

    #[test]
    fn four_element_spans_and_clamping() {
        let src = SourceText::new("a\nbc\n");
        let span = src.span_from_proto(&[0, 0, 1, 2]).unwrap();
        assert_eq!(
            (span.line, span.column, span.end_line, span.end_column),
            (1, 1, 2, 3)
        );
        let clamped = src.span_from_proto(&[9, 0, 4]).unwrap();
        assert_eq!(clamped.offset, 5);
        assert!(src.span_from_proto(&[1]).is_none());
        assert!(src.span_from_proto(&[-1, 0, 1]).is_none());
    }

    #[test]
    fn protoc_columns_expand_tabs() {
        let src = SourceText::with_tab_columns("message M {\n\tint32 a = 1;\n}\n");
        // protoc records `int32` at column 8 (the tab reaches 8).
        let span = src.span_from_proto(&[1, 8, 20]).unwrap();
        assert_eq!(
            &src.text()[span.offset..span.offset + span.len],
            "int32 a = 1;"
        );
        assert_eq!((span.line, span.column), (2, 2));
        assert_eq!(src.offset_of_line_col(2, 9), span.offset);
    }
}
