//! Source positions: turning `SourceCodeInfo` spans (0-based, byte columns) into
//! 1-based line and *character* columns plus byte offsets for snippets.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::{Arc, OnceLock};

// Paths are hashed to find their spans: foldhash is several times faster
// than std's SipHash on such short keys (a collision is handled anyway).
use foldhash::fast::RandomState;

use prost_types::SourceCodeInfo;
use serde::Serialize;

/// A region of a source file. Lines and columns are 1-based; columns count
/// characters (not bytes); the end column is exclusive. `offset`/`len` are
/// byte positions in the file text, for snippet rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// The first line, 1-based.
    pub line: usize,
    /// The first column, 1-based, in characters.
    pub column: usize,
    /// The last line, 1-based.
    pub end_line: usize,
    /// The column after the last character, 1-based (exclusive).
    pub end_column: usize,
    /// The byte offset of the start in the file's text (0 without text).
    #[serde(skip)]
    pub offset: usize,
    /// The length in bytes (0 without text).
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

/// The text of one source file with a table of line starts (made on first
/// use: most files' text is only parsed).
#[derive(Debug, Clone)]
pub struct SourceText {
    text: Arc<str>,
    line_starts: Arc<OnceLock<Box<[usize]>>>,
    /// Columns of `SourceCodeInfo` spans count bytes with tabs expanded to
    /// the next multiple of 8, as protoc (and buf) record them; protox
    /// counts plain bytes.
    tab_columns: bool,
}

impl SourceText {
    /// Text whose `SourceCodeInfo` columns are byte offsets (protox).
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        SourceText {
            text: text.into(),
            line_starts: Arc::default(),
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

    /// The byte offset at which each line starts.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    self.text
                        .bytes()
                        .enumerate()
                        .filter(|&(_, b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        })
    }

