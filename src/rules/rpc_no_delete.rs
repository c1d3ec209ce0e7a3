use crate::engine::fix::{ProposedEdit, Suggestion, Target};
use crate::engine::{Cx, MethodPair, Part};
use crate::rules::methods;

rule! {
    /// # What
    /// Every method of a service is still declared in it. Services pair by
    /// fully-qualified name and methods by name, so renaming a method counts as
    /// deleting it.
    ///
    /// # Why
    /// Generated clients lose the method, so callers stop compiling, and
    /// generated servers no longer implement it. Clients built from the old
    /// schema keep calling it and get `UNIMPLEMENTED`.
    ///
    /// # Example
    /// ```proto
    /// // old                              // new
    /// service OrderService {              service OrderService {
    ///   rpc GetOrder(GetOrderRequest)       rpc GetOrder(GetOrderRequest)
    ///     returns (Order);                    returns (Order);
    ///   rpc CancelOrder(CancelRequest)    }
    ///     returns (Order);
    /// }
    /// ```
    ///
    /// # Fix
    /// Keep the method and mark it `option deprecated = true;`; to stop serving
    /// it, return an error from the server once no client calls it.
    RpcNoDelete {
        id: "RPC_NO_DELETE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "no method is deleted from a service",
    }
    impl {
        fn check_method(&self, cx: &mut Cx, p: &MethodPair) {
            let (Some(old), None) = (p.old, p.new) else { return };
            let stream = |s: bool| if s { "stream " } else { "" };
            let svc = p.new_service;
            // The method written back, when its types still exist and the
            // service's file can name them, and it had no option a rule
            // compares (its idempotency level).
            let back = (|| {
                if old
                    .options
                    .as_ref()
                    .is_some_and(|o| o.idempotency_level.is_some())
                {
                    return None;
                }
                let i = methods::method_type_name(cx.new, svc.file, &old.input_type)?;
                let o = methods::method_type_name(cx.new, svc.file, &old.output_type)?;
                Some(format!(
                    "rpc {}({}{i}) returns ({}{o}) {{ option deprecated = true; }}",
                    old.name,
                    stream(old.client_streaming),
                    stream(old.server_streaming)
                ))
            })();
            let fix = match back {
                Some(text) => Suggestion::new(
                    "restore the method, deprecated until no client calls it",
                    vec![ProposedEdit::append(
                        Target::new(svc.file, &svc.path),
                        format!("service \"{}\"", svc.name),
                        text,
                    )],
                    "",
                ),
                None => Suggestion::new(
                    &format!(
                        "restore `rpc {}({}{}) returns ({}{});` and mark it `option deprecated = true;` until no client calls it (no automatic edit: {})",
                        old.name,
                        stream(old.client_streaming),
                        old.input_type,
                        stream(old.server_streaming),
                        old.output_type,
                        if old.options.as_ref().is_some_and(|o| o.idempotency_level.is_some()) {
                            "its options are not written back"
                        } else {
                            "a type it names no longer exists or is not imported here"
                        }
                    ),
                    Vec::new(),
                    "",
                ),
            };
            cx.report(
                p.at(Part::Whole),
                format!(
                    "method \"{}\" was deleted from service \"{}\"",
                    old.name, p.new_service.full_name
                ),
            )
            .suggest(fix);
        }
    }
}
