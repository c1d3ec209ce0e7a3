//! Reading the files a user names (schemas, descriptor sets, configuration,
//! samples) without hanging or running out of memory: the one place every
//! stage reads a user's file through.

use std::path::Path;

/// The most protocheck reads of one file: protobuf's limit for a serialized
/// message (2 GiB − 1), which no descriptor set can exceed, and far beyond any
/// real `.proto` file. It stops a huge or endless file (a sparse file, a
/// `/proc` file) before memory runs out.
pub const MAX_FILE: u64 = i32::MAX as u64;

/// Why a file could not be read (see [`read_file`]).
#[derive(Debug)]
pub enum ReadFailure {
    /// Nothing there, or a symbolic link to nothing.
    Missing,
    Dir,
    /// A named pipe, a socket or a device: never opened, since opening or
    /// reading one can block forever or never end.
    NotRegular(&'static str),
    TooLarge(u64),
    Io(std::io::Error),
}

impl ReadFailure {
    /// As an I/O error, for errors that carry one.
    pub fn into_io(self) -> std::io::Error {
        use std::io::{Error as IoError, ErrorKind};
        match self {
            ReadFailure::Missing => IoError::new(ErrorKind::NotFound, "no such file"),
            ReadFailure::Dir => IoError::other("a directory, not a file"),
            ReadFailure::NotRegular(kind) => IoError::other(format!("{kind}, not a regular file")),
            ReadFailure::TooLarge(size) => IoError::other(format!(
                "too large ({size} bytes; the limit is {MAX_FILE} bytes)"
            )),
            ReadFailure::Io(e) => e,
        }
    }
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadFailure::Missing => f.write_str("does not exist"),
            ReadFailure::Dir => f.write_str("is a directory, not a file"),
            ReadFailure::NotRegular(kind) => write!(f, "is {kind}, not a regular file"),
            ReadFailure::TooLarge(size) => {
                write!(
                    f,
                    "is too large ({size} bytes; the limit is {MAX_FILE} bytes)"
                )
            }
            ReadFailure::Io(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

/// What a file that is neither a regular file nor a directory is.
pub fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    "a special file"
}

/// Reads an input file (a `.proto` file, a descriptor set, a configuration, a
/// sample), following symbolic links. Only regular files are opened: a named
/// pipe would block the open until some writer came, and a device could be
/// endless; and no more than [`MAX_FILE`] bytes are read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadFailure> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadFailure::Missing,
        _ => ReadFailure::Io(e),
    })?;
    if meta.is_dir() {
        return Err(ReadFailure::Dir);
    }
    if !meta.is_file() {
        return Err(ReadFailure::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > MAX_FILE {
        return Err(ReadFailure::TooLarge(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(ReadFailure::Io)?;
    // The size is a hint: /proc files say 0, and a file can grow.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(ReadFailure::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}
