use crate::engine::fix::{ProposedEdit, Suggestion, Target};
use crate::engine::{Cx, EnumValuePair, Part};

/// `"A", "B"`.
fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

rule! {
    /// # What
    /// Every name an enum value number had is still a name of that number.
    /// Values pair by number; adding an alias (`allow_alias`) is fine, renaming
    /// a value or dropping one of its aliases is not.
    ///
    /// # Why
    /// Generated code names constants after the values, so a rename breaks
    /// every caller. The proto3 JSON mapping and the text format write enum
    /// values by name: JSON clients that send or expect the old name fail, and
    /// stored JSON or text protos no longer parse. The binary wire carries only
    /// the number, so it is unaffected.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// STATUS_ACTIVE = 1;           STATUS_ENABLED = 1;
    /// ```
    ///
    /// # Fix
    /// Keep the old name. To introduce a new name, add it as an alias:
    /// `option allow_alias = true; STATUS_ACTIVE = 1; STATUS_ENABLED = 1;`.
    EnumValueSameName {
        id: "ENUM_VALUE_SAME_NAME",
        levels: [File, Package, WireJson],
        affects: [GeneratedCode, JsonClients],
        summary: "an enum value number keeps all its names",
    }
    impl {
        fn check_enum_value(&self, cx: &mut Cx, p: &EnumValuePair) {
            if p.old.is_empty() || p.new.is_empty() {
                return;
            }
            let lost: Vec<&str> = p
                .old
                .iter()
                .map(|v| v.name.as_str())
                .filter(|n| !p.new.iter().any(|w| w.name == *n))
                .collect();
            if lost.is_empty() {
                return;
            }
            let now: Vec<&str> = p.new.iter().map(|v| v.name.as_str()).collect();
            // As buf: one finding per value the number now has (each alias
            // declaration is a place a reader looks), each pointing at its
            // name and at a lost old value.
            let mut old = p.old.clone();
            old.sort_by_key(|v| !lost.contains(&v.name.as_str()));
            let places: Vec<_> = (0..p.new.len())
                .map(|i| {
                    let mut new = p.new.clone();
                    let v = new.remove(i);
                    new.insert(0, v);
                    EnumValuePair {
                        number: p.number,
                        old_enum: p.old_enum,
                        new_enum: p.new_enum,
                        old: old.clone(),
                        new,
                    }
                    .at(Part::Name)
                })
                .collect();
            let message = if p.old.len() == 1 && now.len() == 1 {
                format!(
                    "enum value {} of enum \"{}\" changed name from \"{}\" to \"{}\"",
                    p.number, p.new_enum.full_name, lost[0], now[0]
                )
            } else {
                format!(
                    "enum value {} of enum \"{}\" no longer has the name{} {} (its names are now {})",
                    p.number,
                    p.new_enum.full_name,
                    if lost.len() == 1 { "" } else { "s" },
                    quoted(&lost),
                    quoted(&now)
                )
            };
            let keep: Vec<String> = lost.iter().map(|n| format!("{n} = {};", p.number)).collect();
            let aliased = p
                .new_enum
                .options
                .as_ref()
                .and_then(|o| o.allow_alias)
                .unwrap_or(false);
            let text = if aliased {
                keep.join(" ")
            } else {
                format!("option allow_alias = true; {}", keep.join(" "))
            };
            let lead = format!(
                "keep {} as {} next to {}",
                quoted(&lost),
                if lost.len() == 1 { "an alias" } else { "aliases" },
                quoted(&now)
            );
            // A name another value has now cannot come back.
            let taken = p
                .new_enum
                .values
                .iter()
                .any(|v| lost.contains(&v.name.as_str()));
            let fix = if taken {
                Suggestion::new(
                    &format!(
                        "{lead} (no automatic edit: another value of the enum has that name now): `{text}`"
                    ),
                    Vec::new(),
                    "",
                )
            } else {
                Suggestion::new(
                    &lead,
                    vec![ProposedEdit::append(
                        Target::new(p.new_enum.file, &p.new_enum.path),
                        format!("enum \"{}\"", p.new_enum.name),
                        text,
                    )],
                    "",
                )
            };
            for at in places {
                cx.report(at, message.clone()).suggest(fix.clone());
            }
        }
    }
}
