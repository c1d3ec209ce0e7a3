use crate::engine::{Cx, MethodPair, Part};

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
            cx.report(
                p.at(Part::Whole),
                format!(
                    "method \"{}\" was deleted from service \"{}\"",
                    old.name, p.new_service.full_name
                ),
            )
            .help(format!(
                "restore `rpc {}({}) returns ({});` and mark it `option deprecated = true;` until no client calls it",
                old.name,
                if old.client_streaming {
                    format!("stream {}", old.input_type)
                } else {
                    old.input_type.clone()
                },
                if old.server_streaming {
                    format!("stream {}", old.output_type)
                } else {
                    old.output_type.clone()
                }
            ));
        }
    }
}
