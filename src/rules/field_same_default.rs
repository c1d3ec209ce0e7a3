use crate::engine::fix::Suggestion;
use crate::engine::{Cx, FieldPair, Part};
use crate::rules::field_fixes;
use crate::schema::{Cardinality, Field, Kind, Schema};

rule! {
    /// # What
    /// A singular scalar or enum field keeps its default value: the explicit
    /// `[default = …]` of proto2, or the implicit one (zero, empty, false, or
    /// an enum's first value). Nothing is reported when both defaults are the
    /// zero value. Numbers compare by value across kinds, so `int32` 10 and
    /// `int64` 10 are the same default, and float vs double compares at float
    /// precision (type changes are FIELD_SAME_TYPE's business). Extensions are
    /// checked too.
    ///
    /// # Why
    /// A reader that finds the field unset returns the default it was built
    /// with. After the change, old and new code read different values from
    /// the same bytes: data that left the field unset means something else to
    /// each side.
    ///
    /// # Example
    /// ```proto
    /// // old (proto2)                                 // new
    /// optional int32 retries = 1 [default = 3];       optional int32 retries = 1 [default = 5];
    /// ```
    ///
    /// # Fix
    /// Restore the old default. If the meaning must change, keep the field and
    /// add a new one under a new name and number.
    FieldSameDefault {
        id: "FIELD_SAME_DEFAULT",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData],
        summary: "a scalar field keeps its default value",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if !can_have_default(old) || !can_have_default(new) {
                return;
            }
            let (a, b) = (DefaultValue::of(cx.old, old), DefaultValue::of(cx.new, new));
            if (a.is_zero() && b.is_zero()) || a.same_as(&b) {
                return;
            }
            let lead = match &old.default_value {
                Some(_) => format!("restore `[default = {}]`", a.declared),
                None => "remove the `default` option".to_owned(),
            };
            let tail = "; if the field's meaning changed, keep it and add a new field under a new name and number";
            let fix = match field_fixes::revert_field(cx, p) {
                Some(edit) => Suggestion::new(&lead, vec![edit], tail),
                None => Suggestion::new(&lead, Vec::new(), tail),
            };
            cx.report(
                p.at(Part::Default),
                format!(
                    "{} changed default value from {} to {}: code that finds the field unset now reads {} where old code reads {}",
                    p.describe(),
                    a.shown,
                    b.shown,
                    b.shown,
                    a.shown
                ),
            )
            .suggest(fix);
        }
    }
}

/// Singular fields of scalar or enum type; lists, maps and messages have no
/// default.
fn can_have_default(f: &Field) -> bool {
    !matches!(f.kind, Kind::Message | Kind::Group)
        && !matches!(f.cardinality, Cardinality::Repeated | Cardinality::Map)
}

/// A default as compared: text (strings and bytes) or a number (bools and
/// enums included).
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(Vec<u8>),
    Int(i128),
    Float32(f32),
    Float64(f64),
}

struct DefaultValue {
    value: Value,
    /// For messages: `"abc"`, `5`, `RED`.
    shown: String,
    /// As it would be written in `[default = …]`.
    declared: String,
}

impl DefaultValue {
    /// The effective default of a field: its explicit default, or the zero
    /// value of its kind (for enums: the first value).
    fn of(schema: &Schema, f: &Field) -> DefaultValue {
        let raw = f.default_value.as_deref();
        let (value, shown, declared) = match f.kind {
            Kind::String => {
                let s = raw.unwrap_or_default();
                let q = format!("{s:?}");
                (Value::Text(s.as_bytes().to_vec()), q.clone(), q)
            }
            Kind::Bytes => {
                let s = raw.unwrap_or_default();
                let q = format!("\"{s}\"");
                (Value::Text(unescape(s)), q.clone(), q)
            }
            Kind::Bool => {
                let v = raw == Some("true");
                (Value::Int(i128::from(v)), v.to_string(), v.to_string())
            }
            Kind::Float => {
                let v = raw.and_then(|s| s.parse::<f32>().ok()).unwrap_or(0.0);
                let s = raw.map_or_else(|| "0".to_owned(), str::to_owned);
                (Value::Float32(v), s.clone(), s)
            }
            Kind::Double => {
                let v = raw.and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
                let s = raw.map_or_else(|| "0".to_owned(), str::to_owned);
                (Value::Float64(v), s.clone(), s)
            }
            Kind::Enum => {
                let e = f.type_name.as_deref().and_then(|t| schema.enum_(t));
                let value = e.and_then(|e| match raw {
                    Some(name) => e.values.iter().find(|v| v.name == name),
                    None => e.values.first(),
                });
                let number = value.map_or(0, |v| v.number);
                let name = value.map_or_else(|| number.to_string(), |v| v.name.clone());
                (Value::Int(i128::from(number)), name.clone(), name)
            }
            _ => {
                let v = raw.and_then(|s| s.parse::<i128>().ok()).unwrap_or(0);
                (Value::Int(v), v.to_string(), v.to_string())
            }
        };
        DefaultValue {
            value,
            shown,
            declared,
        }
    }

