use prost_types::method_options::IdempotencyLevel;

use crate::engine::{Cx, MethodPair, Part};
use crate::schema::Method;

/// The method's `idempotency_level`, unset being `IDEMPOTENCY_UNKNOWN`.
fn level(m: &Method) -> IdempotencyLevel {
    m.options
        .as_ref()
        .map_or(IdempotencyLevel::IdempotencyUnknown, |o| {
            o.idempotency_level()
        })
}

rule! {
    /// # What
    /// A method keeps its `idempotency_level` option (unset counts as
    /// `IDEMPOTENCY_UNKNOWN`).
    ///
    /// # Why
    /// Clients and servers act on the level: Connect lets clients call
    /// `NO_SIDE_EFFECTS` methods with HTTP GET (and servers accept GET only
    /// for them), and retry policies and HTTP caches treat idempotent calls as
    /// safe to repeat. Clients generated from the old schema keep using GET or
    /// retrying after the server's contract changed; raising the level makes
    /// them repeat calls the server did not promise were safe.
    ///
    /// # Example
    /// ```proto
    /// // old
    /// rpc GetOrder(GetOrderRequest) returns (Order) {
    ///   option idempotency_level = NO_SIDE_EFFECTS;
    /// }
    /// // new
    /// rpc GetOrder(GetOrderRequest) returns (Order);
    /// ```
    ///
    /// # Fix
    /// Restore the old level. If the method's behaviour really changed, add a
    /// new method with the new level.
    RpcSameIdempotencyLevel {
        id: "RPC_SAME_IDEMPOTENCY_LEVEL",
        levels: [File, Package, WireJson, Wire],
        affects: [GeneratedCode],
        summary: "a method keeps its idempotency_level",
    }
    impl {
        fn check_method(&self, cx: &mut Cx, p: &MethodPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let (o, n) = (level(old), level(new));
            if o == n {
                return;
            }
            let set = |m: &Method| m.options.as_ref().is_some_and(|o| o.idempotency_level.is_some());
            let shown = |l: IdempotencyLevel, m: &Method| {
                if set(m) {
                    format!("\"{}\"", l.as_str_name())
                } else {
                    format!("\"{}\" (unset)", l.as_str_name())
                }
            };
            let help = if o == IdempotencyLevel::IdempotencyUnknown {
                format!(
                    "remove `option idempotency_level = {};` from method \"{}\"; if the method is now safe to repeat, add a new method with that level",
                    n.as_str_name(),
                    new.name
                )
            } else {
                format!(
                    "restore `option idempotency_level = {};` in method \"{}\"; if its behaviour changed, add a new method with the new level",
                    o.as_str_name(),
                    new.name
                )
            };
            cx.report(
                p.at(Part::Option(34)),
                format!(
                    "method \"{}\" of service \"{}\" changed option \"idempotency_level\" from {} to {}",
                    new.name,
                    p.new_service.full_name,
                    shown(o, old),
                    shown(n, new)
                ),
            )
            .help(help);
        }
    }
}
