//! The registry's seven compatibility levels and what each one runs.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A compatibility level of the Schema Registry, as a subject is configured
/// with it. Written case-insensitively, with `-` or `_`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// New schema reads data written with the latest version.
    Backward,
    /// The latest version reads data written with the new schema.
    Forward,
    /// Both, against the latest version.
    Full,
    /// As backward, against every version.
    BackwardTransitive,
    /// As forward, against every version.
    ForwardTransitive,
    /// As full, against every version.
    FullTransitive,
    /// Nothing is checked: every registration is accepted.
    None,
}

/// Which way a diff runs: the registry's own diff (old → new), or the same
/// diff with the roles swapped (new → old), which is how it checks FORWARD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// `diff(old → new)`: can new readers read old data.
    Backward,
    /// `diff(new → old)`: can old readers read new data.
    Forward,
}

impl Mode {
    pub const ALL: [Mode; 7] = [
        Mode::Backward,
        Mode::Forward,
        Mode::Full,
        Mode::BackwardTransitive,
        Mode::ForwardTransitive,
        Mode::FullTransitive,
        Mode::None,
    ];

    /// The name protocheck writes (`backward-transitive`).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Backward => "backward",
            Mode::Forward => "forward",
            Mode::Full => "full",
            Mode::BackwardTransitive => "backward-transitive",
            Mode::ForwardTransitive => "forward-transitive",
            Mode::FullTransitive => "full-transitive",
            Mode::None => "none",
        }
    }

    /// The registry's own name (`BACKWARD_TRANSITIVE`).
    pub fn registry_name(self) -> &'static str {
        match self {
            Mode::Backward => "BACKWARD",
            Mode::Forward => "FORWARD",
            Mode::Full => "FULL",
            Mode::BackwardTransitive => "BACKWARD_TRANSITIVE",
            Mode::ForwardTransitive => "FORWARD_TRANSITIVE",
            Mode::FullTransitive => "FULL_TRANSITIVE",
            Mode::None => "NONE",
        }
    }

    /// Whether every earlier version is checked, not only the latest.
    pub fn is_transitive(self) -> bool {
        matches!(
            self,
            Mode::BackwardTransitive | Mode::ForwardTransitive | Mode::FullTransitive
        )
    }

    /// The same level without `_TRANSITIVE`.
    pub fn base(self) -> Mode {
        match self {
            Mode::BackwardTransitive => Mode::Backward,
            Mode::ForwardTransitive => Mode::Forward,
            Mode::FullTransitive => Mode::Full,
            m => m,
        }
    }

    /// The diffs the registry runs, in its order: FULL runs the forward
    /// part first. NONE runs none (protocheck still shows both, as infos).
    pub fn directions(self) -> &'static [Direction] {
        match self.base() {
            Mode::Backward => &[Direction::Backward],
            Mode::Forward => &[Direction::Forward],
            Mode::Full => &[Direction::Forward, Direction::Backward],
            _ => &[],
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Mode::ALL
            .into_iter()
            .find(|m| m.name() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown compatibility mode \"{s}\": expected backward, forward, full, \
                     backward-transitive, forward-transitive, full-transitive or none"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case_with_dash_or_underscore() {
        for m in Mode::ALL {
            assert_eq!(m.name().parse::<Mode>(), Ok(m));
            assert_eq!(m.registry_name().parse::<Mode>(), Ok(m));
            assert_eq!(m.name().to_uppercase().parse::<Mode>(), Ok(m));
        }
        assert_eq!("Full_Transitive".parse::<Mode>(), Ok(Mode::FullTransitive));
        assert!("backwards".parse::<Mode>().is_err());
    }
}