    /// The byte column of a recorded column on a 0-based line.
    fn byte_col(&self, line: usize, col: usize) -> usize {
        if !self.tab_columns {
            return col;
        }
        let Some(&start) = self.line_starts().get(line) else {
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

    /// The whole text.
    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// Byte offset of a 0-based (line, byte column), clamped to the text.
    fn offset(&self, line: usize, byte_col: usize) -> usize {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line) else {
            return self.text.len();
        };
        let end = starts
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
        let starts = self.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = starts[line];
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

/// Where to read a file's text again, when it was not kept: most files
/// have no finding, and their text would be most of a large check's memory.
/// The text read again is used only if it is the text that was compiled
/// (same length and hash); otherwise there is none, and findings in the file
/// have no snippet.
#[derive(Debug, Clone)]
pub struct Reread {
    path: std::path::PathBuf,
    len: usize,
    hash: u64,
}

impl Reread {
    /// `text` is what was read from `path` and compiled.
    pub fn new(path: std::path::PathBuf, text: &str) -> Reread {
        Reread {
            path,
            len: text.len(),
            hash: Reread::hash(text),
        }
    }

    fn hash(text: &str) -> u64 {
        foldhash::fast::FixedState::with_seed(0).hash_one(text)
    }

    /// The text, if it can be read again unchanged.
    pub fn read(&self) -> Option<SourceText> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        (text.len() == self.len && Reread::hash(&text) == self.hash).then(|| SourceText::new(text))
    }
}

/// `SourceCodeInfo` reduced to what findings need, each element's span by
/// path (the first location of each path: the whole element), without the
/// comments and in a fraction of the memory (a large file has millions of
/// locations): the paths one after another, and each span as four numbers.
/// The index by the paths' hashes is built on first use, so only for files
/// that findings point into.
#[derive(Debug)]
pub struct LocationIndex {
    /// Every location's path, concatenated; `ends[i]` is where the i-th ends.
    paths: Vec<i32>,
    ends: Vec<u32>,
    /// `[line, column, end line, end column]`; all -1 for a span that is
    /// neither three nor four numbers.
    spans: Vec<[i32; 4]>,
    key: fn(&RandomState, &[i32]) -> u64,
    by_hash: OnceLock<ByHash>,
}

#[derive(Debug)]
struct ByHash {
    hasher: RandomState,
    first: HashMap<u64, u32, BuildHasherDefault<U64Hasher>>,
    /// Paths whose hash an earlier path has too (practically never).
    collided: HashMap<Vec<i32>, u32>,
}

impl LocationIndex {
    /// Indexes a file's source info (nothing when there is none), taking it.
    pub fn new(info: Option<SourceCodeInfo>) -> Self {
        LocationIndex::with_key(info, |h, path| h.hash_one(path))
    }

    /// Locations without a span (placeholders) are left out.
    fn with_key(info: Option<SourceCodeInfo>, key: fn(&RandomState, &[i32]) -> u64) -> Self {
        let mut index = LocationIndex {
            paths: Vec::new(),
            ends: Vec::new(),
            spans: Vec::new(),
            key,
            by_hash: OnceLock::new(),
        };
        let Some(info) = info else {
            return index;
        };
        let mut locations = info.location;
        locations.retain(|l| !l.span.is_empty());
        let n = locations.len().min(u32::MAX as usize);
        index.ends.reserve_exact(n);
        index.spans.reserve_exact(n);
        index
            .paths
            .reserve_exact(locations.iter().take(n).map(|l| l.path.len()).sum());
        for loc in locations.into_iter().take(n) {
            index.paths.extend_from_slice(&loc.path);
            let Ok(end) = u32::try_from(index.paths.len()) else {
                index
                    .paths
                    .truncate(index.ends.last().map_or(0, |&e| e as usize));
                break;
            };
            index.ends.push(end);
            index.spans.push(match loc.span[..] {
                [l, c, ec] => [l, c, l, ec],
                [l, c, el, ec] => [l, c, el, ec],
                _ => [-1; 4],
            });
        }
        index
    }

    fn path(&self, i: usize) -> &[i32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.paths[start..self.ends[i] as usize]
    }

    fn by_hash(&self) -> &ByHash {
        self.by_hash.get_or_init(|| {
            let hasher = RandomState::default();
            let mut first: HashMap<u64, u32, BuildHasherDefault<U64Hasher>> = HashMap::default();
            let mut collided = HashMap::new();
            first.reserve(self.ends.len());
            for i in 0..self.ends.len() {
                let path = self.path(i);
                match first.entry((self.key)(&hasher, path)) {
                    Entry::Vacant(e) => {
                        e.insert(i as u32);
                    }
                    Entry::Occupied(e) => {
                        if self.path(*e.get() as usize) != path {
                            collided.entry(path.to_vec()).or_insert(i as u32);
                        }
                    }
                }
            }
            ByHash {
                hasher,
                first,
                collided,
            }
        })
    }

    /// Whether there were locations at all (the file had source info).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The span of `path` (`[line, column, end line, end column]`, 0-based,
    /// byte columns).
    pub fn get(&self, path: &[i32]) -> Option<&[i32]> {
        if self.ends.is_empty() {
            return None;
        }
        let h = self.by_hash();
        let i = *h.first.get(&(self.key)(&h.hasher, path))? as usize;
        if self.path(i) == path {
            return Some(&self.spans[i]);
        }
        let j = *h.collided.get(path)? as usize;
        Some(&self.spans[j])
    }
}

/// The keys are hashes already.
#[derive(Debug, Default)]
struct U64Hasher(u64);

impl std::hash::Hasher for U64Hasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_again_only_if_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.proto");
        let text = "syntax = \"proto3\";\nmessage A {}\n";
        std::fs::write(&path, text).unwrap();
        let again = Reread::new(path.clone(), text);
        let read = again.read().expect("unchanged");
        assert_eq!(&**read.text(), text);
        assert_eq!(read.line_col(text.find("message").unwrap()), (2, 1));
        // Same length, other bytes: not the text that was compiled.
        std::fs::write(&path, text.replace("A {", "B {")).unwrap();
        assert!(again.read().is_none());
        std::fs::remove_file(&path).unwrap();
        assert!(again.read().is_none());
    }

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
    fn locations_by_path_first_wins_even_when_hashes_collide() {
        let loc = |path: &[i32], span: &[i32]| prost_types::source_code_info::Location {
            path: path.to_vec(),
            span: span.to_vec(),
            ..Default::default()
        };
        let info = SourceCodeInfo {
            location: vec![
                loc(&[4, 0], &[1, 0, 9]),
                loc(&[4, 0, 2, 0], &[2, 2, 14]),
                loc(&[4, 0], &[1, 0, 3]),
                loc(&[4, 1], &[5, 0, 9]),
            ],
        };
        let real = LocationIndex::new(Some(info.clone()));
        // Every path the same hash: the collision table answers.
        let colliding = LocationIndex::with_key(Some(info), |_, _| 7);
        for index in [real, colliding] {
            assert_eq!(index.get(&[4, 0]), Some(&[1, 0, 1, 9][..]));
            assert_eq!(index.get(&[4, 0, 2, 0]), Some(&[2, 2, 2, 14][..]));
            assert_eq!(index.get(&[4, 1]), Some(&[5, 0, 5, 9][..]));
            assert_eq!(index.get(&[4, 2]), None);
        }
        assert_eq!(LocationIndex::new(None).get(&[4, 0]), None);
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