    /// The zero value of its kind (negative zero is not zero).
    fn is_zero(&self) -> bool {
        match &self.value {
            Value::Text(t) => t.is_empty(),
            Value::Int(i) => *i == 0,
            Value::Float32(x) => x.to_bits() == 0,
            Value::Float64(x) => x.to_bits() == 0,
        }
    }

    /// Equal defaults: text with text byte for byte; numbers by value, float
    /// against double at float precision, NaN equal to NaN.
    fn same_as(&self, other: &DefaultValue) -> bool {
        use Value::*;
        match (&self.value, &other.value) {
            (Text(a), Text(b)) => a == b,
            (Text(_), _) | (_, Text(_)) => false,
            (Float32(a), Float64(b)) | (Float64(b), Float32(a)) => {
                (a.is_nan() && b.is_nan()) || *a == *b as f32
            }
            (a, b) => match (as_f64(a), as_f64(b)) {
                (Some(x), Some(y)) if x.is_nan() || y.is_nan() => x.is_nan() && y.is_nan(),
                (Some(x), Some(y)) => x == y,
                (Some(x), None) => int_equals_float(int(b), x),
                (None, Some(y)) => int_equals_float(int(a), y),
                (None, None) => int(a) == int(b),
            },
        }
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Float32(x) => Some(f64::from(*x)),
        Value::Float64(x) => Some(*x),
        _ => None,
    }
}

fn int(v: &Value) -> i128 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

/// Exact comparison of an integer with a float (no rounding of either).
fn int_equals_float(i: i128, f: f64) -> bool {
    // Every i128 an int64/uint64 default can hold is below 2^65 in magnitude,
    // so an integral float in that range converts exactly.
    f.is_finite() && f.fract() == 0.0 && f.abs() < 2f64.powi(100) && f as i128 == i
}

/// Undoes the C escaping compilers use for bytes defaults (`\n`, `\001`,
/// `\x7f`, `\"`).
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let c = b[i];
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match b.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            b'x' | b'X' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 {
                    match b.get(i).and_then(|&d| (d as char).to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(value: Value) -> DefaultValue {
        DefaultValue {
            value,
            shown: String::new(),
            declared: String::new(),
        }
    }

    #[test]
    fn numbers_compare_by_value_across_kinds() {
        assert!(d(Value::Int(10)).same_as(&d(Value::Int(10))));
        assert!(d(Value::Int(1)).same_as(&d(Value::Float64(1.0))));
        assert!(!d(Value::Int(1)).same_as(&d(Value::Float64(1.5))));
        assert!(d(Value::Int(i128::from(u64::MAX))).same_as(&d(Value::Int(i128::from(u64::MAX)))));
        // float vs double at float precision.
        assert!(d(Value::Float32(0.1)).same_as(&d(Value::Float64(0.1))));
        assert!(d(Value::Float64(0.1)).same_as(&d(Value::Float32(0.1))));
        assert!(!d(Value::Float32(0.1)).same_as(&d(Value::Float64(0.2))));
        assert!(d(Value::Float64(f64::NAN)).same_as(&d(Value::Float32(f32::NAN))));
        assert!(!d(Value::Float64(f64::NAN)).same_as(&d(Value::Float64(1.0))));
        assert!(!d(Value::Int(0)).same_as(&d(Value::Float64(f64::INFINITY))));
        // Text never equals a number.
        assert!(!d(Value::Text(b"1".to_vec())).same_as(&d(Value::Int(1))));
        assert!(d(Value::Float64(-0.0)).same_as(&d(Value::Int(0))));
        assert!(!d(Value::Float64(-0.0)).is_zero());
    }

    #[test]
    fn bytes_defaults_are_unescaped() {
        assert_eq!(unescape(r"a\001\x7fb\n\\\'"), b"a\x01\x7fb\n\\'".to_vec());
        assert_eq!(unescape(r"\0"), vec![0]);
    }
}
